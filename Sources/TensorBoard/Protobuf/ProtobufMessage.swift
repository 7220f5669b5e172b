/// A protocol-buffer message this module can write.
public protocol ProtobufMessage: Sendable {
    /// Appends the message's fields (not a key or length for the message itself) to `encoder`.
    func encode(to encoder: inout ProtobufEncoder)
}

extension ProtobufMessage {
    /// The message's wire-format bytes, as `SerializeToString()` gives them in Python.
    public func serializedBytes() -> [UInt8] {
        var encoder = ProtobufEncoder()
        encode(to: &encoder)
        return encoder.bytes
    }
}
