#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fused forward passes of the built-in losses: one sweep over the inputs into the per-sample losses,
/// instead of a chain of elementwise ops each allocating a full-size intermediate.
///
/// Each records one tape op whose backward function is written with public, recorded tensor ops, so
/// nested tapes give second derivatives (the core's rule for differentiable ops).
enum LossKernels {
    /// Keras's `epsilon()`: probabilities are clipped to `[epsilon, 1 - epsilon]` before a logarithm.
    static let epsilon: Float = 1e-7

    // MARK: - Elementwise losses averaged over the last axis

    /// `mean(f(yTrue, yPred), axis: -1)` for two tensors of one shape (broadcast first, recorded, when
    /// they differ); rank 0 gives the value itself. `backward` maps the upstream gradient, reshaped to
    /// keep the last axis as 1 and divided by its length, to the gradients of `yTrue` and `yPred`.
    @inline(__always)
    static func lastAxisMean(
        _ yTrue: Tensor, _ yPred: Tensor, op: String,
        _ f: (Float, Float) -> Float,
        backward: @escaping (_ scaledUpstream: Tensor, _ yTrue: Tensor, _ yPred: Tensor, _ needed: InputMask) -> [Tensor?]
    ) -> Tensor {
        var targets = yTrue, predictions = yPred
        if targets.shape != predictions.shape {
            let shape: [Int]
            do { shape = try Tensor.broadcastShape(targets.shape, predictions.shape, op: op) } catch { trap(error) }
            targets = targets.broadcast(toShape: shape)
            predictions = predictions.broadcast(toShape: shape)
        }
        let shape = predictions.shape
        let length = shape.last ?? 1
        let outShape = Array(shape.dropLast())
        let rows = outShape.reduce(1, *)
        let scale = 1 / Float(length)
        let result = targets.withUnsafeBufferPointer { pt in
            predictions.withUnsafeBufferPointer { pp in
                Tensor.make(shape: outShape, count: rows) { out in
                    for row in 0..<rows {
                        let base = row * length
                        var total: Float = 0
                        for j in 0..<length { total += f(pt[base + j], pp[base + j]) }
                        out[row] = total * scale
                    }
                }
            }
        }
        if Tensor.isRecording {
            let keptShape = shape.isEmpty ? [] : outShape + [1]
            result.record(inputs: [targets, predictions]) { upstream, needed in
                backward(upstream.reshaped(to: keptShape) * scale, targets, predictions, needed)
            }
        }
        return result
    }

    /// `mean((yPred - yTrue)², axis: -1)`.
    static func meanSquaredError(_ yTrue: Tensor, _ yPred: Tensor) -> Tensor {
        lastAxisMean(yTrue, yPred, op: "MeanSquaredError", { t, p in (p - t) * (p - t) }) { g, t, p, needed in
            // Scaling the small [..., 1] upstream first saves a full-size pass.
            let d = (p - t) * (g * 2)
            return [needed[0] ? -d : nil, needed[1] ? d : nil]
        }
    }

    /// `mean(|yPred - yTrue|, axis: -1)`; the gradient at a zero error is 0.
    static func meanAbsoluteError(_ yTrue: Tensor, _ yPred: Tensor) -> Tensor {
        lastAxisMean(yTrue, yPred, op: "MeanAbsoluteError", { t, p in Swift.abs(p - t) }) { g, t, p, needed in
            let d = g * (p - t).sign()
            return [needed[0] ? -d : nil, needed[1] ? d : nil]
        }
    }

    /// Keras's `huber`: `0.5 e²` where `|e| <= delta`, `delta |e| - 0.5 delta²` elsewhere, averaged
    /// over the last axis, with `e = yPred - yTrue`. The gradient is `e` clipped to `[-delta, delta]`.
    static func huber(_ yTrue: Tensor, _ yPred: Tensor, delta: Float) -> Tensor {
        let halfDeltaSquared = 0.5 * delta * delta
        return lastAxisMean(yTrue, yPred, op: "Huber", { t, p in
            let e = p - t, a = Swift.abs(e)
            return a <= delta ? 0.5 * e * e : delta * a - halfDeltaSquared
        }) { g, t, p, needed in
            let d = (p - t).clipped(min: -delta, max: delta) * g
            return [needed[0] ? -d : nil, needed[1] ? d : nil]
        }
    }

