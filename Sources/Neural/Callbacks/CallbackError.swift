/// Why a built-in callback could not do its work, naming the callback and what it needed.
public enum CallbackError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An argument the callback does not accept (a `factor` of 1 or more, a save frequency of 0...).
    case invalidArgument(callback: String, message: String)
    /// `mode: .auto` and nothing tells whether `monitor` should go down or up (Keras 3 raises too).
    case cannotInferMode(callback: String, monitor: String)
    /// The callback changes or reads the learning rate but the model has no optimizer.
    case noOptimizer(callback: String)
    /// A `ModelCheckpoint` file path template that cannot be filled in: bad syntax, an unknown
    /// placeholder, or a format the value does not take.
    case badFilepathTemplate(template: String, reason: String)
    /// A file or directory a callback writes could not be created or written.
    case fileWriteFailed(path: String, reason: String)

    /// What is wrong and what to do, for people.
    public var description: String {
        switch self {
        case let .invalidArgument(callback, message):
            return "\(callback): \(message)"
        case let .cannotInferMode(callback, monitor):
            return "\(callback): cannot tell whether '\(monitor)' should be minimized or maximized; pass mode: .min or mode: .max"
        case let .noOptimizer(callback):
            return "\(callback): the model has no optimizer; compile it with one first"
        case let .badFilepathTemplate(template, reason):
            return "cannot fill in the file path \"\(template)\": \(reason)"
        case let .fileWriteFailed(path, reason):
            return "\(path): cannot be written: \(reason)"
        }
    }
}
