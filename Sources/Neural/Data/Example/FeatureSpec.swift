/// How to parse one feature of serialized examples (tf.io's `FixedLenFeature` / `VarLenFeature`).
///
/// ```swift
/// let featureDescription: [String: FeatureSpec] = [
///     "name": .fixedLen(shape: [], dtype: .string, defaultValue: .bytes([""])),
///     "id": .fixedLen(shape: [], dtype: .int64, defaultValue: .int64List([0])),
///     "emails": .varLen(.string),
/// ]
/// ```
public enum FeatureSpec: Sendable, Equatable {
    /// Exactly `shape`'s element count of `dtype` values (`.string`, `.int64` or `.float32`), parsed
    /// into a dense tensor of that shape. When the example lacks the feature, `defaultValue` is used (one
    /// value fills the shape; otherwise it needs the shape's count); without one, a missing feature throws.
    case fixedLen(shape: [Int], dtype: DType, defaultValue: Feature? = nil)
    /// Any number of `dtype` values, parsed into a ``SparseTensor`` (`tf.sparse.to_dense` pads them).
    case varLen(DType)

    var dtype: DType {
        switch self {
        case .fixedLen(_, let dtype, _), .varLen(let dtype): return dtype
        }
    }
}

/// What ``parseSingleExample(_:features:)`` and ``parseExamples(_:features:)`` give: each described
/// feature as a dense tensor (fixed-length) or a sparse one (variable-length), of `[UInt8]` (strings),
/// `Int64` or `Float`.
public struct ParsedExample: Sendable, Equatable {
    /// One parsed feature.
    public enum Value: Sendable, Equatable {
        /// A fixed-length string feature.
        case strings(TypedTensor<[UInt8]>)
        /// A fixed-length int64 feature.
        case int64s(TypedTensor<Int64>)
        /// A fixed-length float32 feature.
        case floats(TypedTensor<Float>)
        /// A variable-length string feature.
        case sparseStrings(SparseTensor<[UInt8]>)
        /// A variable-length int64 feature.
        case sparseInt64s(SparseTensor<Int64>)
        /// A variable-length float32 feature.
        case sparseFloats(SparseTensor<Float>)
    }

    /// The parsed features by name.
    public let values: [String: Value]

    /// The dense tensor of fixed-length feature `key`, with elements of `type` (`[UInt8].self` for
    /// strings, `Int64.self`, `Float.self`).
    /// - Throws: ``ExampleError/notParsed(key:reason:)`` when `key` was not described, is variable-length,
    ///   or has another element type.
    public func dense<Scalar: TensorScalar>(_ key: String, as type: Scalar.Type) throws(ExampleError) -> TypedTensor<Scalar> {
        let found: Any
        switch values[key] {
        case .strings(let tensor): found = tensor
        case .int64s(let tensor): found = tensor
        case .floats(let tensor): found = tensor
        case .some: throw .notParsed(key: key, reason: "is variable-length: read it with sparse(_:as:)")
        case nil: throw .notParsed(key: key, reason: "was not in the feature description")
        }
        guard let tensor = found as? TypedTensor<Scalar> else {
            throw .notParsed(key: key, reason: "does not hold \(Scalar.dtype) values")
        }
        return tensor
    }

    /// The sparse tensor of variable-length feature `key`, with elements of `type`.
    /// - Throws: ``ExampleError/notParsed(key:reason:)`` when `key` was not described, is fixed-length,
    ///   or has another element type.
    public func sparse<Scalar: TensorScalar>(_ key: String, as type: Scalar.Type) throws(ExampleError) -> SparseTensor<Scalar> {
        let found: Any
        switch values[key] {
        case .sparseStrings(let tensor): found = tensor
        case .sparseInt64s(let tensor): found = tensor
        case .sparseFloats(let tensor): found = tensor
        case .some: throw .notParsed(key: key, reason: "is fixed-length: read it with dense(_:as:)")
        case nil: throw .notParsed(key: key, reason: "was not in the feature description")
        }
        guard let tensor = found as? SparseTensor<Scalar> else {
            throw .notParsed(key: key, reason: "does not hold \(Scalar.dtype) values")
        }
        return tensor
    }
}
