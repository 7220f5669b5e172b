/// Why a ``TensorBoardCallback`` could not be made.
public enum TensorBoardCallbackError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An argument is out of range: its name and what is wrong.
    case invalidArgument(name: String, message: String)

    /// What is wrong, for people.
    public var description: String {
        switch self {
        case let .invalidArgument(name, message): return "TensorBoard callback: \(name) \(message)"
        }
    }
}
