extension Losses {
    /// Keras's `Huber`: per element `0.5 e²` where `|e| <= delta` and `delta |e| - 0.5 delta²` elsewhere
    /// (`e = yPred - yTrue`), averaged over the last axis. Quadratic near 0, linear for outliers.
    public struct Huber: Loss, Sendable {
        /// `"Huber"`, Keras's class name.
        public static let typeName = "Huber"
        /// Where the loss turns from quadratic to linear; 1 by default.
        public var delta: Float
        /// The loss's name; `"huber_loss"` by default.
        public var name: String
        /// The reduction; ``LossReduction/sumOverBatchSize`` by default.
        public var reduction: LossReduction

        /// Creates the loss with Keras's defaults. Traps when `delta` is not positive and finite.
        public init(delta: Float = 1, reduction: LossReduction = .sumOverBatchSize, name: String = "huber_loss") {
            guard delta > 0, delta.isFinite else {
                trap(.invalidArgument(op: "Huber(delta:)", message: "delta must be positive and finite, got \(delta)"))
            }
            self.delta = delta
            self.reduction = reduction
            self.name = name
        }

        /// Rebuilds the loss from `delta`, `name` and `reduction`.
        /// - Throws: ``ConfigurationError``, also for a `delta` that is not positive.
        public init(configuration: Configuration) throws {
            let delta = try configuration.float("delta", in: Self.typeName, default: 1)
            guard delta > 0, delta.isFinite else {
                throw ConfigurationError.invalidValue(
                    type: Self.typeName, key: "delta", expected: "a positive number", found: configuration["delta"] ?? .null)
            }
            self.delta = delta
            (name, reduction) = try Losses.nameAndReduction(in: configuration, type: Self.typeName, defaultName: "huber_loss")
        }

        /// `name`, `reduction` and `delta`.
        public var configuration: Configuration {
            var configuration = baseConfiguration
            configuration["delta"] = .float(delta)
            return configuration
        }

        /// Checks that the targets give one value per output unit (after rank matching, a dimension
        /// of 1 broadcasts). - Throws: ``TargetError`` otherwise.
        public func validateTargets(_ yTrue: Tensor, predictionShape: [Int]) throws(TargetError) {
            try TargetShapes.requireElementwiseFit(yTrue.shape, predictionShape, function: name)
        }

        /// The Huber loss over the last axis (ranks matched first); differentiable in both.
        public func perSampleLoss(yTrue: Tensor, yPred: Tensor) -> Tensor {
            let (t, p) = Losses.squeezeOrExpandToSameRank(yTrue, yPred)
            return LossKernels.huber(t, p, delta: delta)
        }
    }
}
