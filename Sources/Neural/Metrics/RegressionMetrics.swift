extension Metrics {
    /// Keras's `MeanSquaredError` metric: the running (weighted) mean of each sample's
    /// `mean((yTrue - yPred)², axis: -1)`. Registered as `"MeanSquaredErrorMetric"` (the loss has the
    /// Keras name); named `"mean_squared_error"` by default.
    public final class MeanSquaredError: Mean {
        /// `"MeanSquaredErrorMetric"`: Keras's class name is taken by ``Losses/MeanSquaredError``.
        public override class var typeName: String { "MeanSquaredErrorMetric" }
        /// `"mean_squared_error"`.
        public override class var defaultName: String { "mean_squared_error" }

        /// Creates the metric.
        public override init(name: String? = nil) { super.init(name: name) }

        /// Rebuilds the metric from its `name`. - Throws: ``ConfigurationError``.
        public required init(configuration: Configuration) throws { try super.init(configuration: configuration) }

        /// Checks that the targets give one value per output unit. - Throws: ``TargetError`` otherwise.
        public override func validateTargets(_ yTrue: Tensor, predictionShape: [Int]) throws(TargetError) {
            try TargetShapes.requireElementwiseFit(yTrue.shape, predictionShape, function: name)
        }

        /// Adds the batch's per-sample squared errors.
        public override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) {
            let (t, p) = Losses.squeezeOrExpandToSameRank(yTrue, yPred)
            accumulate(values: LossKernels.meanSquaredError(t, p), sampleWeight: sampleWeight)
        }
    }

    /// Keras's `MeanAbsoluteError` metric: the running (weighted) mean of each sample's
    /// `mean(|yTrue - yPred|, axis: -1)`. Registered as `"MeanAbsoluteErrorMetric"` (the loss has the
    /// Keras name); named `"mean_absolute_error"` by default.
    public final class MeanAbsoluteError: Mean {
        /// `"MeanAbsoluteErrorMetric"`: Keras's class name is taken by ``Losses/MeanAbsoluteError``.
        public override class var typeName: String { "MeanAbsoluteErrorMetric" }
        /// `"mean_absolute_error"`.
        public override class var defaultName: String { "mean_absolute_error" }

        /// Creates the metric.
        public override init(name: String? = nil) { super.init(name: name) }

        /// Rebuilds the metric from its `name`. - Throws: ``ConfigurationError``.
        public required init(configuration: Configuration) throws { try super.init(configuration: configuration) }

        /// Checks that the targets give one value per output unit. - Throws: ``TargetError`` otherwise.
        public override func validateTargets(_ yTrue: Tensor, predictionShape: [Int]) throws(TargetError) {
            try TargetShapes.requireElementwiseFit(yTrue.shape, predictionShape, function: name)
        }

        /// Adds the batch's per-sample absolute errors.
        public override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) {
            let (t, p) = Losses.squeezeOrExpandToSameRank(yTrue, yPred)
            accumulate(values: LossKernels.meanAbsoluteError(t, p), sampleWeight: sampleWeight)
        }
    }

    /// Keras's `RootMeanSquaredError`: the square root of the running (weighted) mean squared error.
    public final class RootMeanSquaredError: Mean {
        /// `"RootMeanSquaredError"`, Keras's class name.
        public override class var typeName: String { "RootMeanSquaredError" }

        /// Creates the metric, named `"root_mean_squared_error"` by default.
        public override init(name: String? = nil) { super.init(name: name) }

        /// Rebuilds the metric from its `name`. - Throws: ``ConfigurationError``.
        public required init(configuration: Configuration) throws { try super.init(configuration: configuration) }

        /// Checks that the targets give one value per output unit. - Throws: ``TargetError`` otherwise.
        public override func validateTargets(_ yTrue: Tensor, predictionShape: [Int]) throws(TargetError) {
            try TargetShapes.requireElementwiseFit(yTrue.shape, predictionShape, function: name)
        }

        /// Adds the batch's per-sample squared errors.
        public override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) {
            let (t, p) = Losses.squeezeOrExpandToSameRank(yTrue, yPred)
            accumulate(values: LossKernels.meanSquaredError(t, p), sampleWeight: sampleWeight)
        }

        /// The square root of the mean squared error so far.
        public override func result() -> Float { super.result().squareRoot() }
    }
}
