/// The few protocol-buffer encodings TensorBoard's messages need, written by hand: varints, 64- and
/// 32-bit little-endian numbers, length-delimited bytes and nested messages, packed repeated doubles.
///
/// Why not swift-protobuf: the event files need seven small messages that we only ever write, never
/// read. Their encoder is this one type of about 120 lines, while swift-protobuf would add a
/// package, `protoc` to regenerate code, and several thousand lines of generated Swift to commit for the
/// whole of `event.proto` / `summary.proto` / `tensor.proto` and what they import. The bytes are checked
/// against Python's protobuf (Scripts/tensorboard_reference.py) and read back by TensorBoard itself.
///
/// Fields are written in the order they are appended; the messages append them by field number, as
/// protobuf's own serializers do, so that equal messages give equal bytes. Like proto3, the
/// `…IfNotDefault` methods leave out a zero, an empty string or an empty list (a reader takes it as the
/// default anyway); the plain ones always write, as proto3 does for a `oneof` member that is set.
public struct ProtobufEncoder: Sendable {
    /// A field's wire type: how its value is laid out after the key.
    public enum WireType: UInt8, Sendable {
        /// A varint (int32, int64, uint64, bool, enum).
        case varint = 0
        /// Eight little-endian bytes (fixed64, double).
        case fixed64 = 1
        /// A varint length, then that many bytes (string, bytes, a message, a packed list).
        case lengthDelimited = 2
        /// Four little-endian bytes (fixed32, float).
        case fixed32 = 5
    }

    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty encoder.
    public init() {}

    /// The varint encoding of `value`: seven bits a byte, least significant first, the high bit set on
    /// every byte but the last (`300` gives `[0xAC, 0x02]`).
    public static func varint(_ value: UInt64) -> [UInt8] {
        var encoder = ProtobufEncoder()
        encoder.appendVarint(value)
        return encoder.bytes
    }

    /// Appends `value` as a varint.
    public mutating func appendVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Appends a field's key: its number shifted left by three, or'ed with the wire type, as a varint.
    public mutating func appendKey(field: Int, _ wireType: WireType) {
        appendVarint(UInt64(field) << 3 | UInt64(wireType.rawValue))
    }

    /// Writes an int64 (or int32, enum) field as a varint; a negative number takes ten bytes, as in
    /// protobuf (two's complement, not zigzag).
    public mutating func int64(_ field: Int, _ value: Int64) {
        appendKey(field: field, .varint)
        appendVarint(UInt64(bitPattern: value))
    }

    /// ``int64(_:_:)`` unless `value` is zero.
    public mutating func int64IfNotDefault(_ field: Int, _ value: Int64) {
        if value != 0 { int64(field, value) }
    }

    /// Writes a double field: eight little-endian bytes of its IEEE 754 bits (NaN and infinities as they are).
    public mutating func double(_ field: Int, _ value: Double) {
        appendKey(field: field, .fixed64)
        appendLittleEndian(value.bitPattern)
    }

    /// ``double(_:_:)`` unless `value` is +0 (a -0 is written, as protobuf does: its bits are not zero).
    public mutating func doubleIfNotDefault(_ field: Int, _ value: Double) {
        if value.bitPattern != 0 { double(field, value) }
    }

    /// Writes a float field: four little-endian bytes of its IEEE 754 bits (NaN and infinities as they are).
    public mutating func float(_ field: Int, _ value: Float) {
        appendKey(field: field, .fixed32)
        let bits = value.bitPattern
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt32(shift))) }
    }

    /// Writes a bytes field: its length as a varint, then the bytes.
    public mutating func byteString(_ field: Int, _ value: [UInt8]) {
        appendKey(field: field, .lengthDelimited)
        appendVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// ``byteString(_:_:)`` unless `value` is empty.
    public mutating func byteStringIfNotDefault(_ field: Int, _ value: [UInt8]) {
        if !value.isEmpty { byteString(field, value) }
    }

    /// Writes a string field: its UTF-8 bytes, length-delimited.
    public mutating func string(_ field: Int, _ value: String) { byteString(field, Array(value.utf8)) }

    /// ``string(_:_:)`` unless `value` is empty.
    public mutating func stringIfNotDefault(_ field: Int, _ value: String) {
        if !value.isEmpty { string(field, value) }
    }

    /// Writes a nested message field: its encoding, length-delimited (an empty message is still written,
    /// which marks it as set).
    public mutating func message(_ field: Int, _ value: some ProtobufMessage) {
        byteString(field, value.serializedBytes())
    }

    /// Writes a packed repeated double field (`[packed = true]`, proto3's default): one length-delimited
    /// run of eight-byte values; nothing when `values` is empty.
    public mutating func packedDoubles(_ field: Int, _ values: [Double]) {
        guard !values.isEmpty else { return }
        appendKey(field: field, .lengthDelimited)
        appendVarint(UInt64(values.count) * 8)
        for value in values { appendLittleEndian(value.bitPattern) }
    }

    private mutating func appendLittleEndian(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }
}
