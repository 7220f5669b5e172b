import Tuning

/// A trial a user asked for with given hyperparameters (the dashboard's "enqueue a trial", Optuna's
/// `enqueue_trial`): stored PENDING, then taken by the next worker of the study that asks its oracle for
/// a trial, in the same transaction, which enqueues it in the oracle (it runs next) and settles the
/// request as ENQUEUED with the trial's number — or REJECTED with the reason when the values no longer
/// fit the study's search space. So each request becomes at most one trial, once.
public struct TrialRequest: Sendable, Hashable {
    /// What became of a request.
    public enum Status: Sendable, Hashable {
        /// Waiting for a worker of the study.
        case pending
        /// Enqueued in the oracle as trial `trial` (it runs before any suggestion).
        case enqueued(trial: Int)
        /// Not enqueued: the values did not fit the study's search space when a worker took it.
        case rejected(reason: String)
    }

    /// The storage's id of the request.
    public var id: Int64
    /// The study it is for.
    public var studyID: Int64
    /// The hyperparameter values asked for (missing active parameters take their defaults when enqueued).
    public var hyperparameters: [String: HyperParameterValue]
    /// What became of it.
    public var status: Status
    /// When it was made, Unix seconds.
    public var requestedAt: Double
    /// When a worker took it, Unix seconds; nil while pending.
    public var settledAt: Double?

    /// A request (the storage makes these).
    public init(id: Int64, studyID: Int64, hyperparameters: [String: HyperParameterValue], status: Status,
                requestedAt: Double, settledAt: Double? = nil) {
        self.id = id
        self.studyID = studyID
        self.hyperparameters = hyperparameters
        self.status = status
        self.requestedAt = requestedAt
        self.settledAt = settledAt
    }
}
