import Foundation
import Tuning

/// The calls with their usual arguments: the time is now, optional parts are absent.
extension StudyStorage {
    /// The current time, Unix seconds.
    static var now: Double { Date().timeIntervalSince1970 }

    /// The number of schema migrations applied.
    public func schemaVersion() throws -> Int { try appliedMigrations().count }

    /// Creates a study now (see the requirement).
    @discardableResult
    public func createStudy(_ study: NewStudy) throws -> StoredStudy { try createStudy(study, now: Self.now) }

    /// The study with this name. Throws `StoreError.studyNotFound` when there is none (`StudyNameError`
    /// instead when the name breaks `StudyName`'s rule, which says more).
    public func requireStudy(named name: String) throws -> StoredStudy {
        guard let study = try study(named: name) else {
            try StudyName.validate(name)
            throw StoreError.studyNotFound(name: name)
        }
        return study
    }

    /// Replaces a study's search space (see `updateStudy(_:oracleConfiguration:searchSpace:)`).
    public func updateStudy(_ id: Int64, searchSpace: SearchSpace) throws {
        try updateStudy(id, oracleConfiguration: nil, searchSpace: searchSpace)
    }

    /// Keeps a study's source file now.
    public func saveStudySource(study: Int64, _ source: StudySource) throws {
        try saveStudySource(study: study, source, now: Self.now)
    }

    /// Inserts a trial now (see the requirement).
    @discardableResult
    public func insertTrial(study: Int64, number: Int? = nil, state: TrialState = .waiting,
                            hyperparameters: [String: HyperParameterValue] = [:], worker: String? = nil,
                            hyperband: HyperbandAssignment? = nil, oracleState: OracleStateChanges? = nil) throws -> StoredTrial {
        try insertTrial(study: study, number: number, state: state, hyperparameters: hyperparameters, worker: worker,
                        hyperband: hyperband, oracleState: oracleState, now: Self.now)
    }

    /// Starts a trial now (see the requirement).
    @discardableResult
    public func startTrial(study: Int64, number: Int, worker: String, hyperparameters: [String: HyperParameterValue],
                           hyperband: HyperbandAssignment? = nil, oracleState: OracleStateChanges? = nil) throws -> StoredTrial {
        try startTrial(study: study, number: number, worker: worker, hyperparameters: hyperparameters,
                       hyperband: hyperband, oracleState: oracleState, now: Self.now)
    }

    /// All trials of a study, by number.
    public func trials(study: Int64) throws -> [StoredTrial] { try trials(study: study, states: nil) }

    /// The RUNNING trials of a study (to find those whose worker died).
    public func runningTrials(study: Int64) throws -> [StoredTrial] { try trials(study: study, states: [.running]) }

    /// Claims the next WAITING trial now (see the requirement).
    public func claimNextTrial(study: Int64, worker: String) throws -> StoredTrial? {
        try claimNextTrial(study: study, worker: worker, now: Self.now)
    }

    /// Records a heartbeat now.
    public func heartbeat(trial id: Int64, worker: String) throws { try heartbeat(trial: id, worker: worker, now: Self.now) }

    /// Finishes a trial now (see the requirement).
    @discardableResult
    public func finishTrial(_ id: Int64, worker: String, state: TrialState, score: Double? = nil, values: TrialValues? = nil,
                            error: String? = nil, oracleState: OracleStateChanges? = nil) throws -> StoredTrial {
        try finishTrial(id, worker: worker, state: state, score: score, values: values, error: error, oracleState: oracleState,
                        now: Self.now)
    }

    /// Stale trials as of now.
    public func staleRunningTrials(study: Int64, olderThan seconds: Double) throws -> [StoredTrial] {
        try staleRunningTrials(study: study, olderThan: seconds, now: Self.now)
    }

    /// Fails or re-queues stale trials now (see the requirement).
    @discardableResult
    public func failOrRequeueStale(study: Int64, olderThan seconds: Double, policy: StalePolicy = StalePolicy(maxRetries: 0),
                                   oracleState: OracleStateChanges? = nil) throws -> [StoredTrial] {
        try failOrRequeueStale(study: study, olderThan: seconds, policy: policy, oracleState: oracleState, now: Self.now)
    }

