#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reductions along axes (`sum`, `mean`, `max`, `min`, `prod`, `argmax`, `variance`, `logSumExp`...)
/// with their gradients.
///
/// Axes follow TensorFlow: `alongAxes: nil` reduces every axis, an empty list reduces none (the
/// tensor comes back unchanged), negative axes count from the end, and `keepDims` keeps each reduced
/// axis as a dimension of size 1. Every kernel sees the input as `[outer, length, inner]` (the reduced
/// axes merged into `length`): along the last axes `inner` is 1 and each output is a contiguous row;
/// along the first axes `outer` is 1 and the inner loop runs over contiguous output columns. Reduced
/// axes that are not adjacent are first gathered into that layout (the general, strided path).
extension Tensor {
    // MARK: - Sum and mean

    /// The sum along `axes` (all of them when `nil`; none when empty). Traps on an axis out of range or
    /// repeated. Differentiable: the gradient is the upstream gradient broadcast back over the axes.
    public func sum(alongAxes axes: [Int]?, keepDims: Bool = false) -> Tensor {
        sumOrMean(axes, keepDims: keepDims, mean: false, op: "sum(alongAxes:keepDims:)")
    }

    /// The sum along one axis. Traps on an axis out of range. Differentiable.
    public func sum(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
        sumOrMean([axis], keepDims: keepDims, mean: false, op: "sum(alongAxis:keepDims:)")
    }

    /// The arithmetic mean along `axes` (all of them when `nil`; none when empty). An empty axis gives
    /// NaN, as in NumPy. Traps on an axis out of range or repeated. Differentiable.
    public func mean(alongAxes axes: [Int]?, keepDims: Bool = false) -> Tensor {
        sumOrMean(axes, keepDims: keepDims, mean: true, op: "mean(alongAxes:keepDims:)")
    }

    /// The mean along one axis. Traps on an axis out of range. Differentiable.
    public func mean(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
        sumOrMean([axis], keepDims: keepDims, mean: true, op: "mean(alongAxis:keepDims:)")
    }

    /// The mean of all elements, as a scalar tensor (NaN for an empty tensor). Differentiable.
    public func mean() -> Tensor {
        sumOrMean(nil, keepDims: false, mean: true, op: "mean()")
    }

    private func sumOrMean(_ axes: [Int]?, keepDims: Bool, mean: Bool, op: String) -> Tensor {
        let layout = ReductionLayout(shape: shape, axes: axes, keepDims: keepDims, op: op)
        if layout.axes.isEmpty { return self }
        let scale = mean ? 1 / Double(layout.length) : 1
        let result = layout.reduce(self) { source, out in
            ReductionKernels.sum(source, layout.outer, layout.length, layout.inner, scale: scale, into: out)
        }
        if Tensor.isRecording {
            let inputShape = shape, keptShape = layout.keptShape, factor = Float(scale)
            result.record(inputs: [self]) { upstream, _ in
                let kept = upstream.reductionReshaped(keptShape)
                return [(mean ? kept * factor : kept).broadcast(toShape: inputShape)]
            }
        }
        return result
    }

    // MARK: - Max and min

    /// The largest element along `axes` (all of them when `nil`; none when empty). NaN propagates.
    ///
    /// Traps on an axis out of range or repeated, and when a reduced axis is empty (there is no
    /// maximum of nothing). Differentiable: the gradient goes to the position of the maximum; when
    /// several elements tie for it, it is split evenly among them (TensorFlow's convention), so the
    /// gradient still sums to the upstream gradient.
    public func max(alongAxes axes: [Int]?, keepDims: Bool = false) -> Tensor {
        extreme(axes, keepDims: keepDims, largest: true, op: "max(alongAxes:keepDims:)")
    }

    /// The largest element along one axis; see ``max(alongAxes:keepDims:)``.
    public func max(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
        extreme([axis], keepDims: keepDims, largest: true, op: "max(alongAxis:keepDims:)")
    }

    /// The smallest element along `axes`; ties share the gradient evenly. See ``max(alongAxes:keepDims:)``.
    public func min(alongAxes axes: [Int]?, keepDims: Bool = false) -> Tensor {
        extreme(axes, keepDims: keepDims, largest: false, op: "min(alongAxes:keepDims:)")
    }

