extension Metrics {
    /// Keras's `SparseCategoricalAccuracy`: how often the arg max of the predictions (shape
    /// `[batch, classes]`, probabilities or logits) equals the class-index target (shape `[batch]` or
    /// `[batch, 1]`, as Floats), as a weighted running mean.
    ///
    /// One loop over the raw buffers finds each row's arg max (the first on ties) and counts matches;
    /// no intermediate tensor is built for `[batch, classes]` predictions.
    public final class SparseCategoricalAccuracy: Mean {
        /// `"SparseCategoricalAccuracy"`, Keras's class name.
        public override class var typeName: String { "SparseCategoricalAccuracy" }

        /// Creates the metric, named `"sparse_categorical_accuracy"` by default.
        public override init(name: String? = nil) { super.init(name: name) }

        /// Rebuilds the metric from its `name`. - Throws: ``ConfigurationError``.
        public required init(configuration: Configuration) throws { try super.init(configuration: configuration) }

        /// Checks that the targets hold one label per row of predictions with a class axis (labels
        /// outside the classes simply never match, as in Keras). - Throws: ``TargetError`` otherwise.
        public override func validateTargets(_ yTrue: Tensor, predictionShape: [Int]) throws(TargetError) {
            guard let classes = predictionShape.last, classes > 0, predictionShape.count >= 2,
                  yTrue.scalarCount == predictionShape.dropLast().reduce(1, *) else {
                throw TargetError(function: name, problem: .shapes(
                    targets: yTrue.shape, predictions: predictionShape,
                    advice: "it needs one class index per sample and predictions with one value per class"))
            }
        }