    /// Keras's `binary_crossentropy` on probabilities: `-(t log p + (1 - t) log(1 - p))` with `p`
    /// clipped to `[epsilon, 1 - epsilon]`, averaged over the last axis. The gradient with respect to
    /// `p` is zero where the clip is active.
    static func binaryCrossentropy(_ yTrue: Tensor, probabilities: Tensor) -> Tensor {
        let (lower, upper) = (epsilon, 1 - epsilon)
        return lastAxisMean(yTrue, probabilities, op: "BinaryCrossentropy", { t, p in
            let c = Swift.min(Swift.max(p, lower), upper)
            return -(t * logf(c) + (1 - t) * logf(1 - c))
        }) { g, t, p, needed in
            var gradients: [Tensor?] = [nil, nil]
            if needed[0] {
                let c = p.clipped(min: lower, max: upper)
                gradients[0] = g * ((1 - c).log() - c.log())
            }
            if needed[1] {
                let inside = p.mapUnrecorded { $0 >= lower && $0 <= upper ? 1 : 0 }
                // Where clipped the gradient is 0; the divisors there are replaced by a harmless 0.5.
                let safe = p * inside + (1 - inside) * 0.5
                gradients[1] = g * inside * ((1 - t) / (1 - safe) - t / safe)
            }
            return gradients
        }
    }

    /// TensorFlow's `sigmoid_cross_entropy_with_logits`, `max(x, 0) - x t + log(1 + e^-|x|)`, averaged
    /// over the last axis: binary cross-entropy from logits without overflow. The gradient is
    /// `sigmoid(x) - t` for the logits and `-x` for the targets.
    static func binaryCrossentropy(_ yTrue: Tensor, logits: Tensor) -> Tensor {
        lastAxisMean(yTrue, logits, op: "BinaryCrossentropy", { t, x in
            Swift.max(x, 0) - x * t + log1pf(expf(-Swift.abs(x)))
        }) { g, t, x, needed in
            [needed[0] ? -(g * x) : nil, needed[1] ? g * (x.sigmoid() - t) : nil]
        }
    }

    // MARK: - Categorical cross-entropy over the last axis

    /// Keras's `categorical_crossentropy` on probabilities: each row divided by its sum, clipped to
    /// `[epsilon, 1 - epsilon]`, then `-sum(t log q)`. Inputs `[rows, classes]`, output `[rows]`.
    ///
    /// With `s` the row sum and `m` the mask of unclipped entries, the gradient is
    /// `g (sum(t m) / s - t m / p)` for the probabilities and `-g log(clip(p / s))` for the targets.
    static func categoricalCrossentropy(_ yTrue: Tensor, probabilities: Tensor) -> Tensor {
        let (rows, classes) = (probabilities.shape[0], probabilities.shape[1])
        let (lower, upper) = (epsilon, 1 - epsilon)
        let recording = Tensor.isRecording
        var inside = [Float](), sums = [Float]()
        if recording {
            inside = [Float](repeating: 0, count: rows * classes)
            sums = [Float](repeating: 0, count: rows)
        }
        let losses = yTrue.withUnsafeBufferPointer { pt in
            probabilities.withUnsafeBufferPointer { pp in
                Tensor.make(shape: [rows], count: rows) { out in
                    for row in 0..<rows {
                        let base = row * classes
                        var sum: Float = 0
                        for j in 0..<classes { sum += pp[base + j] }
                        if recording { sums[row] = sum }
                        let inverse = 1 / sum
                        var total: Float = 0
                        for j in 0..<classes {
                            let q = pp[base + j] * inverse
                            if recording { inside[base + j] = q >= lower && q <= upper ? 1 : 0 }
                            total += pt[base + j] * logf(Swift.min(Swift.max(q, lower), upper))
                        }
                        out[row] = -total
                    }
                }
            }
        }
        if recording {
            let mask = Tensor(uncheckedShape: [rows, classes], storage: inside)
            losses.record(inputs: [yTrue, probabilities]) { upstream, needed in
                var gradients: [Tensor?] = [nil, nil]
                if needed[0] {
                    let rowSums = probabilities.sum(alongAxis: 1, keepDims: true)
                    let logQ = (probabilities / rowSums).clipped(min: lower, max: upper).log()
                    gradients[0] = -(upstream.reshaped(to: [rows, 1]) * logQ)
                }
                if needed[1] {
                    gradients[1] = categoricalCrossentropyBackward(
                        upstream: upstream, targets: yTrue, probabilities: probabilities, mask: mask, sums: sums)
                }
                return gradients
            }
        }
        return losses
    }