    /// The smallest element along one axis; see ``min(alongAxes:keepDims:)``.
    public func min(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
        extreme([axis], keepDims: keepDims, largest: false, op: "min(alongAxis:keepDims:)")
    }

    private func extreme(_ axes: [Int]?, keepDims: Bool, largest: Bool, op: String) -> Tensor {
        let layout = ReductionLayout(shape: shape, axes: axes, keepDims: keepDims, op: op)
        if layout.axes.isEmpty { return self }
        layout.trapIfEmptyAxis(op: op)
        let result = layout.reduce(self) { source, out in
            if largest {
                ReductionKernels.extreme(source, layout.outer, layout.length, layout.inner, into: out) { $0 > $1 }
            } else {
                ReductionKernels.extreme(source, layout.outer, layout.length, layout.inner, into: out) { $0 < $1 }
            }
        }
        if Tensor.isRecording {
            let input = self
            result.record(inputs: [self]) { upstream, _ in
                // Which elements hit the extreme, each weighted 1/(number of ties): a constant, since
                // the derivative of the selection itself is zero almost everywhere.
                let extremeKept = result.reshapedUnrecorded(layout.keptShape)
                let hits = Tensor.broadcastingKernel(input, extremeKept, op: op) { $0 == $1 ? 1 : 0 }
                let counts = layout.reduce(hits, keepDims: true) { source, out in
                    ReductionKernels.sum(source, layout.outer, layout.length, layout.inner, scale: 1, into: out)
                }
                let weights = Tensor.broadcastingKernel(hits, counts, op: op) { $0 / $1 }
                return [upstream.reductionReshaped(layout.keptShape) * weights]
            }
        }
        return result
    }

    // MARK: - Product

    /// The product along `axes` (all of them when `nil`; none when empty). Traps on an axis out of
    /// range or repeated. Differentiable: the gradient of each element is the product of the others
    /// in its slice, computed without division, so it is exact also when the input holds zeros. The
    /// second derivative (through the product of the others) divides by the input and is correct for
    /// inputs without zeros.
    public func prod(alongAxes axes: [Int]?, keepDims: Bool = false) -> Tensor {
        product(axes, keepDims: keepDims, op: "prod(alongAxes:keepDims:)")
    }

    /// The product along one axis; see ``prod(alongAxes:keepDims:)``.
    public func prod(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
        product([axis], keepDims: keepDims, op: "prod(alongAxis:keepDims:)")
    }

    private func product(_ axes: [Int]?, keepDims: Bool, op: String) -> Tensor {
        let layout = ReductionLayout(shape: shape, axes: axes, keepDims: keepDims, op: op)
        if layout.axes.isEmpty { return self }
        let result = layout.reduce(self) { source, out in
            ReductionKernels.product(source, layout.outer, layout.length, layout.inner, into: out)
        }
        if Tensor.isRecording {
            result.record(inputs: [self]) { upstream, _ in
                [upstream.reductionReshaped(layout.keptShape) * self.productOfOthers(layout)]
            }
        }
        return result
    }

    /// For each element, the product of the other elements of its slice along the layout's axes
    /// (prefix times suffix products, no division). Recorded; its own gradient divides by the input.
    private func productOfOthers(_ layout: ReductionLayout) -> Tensor {
        let result = layout.mapSlices(self) { source, out in
            ReductionKernels.productOfOthers(source, layout.outer, layout.length, layout.inner, into: out)
        }
        if Tensor.isRecording {
            let axes = layout.axes
            result.record(inputs: [self]) { upstream, _ in
                // d(others_i)/dx_j = others_i / x_j for j != i, and 0 for j == i.
                let weighted = upstream * result
                return [(weighted.sum(alongAxes: axes, keepDims: true) - weighted) / self]
            }
        }
        return result
    }

    // MARK: - Arg max and arg min

    /// The index of the largest element along `axis`, as a float tensor without that axis (the first
    /// index on ties; a NaN counts as the largest). Not differentiable: it is never recorded.
    /// Traps on an axis out of range or an empty axis.
    public func argmax(alongAxis axis: Int) -> Tensor {
        argExtreme(axis, largest: true, op: "argmax(alongAxis:)")
    }

