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
            let d = g * (p - t) * 2
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
            let d = g * (p - t).clipped(min: -delta, max: delta)
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
        var inside = [Float]()
        if recording { inside = [Float](repeating: 0, count: rows * classes) }
        let losses = yTrue.withUnsafeBufferPointer { pt in
            probabilities.withUnsafeBufferPointer { pp in
                Tensor.make(shape: [rows], count: rows) { out in
                    for row in 0..<rows {
                        let base = row * classes
                        var sum: Float = 0
                        for j in 0..<classes { sum += pp[base + j] }
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
                let g = upstream.reshaped(to: [rows, 1])
                let sums = probabilities.sum(alongAxis: 1, keepDims: true)
                var gradients: [Tensor?] = [nil, nil]
                if needed[0] {
                    gradients[0] = -(g * (probabilities / sums).clipped(min: lower, max: upper).log())
                }
                if needed[1] {
                    let active = yTrue * mask
                    let safe = probabilities * mask + (1 - mask)
                    gradients[1] = g * (active.sum(alongAxis: 1, keepDims: true) / sums - active / safe)
                }
                return gradients
            }
        }
        return losses
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
        var inside = [Float]()
        if recording { inside = [Float](repeating: 0, count: rows) }
        let losses = probabilities.withUnsafeBufferPointer { pp in
            Tensor.make(shape: [rows], count: rows) { out in
                for row in 0..<rows {
                    let base = row * classes
                    var sum: Float = 0
                    for j in 0..<classes { sum += pp[base + j] }
                    let q = pp[base + labels[row]] / sum
                    if recording { inside[row] = q >= lower && q <= upper ? 1 : 0 }
                    out[row] = -logf(Swift.min(Swift.max(q, lower), upper))
                }
            }
        }
        if recording {
            let mask = Tensor(uncheckedShape: [rows], storage: inside)
            losses.record(inputs: [probabilities]) { upstream, _ in
                let active = upstream * mask
                let sums = probabilities.sum(alongAxis: 1, keepDims: true)
                let picked = Tensor.gatherLabels(probabilities, labels)
                let safe = picked * mask + (1 - mask)
                let dense = (active.reshaped(to: [rows, 1]) / sums).broadcast(toShape: [rows, classes])
                return [dense - Tensor.scatterLabels(active / safe, labels, classCount: classes)]
            }
        }
        return losses
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
