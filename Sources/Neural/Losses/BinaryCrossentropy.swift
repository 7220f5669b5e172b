extension Losses {
    /// Keras's `BinaryCrossentropy`: per element `-(t log p + (1 - t) log(1 - p))`, averaged over the
    /// last axis (targets `[batch]` meet predictions `[batch, 1]` as `[batch, 1]`, giving `[batch]`).
    ///
    /// From probabilities, `p` is clipped to `[1e-7, 1 - 1e-7]` (the gradient is zero where the clip is
    /// active). From logits it is TensorFlow's stable `sigmoid_cross_entropy_with_logits`. With
    /// `labelSmoothing` `s > 0`, targets become `yTrue (1 - s) + s / 2`.
    public struct BinaryCrossentropy: Loss, Sendable {
        /// `"BinaryCrossentropy"`, Keras's class name.
        public static let typeName = "BinaryCrossentropy"
        /// Whether predictions are logits (`true`) or probabilities (`false`, the default).
        public var fromLogits: Bool
        /// How far targets are squeezed towards 0.5, in `[0, 1]`; 0 by default.
        public var labelSmoothing: Float
        /// The loss's name; `"binary_crossentropy"` by default.
        public var name: String
        /// The reduction; ``LossReduction/sumOverBatchSize`` by default.
        public var reduction: LossReduction

        /// Creates the loss with Keras's defaults. Traps when `labelSmoothing` is outside `[0, 1]`.
        public init(
            fromLogits: Bool = false, labelSmoothing: Float = 0, reduction: LossReduction = .sumOverBatchSize,
            name: String = "binary_crossentropy"
        ) {
            Losses.checkLabelSmoothing(labelSmoothing, op: Self.typeName)
            self.fromLogits = fromLogits
            self.labelSmoothing = labelSmoothing
            self.reduction = reduction
            self.name = name
        }

        /// Rebuilds the loss from `from_logits`, `label_smoothing`, `name` and `reduction` (`axis`, when
        /// present, must be -1). - Throws: ``ConfigurationError``.
        public init(configuration: Configuration) throws {
            (fromLogits, labelSmoothing, name, reduction) = try Losses.smoothedCrossentropyArguments(
                in: configuration, type: Self.typeName, defaultName: "binary_crossentropy")
        }

        /// `name`, `reduction`, `from_logits`, `label_smoothing` and `axis` (-1), as Keras saves them.
        public var configuration: Configuration {
            Losses.smoothedCrossentropyConfiguration(baseConfiguration, fromLogits: fromLogits, labelSmoothing: labelSmoothing)
        }

        /// Checks that the targets give one value per output unit (after rank matching, a dimension
        /// of 1 broadcasts). - Throws: ``TargetError`` otherwise.
        public func validateTargets(_ yTrue: Tensor, predictionShape: [Int]) throws(TargetError) {
            try TargetShapes.requireElementwiseFit(yTrue.shape, predictionShape, function: name)
        }

        /// The mean binary cross-entropy over the last axis (ranks matched first). Traps when the
        /// shapes do not broadcast.
        public func perSampleLoss(yTrue: Tensor, yPred: Tensor) -> Tensor {
            let (matched, predictions) = Losses.squeezeOrExpandToSameRank(yTrue, yPred)
            let targets = Losses.smoothingLabels(matched, by: labelSmoothing, classes: 2)
            return fromLogits
                ? LossKernels.binaryCrossentropy(targets, logits: predictions)
                : LossKernels.binaryCrossentropy(targets, probabilities: predictions)
        }
    }
}