    /// Settles an abandoned trial now (see the requirement).
    @discardableResult
    public func settleAbandonedTrial(_ id: Int64, requeue: Bool, reason: String, oracleState: OracleStateChanges? = nil) throws -> StoredTrial {
        try settleAbandonedTrial(id, requeue: requeue, reason: reason, oracleState: oracleState, now: Self.now)
    }

    /// Re-queues an interrupted trial now (see the requirement).
    @discardableResult
    public func requeueInterruptedTrial(_ id: Int64, worker: String, reason: String, oracleState: OracleStateChanges? = nil) throws -> StoredTrial {
        try requeueInterruptedTrial(id, worker: worker, reason: reason, oracleState: oracleState, now: Self.now)
    }

    /// Records a step's metrics now; returns the stop asked for the trial, if any (see the requirement).
    @discardableResult
    public func recordMetrics(trial id: Int64, step: Int, values: [String: Double]) throws -> TrialStopRequest? {
        try recordMetrics(trial: id, worker: nil, step: step, values: values, now: Self.now)
    }

    /// Records a step's metrics as of `now`, whatever the trial's state (imports, copies).
    @discardableResult
    public func recordMetrics(trial id: Int64, step: Int, values: [String: Double], now: Double) throws -> TrialStopRequest? {
        try recordMetrics(trial: id, worker: nil, step: step, values: values, now: now)
    }

    /// Records a step's metrics now for the `worker` running the trial; see the requirement.
    @discardableResult
    public func recordMetrics(trial id: Int64, worker: String, step: Int, values: [String: Double]) throws -> TrialStopRequest? {
        try recordMetrics(trial: id, worker: worker, step: step, values: values, now: Self.now)
    }

    /// Records a trial's final value as its curve of `metric` now, unless it has one (see the requirement).
    public func recordFinalValue(trial id: Int64, worker: String, metric: String, value: Double) throws -> MetricsHistory {
        try recordFinalValue(trial: id, worker: worker, metric: metric, value: value, now: Self.now)
    }

    /// Stores a trial request now (see the requirement).
    @discardableResult
    public func requestTrial(study: Int64, hyperparameters: [String: HyperParameterValue]) throws -> TrialRequest {
        try requestTrial(study: study, hyperparameters: hyperparameters, now: Self.now)
    }

    /// Settles a trial request now (see the requirement).
    public func settleTrialRequest(_ id: Int64, as status: TrialRequest.Status) throws {
        try settleTrialRequest(id, as: status, now: Self.now)
    }

    /// Asks for a trial to stop now (see the requirement).
    @discardableResult
    public func requestStop(trial id: Int64) throws -> StoredTrial { try requestStop(trial: id, now: Self.now) }

    /// Values of COMPLETE trials (see the requirement).
    public func metricValues(study: Int64, name: String, step: Int) throws -> [Double] {
        try metricValues(study: study, name: name, step: step, states: [.complete])
    }

    /// Saves the oracle's changes now; returns the new version.
    @discardableResult
    public func saveOracleState(study: Int64, _ changes: OracleStateChanges) throws -> Int {
        try saveOracleState(study: study, changes, now: Self.now)
    }

    /// Saves a whole oracle state (`exportState()`), replacing every trial kept apart; returns the new
    /// version.
    @discardableResult
    public func saveOracleState(study: Int64, _ wholeState: Data) throws -> Int {
        try saveOracleState(study: study, OracleStateChanges(wholeState: wholeState), now: Self.now)
    }

    /// Saves a whole oracle state as of `now`; see `saveOracleState(study:_:)`.
    @discardableResult
    public func saveOracleState(study: Int64, _ wholeState: Data, now: Double) throws -> Int {
        try saveOracleState(study: study, OracleStateChanges(wholeState: wholeState), now: now)
    }

    /// The oracle's whole saved state for a study (core and every trial), or nil before the first save.
    public func oracleState(study: Int64) throws -> SavedOracleState? {
        try oracleState(study: study, trialsSavedAfter: nil)
    }

    /// Records a checkpoint now (see the requirement).
    @discardableResult
    public func saveCheckpoint(trial id: Int64, epoch: Int, path: String? = nil, weights: Data? = nil) throws -> String? {
        try saveCheckpoint(trial: id, epoch: epoch, path: path, weights: weights, now: Self.now)
    }
}
