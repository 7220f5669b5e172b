/// A list of rows of different lengths (tf.RaggedTensor with one ragged dimension): the rows' elements
/// end to end in `values`, and `rowSplits` where each row starts and ends (row `i` is
/// `values[rowSplits[i]..<rowSplits[i + 1]]`).
///
/// ```swift
/// let r = RaggedTensor<Int32>([[65, 66], [], [67]])      // tf.ragged.constant([[65, 66], [], [67]])
/// r.rowLengths                                            // [2, 0, 1]
/// r.toDense(defaultValue: 0)                              // [[65, 66], [0, 0], [67, 0]]
/// ```
///
/// For most code a Swift `[[Scalar]]` does the same job; this type adds TensorFlow's operations.
public struct RaggedTensor<Scalar: TensorScalar>: Sendable, Equatable {
    /// Every row's elements, one row after the other.
    public let values: [Scalar]
    /// `rowCount + 1` offsets into `values`, from 0 to `values.count`, never decreasing.
    public let rowSplits: [Int]

    /// A ragged tensor of `rows`.
    public init(_ rows: [[Scalar]]) {
        values = rows.flatMap { $0 }
        var splits = [0]
        for row in rows { splits.append(splits[splits.count - 1] + row.count) }
        rowSplits = splits
    }

    /// A ragged tensor from its flat values and row splits (tf.RaggedTensor.from_row_splits).
    /// - Throws: ``TensorError/invalidArgument(op:message:)`` unless `rowSplits` starts at 0, never
    ///   decreases and ends at `values.count`.
    public init(values: [Scalar], rowSplits: [Int]) throws(TensorError) {
        guard rowSplits.first == 0, rowSplits.last == values.count, zip(rowSplits, rowSplits.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw .invalidArgument(op: "RaggedTensor(values:rowSplits:)",
                                   message: "row splits \(rowSplits) must start at 0, never decrease and end at the \(values.count) values")
        }
        self.values = values
        self.rowSplits = rowSplits
    }

    /// The number of rows.
    public var rowCount: Int { rowSplits.count - 1 }

    /// Each row's length.
    public var rowLengths: [Int] { zip(rowSplits, rowSplits.dropFirst()).map { $1 - $0 } }

    /// The rows as Swift arrays.
    public var rows: [[Scalar]] { (0..<rowCount).map { self[$0] } }

    /// Row `row` (`r[1]`); traps outside `0..<rowCount`, as an array does.
    public subscript(row: Int) -> [Scalar] { Array(values[rowSplits[row]..<rowSplits[row + 1]]) }

    /// Rows `range` as a ragged tensor (`r[1:3]`); traps outside `0...rowCount`.
    public subscript(rows range: Range<Int>) -> RaggedTensor { RaggedTensor(range.map { self[$0] }) }

    /// This tensor's rows followed by `other`'s (tf.concat(axis=0)).
    public func appendingRows(of other: RaggedTensor) -> RaggedTensor { RaggedTensor(rows + other.rows) }

    /// Each row of this tensor extended by the same row of `other` (tf.concat(axis=1)).
    /// - Throws: ``TensorError/invalidArgument(op:message:)`` when the row counts differ.
    public func appendingColumns(of other: RaggedTensor) throws(TensorError) -> RaggedTensor {
        guard rowCount == other.rowCount else {
            throw .invalidArgument(op: "RaggedTensor.appendingColumns", message: "\(rowCount) rows and \(other.rowCount) rows")
        }
        return RaggedTensor(zip(rows, other.rows).map { $0 + $1 })
    }

    /// A dense [rowCount, longest row] tensor, short rows padded with `defaultValue` (`to_tensor()`).
    public func toDense(defaultValue: Scalar) -> TypedTensor<Scalar> {
        let width = rowLengths.max() ?? 0
        let scalars = rows.flatMap { $0 + Array(repeating: defaultValue, count: width - $0.count) }
        return TypedTensor(uncheckedShape: [rowCount, width], scalars: scalars)
    }

    /// The stored elements as a sparse tensor of shape [rowCount, longest row] (`to_sparse()`).
    public func toSparse() -> SparseTensor<Scalar> {
        var indices = [[Int]]()
        for row in 0..<rowCount {
            for column in 0..<(rowSplits[row + 1] - rowSplits[row]) { indices.append([row, column]) }
        }
        return SparseTensor(uncheckedIndices: indices, values: values, denseShape: [rowCount, rowLengths.max() ?? 0])
    }
}
