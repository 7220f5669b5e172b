/// Permuting axes. The copy walks a strided view of the input; a swapped pair of axes (every matrix
/// transpose, batched or not) is copied in cache-sized tiles.
extension Tensor {
    /// `permutation` with negative axes normalized, after checking that it names every axis of a
    /// tensor of `rank` exactly once.
    ///
    /// - Throws: ``TensorError/invalidArgument(op:message:)`` naming the permutation and the rank when
    ///   its length differs from the rank, and ``TensorError/invalidAxis(op:axis:rank:)`` or
    ///   ``TensorError/invalidArgument(op:message:)`` for an axis out of range or repeated.
    public static func validatedPermutation(_ permutation: [Int], rank: Int) throws(TensorError) -> [Int] {
        let op = "transposed(permutation:)"
        guard permutation.count == rank else {
            throw .invalidArgument(
                op: op, message: "permutation \(permutation) has \(permutation.count) axes but the tensor has rank \(rank)")
        }
        var seen = [Bool](repeating: false, count: rank)
        var normalized: [Int] = []
        normalized.reserveCapacity(rank)
        for axis in permutation {
            let position = try normalizedAxis(axis, rank: rank, op: op)
            guard !seen[position] else {
                throw .invalidArgument(op: op, message: "permutation \(permutation) repeats axis \(axis)")
            }
            seen[position] = true
            normalized.append(position)
        }
        return normalized
    }

    /// The tensor with its axes reordered: axis `i` of the result is axis `permutation[i]` of this
    /// tensor (NumPy's `transpose(axes)`). Negative axes count from the end. Traps when `permutation` is
    /// not a permutation of the axes; see ``validatedPermutation(_:rank:)``. Differentiable: the
    /// gradient is the upstream transposed by the inverse permutation.
    public func transposed(permutation: [Int]) -> Tensor {
        let normalized: [Int]
        do { normalized = try Tensor.validatedPermutation(permutation, rank: rank) } catch { trap(error) }
        return transposedRecorded(normalized)
    }

    /// The tensor with its axes reordered; see ``transposed(permutation:)-([Int])``.
    public func transposed(permutation: Int...) -> Tensor { transposed(permutation: permutation) }

    /// The tensor with all of its axes reversed; for a matrix, the matrix transpose. Differentiable.
    public func transposed() -> Tensor { transposedRecorded(Array((0..<rank).reversed())) }

    private func transposedRecorded(_ permutation: [Int]) -> Tensor {
        let result = transposeKernel(permutation)
        if Tensor.isRecording {
            var inverse = [Int](repeating: 0, count: permutation.count)
            for (position, axis) in permutation.enumerated() { inverse[axis] = position }
            result.record(inputs: [self]) { upstream, _ in [upstream.transposedRecorded(inverse)] }
        }
        return result
    }

    private func transposeKernel(_ permutation: [Int]) -> Tensor {
        let newShape = permutation.map { shape[$0] }
        // Only unit axes move: same elements, same order.
        if permutation.filter({ shape[$0] != 1 }) == (0..<rank).filter({ shape[$0] != 1 }) {
            return reshapedUnrecorded(newShape)
        }
        let strides = StridedView.rowMajorStrides(shape)
        let view = StridedView(offset: 0, shape: newShape, strides: permutation.map { strides[$0] })
        return withUnsafeBufferPointer { source in
            Tensor.make(shape: newShape, count: source.count) { out in
                guard let s = source.baseAddress, let o = out.baseAddress else { return }
                view.copyOut(from: s, to: o)
            }
        }
    }
}
