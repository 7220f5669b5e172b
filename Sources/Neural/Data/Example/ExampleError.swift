/// Why serialized examples could not be read or parsed: what is wrong, and where (the message field and
/// byte offset in the serialized bytes, the feature's name, the example's position in a batch).
public indirect enum ExampleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are not a valid `tf.train.Example`: at byte `offset`, while reading `field` (a path
    /// such as `Example.features.feature["name"].bytes_list`), `reason`.
    case malformed(field: String, offset: Int, reason: String)
    /// A ``FeatureSpec/fixedLen(shape:dtype:defaultValue:)`` feature without a default is not in the example.
    case missingFeature(key: String)
    /// The example's feature holds `found` values but the description asks for `expected`.
    case wrongType(key: String, expected: DType, found: DType)
    /// A fixed-length feature has `found` values where its shape `shape` needs `expected`.
    case wrongCount(key: String, shape: [Int], expected: Int, found: Int)
    /// The description of feature `key` cannot be used (a dtype examples cannot hold, a negative
    /// dimension, a default value of the wrong type or size).
    case invalidDescription(key: String, reason: String)
    /// ``ParsedExample`` has no feature `key` of the asked kind.
    case notParsed(key: String, reason: String)
    /// Example `index` (from 0) of a batch failed with `underlying`.
    case inBatch(index: Int, underlying: ExampleError)

    /// What is wrong and where.
    public var description: String {
        switch self {
        case let .malformed(field, offset, reason):
            return "malformed tf.train.Example: \(field) at byte \(offset): \(reason)"
        case let .missingFeature(key):
            return "feature \"\(key)\" is required (fixed-length, no default value) but the example does not have it"
        case let .wrongType(key, expected, found):
            return "feature \"\(key)\": the description asks for \(expected) but the example holds \(found) values"
        case let .wrongCount(key, shape, expected, found):
            return "feature \"\(key)\": shape \(shape) needs \(expected) values but the example holds \(found)"
        case let .invalidDescription(key, reason):
            return "feature \"\(key)\": invalid description: \(reason)"
        case let .notParsed(key, reason):
            return "feature \"\(key)\": \(reason)"
        case let .inBatch(index, underlying):
            return "example \(index) of the batch: \(underlying)"
        }
    }
}
