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
            guard labelSmoothing >= 0, labelSmoothing <= 1 else {
                trap(.invalidArgument(
                    op: "BinaryCrossentropy", message: "labelSmoothing must be in [0, 1], got \(labelSmoothing)"))
            }
            self.fromLogits = fromLogits
            self.labelSmoothing = labelSmoothing
            self.reduction = reduction
            self.name = name
        }

        /// Rebuilds the loss from `from_logits`, `label_smoothing`, `name` and `reduction` (`axis`, when
        /// present, must be -1). - Throws: ``ConfigurationError``.
        public init(configuration: Configuration) throws {
            fromLogits = try configuration.bool("from_logits", in: Self.typeName, default: false)
            labelSmoothing = try configuration.float("label_smoothing", in: Self.typeName, default: 0)
            guard labelSmoothing >= 0, labelSmoothing <= 1 else {
                throw ConfigurationError.invalidValue(
                    type: Self.typeName, key: "label_smoothing", expected: "a number in [0, 1]",
                    found: configuration["label_smoothing"] ?? .null)
            }
            try configuration.requireLastAxis(in: Self.typeName)
            (name, reduction) = try Losses.nameAndReduction(
                in: configuration, type: Self.typeName, defaultName: "binary_crossentropy")
        }

        /// `name`, `reduction`, `from_logits`, `label_smoothing` and `axis` (-1), as Keras saves them.
        public var configuration: Configuration {
            var configuration = baseConfiguration
            configuration["from_logits"] = .bool(fromLogits)
            configuration["label_smoothing"] = .float(labelSmoothing)
            configuration["axis"] = -1
            return configuration
        }

        /// The mean binary cross-entropy over the last axis (ranks matched first). Traps when the
        /// shapes do not broadcast.
        public func perSampleLoss(yTrue: Tensor, yPred: Tensor) -> Tensor {
            let (matched, predictions) = Losses.squeezeOrExpandToSameRank(yTrue, yPred)
            var targets = matched
            if labelSmoothing != 0 { targets = targets * (1 - labelSmoothing) + 0.5 * labelSmoothing }
            return fromLogits
                ? LossKernels.binaryCrossentropy(targets, logits: predictions)
                : LossKernels.binaryCrossentropy(targets, probabilities: predictions)
        }
    }
}