        /// Counts the batch's matches. Traps when `yTrue` does not hold one label per prediction row.
        public override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) {
            let (rows, classes) = Metrics.rowsAndClasses(yPred, op: "SparseCategoricalAccuracy")
            guard yTrue.scalarCount == rows else {
                trap(.invalidArgument(
                    op: "SparseCategoricalAccuracy",
                    message: "targets \(yTrue.shape) do not hold one label per row of predictions \(yPred.shape)"))
            }
            yTrue.withUnsafeBufferPointer { labels in
                yPred.withUnsafeBufferPointer { predictions in
                    accumulateRows(rows, leadingShape: Array(yPred.shape.dropLast()), sampleWeight: sampleWeight) { row in
                        Float(Metrics.argmax(predictions, row * classes, classes)) == labels[row] ? 1 : 0
                    }
                }
            }
        }
    }

    /// Keras's `CategoricalAccuracy`: how often the arg max of the predictions equals the arg max of the
    /// one-hot targets (both `[batch, classes]`), as a weighted running mean.
    public final class CategoricalAccuracy: Mean {
        /// `"CategoricalAccuracy"`, Keras's class name.
        public override class var typeName: String { "CategoricalAccuracy" }

        /// Creates the metric, named `"categorical_accuracy"` by default.
        public override init(name: String? = nil) { super.init(name: name) }

        /// Rebuilds the metric from its `name`. - Throws: ``ConfigurationError``.
        public required init(configuration: Configuration) throws { try super.init(configuration: configuration) }

        /// Checks that the targets have the predictions' shape (one-hot). - Throws: ``TargetError`` otherwise.
        public override func validateTargets(_ yTrue: Tensor, predictionShape: [Int]) throws(TargetError) {
            guard yTrue.shape == predictionShape, let classes = predictionShape.last, classes > 0 else {
                throw TargetError(function: name, problem: .shapes(
                    targets: yTrue.shape, predictions: predictionShape,
                    advice: "it needs one-hot targets of the predictions' shape; for integer class labels use sparse_categorical_accuracy"))
            }
        }

        /// Counts the batch's matches. Traps when the targets' and predictions' shapes differ.
        public override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) {
            let (rows, classes) = Metrics.rowsAndClasses(yPred, op: "CategoricalAccuracy")
            guard yTrue.shape == yPred.shape else {
                trap(.incompatibleShapes(op: "CategoricalAccuracy", lhs: yTrue.shape, rhs: yPred.shape))
            }
            yTrue.withUnsafeBufferPointer { targets in
                yPred.withUnsafeBufferPointer { predictions in
                    accumulateRows(rows, leadingShape: Array(yPred.shape.dropLast()), sampleWeight: sampleWeight) { row in
                        let base = row * classes
                        return Metrics.argmax(targets, base, classes) == Metrics.argmax(predictions, base, classes) ? 1 : 0
                    }
                }
            }
        }
    }

    /// Keras's `BinaryAccuracy`: how often `yPred > threshold` agrees with the 0/1 target, averaged per
    /// sample over the trailing axes and then as a weighted running mean (targets `[batch]` meet
    /// predictions `[batch, 1]` as `[batch, 1]`).
    public final class BinaryAccuracy: Mean {
        /// `"BinaryAccuracy"`, Keras's class name.
        public override class var typeName: String { "BinaryAccuracy" }

        /// A prediction above it counts as 1; 0.5 by default (use 0 for logits).
        public let threshold: Float

        /// Creates the metric, named `"binary_accuracy"` by default.
        public init(threshold: Float = 0.5, name: String? = nil) {
            self.threshold = threshold
            super.init(name: name)
        }

        /// Rebuilds the metric from `name` and `threshold` (0.5 when absent). - Throws: ``ConfigurationError``.
        public required init(configuration: Configuration) throws {
            threshold = try configuration.float("threshold", in: Self.typeName, default: 0.5)
            try super.init(configuration: configuration)
        }

        /// `name`, `dtype` and `threshold`.
        public override var configuration: Configuration {
            var configuration = super.configuration
            configuration["threshold"] = .float(threshold)
            return configuration
        }

        /// Checks that the targets have the predictions' shape after rank matching (one 0/1 target per
        /// output). - Throws: ``TargetError`` otherwise.
        public override func validateTargets(_ yTrue: Tensor, predictionShape: [Int]) throws(TargetError) {
            let (t, p) = TargetShapes.sameRank(yTrue.shape, predictionShape)
            guard t == p else {
                throw TargetError(function: name, problem: .shapes(
                    targets: yTrue.shape, predictions: predictionShape,
                    advice: TargetShapes.elementwiseAdvice(targets: yTrue.shape, predictions: predictionShape)))
            }
        }

        /// Counts the batch's agreements. Traps when the shapes do not match after rank matching.
        public override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) {
            let (t, p) = Losses.squeezeOrExpandToSameRank(yTrue, yPred)
            guard t.shape == p.shape else {
                trap(.incompatibleShapes(op: "BinaryAccuracy", lhs: yTrue.shape, rhs: yPred.shape))
            }
            let threshold = self.threshold
            let rows = p.rank == 0 ? 1 : p.shape[0]
            let inner = rows == 0 ? 1 : p.scalarCount / rows
            let scale = inner == 0 ? 0 : 1 / Float(inner)
            t.withUnsafeBufferPointer { targets in
                p.withUnsafeBufferPointer { predictions in
                    accumulateRows(rows, leadingShape: p.rank == 0 ? [] : [rows], sampleWeight: sampleWeight) { row in
                        var agreements: Float = 0
                        for i in (row * inner)..<(row * inner + inner) {
                            let predicted: Float = predictions[i] > threshold ? 1 : 0
                            if predicted == targets[i] { agreements += 1 }
                        }
                        return agreements * scale
                    }
                }
            }
        }
    }

    /// `(rows, classes)` of predictions with a class axis; traps (naming `op`) on a scalar or no classes.
    static func rowsAndClasses(_ yPred: Tensor, op: String) -> (rows: Int, classes: Int) {
        guard let classes = yPred.shape.last, classes > 0 else {
            trap(.invalidArgument(op: op, message: "predictions need a non-empty class axis, got shape \(yPred.shape)"))
        }
        return (yPred.scalarCount / classes, classes)
    }

    /// The index of the largest of `count` values from `base` (the first on ties).
    @inline(__always)
    static func argmax(_ p: UnsafeBufferPointer<Float>, _ base: Int, _ count: Int) -> Int {
        var best = 0
        var bestValue = p[base]
        for j in 1..<Swift.max(count, 1) where p[base + j] > bestValue {
            best = j
            bestValue = p[base + j]
        }
        return best
    }
}

extension Metrics.Mean {
    /// Adds per-sample scores `score(row)` for `rows` samples whose leading shape is `leadingShape`:
    /// directly when unweighted (one sample per row) or weighted one weight per row; otherwise through
    /// a scores tensor and ``accumulate(values:sampleWeight:)`` (Keras's general weighting rules).
    @inline(__always)
    final func accumulateRows(
        _ rows: Int, leadingShape: [Int], sampleWeight: Tensor?, score: (Int) -> Float
    ) {
        if leadingShape.count <= 1 {
            guard let sampleWeight else {
                var total: Float = 0
                for row in 0..<rows { total += score(row) }
                accumulate(total: total, count: Float(rows))
                return
            }
            if sampleWeight.scalarCount == rows, sampleWeight.rank >= 1, sampleWeight.rank <= 2, sampleWeight.shape[0] == rows {
                sampleWeight.withUnsafeBufferPointer { weights in
                    var total: Float = 0, count: Float = 0
                    for row in 0..<rows {
                        total += score(row) * weights[row]
                        count += weights[row]
                    }
                    accumulate(total: total, count: count)
                }
                return
            }
        }
        let scores = Tensor.make(shape: leadingShape, count: rows) { out in
            for row in 0..<rows { out[row] = score(row) }
        }
        accumulate(values: scores, sampleWeight: sampleWeight)
    }
}
