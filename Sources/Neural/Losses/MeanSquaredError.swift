extension Losses {
    /// Keras's `MeanSquaredError`: `mean((yTrue - yPred)², axis: -1)` per sample.
    public struct MeanSquaredError: Loss, Sendable {
        /// `"MeanSquaredError"`, Keras's class name.
        public static let typeName = "MeanSquaredError"
        /// The loss's name; `"mean_squared_error"` by default.
        public var name: String
        /// The reduction; ``LossReduction/sumOverBatchSize`` by default.
        public var reduction: LossReduction

        /// Creates the loss with Keras's defaults.
        public init(reduction: LossReduction = .sumOverBatchSize, name: String = "mean_squared_error") {
            self.reduction = reduction
            self.name = name
        }

        /// Rebuilds the loss from `name` and `reduction`. - Throws: ``ConfigurationError``.
        public init(configuration: Configuration) throws {
            (name, reduction) = try Losses.nameAndReduction(
                in: configuration, type: Self.typeName, defaultName: "mean_squared_error")
        }

        /// `name` and `reduction`.
        public var configuration: Configuration { baseConfiguration }

        /// Checks that the targets give one value per output unit (after rank matching, a dimension
        /// of 1 broadcasts). - Throws: ``TargetError`` otherwise.
        public func validateTargets(_ yTrue: Tensor, predictionShape: [Int]) throws(TargetError) {
            try TargetShapes.requireElementwiseFit(yTrue.shape, predictionShape, function: name)
        }

        /// The mean squared error over the last axis (ranks matched first); differentiable in both.
        public func perSampleLoss(yTrue: Tensor, yPred: Tensor) -> Tensor {
            let (t, p) = Losses.squeezeOrExpandToSameRank(yTrue, yPred)
            return LossKernels.meanSquaredError(t, p)
        }
    }
}
