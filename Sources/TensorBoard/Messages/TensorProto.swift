/// TensorFlow's `TensorProto` (tensor.proto) for the tensors a summary holds: a type, a shape
/// (`TensorShapeProto`, tensor_shape.proto) and the values in one of the typed lists.
public struct TensorProto: ProtobufMessage, Equatable {
    /// `DataType` (types.proto), the types written here.
    public enum DataType: Int64, Sendable {
        /// `DT_FLOAT = 1`.
        case float = 1
        /// `DT_DOUBLE = 2`.
        case double = 2
        /// `DT_STRING = 7`: byte strings.
        case string = 7
    }

    /// `dtype = 1`.
    public var dtype: DataType
    /// `tensor_shape = 2`: the size of each dimension (empty for a scalar).
    public var shape: [Int64]
    /// `double_val = 6` (packed), for ``DataType/double``.
    public var doubleValues: [Double]
    /// `string_val = 8`, for ``DataType/string``.
    public var stringValues: [[UInt8]]

    /// A tensor of `dtype` and `shape`; fill the list of its type.
    public init(dtype: DataType, shape: [Int64], doubleValues: [Double] = [], stringValues: [[UInt8]] = []) {
        self.dtype = dtype
        self.shape = shape
        self.doubleValues = doubleValues
        self.stringValues = stringValues
    }

    /// A rank-0 string tensor holding `text`'s UTF-8 bytes (what `tf.summary.text` writes).
    public static func scalar(string text: String) -> TensorProto {
        TensorProto(dtype: .string, shape: [], stringValues: [Array(text.utf8)])
    }

    /// Appends `dtype = 1`, `tensor_shape = 2` (always: an empty one is a scalar's shape), `double_val = 6`
    /// and `string_val = 8`.
    public func encode(to encoder: inout ProtobufEncoder) {
        encoder.int64IfNotDefault(1, dtype.rawValue)
        encoder.message(2, Shape(dimensions: shape))
        encoder.packedDoubles(6, doubleValues)
        for value in stringValues { encoder.byteString(8, value) }
    }

    /// `TensorShapeProto`: `dim = 2`, each a `Dim` with `size = 1`.
    private struct Shape: ProtobufMessage {
        var dimensions: [Int64]

        func encode(to encoder: inout ProtobufEncoder) {
            for size in dimensions { encoder.message(2, Dimension(size: size)) }
        }
    }

    /// `TensorShapeProto.Dim`.
    private struct Dimension: ProtobufMessage {
        var size: Int64

        func encode(to encoder: inout ProtobufEncoder) { encoder.int64IfNotDefault(1, size) }
    }
}
