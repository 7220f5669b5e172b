extension Losses {
    /// Keras's `MeanAbsoluteError`: `mean(|yTrue - yPred|, axis: -1)` per sample.
    public struct MeanAbsoluteError: Loss, Sendable {
        /// `"MeanAbsoluteError"`, Keras's class name.
        public static let typeName = "MeanAbsoluteError"
        /// The loss's name; `"mean_absolute_error"` by default.
        public var name: String
        /// The reduction; ``LossReduction/sumOverBatchSize`` by default.
        public var reduction: LossReduction

        /// Creates the loss with Keras's defaults.
        public init(reduction: LossReduction = .sumOverBatchSize, name: String = "mean_absolute_error") {
            self.reduction = reduction
            self.name = name
        }

        /// Rebuilds the loss from `name` and `reduction`. - Throws: ``ConfigurationError``.
        public init(configuration: Configuration) throws {
            (name, reduction) = try Losses.nameAndReduction(
                in: configuration, type: Self.typeName, defaultName: "mean_absolute_error")
        }

        /// `name` and `reduction`.
        public var configuration: Configuration { baseConfiguration }

        /// Checks that the targets give one value per output unit (after rank matching, a dimension
        /// of 1 broadcasts). - Throws: ``TargetError`` otherwise.
        public func validateTargets(_ yTrue: Tensor, predictionShape: [Int]) throws(TargetError) {
            try TargetShapes.requireElementwiseFit(yTrue.shape, predictionShape, function: name)
        }

        /// The mean absolute error over the last axis (ranks matched first); differentiable in both (gradient 0 at a zero error).
        public func perSampleLoss(yTrue: Tensor, yPred: Tensor) -> Tensor {
            let (t, p) = Losses.squeezeOrExpandToSameRank(yTrue, yPred)
            return LossKernels.meanAbsoluteError(t, p)
        }
    }
}
