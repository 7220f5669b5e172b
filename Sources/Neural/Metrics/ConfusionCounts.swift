#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keras's `update_confusion_matrix_variables`: weighted counts of true/false positives/negatives at
/// each threshold, added to the variables a confusion-based metric holds.
///
/// A target counts as positive when it is nonzero, a prediction when it is strictly above the threshold.
/// Targets and predictions are rank-matched first; sample weights get a trailing axis and are matched
/// to the targets, then broadcast against the predictions (so `[batch]` weights weight whole rows).
/// `topK` keeps the `k` largest predictions of each last-axis row (the lower index first on ties) and
/// sets the others to -1e10; `classId` keeps one column. Evenly spaced thresholds (Keras's optimized
/// path, which AUC uses) bucket each prediction once, clipped to `[0, 1]`, in O(n + thresholds);
/// other thresholds are compared one by one.
struct ConfusionCounts {
    var truePositives: Variable?
    var falsePositives: Variable?
    var trueNegatives: Variable?
    var falseNegatives: Variable?

    /// Keras's `NEG_INF`, the value `topK` gives to the predictions it drops.
    static let negativeInfinity: Float = -1e10

    /// Keras's `is_evenly_distributed_thresholds`: at least 3 thresholds equal to `i / (n - 1)`
    /// within NumPy's `allclose` tolerances (`atol` 1e-7, `rtol` 1e-5).
    static func isEvenlyDistributed(_ thresholds: [Double]) -> Bool {
        let n = thresholds.count
        guard n >= 3 else { return false }
        for (i, value) in thresholds.enumerated() {
            let even = Double(Float(i) / Float(n - 1))
            if Swift.abs(value - even) > 1e-7 + 1e-5 * Swift.abs(even) { return false }
        }
        return true
    }

    /// Adds the batch's counts at each of `thresholds` (sorted ascending when `evenlyDistributed`).
    /// Traps, naming `op`, when targets, predictions and weights do not fit together.
    func update(
        yTrue: Tensor, yPred: Tensor, thresholds: [Float], evenlyDistributed: Bool,
        topK: Int? = nil, classId: Int? = nil, sampleWeight: Tensor?, op: String
    ) {
        var (predictions, targets) = Losses.squeezeOrExpandToSameRank(yPred, yTrue)
        guard predictions.shape == targets.shape else {
            trap(.incompatibleShapes(op: op, lhs: yTrue.shape, rhs: yPred.shape))
        }
        var weights: Tensor?
        if let sampleWeight {
            weights = Losses.squeezeOrExpandToSameRank(targets, sampleWeight.expandingShape(at: -1), expandRank1: false).1
        }
        if let topK { predictions = Self.keepingTopK(predictions, topK) }
        if let classId {
            guard predictions.rank >= 2, let classes = predictions.shape.last, classId >= 0, classId < classes else {
                trap(.invalidArgument(op: op, message: "classId \(classId) needs predictions [batch, classes] with that class, got \(predictions.shape)"))
            }
            if let w = weights, w.shape == predictions.shape { weights = Self.column(w, classId) }
            predictions = Self.column(predictions, classId)
            targets = Self.column(targets, classId)
        }
        let count = predictions.scalarCount
        let weightValues: [Float]? = weights.map { $0.broadcast(toShape: predictions.shape).scalars }
        let thresholdCount = thresholds.count
        var tp = [Double](repeating: 0, count: thresholdCount)
        var fp = tp, tn = tp, fn = tp
        targets.withUnsafeBufferPointer { t in
            predictions.withUnsafeBufferPointer { p in
                if evenlyDistributed {
                    let withEpsilon = (thresholds.first ?? 0) < 0 || (thresholds.last ?? 1) > 1
                    let scale = Float(thresholdCount - 1)
                    var totalTrue: Double = 0, totalFalse: Double = 0
                    for i in 0..<count {
                        let weight = Double(weightValues?[i] ?? 1)
                        let positive = t[i] != 0
                        if positive { totalTrue += weight } else { totalFalse += weight }
                        var bucket = Int(ceilf(Swift.min(Swift.max(p[i], 0), 1) * scale)) - 1
                        if withEpsilon { bucket = Swift.max(bucket, 0) }
                        guard bucket >= 0 else { continue }
                        if positive { tp[bucket] += weight } else { fp[bucket] += weight }
                    }
                    // A prediction in bucket b is above thresholds 0...b: reverse cumulative sums.
                    for j in Swift.stride(from: thresholdCount - 2, through: 0, by: -1) {
                        tp[j] += tp[j + 1]
                        fp[j] += fp[j + 1]
                    }
                    for j in 0..<thresholdCount {
                        fn[j] = totalTrue - tp[j]
                        tn[j] = totalFalse - fp[j]
                    }
                } else {
                    for i in 0..<count {
                        let weight = Double(weightValues?[i] ?? 1)
                        let positive = t[i] != 0, value = p[i]
                        for j in 0..<thresholdCount {
                            if value > thresholds[j] {
                                if positive { tp[j] += weight } else { fp[j] += weight }
                            } else {
                                if positive { fn[j] += weight } else { tn[j] += weight }
                            }
                        }
                    }
                }
            }
        }
        Self.add(tp, to: truePositives)
        Self.add(fp, to: falsePositives)
        Self.add(tn, to: trueNegatives)
        Self.add(fn, to: falseNegatives)
    }

