/// tf.sets: each set is a vector on the last axis of an integer tensor (`[[1, 2], [3, 4]]` holds the sets
/// {1, 2} and {3, 4}). The results are sparse tensors whose rows hold each result set sorted, as
/// TensorFlow's are; `toDense(defaultValue:)` pads them. In plain Swift code, `Set` does the same job.
public enum TensorSets {
    /// The union of the sets of `a` and `b`, row by row (tf.sets.union).
    /// - Throws: ``TensorError/incompatibleShapes(op:lhs:rhs:)`` unless `a` and `b` have rank 1 or more and
    ///   the same shape but for the last axis.
    public static func union<S: TensorScalar & Hashable & Comparable>(_ a: TypedTensor<S>, _ b: TypedTensor<S>) throws(TensorError) -> SparseTensor<S> {
        try combine(a, b, op: "TensorSets.union") { $0.union($1) }
    }

    /// The elements of each set of `a` that are not in the same row of `b` (tf.sets.difference).
    /// - Throws: as ``union(_:_:)``.
    public static func difference<S: TensorScalar & Hashable & Comparable>(_ a: TypedTensor<S>, _ b: TypedTensor<S>) throws(TensorError) -> SparseTensor<S> {
        try combine(a, b, op: "TensorSets.difference") { $0.subtracting($1) }
    }

    /// The elements common to each row of `a` and `b` (tf.sets.intersection).
    /// - Throws: as ``union(_:_:)``.
    public static func intersection<S: TensorScalar & Hashable & Comparable>(_ a: TypedTensor<S>, _ b: TypedTensor<S>) throws(TensorError) -> SparseTensor<S> {
        try combine(a, b, op: "TensorSets.intersection") { $0.intersection($1) }
    }

    /// The number of distinct elements of each set (tf.sets.size), shaped as `a` without its last axis.
    /// - Throws: ``TensorError/invalidShape(op:shape:)`` for a scalar.
    public static func size<S: TensorScalar & Hashable>(_ a: TypedTensor<S>) throws(TensorError) -> TypedTensor<Int32> {
        guard let width = a.shape.last else { throw .invalidShape(op: "TensorSets.size", shape: a.shape) }
        let rows = width == 0 ? Array(repeating: [S](), count: a.shape.dropLast().reduce(1, *)) : chunks(a.scalars, width)
        return TypedTensor(uncheckedShape: Array(a.shape.dropLast()), scalars: rows.map { Int32(Set($0).count) })
    }

    private static func combine<S: TensorScalar & Hashable & Comparable>(
        _ a: TypedTensor<S>, _ b: TypedTensor<S>, op: String, _ operation: (Set<S>, Set<S>) -> Set<S>
    ) throws(TensorError) -> SparseTensor<S> {
        guard let widthA = a.shape.last, let widthB = b.shape.last, a.shape.dropLast() == b.shape.dropLast() else {
            throw .incompatibleShapes(op: op, lhs: a.shape, rhs: b.shape)
        }
        let leading = Array(a.shape.dropLast())
        let rowCount = leading.reduce(1, *)
        let rowsA = widthA == 0 ? Array(repeating: [S](), count: rowCount) : chunks(a.scalars, widthA)
        let rowsB = widthB == 0 ? Array(repeating: [S](), count: rowCount) : chunks(b.scalars, widthB)
        let results = zip(rowsA, rowsB).map { operation(Set($0), Set($1)).sorted() }
        var indices = [[Int]](), values = [S]()
        for (row, result) in results.enumerated() {
            var coordinates = [Int](repeating: 0, count: leading.count)
            var rest = row
            for axis in stride(from: leading.count - 1, through: 0, by: -1) {
                coordinates[axis] = rest % leading[axis]
                rest /= leading[axis]
            }
            for (column, value) in result.enumerated() {
                indices.append(coordinates + [column])
                values.append(value)
            }
        }
        return SparseTensor(uncheckedIndices: indices, values: values, denseShape: leading + [results.map(\.count).max() ?? 0])
    }

    private static func chunks<S>(_ scalars: [S], _ width: Int) -> [[S]] {
        stride(from: 0, to: scalars.count, by: width).map { Array(scalars[$0..<($0 + width)]) }
    }
}
