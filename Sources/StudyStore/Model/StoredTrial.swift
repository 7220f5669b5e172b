import Foundation
import Tuning

/// A stored trial: its number, state, hyperparameter values, outcome, worker and times.
public struct StoredTrial: Hashable, Sendable {
    /// The storage's id of the trial (unique across studies).
    public var id: Int64
    /// The owning study's id.
    public var studyID: Int64
    /// The trial number within its study (the oracle's trial id).
    public var number: Int
    /// Life-cycle state.
    public var state: TrialState
    /// The values of its active hyperparameters.
    public var hyperparameters: [String: HyperParameterValue]
    /// The final score (NaN when the run produced NaN); nil until finished with a score. In a study with
    /// several objectives, the first objective's value.
    public var score: Double?
    /// Every objective's value and the constraint values, for a COMPLETE trial of a study with several
    /// objectives or with constraints; nil otherwise.
    public var values: TrialValues?
    /// The worker that claimed it.
    public var worker: String?
    /// Last heartbeat, Unix seconds.
    public var heartbeatAt: Double?
    /// When a worker started it.
    public var startedAt: Double?
    /// When it finished.
    public var endedAt: Double?
    /// Why it failed (or why it was re-queued).
    public var error: String?
    /// Hyperband's bracket, round and epochs, for Hyperband trials.
    public var hyperband: HyperbandAssignment?
    /// How many times it was re-queued after its worker died.
    public var retries: Int
    /// How many times the worker running it died (its process exited, or its heartbeat went stale)
    /// before it ended; an interrupted trial put back by its own worker does not count.
    public var workerDeaths: Int
    /// When it was inserted.
    public var createdAt: Double
    /// When a user asked for it to stop (`StudyStorage.requestStop`); its worker ends it as PRUNED at its
    /// next step. Nil when nobody asked.
    public var stopRequestedAt: Double?

    /// A stored trial (the storage makes these; tests and importers may too).
    public init(id: Int64, studyID: Int64, number: Int, state: TrialState, hyperparameters: [String: HyperParameterValue],
                score: Double? = nil, values: TrialValues? = nil, worker: String? = nil, heartbeatAt: Double? = nil,
                startedAt: Double? = nil, endedAt: Double? = nil, error: String? = nil, hyperband: HyperbandAssignment? = nil,
                retries: Int = 0, workerDeaths: Int = 0, createdAt: Double, stopRequestedAt: Double? = nil) {
        self.id = id
        self.studyID = studyID
        self.number = number
        self.state = state
        self.hyperparameters = hyperparameters
        self.score = score
        self.values = values
        self.worker = worker
        self.heartbeatAt = heartbeatAt
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.error = error
        self.hyperband = hyperband
        self.retries = retries
        self.workerDeaths = workerDeaths
        self.createdAt = createdAt
        self.stopRequestedAt = stopRequestedAt
    }

    /// Seconds from start to end, when both are known.
    public var duration: Double? {
        guard let startedAt, let endedAt else { return nil }
        return endedAt - startedAt
    }

    /// The score when the trial is COMPLETE with a finite score and feasible (what rankings use: an
    /// infeasible trial is kept and shown but never ranked best).
    public var finiteScore: Double? {
        guard state == .complete, let score, score.isFinite, isFeasible else { return nil }
        return score
    }

    /// Whether the trial satisfies its constraints (true when it has none).
    public var isFeasible: Bool { values?.isFeasible ?? true }

    /// A COMPLETE trial's value on each objective (its score alone in a study with one objective); nil
    /// for a trial without them, or when one is not finite.
    public var finiteObjectiveValues: [Double]? {
        guard state == .complete else { return nil }
        let objectives = values?.objectives ?? score.map { [$0] } ?? []
        guard !objectives.isEmpty, objectives.allSatisfy(\.isFinite) else { return nil }
        return objectives
    }
}

/// A trial as it was in another storage (or an export of one): any state, with its own times, for
/// `StudyStorage.insertImportedTrial`.
public struct ImportedTrial: Sendable, Equatable {
    /// The trial number within its study.
    public var number: Int
    /// Any life-cycle state.
    public var state: TrialState
    /// The hyperparameter values.
    public var hyperparameters: [String: HyperParameterValue]
    /// The final score (NaN is kept).
    public var score: Double?
    /// Every objective's value and the constraint values (studies with several objectives or constraints).
    public var values: TrialValues?
    /// Why it failed (or was re-queued).
    public var error: String?
    /// The worker that ran it.
    public var worker: String?
    /// Hyperband's assignment, for Hyperband trials.
    public var hyperband: HyperbandAssignment?
    /// How often it was re-queued.
    public var retries: Int
    /// How often its worker died while running it.
    public var workerDeaths: Int
    /// When it was inserted (Unix seconds).
    public var createdAt: Double
    /// When a worker started it.
    public var startedAt: Double?
    /// When it ended.
    public var endedAt: Double?

    /// A trial to import.
    public init(number: Int, state: TrialState, hyperparameters: [String: HyperParameterValue], score: Double? = nil,
                values: TrialValues? = nil, error: String? = nil, worker: String? = nil, hyperband: HyperbandAssignment? = nil, retries: Int = 0,
                workerDeaths: Int = 0, createdAt: Double, startedAt: Double? = nil, endedAt: Double? = nil) {
        self.number = number
        self.state = state
        self.hyperparameters = hyperparameters
        self.score = score
        self.values = values
        self.error = error
        self.worker = worker
        self.hyperband = hyperband
        self.retries = retries
        self.workerDeaths = workerDeaths
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.endedAt = endedAt
    }
}

/// What `failOrRequeueStale` does with a trial whose worker stopped sending heartbeats.
public struct StalePolicy: Sendable, Equatable {
    /// How many times a trial may be re-queued before it is failed instead.
    public var maxRetries: Int

    /// A policy re-queueing up to `maxRetries` times (0: always fail).
    public init(maxRetries: Int) { self.maxRetries = maxRetries }
}
