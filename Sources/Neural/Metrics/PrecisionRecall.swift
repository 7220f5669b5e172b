extension Metrics {
    /// What ``Precision`` and ``Recall`` share: Keras's `thresholds`, `topK` and `classId` arguments,
    /// the weighted true positives and one other count per threshold (false positives or false
    /// negatives), and the ratio `tp / (tp + other)` at each threshold.
    ///
    /// Not created directly: use ``Precision`` or ``Recall``.
    public class ConfusionMetric: Metric {
        /// The thresholds given (Keras's `init_thresholds`); `nil` for the default.
        public let initialThresholds: [Float]?
        /// Only the `topK` largest predictions of each row count as positive, when set.
        public let topK: Int?
        /// Only this class (column of the last axis) is considered, when set.
        public let classId: Int?
        /// The thresholds in use.
        public let thresholds: [Float]
        private let evenlyDistributed: Bool

        /// Weighted count of true positives per threshold.
        public let truePositives: Variable
        /// Weighted count of the other outcome in the ratio's denominator, per threshold.
        let otherCount: Variable

        /// The outcome a confusion metric counts besides true positives.
        enum OtherOutcome {
            /// Precision's: positive predictions of negative targets.
            case falsePositive
            /// Recall's: negative predictions of positive targets.
            case falseNegative
        }

        /// Which outcome the metric counts besides true positives; each subclass overrides it.
        class var otherOutcome: OtherOutcome { fatalError("\(typeName) must override otherOutcome") }

        /// Validates the arguments (Keras's defaults: threshold 0.5, or -1e10 with `topK`) and creates
        /// the counts; traps, naming the metric, on invalid ones.
        init(thresholds: [Float]?, topK: Int?, classId: Int?, name: String?) {
            (initialThresholds, self.topK, self.classId, self.thresholds, evenlyDistributed) =
                Metrics.confusionSettings(thresholds: thresholds, topK: topK, classId: classId, op: Self.typeName)
            (truePositives, otherCount) = Self.counts(self.thresholds.count)
            super.init(name: name)
        }

        /// Rebuilds the metric from `name`, `thresholds` (a number, a list or null), `top_k` and
        /// `class_id`. - Throws: ``ConfigurationError``.
        public required init(configuration: Configuration) throws {
            let (thresholds, topK, classId) = try Metrics.confusionArguments(configuration, type: Self.typeName)
            (initialThresholds, self.topK, self.classId, self.thresholds, evenlyDistributed) =
                Metrics.confusionSettings(thresholds: thresholds, topK: topK, classId: classId, op: Self.typeName)
            (truePositives, otherCount) = Self.counts(self.thresholds.count)
            try super.init(configuration: configuration)
        }

        /// Zeroed true-positive and other-outcome counts for `thresholdCount` thresholds, named as Keras
        /// names them.
        private static func counts(_ thresholdCount: Int) -> (Variable, Variable) {
            let otherName = otherOutcome == .falsePositive ? "false_positives" : "false_negatives"
            return (Metric.stateVariable(named: "true_positives", shape: [thresholdCount]),
                    Metric.stateVariable(named: otherName, shape: [thresholdCount]))
        }

        /// `name`, `dtype`, `thresholds`, `top_k` and `class_id`, as Keras saves them.
        public override var configuration: Configuration {
            super.configuration.merging(
                Metrics.confusionConfiguration(initialThresholds, topK, classId)) { $1 }
        }

        /// Checks that the targets have the predictions' shape after rank matching, and that `classId`
        /// is one of the predictions' classes. - Throws: ``TargetError`` otherwise.
        public override func validateTargets(_ yTrue: Tensor, predictionShape: [Int]) throws(TargetError) {
            try Metrics.validateConfusionTargets(yTrue, predictionShape: predictionShape, classId: classId, function: name)
        }

        /// Counts the batch's true positives and the other outcome. Traps when the shapes do not fit.
        public override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) {
            var counts = ConfusionCounts(truePositives: truePositives)
            switch Self.otherOutcome {
            case .falsePositive: counts.falsePositives = otherCount
            case .falseNegative: counts.falseNegatives = otherCount
            }
            counts.update(
                yTrue: yTrue, yPred: yPred, thresholds: thresholds, evenlyDistributed: evenlyDistributed,
                topK: topK, classId: classId, sampleWeight: sampleWeight, op: Self.typeName)
        }

        /// The ratio at the first threshold (0 while its denominator is 0).
        public override func result() -> Float { resultsPerThreshold()[0] }

        /// The ratio `tp / (tp + other)` at each threshold (0 where the denominator is 0).
        public func resultsPerThreshold() -> [Float] {
            zip(truePositives.value.scalars, otherCount.value.scalars).map { tp, other in
                Float(divideNoNaN(Double(tp), Double(tp) + Double(other)))
            }
        }
    }

    /// Keras's `Precision`: true positives over predicted positives, `tp / (tp + fp)`, accumulated over
    /// batches (seed 000: 4 of 5 positive predictions right gives 0.8; adding a batch with 3 wrong
    /// positive predictions gives 4 / 8 = 0.5, not the 0.4 a mean of batch precisions would).
    ///
    /// A target counts as positive when nonzero, a prediction when above the threshold (0.5 by default;
    /// -1e10 with `topK`). With several thresholds, ``ConfusionMetric/result()`` is the first one's
    /// precision (0 before any positive prediction) and ``ConfusionMetric/resultsPerThreshold()`` gives
    /// them all. State: `true_positives` and `false_positives`, one per threshold.
    public final class Precision: ConfusionMetric {
        /// `"Precision"`, Keras's class name.
        public override class var typeName: String { "Precision" }
        override class var otherOutcome: OtherOutcome { .falsePositive }

        /// Weighted count of false positives per threshold.
        public var falsePositives: Variable { otherCount }

        /// Creates the metric, named `"precision"` by default. Traps when a threshold is outside `[0, 1]`,
        /// there are none, or `topK` is not positive.
        public override init(thresholds: [Float]? = nil, topK: Int? = nil, classId: Int? = nil, name: String? = nil) {
            super.init(thresholds: thresholds, topK: topK, classId: classId, name: name)
        }

        /// Convenience for one threshold.
        public convenience init(threshold: Float, name: String? = nil) {
            self.init(thresholds: [threshold], name: name)
        }

        /// Rebuilds the metric from `name`, `thresholds` (a number, a list or null), `top_k` and
        /// `class_id`. - Throws: ``ConfigurationError``.
        public required init(configuration: Configuration) throws { try super.init(configuration: configuration) }
    }

    /// Keras's `Recall`: true positives over actual positives, `tp / (tp + fn)`, accumulated over
    /// batches. Thresholds, `topK` and `classId` work as in ``Precision``; ``ConfusionMetric/result()``
    /// is 0 before any positive target. State: `true_positives` and `false_negatives`, one per threshold.
    public final class Recall: ConfusionMetric {
        /// `"Recall"`, Keras's class name.
        public override class var typeName: String { "Recall" }
        override class var otherOutcome: OtherOutcome { .falseNegative }

        /// Weighted count of false negatives per threshold.
        public var falseNegatives: Variable { otherCount }

        /// Creates the metric, named `"recall"` by default. Traps when a threshold is outside `[0, 1]`,
        /// there are none, or `topK` is not positive.
        public override init(thresholds: [Float]? = nil, topK: Int? = nil, classId: Int? = nil, name: String? = nil) {
            super.init(thresholds: thresholds, topK: topK, classId: classId, name: name)
        }

        /// Convenience for one threshold.
        public convenience init(threshold: Float, name: String? = nil) {
            self.init(thresholds: [threshold], name: name)
        }

        /// Rebuilds the metric from `name`, `thresholds`, `top_k` and `class_id`. - Throws: ``ConfigurationError``.
        public required init(configuration: Configuration) throws { try super.init(configuration: configuration) }
    }

    /// Validated thresholds and flags for Precision and Recall (Keras's `parse_init_thresholds`):
    /// the default threshold is 0.5, or -1e10 with `topK`. Traps on invalid arguments.
    static func confusionSettings(
        thresholds: [Float]?, topK: Int?, classId: Int?, op: String
    ) -> ([Float]?, Int?, Int?, [Float], Bool) {
        if let thresholds {
            guard !thresholds.isEmpty, thresholds.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
                trap(.invalidArgument(op: op, message: "thresholds must be a non-empty list of values in [0, 1], got \(thresholds)"))
            }
        }
        if let topK, topK <= 0 { trap(.invalidArgument(op: op, message: "topK must be positive, got \(topK)")) }
        if let classId, classId < 0 { trap(.invalidArgument(op: op, message: "classId must not be negative, got \(classId)")) }
        let used = thresholds ?? [topK == nil ? 0.5 : ConfusionCounts.negativeInfinity]
        return (thresholds, topK, classId, used, ConfusionCounts.isEvenlyDistributed(used.map { Double($0) }))
    }

    /// Reads `thresholds` (number, list or null), `top_k` and `class_id` (integers or null).
    static func confusionArguments(
        _ configuration: Configuration, type: String
    ) throws(ConfigurationError) -> ([Float]?, Int?, Int?) {
        var thresholds: [Float]?
        switch configuration["thresholds"] {
        case nil, .null?: thresholds = nil
        case .array(let values)?:
            thresholds = []
            for value in values {
                guard let number = value.doubleValue, number >= 0, number <= 1 else {
                    throw .invalidValue(type: type, key: "thresholds", expected: "numbers in [0, 1]", found: value)
                }
                thresholds?.append(Float(number))
            }
            if thresholds?.isEmpty == true {
                throw .invalidValue(type: type, key: "thresholds", expected: "at least one threshold", found: .array([]))
            }
        case let value?:
            guard let number = value.doubleValue, number >= 0, number <= 1 else {
                throw .invalidValue(type: type, key: "thresholds", expected: "a number in [0, 1], a list or null", found: value)
            }
            thresholds = [Float(number)]
        }
        func optionalInt(_ key: String, minimum: Int) throws(ConfigurationError) -> Int? {
            guard let value = configuration[key], value != .null else { return nil }
            guard let number = value.intValue, number >= minimum else {
                throw .invalidValue(type: type, key: key, expected: "an integer >= \(minimum) or null", found: value)
            }
            return number
        }
        return (thresholds, try optionalInt("top_k", minimum: 1), try optionalInt("class_id", minimum: 0))
    }

    /// `thresholds`, `top_k` and `class_id` as Keras's `get_config()` writes them.
    static func confusionConfiguration(_ thresholds: [Float]?, _ topK: Int?, _ classId: Int?) -> Configuration {
        [
            "thresholds": thresholds.map { values in
                values.count == 1 ? JSONValue.float(values[0]) : .array(values.map { JSONValue.float($0) })
            } ?? .null,
            "top_k": topK.map { .int($0) } ?? .null,
            "class_id": classId.map { .int($0) } ?? .null,
        ]
    }
}
