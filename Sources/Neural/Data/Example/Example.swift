/// One feature of an ``Example``: a list of byte strings, floats or 64-bit integers (TensorFlow's
/// `tf.train.Feature` with its `BytesList`, `FloatList` or `Int64List`).
public enum Feature: Sendable, Equatable {
    /// `Feature(bytes_list=BytesList(value=[...]))`.
    case bytesList([[UInt8]])
    /// `Feature(float_list=FloatList(value=[...]))`.
    case floatList([Float])
    /// `Feature(int64_list=Int64List(value=[...]))`.
    case int64List([Int64])

    /// A bytes list of the UTF-8 bytes of `strings` (`BytesList(value=[b"Alice"])` is `.bytes(["Alice"])`).
    public static func bytes(_ strings: [String]) -> Feature { .bytesList(strings.map { Array($0.utf8) }) }

    /// The element type of the list: `.string`, `.float32` or `.int64`.
    public var dtype: DType {
        switch self {
        case .bytesList: return .string
        case .floatList: return .float32
        case .int64List: return .int64
        }
    }

    /// The number of values in the list.
    public var count: Int {
        switch self {
        case .bytesList(let values): return values.count
        case .floatList(let values): return values.count
        case .int64List(let values): return values.count
        }
    }
}

/// One record of a data set as TensorFlow stores it in TFRecord files (`tf.train.Example`): named
/// ``Feature``s. ``serialized()`` gives the protocol-buffer bytes TensorFlow's `SerializeToString()`
/// gives (fields in key order), ``init(serialized:)`` reads TensorFlow's, and ``RecordWriter`` /
/// ``Dataset/records(paths:)`` put them in files:
///
/// ```swift
/// let personExample = Example(features: [
///     "name": .bytes(["Alice"]),
///     "id": .int64List([123]),
///     "emails": .bytes(["a@b.com", "c@d.com"]),
/// ])
/// let writer = try RecordWriter(path: "my_contacts.tfrecord")
/// try writer.write(personExample.serialized())
/// try writer.close()
/// ```
///
/// ``parseSingleExample(_:features:)`` and ``parseExamples(_:features:)`` turn serialized examples into
/// tensors by a description of the features, as tf.io's parsing functions do.
public struct Example: Sendable, Equatable {
    /// The features by name (`Features.feature`).
    public var features: [String: Feature]

    /// An example of `features`.
    public init(features: [String: Feature]) { self.features = features }
}
