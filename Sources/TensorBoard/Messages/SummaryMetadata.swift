/// TensorFlow's `SummaryMetadata` (summary.proto): which TensorBoard plugin reads a tag's values.
public struct SummaryMetadata: ProtobufMessage, Equatable {
    /// `DataClass`: what shape of data a tag's tensors hold, for TensorBoard's generic data providers.
    public enum DataClass: Int64, Sendable {
        /// `DATA_CLASS_UNKNOWN = 0`: legacy data (not written).
        case unknown = 0
        /// `DATA_CLASS_SCALAR = 1`: rank-0 float32 tensors.
        case scalar = 1
        /// `DATA_CLASS_TENSOR = 2`: small tensors of any shape.
        case tensor = 2
        /// `DATA_CLASS_BLOB_SEQUENCE = 3`: rank-1 tensors of byte strings.
        case blobSequence = 3
    }

    /// `plugin_data.plugin_name = 1`: the plugin, for example `"text"`.
    public var pluginName: String
    /// `plugin_data.content = 2`: the plugin's own serialized settings (often empty).
    public var pluginContent: [UInt8]
    /// `display_name = 2`.
    public var displayName: String
    /// `summary_description = 3` (Markdown).
    public var summaryDescription: String
    /// `data_class = 4`.
    public var dataClass: DataClass

    /// Metadata naming `pluginName`.
    public init(pluginName: String, pluginContent: [UInt8] = [], displayName: String = "",
                summaryDescription: String = "", dataClass: DataClass = .unknown) {
        self.pluginName = pluginName
        self.pluginContent = pluginContent
        self.displayName = displayName
        self.summaryDescription = summaryDescription
        self.dataClass = dataClass
    }

    /// What `tf.summary.text` attaches: the text plugin, whose content (`TextPluginData`, version 0) is empty.
    public static let text = SummaryMetadata(pluginName: "text")

    /// Appends `plugin_data = 1` (itself `plugin_name = 1`, `content = 2`), then fields 2 to 4.
    public func encode(to encoder: inout ProtobufEncoder) {
        encoder.message(1, PluginData(name: pluginName, content: pluginContent))
        encoder.stringIfNotDefault(2, displayName)
        encoder.stringIfNotDefault(3, summaryDescription)
        encoder.int64IfNotDefault(4, dataClass.rawValue)
    }

    /// `SummaryMetadata.PluginData`.
    private struct PluginData: ProtobufMessage {
        var name: String
        var content: [UInt8]

        func encode(to encoder: inout ProtobufEncoder) {
            encoder.stringIfNotDefault(1, name)
            encoder.byteStringIfNotDefault(2, content)
        }
    }
}
