/// A tensor that stores only its non-default elements (tf.SparseTensor): the coordinates of each
/// stored element (`indices`, one row per element), their `values`, and the full `denseShape`.
///
/// ```swift
/// let s = try SparseTensor(indices: [[0, 1], [1, 0], [2, 3]], values: [Float(1), 2, 3], denseShape: [3, 4])
/// s.toDense(defaultValue: 0)   // [[0, 1, 0, 0], [2, 0, 0, 0], [0, 0, 0, 3]]
/// ```
///
/// It is what ``parseSingleExample(_:features:)`` gives for a ``FeatureSpec/varLen(_:)`` feature, and
/// what the set operations of ``TensorSets`` return; `toDense` is tf.sparse.to_dense.
public struct SparseTensor<Scalar: TensorScalar>: Sendable, Equatable {
    /// The coordinates of each stored element, each of `denseShape.count` numbers.
    public let indices: [[Int]]
    /// The stored elements, one per row of `indices`.
    public let values: [Scalar]
    /// The shape of the dense tensor this one stands for.
    public let denseShape: [Int]

    /// Creates a sparse tensor, checking that every index has one coordinate per dimension of
    /// `denseShape`, lies inside it and appears once, and that there is one value per index.
    /// - Throws: ``TensorError/invalidArgument(op:message:)`` naming the offending index, or
    ///   ``TensorError/invalidShape(op:shape:)`` for a negative dimension.
    public init(indices: [[Int]], values: [Scalar], denseShape: [Int]) throws(TensorError) {
        let op = "SparseTensor"
        guard denseShape.allSatisfy({ $0 >= 0 }) else { throw .invalidShape(op: op, shape: denseShape) }
        guard indices.count == values.count else {
            throw .invalidArgument(op: op, message: "\(indices.count) indices but \(values.count) values")
        }
        var seen = Set<[Int]>()
        for (position, index) in indices.enumerated() {
            guard index.count == denseShape.count else {
                throw .invalidArgument(op: op, message: "index \(position), \(index), has \(index.count) coordinates; dense shape \(denseShape) needs \(denseShape.count)")
            }
            guard zip(index, denseShape).allSatisfy({ $0 >= 0 && $0 < $1 }) else {
                throw .invalidArgument(op: op, message: "index \(position), \(index), is outside dense shape \(denseShape)")
            }
            guard seen.insert(index).inserted else {
                throw .invalidArgument(op: op, message: "index \(position), \(index), is repeated")
            }
        }
        self.indices = indices
        self.values = values
        self.denseShape = denseShape
    }

    init(uncheckedIndices indices: [[Int]], values: [Scalar], denseShape: [Int]) {
        self.indices = indices
        self.values = values
        self.denseShape = denseShape
    }

    /// The dense tensor: `defaultValue` everywhere but at `indices` (tf.sparse.to_dense).
    public func toDense(defaultValue: Scalar) -> TypedTensor<Scalar> {
        var scalars = [Scalar](repeating: defaultValue, count: denseShape.reduce(1, *))
        for (index, value) in zip(indices, values) {
            var flat = 0
            for (coordinate, extent) in zip(index, denseShape) { flat = flat * extent + coordinate }
            scalars[flat] = value
        }
        return TypedTensor(uncheckedShape: denseShape, scalars: scalars)
    }

    /// The same tensor with each stored value replaced by `transform(value)` (the default elements stay
    /// implicit: `s * 42` in TensorFlow multiplies the values only).
    public func mapValues<T: TensorScalar>(_ transform: (Scalar) throws -> T) rethrows -> SparseTensor<T> {
        SparseTensor<T>(uncheckedIndices: indices, values: try values.map(transform), denseShape: denseShape)
    }
}

extension SparseTensor where Scalar: ArithmeticScalar {
    /// Every stored value times `factor` (TensorFlow's `s * 42.0`; `s + 42.0` is refused there and has
    /// no operator here, since it would fill every default element).
    public static func * (lhs: SparseTensor, factor: Scalar) -> SparseTensor {
        lhs.mapValues { Scalar.tensorMultiply($0, factor) }
    }
}

extension SparseTensor where Scalar == Float {
    /// The product of this rank-2 sparse matrix and a dense one (tf.sparse.sparse_dense_matmul), touching
    /// only the stored elements.
    /// - Throws: ``TensorError/incompatibleShapes(op:lhs:rhs:)`` unless this is [m, k] and `dense` is [k, n].
    public func matmul(_ dense: Tensor) throws(TensorError) -> Tensor {
        guard denseShape.count == 2, dense.shape.count == 2, denseShape[1] == dense.shape[0] else {
            throw .incompatibleShapes(op: "SparseTensor.matmul", lhs: denseShape, rhs: dense.shape)
        }
        let n = dense.shape[1]
        let right = dense.scalars
        var result = [Float](repeating: 0, count: denseShape[0] * n)
        for (index, value) in zip(indices, values) {
            for column in 0..<n { result[index[0] * n + column] += value * right[index[1] * n + column] }
        }
        return Tensor(shape: [denseShape[0], n], scalars: result)
    }
}

extension Tensor {
    /// The float32 tensor of a `TypedTensor<Float>` (no conversion), e.g. of a sparse tensor's `toDense`.
    public init(_ typed: TypedTensor<Float>) { self.init(uncheckedShape: typed.shape, storage: typed.scalars) }
}
