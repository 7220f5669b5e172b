/// What ``Losses/BinaryCrossentropy`` and ``Losses/CategoricalCrossentropy`` share: the `fromLogits`
/// and `labelSmoothing` arguments, their check, how they are saved and read back, and the smoothing.
extension Losses {
    /// Traps, naming `op`, unless `labelSmoothing` is in `[0, 1]`.
    static func checkLabelSmoothing(_ labelSmoothing: Float, op: String) {
        guard labelSmoothing >= 0, labelSmoothing <= 1 else {
            trap(.invalidArgument(op: op, message: "labelSmoothing must be in [0, 1], got \(labelSmoothing)"))
        }
    }

    /// Reads a label-smoothing cross-entropy's `from_logits`, `label_smoothing` (in `[0, 1]`), `axis`
    /// (-1 when present), `name` (`defaultName` when absent) and `reduction`, in that order, so that the
    /// first key at fault is the one reported.
    ///
    /// - Throws: ``ConfigurationError`` naming `type` and the key.
    static func smoothedCrossentropyArguments(
        in configuration: Configuration, type: String, defaultName: String
    ) throws(ConfigurationError) -> (fromLogits: Bool, labelSmoothing: Float, name: String, reduction: LossReduction) {
        let fromLogits = try configuration.bool("from_logits", in: type, default: false)
        let labelSmoothing = try configuration.float("label_smoothing", in: type, default: 0)
        guard labelSmoothing >= 0, labelSmoothing <= 1 else {
            throw .invalidValue(
                type: type, key: "label_smoothing", expected: "a number in [0, 1]",
                found: configuration["label_smoothing"] ?? .null)
        }
        try configuration.requireLastAxis(in: type)
        let (name, reduction) = try nameAndReduction(in: configuration, type: type, defaultName: defaultName)
        return (fromLogits, labelSmoothing, name, reduction)
    }

    /// `base` (a loss's ``Loss/baseConfiguration``) with `from_logits`, `label_smoothing` and `axis`
    /// (-1) added, as Keras saves a label-smoothing cross-entropy.
    static func smoothedCrossentropyConfiguration(
        _ base: Configuration, fromLogits: Bool, labelSmoothing: Float
    ) -> Configuration {
        var configuration = base
        configuration["from_logits"] = .bool(fromLogits)
        configuration["label_smoothing"] = .float(labelSmoothing)
        configuration["axis"] = -1
        return configuration
    }

    /// `targets (1 - s) + s / classes` for `labelSmoothing` `s`, recorded; `targets` unchanged when `s`
    /// is 0. A binary target is smoothed with `classes` 2.
    static func smoothingLabels(_ targets: Tensor, by labelSmoothing: Float, classes: Int) -> Tensor {
        guard labelSmoothing != 0 else { return targets }
        return targets * (1 - labelSmoothing) + labelSmoothing / Float(classes)
    }
}
