#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Softmax and log-softmax along one axis, stable for large inputs, with fused backward passes.
///
/// Both subtract each slice's maximum before exponentiating, so `[1000, 1001, 1002]` gives the same
/// result as `[0, 1, 2]`. Their backward passes are single recorded ops (one sweep over memory for
/// the first derivative) whose own gradients are written with tensor ops, so nested tapes give second
/// and higher derivatives.
extension Tensor {
    /// `exp(x - max) / sum(exp(x - max))` along `axis` (default: the last). Traps on an axis out of
    /// range. Differentiable: the gradient is `y * (g - sum(g * y))` along the axis.
    public func softmax(alongAxis axis: Int = -1) -> Tensor {
        softmax(alongAxis: axis, log: false, op: "softmax(alongAxis:)")
    }

    /// `x - logSumExp(x)` along `axis` (default: the last): the log of ``softmax(alongAxis:)`` without
    /// its underflow to `log(0)`. Traps on an axis out of range. Differentiable: the gradient is
    /// `g - softmax * sum(g)` along the axis.
    public func logSoftmax(alongAxis axis: Int = -1) -> Tensor {
        softmax(alongAxis: axis, log: true, op: "logSoftmax(alongAxis:)")
    }

    /// Softmax, or log-softmax when `log` is true, recorded with its fused backward pass. Traps,
    /// naming `op`, on an axis out of range.
    private func softmax(alongAxis axis: Int, log: Bool, op: String) -> Tensor {
        let layout = ReductionLayout(shape: shape, axes: [axis], keepDims: true, op: op)
        let result = withUnsafeBufferPointer { p in
            Tensor.make(shape: shape, count: p.count) { out in
                SoftmaxKernels.softmax(p, layout.outer, layout.length, layout.inner, log: log, into: out)
            }
        }
        if Tensor.isRecording {
            let normalized = layout.axes[0]
            result.record(inputs: [self]) { upstream, _ in
                [log
                    ? Tensor.logSoftmaxBackward(upstream: upstream, output: result, axis: normalized)
                    : Tensor.softmaxBackward(upstream: upstream, output: result, axis: normalized)]
            }
        }
        return result
    }

    /// Softmax's backward pass in one sweep: `y * (g - sum(g * y))` along `axis` (normalized), for
    /// upstream `g` and softmax output `y`. Recorded with both as inputs: bilinear, with gradients
    /// `softmaxBackward(G, y)` for `g` and `G * (g - sum(g y)) - g * sum(G y)` for `y`.
    static func softmaxBackward(upstream g: Tensor, output y: Tensor, axis: Int) -> Tensor {
        let result = backwardKernel(g, y, axis: axis, op: "softmax (backward)", SoftmaxKernels.softmaxBackward)
        if isRecording {
            result.record(inputs: [g, y]) { upstream, needed in
                [needed[0] ? softmaxBackward(upstream: upstream, output: y, axis: axis) : nil,
                 needed[1]
                    ? upstream * (g - (g * y).sum(alongAxis: axis, keepDims: true))
                        - g * (upstream * y).sum(alongAxis: axis, keepDims: true)
                    : nil]
            }
        }
        return result
    }

    /// Log-softmax's backward pass in one sweep: `g - exp(z) * sum(g)` along `axis` (normalized), for
    /// upstream `g` and log-softmax output `z`. Recorded with both as inputs; its gradients are
    /// `G - sum(G * exp(z))` for `g` and `-G * exp(z) * sum(g)` for `z`.
    static func logSoftmaxBackward(upstream g: Tensor, output z: Tensor, axis: Int) -> Tensor {
        let result = backwardKernel(g, z, axis: axis, op: "logSoftmax (backward)", SoftmaxKernels.logSoftmaxBackward)
        if isRecording {
            result.record(inputs: [g, z]) { upstream, needed in
                let y = z.reductionExp()
                return [needed[0] ? upstream - (upstream * y).sum(alongAxis: axis, keepDims: true) : nil,
                        needed[1] ? -(upstream * y * g.sum(alongAxis: axis, keepDims: true)) : nil]
            }
        }
        return result
    }

    /// Runs a backward `kernel` over upstream `g` and the forward output, unrecorded. Traps, naming
    /// `op`, when their shapes differ.
    private static func backwardKernel(
        _ g: Tensor, _ output: Tensor, axis: Int, op: String,
        _ kernel: (UnsafeBufferPointer<Float>, UnsafeBufferPointer<Float>, Int, Int, Int, UnsafeMutableBufferPointer<Float>)
            -> Void
    ) -> Tensor {
        guard g.shape == output.shape else { trap(.incompatibleShapes(op: op, lhs: g.shape, rhs: output.shape)) }
        let layout = ReductionLayout(shape: output.shape, axes: [axis], keepDims: true, op: op)
        return g.withUnsafeBufferPointer { pg in
            output.withUnsafeBufferPointer { po in
                Tensor.make(shape: output.shape, count: po.count) { out in
                    kernel(pg, po, layout.outer, layout.length, layout.inner, out)
                }
            }
        }
    }
}

