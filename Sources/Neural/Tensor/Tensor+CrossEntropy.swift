#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cross-entropy losses with integer class labels: the fused forms the training loop calls every step.
///
/// Both return one loss per example (shape `[batch]`); average them with ``Tensor/mean()``. Labels are
/// class indices in `0..<classes`. An out-of-range label is a programmer error and traps, naming the op,
/// the label and the class count; validate labels that come from user data first with
/// ``Tensor/validateLabels(_:classCount:)``.
extension Tensor {
    /// Per-example `logSumExp(logits[i]) - logits[i, labels[i]]`, i.e. `-log(softmax(logits)[i, label])`,
    /// for `logits` of shape `[batch, classes]` (TensorFlow's `sparse_softmax_cross_entropy_with_logits`).
    ///
    /// One pass per row computes the loss (stable for large logits) and, when a tape records, the
    /// softmax the gradient needs; the backward pass is then one sweep, `(softmax - onehot) * g[:, newaxis]`.
    /// That backward sweep is itself a recorded op whose gradients are written with tensor ops, so
    /// nested tapes give second derivatives with respect to the logits.
    ///
    /// Traps when `logits` is not rank 2, when `labels.count` is not the batch size, or when a label is
    /// outside `0..<classes`.
    public static func sparseSoftmaxCrossEntropy(logits: Tensor, labels: [Int]) -> Tensor {
        let op = "sparseSoftmaxCrossEntropy(logits:labels:)"
        let (batch, classes) = checkedLabelShape(logits, labels, operand: "logits", op: op)
        let recording = isRecording
        var probabilities: [Float] = []
        let losses = logits.withUnsafeBufferPointer { p in
            Tensor.make(shape: [batch], count: batch) { out in
                guard classes > 0 else { return }
                if recording {
                    probabilities = [Float](unsafeUninitializedCapacity: batch * classes) { probs, initialized in
                        for row in 0..<batch {
                            out[row] = CrossEntropyKernels.softmaxRow(p, row * classes, classes, labels[row], into: probs)
                        }
                        initialized = batch * classes
                    }
                } else {
                    for row in 0..<batch {
                        out[row] = CrossEntropyKernels.lossRow(p, row * classes, classes, labels[row])
                    }
                }
            }
        }
        if recording {
            let cached = Tensor(uncheckedShape: [batch, classes], storage: probabilities)
            losses.record(inputs: [logits]) { upstream, _ in
                [sparseSoftmaxCrossEntropyBackward(upstream: upstream, logits: logits, probabilities: cached, labels: labels)]
            }
        }
        return losses
    }

    /// `(probabilities - onehot(labels)) * upstream[:, newaxis]` in one sweep, `probabilities` being the
    /// softmax of `logits` cached by the forward pass. Recorded with `upstream` and `logits` as inputs
    /// (the softmax is recomputed there with recorded ops, so any order of derivative works).
    static func sparseSoftmaxCrossEntropyBackward(
        upstream: Tensor, logits: Tensor, probabilities: Tensor, labels: [Int]
    ) -> Tensor {
        let (batch, classes) = (probabilities.shape[0], probabilities.shape[1])
        guard upstream.shape == [batch] else {
            trap(.incompatibleShapes(op: "sparseSoftmaxCrossEntropy (backward)", lhs: upstream.shape, rhs: [batch]))
        }
        let result = upstream.withUnsafeBufferPointer { pu in
            probabilities.withUnsafeBufferPointer { pp in
                Tensor.make(shape: [batch, classes], count: batch * classes) { out in
                    for row in 0..<batch {
                        let base = row * classes, scale = pu[row]
                        for j in 0..<classes { out[base + j] = pp[base + j] * scale }
                        out[base + labels[row]] -= scale
                    }
                }
            }
        }
        if isRecording {
            result.record(inputs: [upstream, logits]) { g, needed in
                let softmax = logits.softmax(alongAxis: -1)
                return [
                    needed[0] ? (g * softmax).sum(alongAxis: -1) - gatherLabels(g, labels) : nil,
                    needed[1]
                        ? softmaxBackward(upstream: g * upstream.reductionReshaped([batch, 1]), output: softmax, axis: 1)
                        : nil,
                ]
            }
        }
        return result
    }

    /// Per-example `-log(clip(probabilities[i, labels[i]], epsilon, 1 - epsilon))` for `probabilities`
    /// of shape `[batch, classes]` (what Keras computes when a model ends in a softmax).
    ///
    /// Differentiable with respect to the probabilities: the gradient reaches only each example's
    /// labelled class, as `-g / p`, and is zero where the clip is active (as with `tf.clip_by_value`).
    /// Prefer ``sparseSoftmaxCrossEntropy(logits:labels:)`` when the logits are at hand: it is more
    /// accurate for confident predictions. Traps when `probabilities` is not rank 2, when
    /// `labels.count` is not the batch size, or when a label is outside `0..<classes`.
    public static func sparseCategoricalCrossEntropy(
        probabilities: Tensor, labels: [Int], epsilon: Float = 1e-7
    ) -> Tensor {
        let op = "sparseCategoricalCrossEntropy(probabilities:labels:epsilon:)"
        let (batch, classes) = checkedLabelShape(probabilities, labels, operand: "probabilities", op: op)
        let (lower, upper) = (epsilon, 1 - epsilon)
        var inRange = [Float](repeating: 0, count: batch)
        let losses = probabilities.withUnsafeBufferPointer { p in
            Tensor.make(shape: [batch], count: batch) { out in
                for row in 0..<batch {
                    let picked = p[row * classes + labels[row]]
                    let unclipped = picked >= lower && picked <= upper
                    inRange[row] = unclipped ? 1 : 0
                    out[row] = -logf(Swift.min(Swift.max(picked, lower), upper))
                }
            }
        }
        if isRecording {
            let mask = Tensor(uncheckedShape: [batch], storage: inRange)
            let outside = Tensor(uncheckedShape: [batch], storage: inRange.map { 1 - $0 })
            losses.record(inputs: [probabilities]) { upstream, _ in
                // Where clipped, the divisor is replaced by the constant 1 (and the numerator is 0), so
                // neither the gradient nor its derivative divides by a probability that may be 0.
                let picked = gatherLabels(probabilities, labels)
                let local = -(upstream * mask) / (picked * mask + outside)
                return [scatterLabels(local, labels, classCount: classes)]
            }
        }
        return losses
    }

