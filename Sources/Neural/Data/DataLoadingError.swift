/// Why a data file could not be loaded, naming the file.
public enum DataLoadingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing exists at the path.
    case fileNotFound(path: String, hint: String?)
    /// The file exists but could not be read or decompressed.
    case unreadable(path: String, reason: String)
    /// The file was read but its contents are not what the format requires.
    case malformed(path: String, reason: String)

    /// What is wrong, where, and (when known) what to do.
    public var description: String {
        switch self {
        case let .fileNotFound(path, hint):
            return "\(path): no such file" + (hint.map { " (\($0))" } ?? "")
        case let .unreadable(path, reason):
            return "\(path): cannot be read: \(reason)"
        case let .malformed(path, reason):
            return "\(path): \(reason)"
        }
    }
}
