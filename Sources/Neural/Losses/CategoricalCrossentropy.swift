extension Losses {
    /// Keras's `CategoricalCrossentropy`: `-sum(yTrue * log(softmax))` over the last axis, for one-hot
    /// (or soft) targets of the predictions' shape.
    ///
    /// From probabilities, each row is divided by its sum and clipped to `[1e-7, 1 - 1e-7]` before the
    /// logarithm (all Keras 3 backends); the gradient is zero where the clip is active. From logits it
    /// is a fused, stable softmax cross-entropy. With `labelSmoothing` `s > 0`, targets become
    /// `yTrue (1 - s) + s / classes`.
    public struct CategoricalCrossentropy: Loss, Sendable {
        /// `"CategoricalCrossentropy"`, Keras's class name.
        public static let typeName = "CategoricalCrossentropy"
        /// Whether predictions are logits (`true`) or probabilities (`false`, the default).
        public var fromLogits: Bool
        /// How much of the target mass is spread evenly over the classes, in `[0, 1]`; 0 by default.
        public var labelSmoothing: Float
        /// The loss's name; `"categorical_crossentropy"` by default.
        public var name: String
        /// The reduction; ``LossReduction/sumOverBatchSize`` by default.
        public var reduction: LossReduction

        /// Creates the loss with Keras's defaults. Traps when `labelSmoothing` is outside `[0, 1]`.
        public init(
            fromLogits: Bool = false, labelSmoothing: Float = 0, reduction: LossReduction = .sumOverBatchSize,
            name: String = "categorical_crossentropy"
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
                in: configuration, type: Self.typeName, defaultName: "categorical_crossentropy")
        }

        /// `name`, `reduction`, `from_logits`, `label_smoothing` and `axis` (-1), as Keras saves them.
        public var configuration: Configuration {
            Losses.smoothedCrossentropyConfiguration(baseConfiguration, fromLogits: fromLogits, labelSmoothing: labelSmoothing)
        }

        /// Checks that the targets have the predictions' shape (one-hot or soft targets, one value per
        /// class). - Throws: ``TargetError`` otherwise, pointing integer labels to the sparse loss.
        public func validateTargets(_ yTrue: Tensor, predictionShape: [Int]) throws(TargetError) {
            let (targets, predictions) = TargetShapes.sameRank(yTrue.shape, predictionShape)
            guard targets != predictions || predictions.count < 2 else { return }
            let classes = predictionShape.last ?? 1
            let advice = predictionShape.count < 2
                ? "it needs predictions with a class axis (shape [samples, classes])"
                : yTrue.scalarCount * classes == predictionShape.reduce(1, *) && classes > 1
                    ? "it needs one-hot targets with one value per class (shape \(predictionShape)); for integer class labels use sparse_categorical_crossentropy"
                    : "it needs one-hot targets with one value per class (shape \(predictionShape))"
            throw TargetError(function: name, problem: .shapes(targets: yTrue.shape, predictions: predictionShape, advice: advice))
        }

        /// One loss per row, shaped like the leading dimensions. Traps when the shapes differ or the
        /// inputs are scalars.
        public func perSampleLoss(yTrue: Tensor, yPred: Tensor) -> Tensor {
            guard yTrue.shape == yPred.shape, let classes = yPred.shape.last else {
                trap(.invalidArgument(
                    op: "CategoricalCrossentropy",
                    message: "targets \(yTrue.shape) and predictions \(yPred.shape) must have one shape with a class axis"))
            }
            let leading = Array(yPred.shape.dropLast())
            let rows = leading.reduce(1, *)
            var targets = Losses.smoothingLabels(yTrue, by: labelSmoothing, classes: classes)
            if yPred.rank != 2 { targets = targets.reshaped(to: [rows, classes]) }
            let matrix = yPred.rank == 2 ? yPred : yPred.reshaped(to: [rows, classes])
            let losses = fromLogits
                ? LossKernels.categoricalCrossentropy(targets, logits: matrix)
                : LossKernels.categoricalCrossentropy(targets, probabilities: matrix)
            return leading.count == 1 ? losses : losses.reshaped(to: leading)
        }
    }
}
