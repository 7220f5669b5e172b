import Neural

/// Why a ``SummaryWriter`` could not do what it was asked, with the path or tag at fault.
public enum SummaryWriterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The log folder could not be created (it is a file, or a parent is not writable, …).
    case cannotCreateFolder(path: String, reason: String)
    /// The event file could not be created, written or flushed (a full disk, a removed folder, …).
    case writeFailed(path: String, reason: String)
    /// The writer was closed before this write.
    case closed(path: String)
    /// The tag is empty: TensorBoard files every value under its tag.
    case emptyTag
    /// The pixels do not make an image (size, count or channels), for the tag `tag`.
    case invalidImage(tag: String, message: String)
    /// The values cannot make a histogram (a NaN or an infinity), for the tag `tag`.
    case invalidHistogram(tag: String, message: String)

    /// What is wrong, for people.
    public var description: String {
        switch self {
        case let .cannotCreateFolder(path, reason): return "TensorBoard: cannot create the log folder \(path): \(reason)"
        case let .writeFailed(path, reason): return "TensorBoard: cannot write the event file \(path): \(reason)"
        case let .closed(path): return "TensorBoard: the writer of \(path) is closed"
        case .emptyTag: return "TensorBoard: a summary needs a non-empty name"
        case let .invalidImage(tag, message): return "TensorBoard: image '\(tag)': \(message)"
        case let .invalidHistogram(tag, message): return "TensorBoard: histogram '\(tag)': \(message)"
        }
    }
}

extension DatasetError {
    /// The reason alone for the record writer's errors (the writer's error names the path itself),
    /// the whole description otherwise.
    var reason: String {
        if case let .unreadable(_, reason) = self { return reason }
        return description
    }
}