    /// The index of the smallest element along `axis`; see ``argmax(alongAxis:)``.
    public func argmin(alongAxis axis: Int) -> Tensor {
        argExtreme(axis, largest: false, op: "argmin(alongAxis:)")
    }

    /// The indices of ``argmax(alongAxis:)`` as integers, in row-major order of the remaining axes
    /// (for a `[batch, classes]` tensor and axis `-1`, the predicted class of each example).
    public func argmaxIndices(alongAxis axis: Int) -> [Int] {
        argExtreme(axis, largest: true, op: "argmaxIndices(alongAxis:)").scalars.map { Int($0) }
    }

    /// The indices of ``argmin(alongAxis:)`` as integers, in row-major order of the remaining axes.
    public func argminIndices(alongAxis axis: Int) -> [Int] {
        argExtreme(axis, largest: false, op: "argminIndices(alongAxis:)").scalars.map { Int($0) }
    }

    private func argExtreme(_ axis: Int, largest: Bool, op: String) -> Tensor {
        let layout = ReductionLayout(shape: shape, axes: [axis], keepDims: false, op: op)
        layout.trapIfEmptyAxis(op: op)
        return layout.reduce(self) { source, out in
            if largest {
                ReductionKernels.argExtreme(source, layout.outer, layout.length, layout.inner, into: out) { $0 > $1 }
            } else {
                ReductionKernels.argExtreme(source, layout.outer, layout.length, layout.inner, into: out) { $0 < $1 }
            }
        }
    }

    // MARK: - Variance, standard deviation, moments

    /// The population variance (mean squared deviation from the mean, NumPy's `ddof=0`, TensorFlow's
    /// `reduce_variance`) along `axes` (all when `nil`; an empty list gives zeros). Computed in two
    /// passes for accuracy. Traps on an axis out of range or repeated. Differentiable (to any order).
    public func variance(alongAxes axes: [Int]?, keepDims: Bool = false) -> Tensor {
        moments(axes, keepDims: keepDims, op: "variance(alongAxes:keepDims:)").variance
    }

    /// The square root of ``variance(alongAxes:keepDims:)``. Differentiable; the gradient is infinite
    /// or NaN where the deviation is zero (constant slices), as in TensorFlow.
    public func standardDeviation(alongAxes axes: [Int]?, keepDims: Bool = false) -> Tensor {
        moments(axes, keepDims: keepDims, op: "standardDeviation(alongAxes:keepDims:)").variance
            .reductionSquareRoot()
    }

    /// The mean and the population variance along `axes` in one pass over the data for both
    /// (TensorFlow's `tf.nn.moments`); each result is differentiable. Traps on an axis out of range or
    /// repeated.
    public func moments(alongAxes axes: [Int]?, keepDims: Bool = false) -> (mean: Tensor, variance: Tensor) {
        moments(axes, keepDims: keepDims, op: "moments(alongAxes:keepDims:)")
    }

    private func moments(_ axes: [Int]?, keepDims: Bool, op: String) -> (mean: Tensor, variance: Tensor) {
        let layout = ReductionLayout(shape: shape, axes: axes, keepDims: keepDims, op: op)
        if layout.axes.isEmpty { return (self, Tensor(zeros: shape)) }
        let scale = 1 / Double(layout.length)
        let mean = layout.reduce(self) { source, out in
            ReductionKernels.sum(source, layout.outer, layout.length, layout.inner, scale: scale, into: out)
        }
        let variance = layout.reduce(self) { source, out in
            mean.withUnsafeBufferPointer { center in
                ReductionKernels.squaredDeviations(
                    source, layout.outer, layout.length, layout.inner, center: center, scale: scale, into: out)
            }
        }
        if Tensor.isRecording {
            let inputShape = shape, factor = Float(scale)
            mean.record(inputs: [self]) { upstream, _ in
                [(upstream.reductionReshaped(layout.keptShape) * factor).broadcast(toShape: inputShape)]
            }
            variance.record(inputs: [self]) { upstream, _ in
                // d var / dx = 2 (x - mean) / n; the centre is recomputed with recorded ops so that an
                // outer tape sees its dependence on x.
                let centered = self - self.mean(alongAxes: layout.axes, keepDims: true)
                return [(upstream.reductionReshaped(layout.keptShape) * (2 * factor)) * centered]
            }
        }
        return (mean, variance)
    }

