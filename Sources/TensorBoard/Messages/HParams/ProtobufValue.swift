/// `google.protobuf.Value` (struct.proto) for the values an HParams message holds: a number, a string or
/// a boolean (the null, struct and list kinds are not needed for hyperparameter values).
public enum ProtobufValue: ProtobufMessage, Equatable {
    /// `number_value = 2` (a double).
    case number(Double)
    /// `string_value = 3`.
    case string(String)
    /// `bool_value = 4`.
    case bool(Bool)

    /// Appends the one field of the `kind` oneof that is set (always written, even a zero: a oneof member
    /// that is set is written whatever its value, so the reader knows which kind it is).
    public func encode(to encoder: inout ProtobufEncoder) {
        switch self {
        case let .number(value): encoder.double(2, value)
        case let .string(value): encoder.string(3, value)
        case let .bool(value): encoder.int64(4, value ? 1 : 0)
        }
    }
}

/// `google.protobuf.ListValue`: `values = 1`, each a ``ProtobufValue``.
struct ProtobufListValue: ProtobufMessage {
    var values: [ProtobufValue]

    func encode(to encoder: inout ProtobufEncoder) {
        for value in values { encoder.message(1, value) }
    }
}
