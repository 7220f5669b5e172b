/// Writing into a variable at listed positions: TensorFlow's `scatter_nd_update` and `scatter_update`.
///
/// Positions are checked as TensorFlow checks them: each must lie inside the variable's shape
/// (negative positions are rejected, not counted from the end). Unlike TensorFlow, where repeated
/// positions make the result depend on the order of the writes, a position given twice is an error.
/// Like ``Variable/assignSub(_:)`` the writes are in place when the value's storage is not shared,
/// give the value a fresh ``TensorID`` and are never recorded on a tape. Everything is checked before
/// anything is written: a call that throws leaves the variable as it was.
///
/// ```swift
/// // v = [[2, 42, 0], [8, 10, 1]]
/// try v.scatterNDUpdate(indices: [[0, 0], [1, 2]], updates: Tensor([100, 200]))
/// // v = [[100, 42, 0], [8, 10, 200]]
/// try v.scatterUpdate(rows: [1], updates: Tensor([[7, 8, 9]]))
/// // v = [[100, 42, 0], [7, 8, 9]]
/// ```
extension Variable {
    /// Writes slice `i` of `updates` at position `indices[i]`, as TensorFlow's
    /// `v.scatter_nd_update(indices, updates)`. Every index has the same length `k` (at most the
    /// variable's rank) and names the first `k` coordinates of an element (`k` = rank) or of a
    /// slice (`k` < rank); `updates` has shape `[indices.count] + shape[k...]`. With no indices,
    /// `updates` must have no elements and nothing is written.
    ///
    /// - Throws: ``TensorError/invalidArgument(op:message:)`` for indices of different lengths, an index
    ///   longer than the rank, a coordinate outside the shape, or a position given twice;
    ///   ``TensorError/incompatibleShapes(op:lhs:rhs:)`` (the expected shape, then `updates`') when
    ///   `updates` has another shape. The variable is unchanged when it throws.
    public func scatterNDUpdate(indices: [[Int]], updates: Tensor) throws(TensorError) {
        let op = "Variable.scatterNDUpdate(indices:updates:)"
        let shape = storedValue.shape
        guard let depth = indices.first?.count else {
            guard updates.scalarCount == 0 else {
                throw .invalidArgument(
                    op: op, message: "no indices but updates of shape \(updates.shape) (they must have no elements)")
            }
            return
        }
        guard depth <= shape.count else {
            throw .invalidArgument(
                op: op, message: "index \(indices[0]) has \(depth) coordinates for a variable of shape \(shape)")
        }
        let strides = StridedView.rowMajorStrides(shape)
        var offsets = [Int](repeating: 0, count: indices.count)
        for (position, index) in indices.enumerated() {
            guard index.count == depth else {
                throw .invalidArgument(
                    op: op, message: "indices[\(position)] = \(index) has \(index.count) coordinates but "
                        + "indices[0] has \(depth); all indices must have the same length")
            }
            var offset = 0
            for (axis, coordinate) in index.enumerated() {
                guard coordinate >= 0 && coordinate < shape[axis] else {
                    throw .invalidArgument(
                        op: op, message: "indices[\(position)] = \(index) does not index into shape \(shape)")
                }
                offset += coordinate * strides[axis]
            }
            offsets[position] = offset
        }
        let expected = [indices.count] + shape[depth...]
        guard updates.shape == expected else {
            throw .incompatibleShapes(
                op: op + " (updates must have shape [indices.count] + the variable's shape after the "
                    + "\(depth) indexed axes)",
                lhs: expected, rhs: updates.shape)
        }
        try Variable.checkDistinct(offsets, op: op) { "indices[\($0)] = \(indices[$0])" }
        write(updates, blockSize: shape[depth...].reduce(1, *), at: offsets)
    }

    /// Replaces the rows (slices along the first axis) at `rows` with the slices of `updates`, as
    /// TensorFlow's `tf.compat.v1.scatter_update(v, rows, updates)` (in TensorFlow 2,
    /// `v.scatter_update(tf.IndexedSlices(updates, rows))`). `updates` has shape
    /// `[rows.count] + shape[1...]`.
    ///
    /// - Throws: ``TensorError/invalidArgument(op:message:)`` for a rank-0 variable, a row outside
    ///   `0..<shape[0]` or a row given twice; ``TensorError/incompatibleShapes(op:lhs:rhs:)`` (the
    ///   expected shape, then `updates`') when `updates` has another shape. The variable is unchanged
    ///   when it throws.
    public func scatterUpdate(rows: [Int], updates: Tensor) throws(TensorError) {
        let op = "Variable.scatterUpdate(rows:updates:)"
        let shape = storedValue.shape
        guard let extent = shape.first else {
            throw .invalidArgument(op: op, message: "a rank-0 variable has no rows")
        }
        let rowSize = shape.dropFirst().reduce(1, *)
        var offsets = [Int](repeating: 0, count: rows.count)
        for (position, row) in rows.enumerated() {
            guard row >= 0 && row < extent else {
                throw .invalidArgument(op: op, message: "rows[\(position)] = \(row) is not in 0..<\(extent)")
            }
            offsets[position] = row * rowSize
        }
        let expected = [rows.count] + shape.dropFirst()
        guard updates.shape == expected else {
            throw .incompatibleShapes(
                op: op + " (updates must have shape [rows.count] + the variable's shape without its first axis)",
                lhs: expected, rhs: updates.shape)
        }
        try Variable.checkDistinct(offsets, op: op) { "rows[\($0)] = \(rows[$0])" }
        write(updates, blockSize: rowSize, at: offsets)
    }

    /// Throws when two offsets are equal, naming both entries with `describe(position)`.
    private static func checkDistinct(
        _ offsets: [Int], op: String, describe: (Int) -> String
    ) throws(TensorError) {
        var firstPosition: [Int: Int] = [:]
        firstPosition.reserveCapacity(offsets.count)
        for (position, offset) in offsets.enumerated() {
            if let earlier = firstPosition.updateValue(position, forKey: offset) {
                throw .invalidArgument(
                    op: op, message: "\(describe(position)) repeats \(describe(earlier)); "
                        + "each position may be written once")
            }
        }
    }

    /// Copies block `i` of `updates` (`blockSize` contiguous elements) to `offsets[i]` of the value,
    /// in place. The caller has checked the shapes and the offsets.
    private func write(_ updates: Tensor, blockSize: Int, at offsets: [Int]) {
        updates.withUnsafeBufferPointer { source in
            storedValue.withUnsafeMutableBufferPointer { target in
                guard let s = source.baseAddress, let t = target.baseAddress, blockSize > 0 else { return }
                var from = s
                for offset in offsets {
                    (t + offset).update(from: from, count: blockSize)
                    from += blockSize
                }
            }
        }
    }
}