    // MARK: - Log-sum-exp

    /// `log(sum(exp(x)))` along `axes` (all when `nil`; none when empty), computed as
    /// `m + log(sum(exp(x - m)))` with `m` the maximum, so large inputs do not overflow. A slice of
    /// `-inf` gives `-inf`. Traps on an axis out of range or repeated. Differentiable: the gradient
    /// is the upstream gradient times `exp(x - logSumExp)` (the softmax over the axes).
    public func logSumExp(alongAxes axes: [Int]?, keepDims: Bool = false) -> Tensor {
        let op = "logSumExp(alongAxes:keepDims:)"
        let layout = ReductionLayout(shape: shape, axes: axes, keepDims: keepDims, op: op)
        if layout.axes.isEmpty { return self }
        let result = layout.reduce(self) { source, out in
            ReductionKernels.logSumExp(source, layout.outer, layout.length, layout.inner, into: out)
        }
        if Tensor.isRecording {
            result.record(inputs: [self]) { upstream, _ in
                let weights = (self - result.reductionReshaped(layout.keptShape)).reductionExp()
                return [upstream.reductionReshaped(layout.keptShape) * weights]
            }
        }
        return result
    }
}

// MARK: - Recorded helpers

extension Tensor {
    /// The same elements in another shape of equal count, recorded (its gradient reshapes back).
    /// Local to the reductions, so they need no other op family.
    internal func reductionReshaped(_ newShape: [Int]) -> Tensor {
        if newShape == shape { return self }
        let result = reshapedUnrecorded(newShape)
        if Tensor.isRecording {
            let oldShape = shape
            result.record(inputs: [self]) { upstream, _ in [upstream.reductionReshaped(oldShape)] }
        }
        return result
    }

    /// Elementwise `e^x`, recorded (its gradient is the upstream gradient times the output).
    internal func reductionExp() -> Tensor {
        let result = withUnsafeBufferPointer { p in
            Tensor.make(shape: shape, count: p.count) { out in for i in 0..<out.count { out[i] = expf(p[i]) } }
        }
        if Tensor.isRecording {
            result.record(inputs: [self]) { upstream, _ in [upstream * result] }
        }
        return result
    }

    /// Elementwise square root, recorded (its gradient is the upstream gradient over twice the output).
    internal func reductionSquareRoot() -> Tensor {
        let result = withUnsafeBufferPointer { p in
            Tensor.make(shape: shape, count: p.count) { out in for i in 0..<out.count { out[i] = sqrtf(p[i]) } }
        }
        if Tensor.isRecording {
            result.record(inputs: [self]) { upstream, _ in [upstream / (result * 2)] }
        }
        return result
    }
}

// MARK: - Layout

/// How a reduction sees its input: `[outer, length, inner]` with the reduced axes merged into `length`.
///
/// When the reduced axes (ignoring those of size 1) are adjacent, the tensor's own storage already has
/// that layout. Otherwise `gatherOrder` is the axis order `[kept axes..., reduced axes...]`: kernels run
/// on a copy in that order with `inner == 1`, and per-element results are scattered back.
struct ReductionLayout {
    /// The reduced axes, normalized and sorted.
    let axes: [Int]
    /// The input shape with the reduced axes set to 1.
    let keptShape: [Int]
    /// The result's shape: `keptShape`, or the input shape without the reduced axes.
    let outputShape: [Int]
    let outer: Int
    let length: Int
    let inner: Int
    private let inputShape: [Int]
    private let gatherOrder: [Int]?

