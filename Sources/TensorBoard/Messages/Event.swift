/// TensorFlow's `Event` (tensorboard/compat/proto/event.proto): one record of an event file, a time, a
/// step and what happened. Only the two kinds of event a ``SummaryWriter`` writes are modelled.
public struct Event: ProtobufMessage, Equatable {
    /// What the event holds (`oneof what`).
    public enum What: Sendable, Equatable {
        /// `file_version = 3`: the first event of every file, `"brain.Event:2"` for the current format.
        case fileVersion(String)
        /// `summary = 5`: values written at `step`.
        case summary(Summary)
    }

    /// `wall_time = 1`: seconds since 1970 when the event was written.
    public var wallTime: Double
    /// `step = 2`: the training step the values belong to.
    public var step: Int64
    /// The event's content.
    public var what: What

    /// An event of `what` at `wallTime` (seconds since 1970) and `step`.
    public init(wallTime: Double, step: Int64 = 0, what: What) {
        self.wallTime = wallTime
        self.step = step
        self.what = what
    }

    /// The version string TensorBoard expects in the first event of a file.
    public static let currentFileVersion = "brain.Event:2"

    /// Appends `wall_time = 1`, `step = 2`, then `file_version = 3` or `summary = 5`.
    public func encode(to encoder: inout ProtobufEncoder) {
        encoder.doubleIfNotDefault(1, wallTime)
        encoder.int64IfNotDefault(2, step)
        switch what {
        case let .fileVersion(version): encoder.string(3, version)
        case let .summary(summary): encoder.message(5, summary)
        }
    }
}
