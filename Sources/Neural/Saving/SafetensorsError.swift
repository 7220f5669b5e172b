/// Why a safetensors file could not be written or read, always naming the file (and the tensor,
/// when one is at fault).
public enum SafetensorsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing exists at the path.
    case fileNotFound(path: String)
    /// The operating system refused to read or write the file.
    case io(path: String, reason: String)
    /// The file ends before its 8-byte length prefix or its header does.
    case truncated(path: String, reason: String)
    /// The header is not the JSON the format requires (bad JSON, not an object, a field missing or
    /// of the wrong type, too large, metadata that is not string to string).
    case invalidHeader(path: String, reason: String)
    /// A tensor's dtype is not one this reader converts (only `F32` is).
    case unsupportedDtype(path: String, tensor: String, dtype: String)
    /// A tensor's `data_offsets` are reversed, out of the data section, overlap another tensor, leave
    /// a gap, or the data section has bytes no tensor covers.
    case invalidOffsets(path: String, tensor: String, reason: String)
    /// A tensor's byte count is not its shape's element count times the dtype's size.
    case sizeMismatch(path: String, tensor: String, shape: [Int], expectedBytes: Int, actualBytes: Int)
    /// A tensor name that cannot be written (empty, or the reserved `__metadata__`).
    case invalidName(path: String, name: String)

    /// What is wrong, in which file and which tensor.
    public var description: String {
        switch self {
        case let .fileNotFound(path):
            return "\(path): no such safetensors file"
        case let .io(path, reason):
            return "\(path): \(reason)"
        case let .truncated(path, reason):
            return "\(path): truncated safetensors file: \(reason)"
        case let .invalidHeader(path, reason):
            return "\(path): invalid safetensors header: \(reason)"
        case let .unsupportedDtype(path, tensor, dtype):
            return "\(path): tensor '\(tensor)' has dtype \(dtype); only F32 tensors can be read"
        case let .invalidOffsets(path, tensor, reason):
            return "\(path): tensor '\(tensor)': invalid data_offsets: \(reason)"
        case let .sizeMismatch(path, tensor, shape, expectedBytes, actualBytes):
            return "\(path): tensor '\(tensor)' of shape \(shape) needs \(expectedBytes) bytes but its data_offsets span \(actualBytes)"
        case let .invalidName(path, name):
            return "\(path): '\(name)' cannot name a tensor (names must be non-empty and not __metadata__)"
        }
    }
}
