/// The HParams plugin's `HParamsPluginData` (tensorboard/plugins/hparams/plugin_data.proto): what a
/// summary tagged ``tag`` carries in its metadata's plugin content. TensorBoard's HParams dashboard reads
/// one ``HParamsExperiment`` at the log folder's root and, in each session's run folder, a
/// ``SessionStartInfo`` (the hyperparameters) and a ``SessionEndInfo`` (the status).
public struct HParamsPluginData: ProtobufMessage, Equatable {
    /// `oneof data`: which of the three messages this is.
    public enum Content: Sendable, Equatable {
        /// `experiment = 2`.
        case experiment(HParamsExperiment)
        /// `session_start_info = 3`.
        case sessionStartInfo(SessionStartInfo)
        /// `session_end_info = 4`.
        case sessionEndInfo(SessionEndInfo)
    }

    /// The plugin's name in `SummaryMetadata.PluginData.plugin_name`: `"hparams"`.
    public static let pluginName = "hparams"
    /// `version = 1`: 0, the only version TensorBoard's parser accepts (`PLUGIN_DATA_VERSION`).
    public static let version: Int64 = 0

    /// The message held.
    public var content: Content

    /// Plugin data holding `content`.
    public init(_ content: Content) { self.content = content }

    /// The tag TensorBoard looks for (metadata.py): `_hparams_/experiment`, `_hparams_/session_start_info`
    /// or `_hparams_/session_end_info`.
    public var tag: String {
        switch content {
        case .experiment: return "_hparams_/experiment"
        case .sessionStartInfo: return "_hparams_/session_start_info"
        case .sessionEndInfo: return "_hparams_/session_end_info"
        }
    }

    /// The summary value `hparams.summary_v2` writes for this data: ``tag``, the plugin's metadata with this
    /// message as content, and an empty float tensor of shape `[0]` (`metadata.NULL_TENSOR`); the data is
    /// all in the metadata.
    public var summaryValue: Summary.Value {
        Summary.Value(
            tag: tag, metadata: SummaryMetadata(pluginName: Self.pluginName, pluginContent: serializedBytes()),
            kind: .tensor(TensorProto(dtype: .float, shape: [0])))
    }

    /// Appends `version = 1` (0, left out as proto3 does), then the set member of the oneof.
    public func encode(to encoder: inout ProtobufEncoder) {
        encoder.int64IfNotDefault(1, Self.version)
        switch content {
        case let .experiment(experiment): encoder.message(2, experiment)
        case let .sessionStartInfo(info): encoder.message(3, info)
        case let .sessionEndInfo(info): encoder.message(4, info)
        }
    }
}