    init(shape: [Int], axes requested: [Int]?, keepDims: Bool, op: String) {
        let rank = shape.count
        var axes: [Int]
        if let requested {
            axes = requested.map { Tensor.axisOrTrap($0, rank: rank, op: op) }.sorted()
            for index in axes.indices.dropFirst() where axes[index] == axes[index - 1] {
                trap(.invalidArgument(op: op, message: "axis \(axes[index]) appears more than once in \(requested)"))
            }
        } else {
            axes = Array(0..<rank)
        }
        var reduced = [Bool](repeating: false, count: rank)
        for axis in axes { reduced[axis] = true }
        var kept = shape
        for axis in axes { kept[axis] = 1 }
        self.axes = axes
        self.keptShape = kept
        self.inputShape = shape
        self.outputShape = keepDims ? kept : (0..<rank).filter { !reduced[$0] }.map { shape[$0] }
        self.length = axes.reduce(1) { $0 * shape[$1] }
        let keptCount = kept.reduce(1, *)

        // Axes of size 1 change no offsets, so only the others decide whether the reduced run is adjacent.
        let significant = (0..<rank).filter { shape[$0] != 1 }
        let runPositions = significant.indices.filter { reduced[significant[$0]] }
        if let first = runPositions.first, let last = runPositions.last {
            if last - first + 1 == runPositions.count {
                outer = shape[..<significant[first]].reduce(1, *)
                inner = shape[(significant[last] + 1)...].reduce(1, *)
                gatherOrder = nil
            } else {
                outer = keptCount
                inner = 1
                gatherOrder = (0..<rank).filter { !reduced[$0] } + axes
            }
        } else {
            outer = keptCount
            inner = 1
            gatherOrder = nil
        }
    }

    /// Calls `body(permutedOffset, storageOffset, step, count)` for each run along the last axis of
    /// `order`: `count` elements that are contiguous in the permuted order and `step` apart in storage.
    private static func forEachPermutedRun(
        shape: [Int], order: [Int], _ body: (Int, Int, Int, Int) -> Void
    ) {
        let rank = shape.count
        var strides = [Int](repeating: 1, count: rank)
        for axis in Swift.stride(from: rank - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
        let extents = order.map { shape[$0] }, steps = order.map { strides[$0] }
        guard rank > 0, !extents.contains(0) else { return }
        let runLength = extents[rank - 1], runStep = steps[rank - 1]
        let runs = extents.dropLast().reduce(1, *)
        var index = [Int](repeating: 0, count: rank)
        var offset = 0
        for run in 0..<runs {
            body(run * runLength, offset, runStep, runLength)
            var dimension = rank - 2
            while dimension >= 0 {
                index[dimension] += 1
                offset += steps[dimension]
                if index[dimension] < extents[dimension] { break }
                offset -= steps[dimension] * extents[dimension]
                index[dimension] = 0
                dimension -= 1
            }
        }
    }

    /// Traps when a reduced axis is empty but the result is not (max, min and argmax of nothing).
    func trapIfEmptyAxis(op: String) {
        if length == 0 && outer * inner > 0 {
            trap(.invalidArgument(op: op, message: "cannot reduce an empty axis (axes \(axes) of a tensor with kept shape \(keptShape))"))
        }
    }

    /// Runs `body` on the input in `[outer, length, inner]` order (gathered when needed).
    func withRows<R>(_ x: Tensor, _ body: (UnsafeBufferPointer<Float>) -> R) -> R {
        guard let gatherOrder else { return x.withUnsafeBufferPointer(body) }
        let count = x.scalarCount
        let gathered = x.withUnsafeBufferPointer { p in
            [Float](unsafeUninitializedCapacity: count) { out, initialized in
                ReductionLayout.forEachPermutedRun(shape: inputShape, order: gatherOrder) { target, source, step, n in
                    for k in 0..<n { out[target + k] = p[source + k * step] }
                }
                initialized = count
            }
        }
        return gathered.withUnsafeBufferPointer(body)
    }

    /// A tensor of `outer * inner` elements that `kernel` writes from the input rows.
    func reduce(
        _ x: Tensor, keepDims: Bool? = nil,
        _ kernel: (UnsafeBufferPointer<Float>, UnsafeMutableBufferPointer<Float>) -> Void
    ) -> Tensor {
        let shape = keepDims == true ? keptShape : outputShape
        return withRows(x) { source in
            Tensor.make(shape: shape, count: outer * inner) { out in kernel(source, out) }
        }
    }

    /// A tensor of the input's shape that `kernel` writes slice by slice, in the rows' order.
    func mapSlices(
        _ x: Tensor, _ kernel: (UnsafeBufferPointer<Float>, UnsafeMutableBufferPointer<Float>) -> Void
    ) -> Tensor {
        let count = x.scalarCount
        guard let gatherOrder else {
            return x.withUnsafeBufferPointer { source in
                Tensor.make(shape: x.shape, count: count) { out in kernel(source, out) }
            }
        }
        let rows = withRows(x) { source in
            [Float](unsafeUninitializedCapacity: count) { out, initialized in
                kernel(source, out)
                initialized = count
            }
        }
        return Tensor.make(shape: x.shape, count: count) { out in
            ReductionLayout.forEachPermutedRun(shape: inputShape, order: gatherOrder) { source, target, step, n in
                for k in 0..<n { out[target + k * step] = rows[source + k] }
            }
        }
    }
}

// MARK: - Kernels

/// Tight loops over `[outer, length, inner]` buffers; `out` has `outer * inner` elements unless said.
enum ReductionKernels {
    /// Rows summed in Float blocks of this many, each block added into a Double total: short enough
    /// that a block's rounding stays near one ulp, long enough that the Double adds cost little.
    static let blockRows = 16

