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
        let layout = ReductionLayout(shape: shape, axes: [axis], keepDims: true, op: "softmax(alongAxis:)")
        let result = withUnsafeBufferPointer { p in
            Tensor.make(shape: shape, count: p.count) { out in
                SoftmaxKernels.softmax(p, layout.outer, layout.length, layout.inner, log: false, into: out)
            }
        }
        if Tensor.isRecording {
            let normalized = layout.axes[0]
            result.record(inputs: [self]) { upstream, _ in
                [Tensor.softmaxBackward(upstream: upstream, output: result, axis: normalized)]
            }
        }
        return result
    }

    /// `x - logSumExp(x)` along `axis` (default: the last): the log of ``softmax(alongAxis:)`` without
    /// its underflow to `log(0)`. Traps on an axis out of range. Differentiable: the gradient is
    /// `g - softmax * sum(g)` along the axis.
    public func logSoftmax(alongAxis axis: Int = -1) -> Tensor {
        let layout = ReductionLayout(shape: shape, axes: [axis], keepDims: true, op: "logSoftmax(alongAxis:)")
        let result = withUnsafeBufferPointer { p in
            Tensor.make(shape: shape, count: p.count) { out in
                SoftmaxKernels.softmax(p, layout.outer, layout.length, layout.inner, log: true, into: out)
            }
        }
        if Tensor.isRecording {
            let normalized = layout.axes[0]
            result.record(inputs: [self]) { upstream, _ in
                [Tensor.logSoftmaxBackward(upstream: upstream, output: result, axis: normalized)]
            }
        }
        return result
    }

    /// Softmax's backward pass in one sweep: `y * (g - sum(g * y))` along `axis` (normalized), for
    /// upstream `g` and softmax output `y`. Recorded with both as inputs: bilinear, with gradients
    /// `softmaxBackward(G, y)` for `g` and `G * (g - sum(g y)) - g * sum(G y)` for `y`.
    static func softmaxBackward(upstream g: Tensor, output y: Tensor, axis: Int) -> Tensor {
        guard g.shape == y.shape else {
            trap(.incompatibleShapes(op: "softmax (backward)", lhs: g.shape, rhs: y.shape))
        }
        let layout = ReductionLayout(shape: y.shape, axes: [axis], keepDims: true, op: "softmax (backward)")
        let result = g.withUnsafeBufferPointer { pg in
            y.withUnsafeBufferPointer { py in
                Tensor.make(shape: y.shape, count: py.count) { out in
                    SoftmaxKernels.softmaxBackward(pg, py, layout.outer, layout.length, layout.inner, into: out)
                }
            }
        }
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
        guard g.shape == z.shape else {
            trap(.incompatibleShapes(op: "logSoftmax (backward)", lhs: g.shape, rhs: z.shape))
        }
        let layout = ReductionLayout(shape: z.shape, axes: [axis], keepDims: true, op: "logSoftmax (backward)")
        let result = g.withUnsafeBufferPointer { pg in
            z.withUnsafeBufferPointer { pz in
                Tensor.make(shape: z.shape, count: pz.count) { out in
                    SoftmaxKernels.logSoftmaxBackward(pg, pz, layout.outer, layout.length, layout.inner, into: out)
                }
            }
        }
        if isRecording {
            result.record(inputs: [g, z]) { upstream, needed in
                let y = z.reductionExp()
                return [needed[0] ? upstream - (upstream * y).sum(alongAxis: axis, keepDims: true) : nil,
                        needed[1] ? -(upstream * y * g.sum(alongAxis: axis, keepDims: true)) : nil]
            }
        }
        return result
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
        if inner == 1 {
            for o in 0..<outer {
                let base = o * length, end = base + length
                var dot: Float = 0
                for i in base..<end { dot += g[i] * y[i] }
                for i in base..<end { out[i] = y[i] * (g[i] - dot) }
            }
            return
        }
        let dots = UnsafeMutableBufferPointer<Float>.allocate(capacity: inner)
        defer { dots.deallocate() }
        for o in 0..<outer {
            let base = o * length * inner
            dots.initialize(repeating: 0)
            for row in 0..<length {
                let rowBase = base + row * inner
                for j in 0..<inner { dots[j] += g[rowBase + j] * y[rowBase + j] }
            }
            for row in 0..<length {
                let rowBase = base + row * inner
                for j in 0..<inner { out[rowBase + j] = y[rowBase + j] * (g[rowBase + j] - dots[j]) }
            }
        }
    }

    /// `g - exp(z) * sum(g)` per slice.
    static func logSoftmaxBackward(
        _ g: UnsafeBufferPointer<Float>, _ z: UnsafeBufferPointer<Float>, _ outer: Int, _ length: Int, _ inner: Int,
        into out: UnsafeMutableBufferPointer<Float>
    ) {
        if inner == 1 {
            for o in 0..<outer {
                let base = o * length, end = base + length
                var total: Float = 0
                for i in base..<end { total += g[i] }
                for i in base..<end { out[i] = g[i] - expf(z[i]) * total }
            }
            return
        }
        let totals = UnsafeMutableBufferPointer<Float>.allocate(capacity: inner)
        defer { totals.deallocate() }
        for o in 0..<outer {
            let base = o * length * inner
            totals.initialize(repeating: 0)
            for row in 0..<length {
                let rowBase = base + row * inner
                for j in 0..<inner { totals[j] += g[rowBase + j] }
            }
            for row in 0..<length {
                let rowBase = base + row * inner
                for j in 0..<inner { out[rowBase + j] = g[rowBase + j] - expf(z[rowBase + j]) * totals[j] }
            }
        }
    }
}
