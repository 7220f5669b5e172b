/// The HParams plugin's `SessionStartInfo` (api.proto): one session's (a trial's) hyperparameter values,
/// written in the session's run folder when it starts.
public struct SessionStartInfo: ProtobufMessage, Equatable {
    /// `hparams = 1` (`map<string, google.protobuf.Value>`): each hyperparameter's value.
    public var hparams: [String: ProtobufValue]
    /// `model_uri = 2`.
    public var modelURI: String
    /// `monitor_url = 3`.
    public var monitorURL: String
    /// `group_name = 4`: sessions with the same group name are one row of the dashboard (repeats of one
    /// configuration); empty for the session's own row.
    public var groupName: String
    /// `start_time_secs = 5`: seconds since 1970.
    public var startTimeSecs: Double

    /// A session with these hyperparameter values.
    public init(hparams: [String: ProtobufValue], modelURI: String = "", monitorURL: String = "", groupName: String = "",
                startTimeSecs: Double) {
        self.hparams = hparams
        self.modelURI = modelURI
        self.monitorURL = monitorURL
        self.groupName = groupName
        self.startTimeSecs = startTimeSecs
    }

    /// Appends the map as one `HparamsEntry` (`key = 1`, `value = 2`) per hyperparameter, sorted by name so
    /// that equal sessions give equal bytes, then fields 2 to 5.
    public func encode(to encoder: inout ProtobufEncoder) {
        for (name, value) in hparams.sorted(by: { $0.key < $1.key }) {
            encoder.message(1, MapEntry(key: name, value: value))
        }
        encoder.stringIfNotDefault(2, modelURI)
        encoder.stringIfNotDefault(3, monitorURL)
        encoder.stringIfNotDefault(4, groupName)
        encoder.doubleIfNotDefault(5, startTimeSecs)
    }

    /// A map entry: protobuf writes a map as a repeated message of its key and value.
    private struct MapEntry: ProtobufMessage {
        var key: String
        var value: ProtobufValue

        func encode(to encoder: inout ProtobufEncoder) {
            encoder.string(1, key)
            encoder.message(2, value)
        }
    }
}

/// The HParams plugin's `SessionEndInfo` (api.proto): how a session ended, written in its run folder.
public struct SessionEndInfo: ProtobufMessage, Equatable {
    /// `Status`.
    public enum Status: Int64, Sendable {
        /// `STATUS_UNKNOWN = 0`.
        case unknown = 0
        /// `STATUS_SUCCESS = 1`.
        case success = 1
        /// `STATUS_FAILURE = 2`.
        case failure = 2
        /// `STATUS_RUNNING = 3`.
        case running = 3
    }

    /// `status = 1`.
    public var status: Status
    /// `end_time_secs = 2`: seconds since 1970.
    public var endTimeSecs: Double

    /// A session that ended with `status` at `endTimeSecs`.
    public init(status: Status, endTimeSecs: Double) {
        self.status = status
        self.endTimeSecs = endTimeSecs
    }

    /// Appends fields 1 and 2.
    public func encode(to encoder: inout ProtobufEncoder) {
        encoder.int64IfNotDefault(1, status.rawValue)
        encoder.doubleIfNotDefault(2, endTimeSecs)
    }
}
