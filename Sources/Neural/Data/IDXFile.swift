/// An IDX file (the MNIST family's format): unsigned bytes with a shape.
///
/// The header is two zero bytes, a type code (0x08 = unsigned byte, the only type these data sets
/// use), the number of dimensions, then each dimension as a big-endian 32-bit integer.
public struct IDXFile: Sendable {
    /// The extent of each dimension, e.g. `[60000, 28, 28]`.
    public let shape: [Int]
    /// The elements in row-major order.
    public let bytes: [UInt8]

    /// Reads and checks an IDX file, gzip-compressed or not.
    ///
    /// - Throws: ``DataLoadingError`` naming the file when it is missing, unreadable, not IDX, not of
    ///   unsigned bytes, or shorter or longer than its header says.
    public init(path: String, hint: String? = nil) throws(DataLoadingError) {
        let data = try GzipFile.readAll(path: path, hint: hint)
        try self.init(data: data, path: path)
    }

    /// Parses IDX bytes already in memory; `path` is only used in error messages.
    public init(data: [UInt8], path: String) throws(DataLoadingError) {
        guard data.count >= 4, data[0] == 0, data[1] == 0 else {
            throw .malformed(path: path, reason: "not an IDX file (the first two bytes must be zero)")
        }
        guard data[2] == 0x08 else {
            throw .malformed(path: path, reason: "IDX type code \(data[2]) is not supported (only 0x08, unsigned bytes)")
        }
        let rank = Int(data[3])
        let headerLength = 4 + 4 * rank
        guard rank > 0, data.count >= headerLength else {
            throw .malformed(path: path, reason: "IDX header is truncated (\(data.count) bytes for \(rank) dimensions)")
        }
        var shape: [Int] = []
        for d in 0..<rank {
            let o = 4 + 4 * d
            shape.append(Int(data[o]) << 24 | Int(data[o + 1]) << 16 | Int(data[o + 2]) << 8 | Int(data[o + 3]))
        }
        let expected = shape.reduce(1, *)
        guard data.count - headerLength == expected else {
            throw .malformed(path: path, reason: "IDX header promises \(expected) elements of shape \(shape) but the file holds \(data.count - headerLength)")
        }
        self.shape = shape
        self.bytes = Array(data[headerLength...])
    }
}
