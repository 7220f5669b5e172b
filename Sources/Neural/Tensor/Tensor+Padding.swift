/// Growing a tensor: `tiled(multiples:)` repeats it, `padded(with:value:)` surrounds it with a
/// constant (the borders convolutions need). Both are copies through strided views.
extension Tensor {
    /// The shape of a tensor of `shape` tiled `multiples` times.
    ///
    /// - Throws: ``TensorError/invalidArgument(op:message:)`` naming the multiples and the shape when
    ///   there is not one multiple per axis or a multiple is negative.
    public static func validatedTiling(of shape: [Int], multiples: [Int]) throws(TensorError) -> [Int] {
        guard multiples.count == shape.count, multiples.allSatisfy({ $0 >= 0 }) else {
            throw .invalidArgument(
                op: "tiled(multiples:)",
                message: "multiples \(multiples) must be one non-negative count per axis of shape \(shape)")
        }
        return zip(shape, multiples).map { $0 * $1 }
    }

    /// The tensor repeated `multiples[i]` times along each axis `i` (TensorFlow's `tile`, NumPy's
    /// `tile` with one count per axis). Traps on a wrong number of multiples or a negative one; see
    /// ``validatedTiling(of:multiples:)``. Differentiable: the gradient sums the upstream's tiles.
    public func tiled(multiples: [Int]) -> Tensor {
        let outShape: [Int]
        do { outShape = try Tensor.validatedTiling(of: shape, multiples: multiples) } catch { trap(error) }
        // Seen as [m0, s0, m1, s1, ...], the result reads the input with stride 0 on every m axis.
        let strides = StridedView.rowMajorStrides(shape)
        var interleavedShape: [Int] = [], interleavedStrides: [Int] = [], summedShape: [Int] = []
        for axis in 0..<rank {
            interleavedShape += [multiples[axis], shape[axis]]
            interleavedStrides += [0, strides[axis]]
            summedShape += [1, shape[axis]]
        }
        let view = StridedView(offset: 0, shape: interleavedShape, strides: interleavedStrides)
        let result = withUnsafeBufferPointer { source in
            Tensor.make(shape: outShape, count: view.count) { out in
                guard let s = source.baseAddress, let o = out.baseAddress else { return }
                view.copyOut(from: s, to: o)
            }
        }
        if Tensor.isRecording {
            let sourceShape = shape
            result.record(inputs: [self]) { upstream, _ in
                [upstream.reshapedRecorded(interleavedShape).sum(toShape: summedShape).reshapedRecorded(sourceShape)]
            }
        }
        return result
    }

    /// The shape of a tensor of `shape` padded with `paddings`.
    ///
    /// - Throws: ``TensorError/invalidArgument(op:message:)`` naming the paddings and the shape when
    ///   there is not one pair per axis or an amount is negative.
    public static func validatedPadding(
        of shape: [Int], paddings: [(before: Int, after: Int)]
    ) throws(TensorError) -> [Int] {
        guard paddings.count == shape.count, paddings.allSatisfy({ $0.before >= 0 && $0.after >= 0 }) else {
            let pairs = paddings.map { "(\($0.before), \($0.after))" }.joined(separator: ", ")
            throw .invalidArgument(
                op: "padded(with:value:)",
                message: "paddings [\(pairs)] must be one non-negative (before, after) pair per axis of shape \(shape)")
        }
        return zip(shape, paddings).map { $0 + $1.before + $1.after }
    }

    /// The tensor with `paddings[i].before` elements of `value` added before axis `i` and
    /// `paddings[i].after` after it (TensorFlow's `pad` in constant mode, NumPy's `pad` with
    /// `constant_values`). Traps on a wrong number of pairs or a negative amount; see
    /// ``validatedPadding(of:paddings:)``. Differentiable in the tensor: the gradient is the upstream's
    /// interior.
    public func padded(with paddings: [(before: Int, after: Int)], value: Float = 0) -> Tensor {
        let outShape: [Int]
        do { outShape = try Tensor.validatedPadding(of: shape, paddings: paddings) } catch { trap(error) }
        let strides = StridedView.rowMajorStrides(outShape)
        let offset = zip(paddings, strides).reduce(0) { $0 + $1.0.before * $1.1 }
        return embedding(into: outShape, at: StridedView(offset: offset, shape: shape, strides: strides), filling: value)
    }
}