    /// Pairwise (cascade) summation: error grows with log(n) instead of n, at the speed of a plain loop.
    static func pairwiseSum(_ p: UnsafeBufferPointer<Float>, _ start: Int, _ count: Int) -> Float {
        if count <= 256 {
            var a0: Float = 0, a1: Float = 0, a2: Float = 0, a3: Float = 0
            var i = start
            let end = start + count
            while i + 4 <= end {
                a0 += p[i]; a1 += p[i + 1]; a2 += p[i + 2]; a3 += p[i + 3]
                i += 4
            }
            while i < end { a0 += p[i]; i += 1 }
            return (a0 + a1) + (a2 + a3)
        }
        let half = (count / 2) & ~7
        return pairwiseSum(p, start, half) + pairwiseSum(p, start + half, count - half)
    }

    /// `scale * sum` of each slice.
    static func sum(
        _ p: UnsafeBufferPointer<Float>, _ outer: Int, _ length: Int, _ inner: Int, scale: Double,
        into out: UnsafeMutableBufferPointer<Float>
    ) {
        if inner == 1 {
            for o in 0..<outer { out[o] = Float(Double(pairwiseSum(p, o * length, length)) * scale) }
            return
        }
        columnBlocks(outer, length, inner, into: out, scale: scale) { row, partial in
            for j in 0..<inner { partial[j] += p[row + j] }
        }
    }

    /// `scale * sum((x - center)^2)` of each slice, `center` having `outer * inner` elements.
    static func squaredDeviations(
        _ p: UnsafeBufferPointer<Float>, _ outer: Int, _ length: Int, _ inner: Int,
        center: UnsafeBufferPointer<Float>, scale: Double, into out: UnsafeMutableBufferPointer<Float>
    ) {
        if inner == 1 {
            for o in 0..<outer {
                let c = center[o], base = o * length
                var total: Double = 0
                var start = 0
                while start < length {
                    let end = Swift.min(start + blockRows, length)
                    var a0: Float = 0, a1: Float = 0
                    var i = base + start
                    while i + 2 <= base + end {
                        let d0 = p[i] - c, d1 = p[i + 1] - c
                        a0 += d0 * d0; a1 += d1 * d1
                        i += 2
                    }
                    if i < base + end { let d = p[i] - c; a0 += d * d }
                    total += Double(a0 + a1)
                    start = end
                }
                out[o] = Float(total * scale)
            }
            return
        }
        var centerBase = 0
        columnBlocks(outer, length, inner, into: out, scale: scale, startOuter: { centerBase = $0 * inner }) { row, partial in
            for j in 0..<inner {
                let d = p[row + j] - center[centerBase + j]
                partial[j] += d * d
            }
        }
    }