    /// The gradient of ``categoricalCrossentropy(_:probabilities:)`` with respect to the probabilities
    /// in one sweep: `g (sum(t m) / s - t m / p)` per row, with `m` the mask of unclipped entries and
    /// `s` the row sums cached by the forward pass. Recorded with `upstream`, `targets` and
    /// `probabilities` as inputs; its own gradients are written with tensor ops, so any order of
    /// derivative works.
    static func categoricalCrossentropyBackward(
        upstream: Tensor, targets: Tensor, probabilities: Tensor, mask: Tensor, sums: [Float]
    ) -> Tensor {
        let (rows, classes) = (probabilities.shape[0], probabilities.shape[1])
        let result = upstream.withUnsafeBufferPointer { pg in
            targets.withUnsafeBufferPointer { pt in
                mask.withUnsafeBufferPointer { pm in
                    probabilities.withUnsafeBufferPointer { pp in
                        Tensor.make(shape: [rows, classes], count: rows * classes) { out in
                            for row in 0..<rows {
                                let base = row * classes, g = pg[row]
                                var active: Float = 0
                                for j in 0..<classes { active += pt[base + j] * pm[base + j] }
                                let dense = active / sums[row]
                                for j in 0..<classes {
                                    let weight = pt[base + j] * pm[base + j]
                                    out[base + j] = g * (weight == 0 ? dense : dense - weight / pp[base + j])
                                }
                            }
                        }
                    }
                }
            }
        }
        if Tensor.isRecording {
            result.record(inputs: [upstream, targets, probabilities]) { incoming, needed in
                let rowSums = probabilities.sum(alongAxis: 1, keepDims: true)
                let safe = probabilities * mask + (1 - mask)
                let activeTargets = targets * mask
                let activeSums = activeTargets.sum(alongAxis: 1, keepDims: true)
                let incomingSums = incoming.sum(alongAxis: 1, keepDims: true)
                let g = upstream.reshaped(to: [rows, 1])
                return [
                    needed[0]
                        ? (activeSums / rowSums * incomingSums
                            - (incoming * activeTargets / safe).sum(alongAxis: 1, keepDims: true)).reshaped(to: [rows])
                        : nil,
                    needed[1] ? g * mask * (incomingSums / rowSums - incoming / safe) : nil,
                    needed[2]
                        ? g * (incoming * activeTargets / safe.squared() - activeSums * incomingSums / rowSums.squared())
                        : nil,
                ]
            }
        }
        return result
    }

    /// `-sum(t * logSoftmax(x))` per row (TensorFlow's `softmax_cross_entropy_with_logits`), computed
    /// as `sum(t) · logSumExp(x) - sum(t x)` in one pass. Inputs `[rows, classes]`, output `[rows]`.
    /// The gradient is `g (softmax(x) sum(t) - t)` for the logits and `-g logSoftmax(x)` for the targets.
    static func categoricalCrossentropy(_ yTrue: Tensor, logits: Tensor) -> Tensor {
        let (rows, classes) = (logits.shape[0], logits.shape[1])
        let losses = yTrue.withUnsafeBufferPointer { pt in
            logits.withUnsafeBufferPointer { px in
                Tensor.make(shape: [rows], count: rows) { out in
                    guard classes > 0 else { out.initialize(repeating: 0); return }
                    for row in 0..<rows {
                        let base = row * classes
                        var m = px[base]
                        for j in 1..<classes where px[base + j] > m { m = px[base + j] }
                        if !m.isFinite { m = 0 }
                        var exponentials: Float = 0, targetSum: Float = 0, weighted: Float = 0
                        for j in 0..<classes {
                            let x = px[base + j] - m
                            exponentials += expf(x)
                            targetSum += pt[base + j]
                            weighted += pt[base + j] * x
                        }
                        out[row] = targetSum * logf(exponentials) - weighted
                    }
                }
            }
        }
        if Tensor.isRecording {
            losses.record(inputs: [yTrue, logits]) { upstream, needed in
                let g = upstream.reshaped(to: [rows, 1])
                return [
                    needed[0] ? -(g * logits.logSoftmax(alongAxis: -1)) : nil,
                    needed[1] ? g * (logits.softmax(alongAxis: -1) * yTrue.sum(alongAxis: 1, keepDims: true) - yTrue) : nil,
                ]
            }
        }
        return losses
    }

    // MARK: - Sparse categorical cross-entropy

