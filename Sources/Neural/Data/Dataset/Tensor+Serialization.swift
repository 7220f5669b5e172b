/// Tensors as bytes for record files (the role of tf.io's `serialize_tensor` / `parse_tensor`): the
/// rank as a little-endian UInt32, each dimension as a little-endian UInt64, then the elements as
/// little-endian IEEE 754 32-bit floats.
extension Tensor {
    /// The tensor's shape and elements as bytes that ``init(serializedBytes:)`` reads back.
    public func serializedBytes() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4 + 8 * rank + 4 * scalarCount)
        let rank = UInt32(self.rank)
        for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: rank >> (8 * UInt32(i)))) }
        for dimension in shape {
            let value = UInt64(dimension)
            for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
        }
        withUnsafeBufferPointer { values in
            for value in values {
                let bits = value.bitPattern
                for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt32(i)))) }
            }
        }
        return bytes
    }

    /// Reads a tensor written by ``serializedBytes()`` (e.g. a record of a file of tensors:
    /// `Dataset.records(paths:).map { try Tensor(serializedBytes: $0) }`).
    ///
    /// - Throws: ``DatasetError/invalidArgument(operation:message:)`` when the bytes are too short, too
    ///   long, or declare an impossible shape.
    public init(serializedBytes bytes: [UInt8]) throws(DatasetError) {
        let operation = "Tensor(serializedBytes:)"
        guard bytes.count >= 4 else { throw .invalidArgument(operation: operation, message: "\(bytes.count) bytes cannot hold a tensor header") }
        let rank = (0..<4).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
        guard rank <= 64, bytes.count >= 4 + 8 * rank else {
            throw .invalidArgument(operation: operation, message: "a header of rank \(rank) does not fit in \(bytes.count) bytes")
        }
        var shape: [Int] = []
        var count = 1
        for d in 0..<rank {
            let offset = 4 + 8 * d
            let value = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
            guard value <= UInt64(Int32.max) else { throw .invalidArgument(operation: operation, message: "dimension \(d) is \(value)") }
            shape.append(Int(value))
            let (product, overflow) = count.multipliedReportingOverflow(by: Int(value))
            guard !overflow else { throw .invalidArgument(operation: operation, message: "shape \(shape) is too large") }
            count = product
        }
        let start = 4 + 8 * rank
        guard bytes.count - start == 4 * count else {
            throw .invalidArgument(operation: operation, message: "shape \(shape) needs \(4 * count) bytes of elements but \(bytes.count - start) follow the header")
        }
        var scalars = [Float](repeating: 0, count: count)
        for index in 0..<count {
            let offset = start + 4 * index
            let bits = UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
            scalars[index] = Float(bitPattern: bits)
        }
        self.init(shape: shape, scalars: scalars)
    }
}
