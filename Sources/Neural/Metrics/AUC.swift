#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Metrics {
    /// Keras's `AUC`: the area under the ROC (default) or precision-recall curve, approximated from
    /// confusion counts at fixed thresholds accumulated over batches.
    ///
    /// By default 200 thresholds: `-1e-7`, `i / 199` for `i` in `1...198`, and `1 + 1e-7`; each
    /// prediction (clipped to `[0, 1]`) falls in one bucket, Keras's optimized path. The ROC area sums
    /// trapezoids between consecutive thresholds (``SummationMethod/interpolation``; minoring and
    /// majoring take the smaller or larger height); the PR area with interpolation uses Keras's closed
    /// form (Davis & Goadrich). With `fromLogits`, predictions go through a sigmoid first.
    /// `multi_label` and `label_weights` are not supported.
    ///
    /// State: `true_positives`, `false_positives`, `true_negatives`, `false_negatives`, one per threshold.
    public final class AUC: Metric {
        /// Which curve's area is computed.
        public enum Curve: String, Sendable {
            /// Recall against false-positive rate.
            case roc = "ROC"
            /// Precision against recall.
            case pr = "PR"
        }

        /// How the area between two thresholds is approximated.
        public enum SummationMethod: String, Sendable {
            /// Trapezoids for ROC; Davis & Goadrich's interpolation for PR.
            case interpolation
            /// The smaller of the two heights.
            case minoring
            /// The larger of the two heights.
            case majoring
        }

        /// `"AUC"`, Keras's class name.
        public override class var typeName: String { "AUC" }

        /// The number of thresholds, endpoints included.
        public let numberOfThresholds: Int
        /// The curve.
        public let curve: Curve
        /// The summation method.
        public let summationMethod: SummationMethod
        /// Whether predictions are logits.
        public let fromLogits: Bool
        /// The thresholds given (sorted, without the endpoints), or `nil` when they are evenly spaced
        /// from `numberOfThresholds`.
        public let initialThresholds: [Float]?
        /// All thresholds in use, endpoints included.
        public let thresholds: [Float]
        private let evenlyDistributed: Bool

        /// Weighted true positives per threshold.
        public let truePositives: Variable
        /// Weighted false positives per threshold.
        public let falsePositives: Variable
        /// Weighted true negatives per threshold.
        public let trueNegatives: Variable
        /// Weighted false negatives per threshold.
        public let falseNegatives: Variable

        /// Creates the metric, named `"auc"` by default. `thresholds`, when given, replace the evenly
        /// spaced ones (and `numberOfThresholds` becomes their count plus 2). Traps when
        /// `numberOfThresholds` is below 2 or a threshold is outside `[0, 1]`.
        public init(
            numberOfThresholds: Int = 200, curve: Curve = .roc, summationMethod: SummationMethod = .interpolation,
            thresholds: [Float]? = nil, fromLogits: Bool = false, name: String? = nil
        ) {
            let settings = Self.thresholdSettings(numberOfThresholds: numberOfThresholds, thresholds: thresholds)
            (self.numberOfThresholds, self.thresholds, initialThresholds, evenlyDistributed) = settings
            self.curve = curve
            self.summationMethod = summationMethod
            self.fromLogits = fromLogits
            (truePositives, falsePositives, trueNegatives, falseNegatives) = Self.counts(settings.count)
            super.init(name: name)
        }

        /// Rebuilds the metric from `name`, `num_thresholds`, `curve`, `summation_method`, `thresholds`
        /// and `from_logits` (`multi_label` must be false and `label_weights` null).
        ///
        /// - Throws: ``ConfigurationError`` naming the key at fault.
        public required init(configuration: Configuration) throws {
            let type = Self.typeName
            let count = configuration["num_thresholds"] == nil ? 200 : try configuration.int("num_thresholds", in: type)
            let curveName = configuration["curve"] == nil ? "ROC" : try configuration.string("curve", in: type)
            guard let curve = Curve(rawValue: curveName.uppercased()) else {
                throw ConfigurationError.invalidValue(type: type, key: "curve", expected: "ROC or PR", found: .string(curveName))
            }
            let methodName = configuration["summation_method"] == nil
                ? "interpolation" : try configuration.string("summation_method", in: type)
            guard let method = SummationMethod(rawValue: methodName.lowercased()) else {
                throw ConfigurationError.invalidValue(
                    type: type, key: "summation_method", expected: "interpolation, minoring or majoring", found: .string(methodName))
            }
            let fromLogits = try configuration.bool("from_logits", in: type, default: false)
            if try configuration.bool("multi_label", in: type, default: false) {
                throw ConfigurationError.invalidValue(
                    type: type, key: "multi_label", expected: "false (multi-label AUC is not supported)", found: .bool(true))
            }
            if let weights = configuration["label_weights"], weights != .null {
                throw ConfigurationError.invalidValue(
                    type: type, key: "label_weights", expected: "null (label weights are not supported)", found: weights)
            }
            var thresholds: [Float]?
            if let value = configuration["thresholds"], value != .null {
                guard let values = value.arrayValue?.compactMap({ $0.doubleValue }), values.count == value.arrayValue?.count,
                      values.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
                    throw ConfigurationError.invalidValue(type: type, key: "thresholds", expected: "a list of numbers in [0, 1]", found: value)
                }
                thresholds = values.map { Float($0) }
            } else if count <= 1 {
                throw ConfigurationError.invalidValue(type: type, key: "num_thresholds", expected: "an integer above 1", found: .int(count))
            }
            let settings = Self.thresholdSettings(numberOfThresholds: count, thresholds: thresholds)
            (numberOfThresholds, self.thresholds, initialThresholds, evenlyDistributed) = settings
            self.curve = curve
            summationMethod = method
            self.fromLogits = fromLogits
            (truePositives, falsePositives, trueNegatives, falseNegatives) = Self.counts(settings.count)
            try super.init(configuration: configuration)
        }

        /// The thresholds for `numberOfThresholds` evenly spaced ones, or for the given ones, with the
        /// endpoints `-1e-7` and `1 + 1e-7`. Traps on invalid arguments.
        private static func thresholdSettings(
            numberOfThresholds: Int, thresholds: [Float]?
        ) -> (count: Int, all: [Float], initial: [Float]?, evenly: Bool) {
            let inner: [Double], count: Int, evenly: Bool
            if let thresholds {
                guard thresholds.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
                    trap(.invalidArgument(op: "AUC", message: "thresholds must be in [0, 1], got \(thresholds)"))
                }
                inner = thresholds.sorted().map { Double($0) }
                count = thresholds.count + 2
                evenly = ConfusionCounts.isEvenlyDistributed([0] + inner + [1])
            } else {
                guard numberOfThresholds > 1 else {
                    trap(.invalidArgument(op: "AUC", message: "numberOfThresholds must be above 1, got \(numberOfThresholds)"))
                }
                inner = (0..<(numberOfThresholds - 2)).map { Double($0 + 1) / Double(numberOfThresholds - 1) }
                count = numberOfThresholds
                evenly = true
            }
            let epsilon = Double(LossKernels.epsilon)
            return (count, ([0 - epsilon] + inner + [1 + epsilon]).map { Float($0) }, thresholds?.sorted(), evenly)
        }

        /// The four zeroed count variables for `count` thresholds.
        private static func counts(_ count: Int) -> (Variable, Variable, Variable, Variable) {
            (Metric.stateVariable(named: "true_positives", shape: [count]),
             Metric.stateVariable(named: "false_positives", shape: [count]),
             Metric.stateVariable(named: "true_negatives", shape: [count]),
             Metric.stateVariable(named: "false_negatives", shape: [count]))
        }

        /// Keras's configuration: `num_thresholds`, `curve`, `summation_method`, `multi_label` (false),
        /// `num_labels` and `label_weights` (null), `from_logits`, and `thresholds` when given.
        public override var configuration: Configuration {
            var configuration = super.configuration
            configuration["num_thresholds"] = .int(numberOfThresholds)
            configuration["curve"] = .string(curve.rawValue)
            configuration["summation_method"] = .string(summationMethod.rawValue)
            configuration["multi_label"] = false
            configuration["num_labels"] = .null
            configuration["label_weights"] = .null
            configuration["from_logits"] = .bool(fromLogits)
            if let initialThresholds { configuration["thresholds"] = .array(initialThresholds.map { .float($0) }) }
            return configuration
        }

        /// Checks that the targets have the predictions' shape after rank matching.
        /// - Throws: ``TargetError`` otherwise.
        public override func validateTargets(_ yTrue: Tensor, predictionShape: [Int]) throws(TargetError) {
            try Metrics.validateConfusionTargets(yTrue, predictionShape: predictionShape, classId: nil, function: name)
        }

        /// Counts the batch at every threshold. Traps when the shapes do not fit.
        public override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) {
            ConfusionCounts(
                truePositives: truePositives, falsePositives: falsePositives,
                trueNegatives: trueNegatives, falseNegatives: falseNegatives
            ).update(
                yTrue: yTrue, yPred: fromLogits ? yPred.sigmoid() : yPred, thresholds: thresholds,
                evenlyDistributed: evenlyDistributed, sampleWeight: sampleWeight, op: "AUC")
        }

        /// The area under the curve from the counts so far (0 before any sample).
        public override func result() -> Float {
            let tp = truePositives.value.scalars.map { Double($0) }
            let fp = falsePositives.value.scalars.map { Double($0) }
            let tn = trueNegatives.value.scalars.map { Double($0) }
            let fn = falseNegatives.value.scalars.map { Double($0) }
            let n = numberOfThresholds
            if curve == .pr && summationMethod == .interpolation {
                return Float(Self.interpolatedPRArea(tp: tp, fp: fp, fn: fn))
            }
            let recall = (0..<n).map { divideNoNaN(tp[$0], tp[$0] + fn[$0]) }
            let x: [Double], y: [Double]
            switch curve {
            case .roc:
                x = (0..<n).map { divideNoNaN(fp[$0], fp[$0] + tn[$0]) }
                y = recall
            case .pr:
                x = recall
                y = (0..<n).map { divideNoNaN(tp[$0], tp[$0] + fp[$0]) }
            }
            var area: Double = 0
            for i in 0..<(n - 1) {
                let height: Double
                switch summationMethod {
                case .interpolation: height = (y[i] + y[i + 1]) / 2
                case .minoring: height = Swift.min(y[i], y[i + 1])
                case .majoring: height = Swift.max(y[i], y[i + 1])
                }
                area += (x[i] - x[i + 1]) * height
            }
            return Float(area)
        }

        /// Keras's `interpolate_pr_auc`: precision interpolated between thresholds as
        /// `(tp_A + slope (P - P_A)) / P`, integrated in closed form per interval.
        static func interpolatedPRArea(tp: [Double], fp: [Double], fn: [Double]) -> Double {
            var area: Double = 0
            for i in 0..<(tp.count - 1) {
                let p0 = tp[i] + fp[i], p1 = tp[i + 1] + fp[i + 1]
                let dtp = tp[i] - tp[i + 1]
                let slope = divideNoNaN(dtp, Swift.max(p0 - p1, 0))
                let intercept = tp[i + 1] - slope * p1
                let ratio = p0 > 0 && p1 > 0 ? divideNoNaN(p0, Swift.max(p1, 0)) : 1
                area += divideNoNaN(slope * (dtp + intercept * naturalLog(ratio)), Swift.max(tp[i + 1] + fn[i + 1], 0))
            }
            return area
        }
    }
}

@inline(__always)
private func naturalLog(_ x: Double) -> Double { log(x) }