    /// Keras's `sparse_categorical_crossentropy` on probabilities (its NumPy/JAX/PyTorch form): each row
    /// divided by its sum, the labelled entry clipped to `[epsilon, 1 - epsilon]`, `-log` of it.
    /// `probabilities` is `[rows, classes]`; output `[rows]`.
    ///
    /// With `s` the row sum, the gradient is `g (1 / s - onehot / p[label])` where the clip is inactive
    /// and 0 where it is active.
    static func sparseCategoricalCrossentropy(probabilities: Tensor, labels: [Int]) -> Tensor {
        let (rows, classes) = (probabilities.shape[0], probabilities.shape[1])
        let (lower, upper) = (epsilon, 1 - epsilon)
        let recording = Tensor.isRecording
        var inside = [Float](), sums = [Float]()
        if recording {
            inside = [Float](repeating: 0, count: rows)
            sums = [Float](repeating: 0, count: rows)
        }
        let losses = probabilities.withUnsafeBufferPointer { pp in
            Tensor.make(shape: [rows], count: rows) { out in
                for row in 0..<rows {
                    let base = row * classes
                    var sum: Float = 0
                    for j in 0..<classes { sum += pp[base + j] }
                    let q = pp[base + labels[row]] / sum
                    if recording {
                        inside[row] = q >= lower && q <= upper ? 1 : 0
                        sums[row] = sum
                    }
                    out[row] = -logf(Swift.min(Swift.max(q, lower), upper))
                }
            }
        }
        if recording {
            let mask = Tensor(uncheckedShape: [rows], storage: inside)
            losses.record(inputs: [probabilities]) { upstream, _ in
                [sparseCategoricalCrossentropyBackward(
                    upstream: upstream, probabilities: probabilities, labels: labels, mask: mask, sums: sums)]
            }
        }
        return losses
    }

    /// The gradient of ``sparseCategoricalCrossentropy(probabilities:labels:)`` in one sweep:
    /// `g m (1 / s - onehot / p[label])` per row, with `m` the mask of unclipped rows and `s` the row
    /// sums cached by the forward pass. Recorded with `upstream` and `probabilities` as inputs; its own
    /// gradients are written with tensor ops (row sums and labelled entries recomputed from
    /// `probabilities`), so any order of derivative works.
    static func sparseCategoricalCrossentropyBackward(
        upstream: Tensor, probabilities: Tensor, labels: [Int], mask: Tensor, sums: [Float]
    ) -> Tensor {
        let (rows, classes) = (probabilities.shape[0], probabilities.shape[1])
        let result = upstream.withUnsafeBufferPointer { pg in
            mask.withUnsafeBufferPointer { pm in
                probabilities.withUnsafeBufferPointer { pp in
                    Tensor.make(shape: [rows, classes], count: rows * classes) { out in
                        for row in 0..<rows {
                            let base = row * classes, scale = pg[row] * pm[row]
                            let dense = scale / sums[row]
                            for j in 0..<classes { out[base + j] = dense }
                            if scale != 0 { out[base + labels[row]] -= scale / pp[base + labels[row]] }
                        }
                    }
                }
            }
        }
        if Tensor.isRecording {
            result.record(inputs: [upstream, probabilities]) { g, needed in
                let rowSums = probabilities.sum(alongAxis: 1)
                let safe = Tensor.gatherLabels(probabilities, labels) * mask + (1 - mask)
                let pickedUpstream = Tensor.gatherLabels(g, labels)
                let upstreamSums = g.sum(alongAxis: 1)
                var gradients: [Tensor?] = [nil, nil]
                if needed[0] {
                    gradients[0] = mask * (upstreamSums / rowSums - pickedUpstream / safe)
                }
                if needed[1] {
                    let active = upstream * mask
                    let dense = (-(active * upstreamSums) / rowSums.squared()).reshaped(to: [rows, 1])
                    let picked = Tensor.scatterLabels(active * pickedUpstream / safe.squared(), labels, classCount: classes)
                    gradients[1] = dense + picked
                }
                return gradients
            }
        }
        return result
    }

    /// Class indices from float targets for `rows` rows of `classes` classes: each must be a whole
    /// number in `0..<classes`. Traps naming `op`, the position and the value otherwise.
    static func classIndices(_ yTrue: Tensor, rows: Int, classes: Int, op: String) -> [Int] {
        guard yTrue.scalarCount == rows else {
            trap(.invalidArgument(
                op: op, message: "\(yTrue.scalarCount) labels (shape \(yTrue.shape)) for \(rows) predictions"))
        }
        return yTrue.withUnsafeBufferPointer { p in
            [Int](unsafeUninitializedCapacity: rows) { buffer, initialized in
                for i in 0..<rows {
                    let value = p[i]
                    guard value >= 0, value < Float(classes), value == value.rounded(.towardZero) else {
                        trap(.invalidArgument(
                            op: op, message: "label \(value) at position \(i) is not a class index in 0..<\(classes)"))
                    }
                    buffer[i] = Int(value)
                }
                initialized = rows
            }
        }
    }
}