/// Softmax loops over `[outer, length, inner]` buffers; the axis is `length`.
enum SoftmaxKernels {
    /// Softmax (or log-softmax) of every slice. The maximum is replaced by 0 when it is not finite, so
    /// a slice of `-inf` gives NaN (0/0) like NumPy instead of reading `-inf - -inf`.
    static func softmax(
        _ p: UnsafeBufferPointer<Float>, _ outer: Int, _ length: Int, _ inner: Int, log: Bool,
        into out: UnsafeMutableBufferPointer<Float>
    ) {
        guard length > 0 else { return }
        if inner == 1 {
            for o in 0..<outer {
                let base = o * length, end = base + length
                var m = p[base]
                for i in (base + 1)..<end where p[i] > m { m = p[i] }
                if !m.isFinite { m = 0 }
                var s: Float = 0
                if log {
                    for i in base..<end { s += expf(p[i] - m) }
                    // (x - m) - log(s) rather than x - (m + log(s)): x - m is exact for nearby values,
                    // so large inputs lose no precision to the rounding of m + log(s).
                    let logSum = logf(s)
                    for i in base..<end { out[i] = (p[i] - m) - logSum }
                } else {
                    for i in base..<end {
                        let e = expf(p[i] - m)
                        out[i] = e
                        s += e
                    }
                    let scale = 1 / s
                    for i in base..<end { out[i] *= scale }
                }
            }
            return
        }
        let maxima = UnsafeMutableBufferPointer<Float>.allocate(capacity: inner)
        let sums = UnsafeMutableBufferPointer<Float>.allocate(capacity: inner)
        defer { maxima.deallocate(); sums.deallocate() }
        for o in 0..<outer {
            let base = o * length * inner
            for j in 0..<inner { maxima[j] = p[base + j] }
            for row in 1..<length {
                let rowBase = base + row * inner
                for j in 0..<inner where p[rowBase + j] > maxima[j] { maxima[j] = p[rowBase + j] }
            }
            for j in 0..<inner where !maxima[j].isFinite { maxima[j] = 0 }
            sums.initialize(repeating: 0)
            for row in 0..<length {
                let rowBase = base + row * inner
                for j in 0..<inner {
                    let e = expf(p[rowBase + j] - maxima[j])
                    if !log { out[rowBase + j] = e }
                    sums[j] += e
                }
            }
            if log {
                for j in 0..<inner { sums[j] = logf(sums[j]) }
                for row in 0..<length {
                    let rowBase = base + row * inner
                    for j in 0..<inner { out[rowBase + j] = (p[rowBase + j] - maxima[j]) - sums[j] }
                }
            } else {
                for j in 0..<inner { sums[j] = 1 / sums[j] }
                for row in 0..<length {
                    let rowBase = base + row * inner
                    for j in 0..<inner { out[rowBase + j] *= sums[j] }
                }
            }
        }
    }

    /// `y * (g - sum(g * y))` per slice.
    static func softmaxBackward(
        _ g: UnsafeBufferPointer<Float>, _ y: UnsafeBufferPointer<Float>, _ outer: Int, _ length: Int, _ inner: Int,
        into out: UnsafeMutableBufferPointer<Float>
    ) {
        reduceThenMap(g, y, outer, length, inner, into: out, term: { g, y in g * y }, combine: { g, y, dot in y * (g - dot) })
    }

    /// `g - exp(z) * sum(g)` per slice.
    static func logSoftmaxBackward(
        _ g: UnsafeBufferPointer<Float>, _ z: UnsafeBufferPointer<Float>, _ outer: Int, _ length: Int, _ inner: Int,
        into out: UnsafeMutableBufferPointer<Float>
    ) {
        reduceThenMap(g, z, outer, length, inner, into: out, term: { g, _ in g }, combine: { g, z, total in g - expf(z) * total })
    }

    /// The loop both backward passes are: per slice, `reduced = sum(term(g, x))` along the axis, then
    /// `out = combine(g, x, reduced)` for each element. Always inlined, so the closures compile into
    /// the loops.
    @inline(__always)
    private static func reduceThenMap(
        _ g: UnsafeBufferPointer<Float>, _ x: UnsafeBufferPointer<Float>, _ outer: Int, _ length: Int, _ inner: Int,
        into out: UnsafeMutableBufferPointer<Float>,
        term: (_ g: Float, _ x: Float) -> Float, combine: (_ g: Float, _ x: Float, _ reduced: Float) -> Float
    ) {
        if inner == 1 {
            for o in 0..<outer {
                let base = o * length, end = base + length
                var reduced: Float = 0
                for i in base..<end { reduced += term(g[i], x[i]) }
                for i in base..<end { out[i] = combine(g[i], x[i], reduced) }
            }
            return
        }
        let reduced = UnsafeMutableBufferPointer<Float>.allocate(capacity: inner)
        defer { reduced.deallocate() }
        for o in 0..<outer {
            let base = o * length * inner
            reduced.initialize(repeating: 0)
            for row in 0..<length {
                let rowBase = base + row * inner
                for j in 0..<inner { reduced[j] += term(g[rowBase + j], x[rowBase + j]) }
            }
            for row in 0..<length {
                let rowBase = base + row * inner
                for j in 0..<inner { out[rowBase + j] = combine(g[rowBase + j], x[rowBase + j], reduced[j]) }
            }
        }
    }
}
