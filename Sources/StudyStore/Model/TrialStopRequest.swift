/// A user's request to stop a RUNNING trial (the dashboard's stop button): stored on the trial, and
/// answered to its worker by the next `recordMetrics` of the trial, which then ends it as PRUNED.
public struct TrialStopRequest: Sendable, Hashable {
    /// When the stop was asked for, Unix seconds.
    public var requestedAt: Double

    /// A request made at `requestedAt`.
    public init(requestedAt: Double) { self.requestedAt = requestedAt }
}
