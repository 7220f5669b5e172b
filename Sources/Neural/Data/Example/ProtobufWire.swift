// The protocol-buffer wire format for the few messages of TensorFlow's example.proto and feature.proto
// (Example, Features and its map entries, Feature, BytesList, FloatList, Int64List), written by hand.
//
// Why not apple/swift-protobuf: generating its Swift needs `protoc`, which this project's machines do
// not have; the package's plugin takes minutes to build on every clean CI run; and the Neural core would
// carry a runtime dependency for seven small messages of three wire types. The TensorBoard module writes
// its messages by hand the same way. What keeps this honest is the test that exchanges files with
// Python's protobuf in both directions (Tests/TensorBoardTests/ExampleInteropTests.swift), plus tests of
// damaged bytes: the reader never traps, it throws `ExampleError.malformed` with the field and offset.

/// Appends protocol-buffer fields to a byte buffer.
struct WireWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func tag(_ field: UInt64, _ wireType: UInt64) { varint(field << 3 | wireType) }

    /// A length-delimited field (wire type 2).
    mutating func lengthDelimited(_ field: UInt64, _ payload: [UInt8]) {
        tag(field, 2)
        varint(UInt64(payload.count))
        bytes.append(contentsOf: payload)
    }
}

/// Reads protocol-buffer fields from `bytes[position..<end]`; every failure is an
/// ``ExampleError/malformed(field:offset:reason:)`` naming `field` and the absolute byte offset.
struct WireReader {
    let bytes: [UInt8]
    var position: Int
    let end: Int
    /// The message being read, for errors (`Example.features`).
    let field: String

    init(bytes: [UInt8], range: Range<Int>, field: String) {
        self.bytes = bytes
        self.position = range.lowerBound
        self.end = range.upperBound
        self.field = field
    }

    var isAtEnd: Bool { position >= end }

    func error(_ reason: String, at offset: Int? = nil) -> ExampleError {
        .malformed(field: field, offset: offset ?? position, reason: reason)
    }

    mutating func varint() throws(ExampleError) -> UInt64 {
        let start = position
        var result: UInt64 = 0
        for index in 0..<10 {
            guard position < end else { throw error("the bytes end inside a varint", at: start) }
            let byte = bytes[position]
            position += 1
            if index == 9 && byte > 1 { throw error("a varint longer than 64 bits", at: start) }
            result |= UInt64(byte & 0x7F) << (7 * UInt64(index))
            if byte < 0x80 { return result }
        }
        throw error("a varint longer than 10 bytes", at: start)
    }

    /// The next field's number and wire type.
    mutating func tag() throws(ExampleError) -> (field: UInt64, wireType: UInt64) {
        let start = position
        let key = try varint()
        let number = key >> 3
        guard number >= 1, number <= 536_870_911 else { throw error("field number \(number) is not valid", at: start) }
        return (number, key & 7)
    }

    /// The byte range of a length-delimited field's payload.
    mutating func lengthDelimited() throws(ExampleError) -> Range<Int> {
        let start = position
        let length = try varint()
        guard length <= UInt64(end - position) else {
            throw error("a length of \(length) bytes but only \(end - position) remain", at: start)
        }
        let range = position..<(position + Int(length))
        position = range.upperBound
        return range
    }

    mutating func fixed32() throws(ExampleError) -> UInt32 {
        guard end - position >= 4 else { throw error("the bytes end inside a 4-byte value") }
        let value = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[position + $1]) << (8 * UInt32($1)) }
        position += 4
        return value
    }

    /// Skips a field this reader does not know (protocol buffers ignore unknown fields).
    mutating func skip(wireType: UInt64, field number: UInt64) throws(ExampleError) {
        switch wireType {
        case 0: _ = try varint()
        case 1:
            guard end - position >= 8 else { throw error("the bytes end inside an 8-byte value") }
            position += 8
        case 2: _ = try lengthDelimited()
        case 5: _ = try fixed32()
        default: throw error("field \(number) has wire type \(wireType), which these messages never use (groups are not supported)")
        }
    }

    /// Fails unless a known field has the expected wire type.
    func expect(_ wireType: UInt64, _ expected: UInt64, field number: UInt64, start: Int) throws(ExampleError) {
        guard wireType == expected else {
            throw error("field \(number) has wire type \(wireType) where \(expected) is expected", at: start)
        }
    }
}
