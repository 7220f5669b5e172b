extension Losses {
    /// Keras's `SparseCategoricalCrossentropy`: the cross-entropy of class-index targets (as Floats,
    /// shape `[batch]` or `[batch, 1]`) against predictions of shape `[batch, classes]` (or
    /// `[..., classes]` with targets of the leading shape).
    ///
    /// From logits it is the fused ``Tensor/sparseSoftmaxCrossEntropy(logits:labels:)``. From
    /// probabilities it follows Keras 3's NumPy/JAX/PyTorch backends: each row is divided by its sum,
    /// the labelled probability clipped to `[1e-7, 1 - 1e-7]` and `-log` taken (TensorFlow's backend
    /// clips before normalizing; for a softmax output the two agree to about 1e-7). The gradient is
    /// zero where the clip is active. `ignore_class` is not supported.
    public struct SparseCategoricalCrossentropy: Loss, Sendable {
        /// `"SparseCategoricalCrossentropy"`, Keras's class name.
        public static let typeName = "SparseCategoricalCrossentropy"
        /// Whether predictions are logits (`true`) or probabilities (`false`, the default).
        public var fromLogits: Bool
        /// The loss's name; `"sparse_categorical_crossentropy"` by default.
        public var name: String
        /// The reduction; ``LossReduction/sumOverBatchSize`` by default.
        public var reduction: LossReduction

        /// Creates the loss with Keras's defaults.
        public init(
            fromLogits: Bool = false, reduction: LossReduction = .sumOverBatchSize,
            name: String = "sparse_categorical_crossentropy"
        ) {
            self.fromLogits = fromLogits
            self.reduction = reduction
            self.name = name
        }

        /// Rebuilds the loss from `from_logits`, `name` and `reduction` (`axis`, when present, must be
        /// -1, and `ignore_class` null). - Throws: ``ConfigurationError``.
        public init(configuration: Configuration) throws {
            fromLogits = try configuration.bool("from_logits", in: Self.typeName, default: false)
            try configuration.requireLastAxis(in: Self.typeName)
            if let ignored = configuration["ignore_class"], ignored != .null {
                throw ConfigurationError.invalidValue(
                    type: Self.typeName, key: "ignore_class", expected: "null (ignore_class is not supported)", found: ignored)
            }
            (name, reduction) = try Losses.nameAndReduction(
                in: configuration, type: Self.typeName, defaultName: "sparse_categorical_crossentropy")
        }

        /// `name`, `reduction`, `from_logits`, `ignore_class` (null) and `axis` (-1), as Keras saves them.
        public var configuration: Configuration {
            var configuration = baseConfiguration
            configuration["from_logits"] = .bool(fromLogits)
            configuration["ignore_class"] = .null
            configuration["axis"] = -1
            return configuration
        }

        /// Checks that the targets hold one class index per row of predictions: whole numbers in
        /// `0..<classes`, one pass over the labels. - Throws: ``TargetError`` naming the first label
        /// at fault and its row, or the shapes.
        public func validateTargets(_ yTrue: Tensor, predictionShape: [Int]) throws(TargetError) {
            try TargetShapes.requireClassIndices(yTrue, predictionShape: predictionShape, function: name)
        }

        /// One loss per row of `yPred`, shaped like its leading dimensions. Traps when `yPred` is a
        /// scalar, when `yTrue` does not hold one label per row, or on a label that is not a whole
        /// number in `0..<classes`.
        public func perSampleLoss(yTrue: Tensor, yPred: Tensor) -> Tensor {
            let op = "SparseCategoricalCrossentropy"
            guard let classes = yPred.shape.last else {
                trap(.invalidArgument(op: op, message: "predictions must have a class axis, got shape \(yPred.shape)"))
            }
            let leading = Array(yPred.shape.dropLast())
            let rows = leading.reduce(1, *)
            let labels = LossKernels.classIndices(yTrue, rows: rows, classes: classes, op: op)
            let matrix = yPred.rank == 2 ? yPred : yPred.reshaped(to: [rows, classes])
            let losses = fromLogits
                ? Tensor.sparseSoftmaxCrossEntropy(logits: matrix, labels: labels)
                : LossKernels.sparseCategoricalCrossentropy(probabilities: matrix, labels: labels)
            return leading.count == 1 ? losses : losses.reshaped(to: leading)
        }
    }
}
