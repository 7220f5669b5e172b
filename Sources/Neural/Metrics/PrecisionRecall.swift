extension Metrics {
    /// Keras's `Precision`: true positives over predicted positives, `tp / (tp + fp)`, accumulated over
    /// batches (seed 000: 4 of 5 positive predictions right gives 0.8; adding a batch with 3 wrong
    /// positive predictions gives 4 / 8 = 0.5, not the 0.4 a mean of batch precisions would).
    ///
    /// A target counts as positive when nonzero, a prediction when above the threshold (0.5 by default;
    /// -1e10 with `topK`). With several thresholds, ``result()`` is the first one's precision and
    /// ``resultsPerThreshold()`` gives them all. State: `true_positives` and `false_positives`, one per
    /// threshold.
    public final class Precision: Metric {
        /// `"Precision"`, Keras's class name.
        public override class var typeName: String { "Precision" }

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
        /// Weighted count of false positives per threshold.
        public let falsePositives: Variable

        /// Creates the metric, named `"precision"` by default. Traps when a threshold is outside `[0, 1]`,
        /// there are none, or `topK` is not positive.
        public init(thresholds: [Float]? = nil, topK: Int? = nil, classId: Int? = nil, name: String? = nil) {
            (initialThresholds, self.topK, self.classId, self.thresholds, evenlyDistributed) =
                Metrics.confusionSettings(thresholds: thresholds, topK: topK, classId: classId, op: "Precision")
            truePositives = Metric.stateVariable(named: "true_positives", shape: [self.thresholds.count])
            falsePositives = Metric.stateVariable(named: "false_positives", shape: [self.thresholds.count])
            super.init(name: name)
        }

        /// Convenience for one threshold.
        public convenience init(threshold: Float, name: String? = nil) {
            self.init(thresholds: [threshold], name: name)
        }

        /// Rebuilds the metric from `name`, `thresholds` (a number, a list or null), `top_k` and
        /// `class_id`. - Throws: ``ConfigurationError``.
        public required init(configuration: Configuration) throws {
            let (thresholds, topK, classId) = try Metrics.confusionArguments(configuration, type: Self.typeName)
            (initialThresholds, self.topK, self.classId, self.thresholds, evenlyDistributed) =
                Metrics.confusionSettings(thresholds: thresholds, topK: topK, classId: classId, op: "Precision")
            truePositives = Metric.stateVariable(named: "true_positives", shape: [self.thresholds.count])
            falsePositives = Metric.stateVariable(named: "false_positives", shape: [self.thresholds.count])
            try super.init(configuration: configuration)
        }

        /// `name`, `dtype`, `thresholds`, `top_k` and `class_id`, as Keras saves them.
        public override var configuration: Configuration {
            super.configuration.merging(
                Metrics.confusionConfiguration(initialThresholds, topK, classId)) { $1 }
        }

        /// Counts the batch's true and false positives. Traps when the shapes do not fit.
        public override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) {
            ConfusionCounts(truePositives: truePositives, falsePositives: falsePositives).update(
                yTrue: yTrue, yPred: yPred, thresholds: thresholds, evenlyDistributed: evenlyDistributed,
                topK: topK, classId: classId, sampleWeight: sampleWeight, op: "Precision")
        }

        /// The precision at the first threshold (0 before any positive prediction).
        public override func result() -> Float { resultsPerThreshold()[0] }

        /// The precision at each threshold.
        public func resultsPerThreshold() -> [Float] {
            zip(truePositives.value.scalars, falsePositives.value.scalars).map { tp, fp in
                Float(divideNoNaN(Double(tp), Double(tp) + Double(fp)))
            }
        }
    }

    /// Keras's `Recall`: true positives over actual positives, `tp / (tp + fn)`, accumulated over
    /// batches. Thresholds, `topK` and `classId` work as in ``Precision``. State: `true_positives` and
    /// `false_negatives`, one per threshold.
    public final class Recall: Metric {
        /// `"Recall"`, Keras's class name.
        public override class var typeName: String { "Recall" }

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
        /// Weighted count of false negatives per threshold.
        public let falseNegatives: Variable

        /// Creates the metric, named `"recall"` by default. Traps when a threshold is outside `[0, 1]`,
        /// there are none, or `topK` is not positive.
        public init(thresholds: [Float]? = nil, topK: Int? = nil, classId: Int? = nil, name: String? = nil) {
            (initialThresholds, self.topK, self.classId, self.thresholds, evenlyDistributed) =
                Metrics.confusionSettings(thresholds: thresholds, topK: topK, classId: classId, op: "Recall")
            truePositives = Metric.stateVariable(named: "true_positives", shape: [self.thresholds.count])
            falseNegatives = Metric.stateVariable(named: "false_negatives", shape: [self.thresholds.count])
            super.init(name: name)
        }

        /// Convenience for one threshold.
        public convenience init(threshold: Float, name: String? = nil) {
            self.init(thresholds: [threshold], name: name)
        }

        /// Rebuilds the metric from `name`, `thresholds`, `top_k` and `class_id`. - Throws: ``ConfigurationError``.
        public required init(configuration: Configuration) throws {
            let (thresholds, topK, classId) = try Metrics.confusionArguments(configuration, type: Self.typeName)
            (initialThresholds, self.topK, self.classId, self.thresholds, evenlyDistributed) =
                Metrics.confusionSettings(thresholds: thresholds, topK: topK, classId: classId, op: "Recall")
            truePositives = Metric.stateVariable(named: "true_positives", shape: [self.thresholds.count])
            falseNegatives = Metric.stateVariable(named: "false_negatives", shape: [self.thresholds.count])
            try super.init(configuration: configuration)
        }

        /// `name`, `dtype`, `thresholds`, `top_k` and `class_id`, as Keras saves them.
        public override var configuration: Configuration {
            super.configuration.merging(
                Metrics.confusionConfiguration(initialThresholds, topK, classId)) { $1 }
        }

        /// Counts the batch's true positives and false negatives. Traps when the shapes do not fit.
        public override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) {
            ConfusionCounts(truePositives: truePositives, falseNegatives: falseNegatives).update(
                yTrue: yTrue, yPred: yPred, thresholds: thresholds, evenlyDistributed: evenlyDistributed,
                topK: topK, classId: classId, sampleWeight: sampleWeight, op: "Recall")
        }

        /// The recall at the first threshold (0 before any positive target).
        public override func result() -> Float { resultsPerThreshold()[0] }

        /// The recall at each threshold.
        public func resultsPerThreshold() -> [Float] {
            zip(truePositives.value.scalars, falseNegatives.value.scalars).map { tp, fn in
                Float(divideNoNaN(Double(tp), Double(tp) + Double(fn)))
            }
        }
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
                values.count == 1 ? ConfigValue.float(values[0]) : .array(values.map { ConfigValue.float($0) })
            } ?? .null,
            "top_k": topK.map { .int($0) } ?? .null,
            "class_id": classId.map { .int($0) } ?? .null,
        ]
    }
}