    private static func add(_ counts: [Double], to variable: Variable?) {
        variable?.updateInPlace { buffer in
            for j in 0..<buffer.count { buffer[j] += Float(counts[j]) }
        }
    }

    /// The `k` largest values of each last-axis row kept, the others set to ``negativeInfinity``.
    static func keepingTopK(_ x: Tensor, _ k: Int) -> Tensor {
        let length = x.shape.last ?? 1
        guard length > 0 else { return x }
        return x.withUnsafeBufferPointer { p in
            Tensor.make(shape: x.shape, count: p.count) { out in
                for base in Swift.stride(from: 0, to: p.count, by: length) {
                    let order = (0..<length).sorted { a, b in
                        p[base + a] > p[base + b] || (p[base + a] == p[base + b] && a < b)
                    }
                    for j in 0..<length { out[base + j] = negativeInfinity }
                    for j in order.prefix(k) { out[base + j] = p[base + j] }
                }
            }
        }
    }

    /// `x[..., index, newaxis]`: one column of the last axis, kept as a dimension of size 1.
    static func column(_ x: Tensor, _ index: Int) -> Tensor {
        let length = x.shape.last ?? 1
        let rows = length == 0 ? 0 : x.scalarCount / length
        return x.withUnsafeBufferPointer { p in
            Tensor.make(shape: Array(x.shape.dropLast()) + [1], count: rows) { out in
                for row in 0..<rows { out[row] = p[row * length + index] }
            }
        }
    }
}

/// `numerator / denominator`, or 0 when the denominator is 0 (Keras's `divide_no_nan`).
@inline(__always)
func divideNoNaN(_ numerator: Double, _ denominator: Double) -> Double {
    denominator == 0 ? 0 : numerator / denominator
}

extension Metrics {
    /// The shape rule of the confusion-count metrics (``ConfusionCounts/update(yTrue:yPred:thresholds:evenlyDistributed:topK:classId:sampleWeight:op:)``):
    /// one 0/1 target per prediction after rank matching, and `classId` within the last axis.
    /// - Throws: ``TargetError`` naming `function` otherwise.
    static func validateConfusionTargets(
        _ yTrue: Tensor, predictionShape: [Int], classId: Int?, function: String
    ) throws(TargetError) {
        let (predictions, targets) = TargetShapes.sameRank(predictionShape, yTrue.shape)
        guard predictions == targets else {
            throw TargetError(function: function, problem: .shapes(
                targets: yTrue.shape, predictions: predictionShape,
                advice: "it needs one 0/1 target per output (targets of shape \(predictionShape))"))
        }
        if let classId, predictions.count < 2 || classId >= (predictions.last ?? 0) {
            throw TargetError(function: function, problem: .shapes(
                targets: yTrue.shape, predictions: predictionShape,
                advice: "class_id \(classId) needs predictions of shape [samples, classes] with more than \(classId) classes"))
        }
    }
}
