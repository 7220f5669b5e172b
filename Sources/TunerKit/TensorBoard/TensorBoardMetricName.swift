import TensorBoard

/// Where a trial's metric goes in its TensorBoard run, as Keras's `TensorBoard` callback writes it: a
/// `val_` metric in the `validation/` folder, any other in `train/`, under the tag `epoch_<name>`
/// (`val_accuracy` → `validation` / `epoch_accuracy`, `loss` → `train` / `epoch_loss`).
public struct TensorBoardMetricName: Hashable, Sendable {
    /// The subfolder of the trial's run: `train` or `validation`.
    public let group: String
    /// The scalar's tag.
    public let tag: String

    /// The subfolder of training metrics.
    public static let trainGroup = "train"
    /// The subfolder of validation metrics.
    public static let validationGroup = "validation"

    /// Where the metric `name` (a key of Keras's logs) goes.
    public init(metric name: String) {
        if name.hasPrefix("val_"), name.count > 4 {
            group = Self.validationGroup
            tag = "epoch_" + name.dropFirst(4)
        } else {
            group = Self.trainGroup
            tag = "epoch_" + name
        }
    }

    /// The HParams dashboard's column for this metric, titled with the metric's own name.
    public var metricInfo: MetricInfo {
        MetricInfo(group: group, tag: tag, displayName: group == Self.validationGroup ? "val_" + tag.dropFirst(6) : String(tag.dropFirst(6)),
                   datasetType: group == Self.validationGroup ? .validation : .training)
    }
}