    /// Shared driver for reductions whose output is a contiguous column block per `outer`: `add(rowOffset,
    /// partial)` accumulates one input row into Float partials, flushed into Double every `blockRows`.
    @inline(__always)
    private static func columnBlocks(
        _ outer: Int, _ length: Int, _ inner: Int, into out: UnsafeMutableBufferPointer<Float>, scale: Double,
        startOuter: (Int) -> Void = { _ in },
        _ add: (Int, UnsafeMutableBufferPointer<Float>) -> Void
    ) {
        let partialStorage = UnsafeMutableBufferPointer<Float>.allocate(capacity: inner)
        let totals = UnsafeMutableBufferPointer<Double>.allocate(capacity: inner)
        defer { partialStorage.deallocate(); totals.deallocate() }
        for o in 0..<outer {
            startOuter(o)
            totals.initialize(repeating: 0)
            let base = o * length * inner
            var start = 0
            while start < length {
                let end = Swift.min(start + blockRows, length)
                partialStorage.initialize(repeating: 0)
                for row in start..<end { add(base + row * inner, partialStorage) }
                for j in 0..<inner { totals[j] += Double(partialStorage[j]) }
                start = end
            }
            for j in 0..<inner { out[o * inner + j] = Float(totals[j] * scale) }
        }
    }

    /// The element of each slice for which no other is `better` (max with `>`, min with `<`). A NaN
    /// wins over everything, so it propagates.
    @inline(__always)
    static func extreme(
        _ p: UnsafeBufferPointer<Float>, _ outer: Int, _ length: Int, _ inner: Int,
        into out: UnsafeMutableBufferPointer<Float>, _ better: (Float, Float) -> Bool
    ) {
        guard length > 0 else { return }
        @inline(__always) func pick(_ v: Float, _ best: Float) -> Float { better(v, best) || v != v ? v : best }
        if inner == 1 {
            for o in 0..<outer {
                let base = o * length, end = base + length
                // Four independent lanes: the compare-select chain of one lane would bound the speed.
                var b0 = p[base], b1 = b0, b2 = b0, b3 = b0
                var i = base + 1
                while i + 4 <= end {
                    b0 = pick(p[i], b0); b1 = pick(p[i + 1], b1); b2 = pick(p[i + 2], b2); b3 = pick(p[i + 3], b3)
                    i += 4
                }
                while i < end { b0 = pick(p[i], b0); i += 1 }
                out[o] = pick(pick(b1, b0), pick(b3, b2))
            }
            return
        }
        for o in 0..<outer {
            let base = o * length * inner, outBase = o * inner
            for j in 0..<inner { out[outBase + j] = p[base + j] }
            for row in 1..<length {
                let rowBase = base + row * inner
                for j in 0..<inner {
                    let v = p[rowBase + j]
                    if better(v, out[outBase + j]) || v != v { out[outBase + j] = v }
                }
            }
        }
    }

    /// The index (as Float) of the first element of each slice that no other is `better` than; the
    /// first NaN wins, as in NumPy.
    @inline(__always)
    static func argExtreme(
        _ p: UnsafeBufferPointer<Float>, _ outer: Int, _ length: Int, _ inner: Int,
        into out: UnsafeMutableBufferPointer<Float>, _ better: (Float, Float) -> Bool
    ) {
        guard length > 0 else { return }
        if inner == 1 {
            for o in 0..<outer {
                let base = o * length
                var best = p[base], bestIndex = 0
                for i in 1..<length {
                    let v = p[base + i]
                    if better(v, best) || (v != v && best == best) { best = v; bestIndex = i }
                }
                out[o] = Float(bestIndex)
            }
            return
        }
        let bestValues = UnsafeMutableBufferPointer<Float>.allocate(capacity: inner)
        defer { bestValues.deallocate() }
        for o in 0..<outer {
            let base = o * length * inner, outBase = o * inner
            for j in 0..<inner { bestValues[j] = p[base + j]; out[outBase + j] = 0 }
            for row in 1..<length {
                let rowBase = base + row * inner
                for j in 0..<inner {
                    let v = p[rowBase + j], best = bestValues[j]
                    if better(v, best) || (v != v && best == best) {
                        bestValues[j] = v
                        out[outBase + j] = Float(row)
                    }
                }
            }
        }
    }

