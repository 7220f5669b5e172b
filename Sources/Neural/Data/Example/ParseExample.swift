/// Parses one serialized `tf.train.Example` by `features` (tf.io.parse_single_example): a fixed-length
/// feature becomes a dense tensor of its shape, a variable-length one a rank-1 ``SparseTensor``; features
/// of the example that are not described are ignored.
///
/// ```swift
/// try Dataset<[UInt8]>.records(paths: ["my_contacts.tfrecord"]).forEach { serializedExample in
///     let parsedExample = try parseSingleExample(serializedExample, features: featureDescription)
///     try parsedExample.sparse("emails", as: [UInt8].self).toDense(defaultValue: [])   // [b"a@b.com", b"c@d.com"]
/// }
/// ```
/// - Throws: ``ExampleError``: malformed bytes (with field and offset), a required feature missing, a
///   feature of another type or count than described, or an unusable description.
public func parseSingleExample(_ serialized: [UInt8], features: [String: FeatureSpec]) throws(ExampleError) -> ParsedExample {
    try parseSingleExample(Example(serialized: serialized), features: features)
}

/// Parses an ``Example`` by `features`, as ``parseSingleExample(_:features:)-([UInt8],_)`` does its bytes.
/// - Throws: as ``parseSingleExample(_:features:)-([UInt8],_)``, but for malformed bytes.
public func parseSingleExample(_ example: Example, features: [String: FeatureSpec]) throws(ExampleError) -> ParsedExample {
    let batch = try parseExamples([example], features: features)
    // Drop the batch axis.
    var values: [String: ParsedExample.Value] = [:]
    for (key, value) in batch.values {
        switch value {
        case .strings(let t): values[key] = .strings(TypedTensor(uncheckedShape: Array(t.shape.dropFirst()), scalars: t.scalars))
        case .int64s(let t): values[key] = .int64s(TypedTensor(uncheckedShape: Array(t.shape.dropFirst()), scalars: t.scalars))
        case .floats(let t): values[key] = .floats(TypedTensor(uncheckedShape: Array(t.shape.dropFirst()), scalars: t.scalars))
        case .sparseStrings(let s): values[key] = .sparseStrings(dropBatchAxis(s))
        case .sparseInt64s(let s): values[key] = .sparseInt64s(dropBatchAxis(s))
        case .sparseFloats(let s): values[key] = .sparseFloats(dropBatchAxis(s))
        }
    }
    return ParsedExample(values: values)
}

/// Parses a batch of serialized examples by `features` (tf.io.parse_example, as after `dataset.batch`):
/// a fixed-length feature of shape `s` becomes a dense tensor of shape `[batch] + s`; a variable-length
/// one a ``SparseTensor`` of shape `[batch, longest list]` with indices `[example, position]`.
/// - Throws: ``ExampleError/inBatch(index:underlying:)`` naming the first example that fails, or
///   ``ExampleError/invalidDescription(key:reason:)``.
public func parseExamples(_ serialized: [[UInt8]], features: [String: FeatureSpec]) throws(ExampleError) -> ParsedExample {
    var examples = [Example]()
    examples.reserveCapacity(serialized.count)
    for (index, bytes) in serialized.enumerated() {
        do {
            examples.append(try Example(serialized: bytes))
        } catch {
            throw .inBatch(index: index, underlying: error)
        }
    }
    return try parseExamples(examples, features: features)
}