    /// Checks class labels that come from user data before they reach the cross-entropy ops.
    ///
    /// - Throws: ``TensorError/invalidArgument(op:message:)`` naming the first label outside
    ///   `0..<classCount`, its position and the class count, or when `classCount` is not positive.
    public static func validateLabels(_ labels: [Int], classCount: Int) throws(TensorError) {
        if let error = labelError(labels, classCount: classCount, op: "validateLabels(_:classCount:)") { throw error }
    }

    private static func labelError(_ labels: [Int], classCount: Int, op: String) -> TensorError? {
        guard classCount > 0 else {
            return .invalidArgument(op: op, message: "the class count must be positive, got \(classCount)")
        }
        for (position, label) in labels.enumerated() where label < 0 || label >= classCount {
            return .invalidArgument(
                op: op, message: "label \(label) at position \(position) is outside 0..<\(classCount) (\(classCount) classes)")
        }
        return nil
    }

    /// `(batch, classes)` of a rank-2 operand whose batch matches the labels, all labels in range; traps otherwise.
    private static func checkedLabelShape(
        _ x: Tensor, _ labels: [Int], operand: String, op: String
    ) -> (batch: Int, classes: Int) {
        guard x.rank == 2 else {
            trap(.invalidArgument(op: op, message: "\(operand) must have shape [batch, classes], got \(x.shape)"))
        }
        let (batch, classes) = (x.shape[0], x.shape[1])
        guard labels.count == batch else {
            trap(.invalidArgument(op: op, message: "\(labels.count) labels for \(operand) of shape \(x.shape)"))
        }
        if batch > 0, let error = labelError(labels, classCount: classes, op: op) { trap(error) }
        return (batch, classes)
    }

    /// `x[i, labels[i]]` for each row of a `[batch, classes]` tensor (labels already checked). Recorded;
    /// its adjoint is ``scatterLabels(_:_:classCount:)``.
    static func gatherLabels(_ x: Tensor, _ labels: [Int]) -> Tensor {
        let (batch, classes) = (x.shape[0], x.shape[1])
        let result = x.withUnsafeBufferPointer { p in
            Tensor.make(shape: [batch], count: batch) { out in
                for row in 0..<batch { out[row] = p[row * classes + labels[row]] }
            }
        }
        if isRecording {
            result.record(inputs: [x]) { upstream, _ in [scatterLabels(upstream, labels, classCount: classes)] }
        }
        return result
    }

    /// A `[batch, classCount]` tensor of zeros holding `values[i]` at `[i, labels[i]]`. Recorded; its
    /// adjoint is ``gatherLabels(_:_:)``.
    static func scatterLabels(_ values: Tensor, _ labels: [Int], classCount: Int) -> Tensor {
        let batch = values.scalarCount
        let result = values.withUnsafeBufferPointer { p in
            Tensor.make(shape: [batch, classCount], count: batch * classCount) { out in
                out.initialize(repeating: 0)
                for row in 0..<batch { out[row * classCount + labels[row]] = p[row] }
            }
        }
        if isRecording {
            result.record(inputs: [values]) { upstream, _ in [gatherLabels(upstream, labels)] }
        }
        return result
    }
}

/// Row loops of the fused softmax cross-entropy.
enum CrossEntropyKernels {
    /// `logSumExp(row) - row[label]` computed as `log(sum(exp(x - m))) - (x[label] - m)`.
    @inline(__always)
    static func lossRow(_ p: UnsafeBufferPointer<Float>, _ base: Int, _ count: Int, _ label: Int) -> Float {
        let end = base + count
        var m = p[base]
        for i in (base + 1)..<end where p[i] > m { m = p[i] }
        if !m.isFinite { m = 0 }
        var s: Float = 0
        for i in base..<end { s += expf(p[i] - m) }
        return logf(s) - (p[base + label] - m)
    }

    /// The row's loss, writing its softmax into `probabilities` at the same offsets.
    @inline(__always)
    static func softmaxRow(
        _ p: UnsafeBufferPointer<Float>, _ base: Int, _ count: Int, _ label: Int,
        into probabilities: UnsafeMutableBufferPointer<Float>
    ) -> Float {
        let end = base + count
        var m = p[base]
        for i in (base + 1)..<end where p[i] > m { m = p[i] }
        if !m.isFinite { m = 0 }
        var s: Float = 0
        for i in base..<end {
            let e = expf(p[i] - m)
            probabilities[i] = e
            s += e
        }
        let scale = 1 / s
        for i in base..<end { probabilities[i] *= scale }
        return logf(s) - (p[base + label] - m)
    }
}