    /// The product of each slice, accumulated in Double (fewer spurious overflows and underflows).
    static func product(
        _ p: UnsafeBufferPointer<Float>, _ outer: Int, _ length: Int, _ inner: Int,
        into out: UnsafeMutableBufferPointer<Float>
    ) {
        if inner == 1 {
            for o in 0..<outer {
                var total: Double = 1
                for i in (o * length)..<(o * length + length) { total *= Double(p[i]) }
                out[o] = Float(total)
            }
            return
        }
        let totals = UnsafeMutableBufferPointer<Double>.allocate(capacity: inner)
        defer { totals.deallocate() }
        for o in 0..<outer {
            totals.initialize(repeating: 1)
            let base = o * length * inner
            for row in 0..<length {
                let rowBase = base + row * inner
                for j in 0..<inner { totals[j] *= Double(p[rowBase + j]) }
            }
            for j in 0..<inner { out[o * inner + j] = Float(totals[j]) }
        }
    }

    /// For every element, the product of the others in its slice: exclusive prefix times exclusive
    /// suffix products (in Double), so zeros need no special case. `out` has the input's layout.
    static func productOfOthers(
        _ p: UnsafeBufferPointer<Float>, _ outer: Int, _ length: Int, _ inner: Int,
        into out: UnsafeMutableBufferPointer<Float>
    ) {
        let sliceCount = length * inner
        let prefix = UnsafeMutableBufferPointer<Double>.allocate(capacity: Swift.max(sliceCount, 1))
        let running = UnsafeMutableBufferPointer<Double>.allocate(capacity: Swift.max(inner, 1))
        defer { prefix.deallocate(); running.deallocate() }
        for o in 0..<outer {
            let base = o * sliceCount
            running.initialize(repeating: 1)
            for row in 0..<length {
                for j in 0..<inner {
                    let k = row * inner + j
                    prefix[k] = running[j]
                    running[j] *= Double(p[base + k])
                }
            }
            running.initialize(repeating: 1)
            for row in Swift.stride(from: length - 1, through: 0, by: -1) {
                for j in 0..<inner {
                    let k = row * inner + j
                    out[base + k] = Float(prefix[k] * running[j])
                    running[j] *= Double(p[base + k])
                }
            }
        }
    }

    /// `m + log(sum(exp(x - m)))` of each slice, `m` its maximum (0 when the maximum is infinite or NaN,
    /// which then gives the right infinity or NaN).
    static func logSumExp(
        _ p: UnsafeBufferPointer<Float>, _ outer: Int, _ length: Int, _ inner: Int,
        into out: UnsafeMutableBufferPointer<Float>
    ) {
        guard length > 0 else {
            for i in 0..<out.count { out[i] = -.infinity }
            return
        }
        if inner == 1 {
            for o in 0..<outer {
                let base = o * length
                var m = p[base]
                for i in (base + 1)..<(base + length) where p[i] > m { m = p[i] }
                let shift = m.isFinite ? m : 0
                var s: Float = 0
                for i in base..<(base + length) { s += expf(p[i] - shift) }
                out[o] = shift + logf(s)
            }
            return
        }
        let maxima = UnsafeMutableBufferPointer<Float>.allocate(capacity: inner)
        let sums = UnsafeMutableBufferPointer<Float>.allocate(capacity: inner)
        defer { maxima.deallocate(); sums.deallocate() }
        for o in 0..<outer {
            let base = o * length * inner
            extreme(UnsafeBufferPointer(rebasing: p[base..<(base + length * inner)]), 1, length, inner,
                    into: maxima) { $0 > $1 }
            for j in 0..<inner where !maxima[j].isFinite { maxima[j] = 0 }
            sums.initialize(repeating: 0)
            for row in 0..<length {
                let rowBase = base + row * inner
                for j in 0..<inner { sums[j] += expf(p[rowBase + j] - maxima[j]) }
            }
            for j in 0..<inner { out[o * inner + j] = maxima[j] + logf(sums[j]) }
        }
    }
}