/// Parses a batch of ``Example``s by `features`, as ``parseExamples(_:features:)-([[UInt8]],_)`` does their bytes.
/// - Throws: as ``parseExamples(_:features:)-([[UInt8]],_)``, but for malformed bytes.
public func parseExamples(_ examples: [Example], features: [String: FeatureSpec]) throws(ExampleError) -> ParsedExample {
    var values: [String: ParsedExample.Value] = [:]
    for (key, spec) in features {
        switch spec.dtype {
        case .string:
            values[key] = try parseFeature(key, spec, examples, as: [UInt8].self, extract: { if case .bytesList(let v) = $0 { v } else { nil } },
                                           dense: ParsedExample.Value.strings, sparse: ParsedExample.Value.sparseStrings)
        case .int64:
            values[key] = try parseFeature(key, spec, examples, as: Int64.self, extract: { if case .int64List(let v) = $0 { v } else { nil } },
                                           dense: ParsedExample.Value.int64s, sparse: ParsedExample.Value.sparseInt64s)
        case .float32:
            values[key] = try parseFeature(key, spec, examples, as: Float.self, extract: { if case .floatList(let v) = $0 { v } else { nil } },
                                           dense: ParsedExample.Value.floats, sparse: ParsedExample.Value.sparseFloats)
        default:
            throw .invalidDescription(key: key, reason: "examples hold only string, int64 and float32 features, not \(spec.dtype)")
        }
    }
    return ParsedExample(values: values)
}

private func parseFeature<Scalar: TensorScalar>(
    _ key: String, _ spec: FeatureSpec, _ examples: [Example], as type: Scalar.Type,
    extract: (Feature) -> [Scalar]?,
    dense: (TypedTensor<Scalar>) -> ParsedExample.Value,
    sparse: (SparseTensor<Scalar>) -> ParsedExample.Value
) throws(ExampleError) -> ParsedExample.Value {
    switch spec {
    case let .fixedLen(shape, dtype, defaultValue):
        guard shape.allSatisfy({ $0 >= 0 }) else { throw .invalidDescription(key: key, reason: "shape \(shape) has a negative dimension") }
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw .invalidDescription(key: key, reason: "shape \(shape) has too many elements") }
            count = product
        }
        var fallback: [Scalar]?
        if let defaultValue {
            guard let values = extract(defaultValue) else {
                throw .invalidDescription(key: key, reason: "the default value holds \(defaultValue.dtype) values, not \(dtype)")
            }
            if values.count == 1 {
                fallback = Array(repeating: values[0], count: count)
            } else if values.count == count {
                fallback = values
            } else {
                throw .invalidDescription(key: key, reason: "the default value has \(values.count) values; shape \(shape) needs 1 or \(count)")
            }
        }
        var scalars = [Scalar]()
        for (index, example) in examples.enumerated() {
            do throws(ExampleError) {
                guard let feature = example.features[key] else {
                    guard let fallback else { throw ExampleError.missingFeature(key: key) }
                    scalars += fallback
                    continue
                }
                guard let values = extract(feature) else { throw ExampleError.wrongType(key: key, expected: dtype, found: feature.dtype) }
                guard values.count == count else { throw ExampleError.wrongCount(key: key, shape: shape, expected: count, found: values.count) }
                scalars += values
            } catch {
                throw examples.count == 1 ? error : .inBatch(index: index, underlying: error)
            }
        }
        return dense(TypedTensor(uncheckedShape: [examples.count] + shape, scalars: scalars))
    case .varLen(let dtype):
        var indices = [[Int]](), scalars = [Scalar](), longest = 0
        for (index, example) in examples.enumerated() {
            guard let feature = example.features[key] else { continue }
            guard let values = extract(feature) else {
                let error = ExampleError.wrongType(key: key, expected: dtype, found: feature.dtype)
                throw examples.count == 1 ? error : .inBatch(index: index, underlying: error)
            }
            for position in values.indices { indices.append([index, position]) }
            scalars += values
            longest = max(longest, values.count)
        }
        return sparse(SparseTensor(uncheckedIndices: indices, values: scalars, denseShape: [examples.count, longest]))
    }
}

private func dropBatchAxis<Scalar>(_ s: SparseTensor<Scalar>) -> SparseTensor<Scalar> {
    SparseTensor(uncheckedIndices: s.indices.map { Array($0.dropFirst()) }, values: s.values, denseShape: Array(s.denseShape.dropFirst()))
}
