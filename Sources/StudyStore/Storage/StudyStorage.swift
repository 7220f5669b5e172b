import Foundation
import JSONValues
import Tuning

/// Where studies live: studies, trials, learning curves, oracle state and checkpoints, read and written
/// as Tuning's types; how they are encoded is the conformer's business. `SQLiteStudyStorage` is the
/// first conformer; `openStudyStorage(_:busyTimeout:)` picks one from a storage string.
///
/// A storage value is one connection: it is not `Sendable`, and a worker thread or process opens its
/// own. Every change is atomic; the calls that a search makes around one trial (claim, start, finish,
/// settle) take the storage's write lock for their whole read-modify-write, so no two workers — threads
/// or processes — ever get the same trial, and trial rows and oracle state never disagree. Calls made
/// inside `write { }` join its transaction.
///
/// Errors are `StoreError`s whose messages name the storage and say what to do. What changed in a study
/// since an earlier read (for live views) is `StudyChangeReading`'s, which every storage also provides.
public protocol StudyStorage: StudyChangeReading {
    /// Where the studies are, for messages (a file path; never a password).
    var location: String { get }

    /// The names of the applied schema migrations, in order.
    func appliedMigrations() throws -> [String]

    /// Runs `body` in one write transaction, so several calls commit or roll back together; the calls
    /// `body` makes on the storage join it. Rolls back and rethrows when `body` throws. A nested
    /// `write { }` is a savepoint: when it throws, only its part is rolled back. A single call that
    /// throws inside `body` may doom the whole transaction (PostgreSQL, which spares each call a
    /// savepoint: `write` then rolls back and throws that failure even if `body` caught it); SQLite rolls
    /// back only that call's part.
    func write<T>(_ body: (any StudyStorage) throws -> T) throws -> T

    /// Runs `body` in one read transaction, so several reads see the same state (writers go on).
    func read<T>(_ body: (any StudyStorage) throws -> T) throws -> T

    // MARK: Studies

    /// Creates a study. Throws `StudyNameError` when the name breaks `StudyName`'s rule,
    /// `StoreError.studyExists` when the name is taken.
    @discardableResult
    func createStudy(_ study: NewStudy, now: Double) throws -> StoredStudy

    /// The study with this name, or nil. Throws `StudyNameError` for a name holding a NUL; other names
    /// breaking `StudyName`'s rule are still looked up, so a study stored before the rule can be read.
    func study(named name: String) throws -> StoredStudy?

    /// All studies, by name. Throws `.damagedData` when one of them does not decode (`studyNames()`
    /// lists them all without decoding).
    func studies() throws -> [StoredStudy]

    /// The names of all studies, sorted, without decoding them (so a damaged study can still be
    /// listed, inspected and deleted).
    func studyNames() throws -> [String]

    /// Deletes a study with its trials, metrics, oracle state and checkpoint rows, and returns the
    /// checkpoint file paths the caller should remove after the commit. Throws `.studyNotFound`.
    @discardableResult
    func deleteStudy(named name: String) throws -> [String]

    /// Replaces a study's oracle settings and/or search space (the space grows as trials define
    /// parameters; the budget grows when a search is extended). Throws `.studyNotFound`.
    func updateStudy(_ id: Int64, oracleConfiguration: JSONValue?, searchSpace: SearchSpace?) throws

    /// Keeps the study file a study was made from, replacing any earlier one.
    func saveStudySource(study: Int64, _ source: StudySource, now: Double) throws

    /// The study file a study was made from, if any.
    func studySource(study: Int64) throws -> StudySource?

    // MARK: Trials

    /// Inserts a WAITING or RUNNING trial (numbered next in its study when `number` is nil) and, in the
    /// same transaction, the oracle state that produced it. A RUNNING trial needs a `worker`.
    /// Throws `.constraintViolation` on a duplicate number, `.invalidArgument` on a bad state.
    @discardableResult
    func insertTrial(study: Int64, number: Int?, state: TrialState, hyperparameters: [String: HyperParameterValue],
                     worker: String?, hyperband: HyperbandAssignment?, oracleState: OracleStateChanges?, now: Double) throws -> StoredTrial

    /// Marks trial `number` RUNNING for `worker`: inserts it, or takes it from WAITING (an enqueued or
    /// re-queued trial), with the oracle state that chose it, in one transaction. Throws
    /// `.invalidArgument` when it exists and is not WAITING.
    @discardableResult
    func startTrial(study: Int64, number: Int, worker: String, hyperparameters: [String: HyperParameterValue],
                    hyperband: HyperbandAssignment?, oracleState: OracleStateChanges?, now: Double) throws -> StoredTrial

    /// Inserts a trial exactly as given — any state, score, error, worker, counts and times — to restore
    /// a study from an export. Throws `.constraintViolation` on a duplicate number, `.invalidArgument`
    /// when a RUNNING trial has no worker.
    @discardableResult
    func insertImportedTrial(study: Int64, _ trial: ImportedTrial) throws -> StoredTrial

    /// The trial with this id. Throws `.trialNotFound`.
    func requireTrial(id: Int64) throws -> StoredTrial

    /// The trial of a study with this number, or nil.
    func trial(study: Int64, number: Int) throws -> StoredTrial?

    /// The trials of a study by number, only those in `states` when given.
    func trials(study: Int64, states: Set<TrialState>?) throws -> [StoredTrial]

    /// Atomically takes the lowest-numbered WAITING trial of a study for `worker` and marks it RUNNING,
    /// or returns nil when none waits.
    func claimNextTrial(study: Int64, worker: String, now: Double) throws -> StoredTrial?

    /// Records that `worker` is still running the trial. Throws `.trialNotRunning` or
    /// `.trialOwnedByAnotherWorker` when the trial was taken away, so the worker can stop.
    func heartbeat(trial id: Int64, worker: String, now: Double) throws

    /// Ends a RUNNING trial owned by `worker` as COMPLETE, PRUNED or FAILED with its score (and, in a
    /// study with several objectives or constraints, every value), its error and, in the same
    /// transaction, the oracle state that accounts for it. Throws `.trialNotRunning`,
    /// `.trialOwnedByAnotherWorker`, `.invalidArgument` for a non-final state.
    @discardableResult
    func finishTrial(_ id: Int64, worker: String, state: TrialState, score: Double?, values: TrialValues?, error: String?,
                     oracleState: OracleStateChanges?, now: Double) throws -> StoredTrial

    /// RUNNING trials of a study whose last heartbeat is more than `seconds` before `now`.
    func staleRunningTrials(study: Int64, olderThan seconds: Double, now: Double) throws -> [StoredTrial]

    /// Fails each stale RUNNING trial, or puts it back to WAITING while it has retries left and no stop was
    /// asked for it (`requestStop`), counting a worker death either way, in one transaction (with the
    /// oracle state, if given). Returns them changed.
    @discardableResult
    func failOrRequeueStale(study: Int64, olderThan seconds: Double, policy: StalePolicy, oracleState: OracleStateChanges?,
                            now: Double) throws -> [StoredTrial]

    /// Settles one RUNNING trial whose worker is gone: back to WAITING (counting a retry) when
    /// `requeue`, else FAILED with `reason`; one more worker death either way; with the oracle state.
    /// Throws `.trialNotRunning` when another worker settled it first.
    @discardableResult
    func settleAbandonedTrial(_ id: Int64, requeue: Bool, reason: String, oracleState: OracleStateChanges?, now: Double) throws -> StoredTrial

    /// Puts a RUNNING trial its own worker stopped (Ctrl-C, SIGTERM) back to WAITING without counting
    /// a retry or a death, keeping `reason` as its note; with the oracle state. Throws
    /// `.trialNotRunning` / `.trialOwnedByAnotherWorker` when it is no longer this worker's.
    @discardableResult
    func requeueInterruptedTrial(_ id: Int64, worker: String, reason: String, oracleState: OracleStateChanges?, now: Double) throws -> StoredTrial

    /// Replaces a trial's hyperparameter values (parameters defined while it ran belong in its record).
    /// Throws `.trialNotFound`.
    func updateTrialHyperparameters(_ id: Int64, _ values: [String: HyperParameterValue]) throws

    // MARK: Metrics

    /// Records metric values of a trial at one step; recording the same (metric, step) again replaces
    /// the value, so a retried write or a re-run never duplicates a point. NaN values are kept. Returns
    /// the stop a user asked for the trial (`requestStop`), read in the same transaction, so a worker
    /// learns of it at its next step without another call; nil when none was asked.
    ///
    /// With `worker`, the values are written only while the trial is RUNNING for that worker: a worker
    /// whose trial was taken over (its heartbeat went stale, another worker re-runs it) gets
    /// `.trialNotRunning` or `.trialOwnedByAnotherWorker` and writes nothing into the re-run's curve;
    /// `.trialNotFound` when there is no such trial. Without, the values are written whatever the state
    /// (imports, copies).
    @discardableResult
    func recordMetrics(trial id: Int64, worker: String?, step: Int, values: [String: Double], now: Double) throws -> TrialStopRequest?

    /// Records `value` at step 0 as trial `id`'s curve of `metric` when the trial has no point of that
    /// metric yet (a trial told only its final value: the curve is that one point), and returns the
    /// trial's learning curves as stored after, in one call: ask-and-tell's `tell` then reads and writes
    /// the curve in one round trip. Written only while the trial is RUNNING for `worker`; throws
    /// `.trialNotFound`, `.trialNotRunning` or `.trialOwnedByAnotherWorker` (nothing written) otherwise.
    func recordFinalValue(trial id: Int64, worker: String, metric: String, value: Double, now: Double) throws -> MetricsHistory

    /// A trial's learning curves.
    func metrics(trial id: Int64) throws -> MetricsHistory

    /// The values of metric `name` at `step` of the study's trials in `states` (a pruner compares a
    /// running trial with them); NaN values are left out.
    func metricValues(study: Int64, name: String, step: Int, states: Set<TrialState>) throws -> [Double]

    /// The values of metrics `names` at `step`, one row per trial of the study in `states` that reported
    /// every one of them there, in `names` order (a pruner ranks a rung's trials on several objectives by
    /// them); a trial with a NaN among them is left out. Rows come in trial order.
    func metricValues(study: Int64, names: [String], step: Int, states: Set<TrialState>) throws -> [[Double]]

    // MARK: Oracle state

    /// Saves the oracle's state, bumping its version, and returns the new version: the core replaces the
    /// saved one, each changed trial replaces its saved JSON (stamped with the new version, for
    /// `oracleState(study:trialsSavedAfter:)`), and a whole state (`replacesStoredTrials`) drops the
    /// trials kept apart. Throws `.constraintViolation` when a part is not JSON.
    @discardableResult
    func saveOracleState(study: Int64, _ changes: OracleStateChanges, now: Double) throws -> Int

    /// The oracle's saved state for a study, or nil before the first save: the core and, apart, every
    /// trial, or with `trialsSavedAfter` only the trials saved after that version (what a worker whose
    /// cached oracle is that version lacks).
    func oracleState(study: Int64, trialsSavedAfter version: Int?) throws -> SavedOracleState?

    /// The version of a study's saved oracle state, or nil before the first save (cheaper than the state).
    func oracleStateVersion(study: Int64) throws -> Int?

    // MARK: Checkpoints

    /// Records a checkpoint of a trial at an epoch (a file path, inline weights, or both), replacing one
    /// of the same epoch; returns the previous file path of that epoch when it changed, for removal.
    @discardableResult
    func saveCheckpoint(trial id: Int64, epoch: Int, path: String?, weights: Data?, now: Double) throws -> String?

    /// A trial's checkpoints by epoch.
    func checkpoints(trial id: Int64) throws -> [StoredCheckpoint]

    /// Deletes a trial's checkpoint rows and returns their file paths for the caller to remove.
    @discardableResult
    func deleteCheckpoints(trial id: Int64) throws -> [String]

    /// The ids and numbers of a study's trials that have checkpoints, by number.
    func trialsWithCheckpoints(study: Int64) throws -> [(id: Int64, number: Int)]

    // MARK: Steering (the dashboard's writes)

    /// Replaces a study's note. Throws `.studyNotFound`.
    func updateStudyNote(_ id: Int64, _ note: StudyNote) throws

    /// Stores a request for a trial with these hyperparameters, PENDING until a worker of the study takes
    /// it (`pendingTrialRequests`, `settleTrialRequest`). The values are stored as given: the caller
    /// checks them against the study's space, and the oracle checks them again when it enqueues them.
    /// Throws `.studyNotFound`.
    @discardableResult
    func requestTrial(study: Int64, hyperparameters: [String: HyperParameterValue], now: Double) throws -> TrialRequest

    /// The study's trial requests, oldest first, whatever became of them.
    func trialRequests(study: Int64) throws -> [TrialRequest]

    /// The study's PENDING trial requests, oldest first. Inside `write { }` they stay locked until the
    /// commit (SQLite's write lock; row locks on PostgreSQL), so a worker that enqueues them and settles
    /// them in that transaction is the only one that does.
    func pendingTrialRequests(study: Int64) throws -> [TrialRequest]

    /// Settles a PENDING request as ENQUEUED (with its trial's number) or REJECTED (with the reason).
    /// Throws `.invalidArgument` when it is not PENDING (another worker took it) or `status` is `.pending`.
    func settleTrialRequest(_ id: Int64, as status: TrialRequest.Status, now: Double) throws

    /// Asks the worker running a trial to stop it: its next `recordMetrics` returns the request and the
    /// worker ends the trial as PRUNED. Asking again keeps the first time. Returns the trial. Throws
    /// `.trialNotFound`, or `.trialNotRunning` when it is not RUNNING.
    @discardableResult
    func requestStop(trial id: Int64, now: Double) throws -> StoredTrial

    // MARK: Reading a whole study

    /// The study `name` with every trial, its curves and checkpoint flag, and the oracle state, in one
    /// consistent read. Throws `.studyNotFound`, `.damagedData` naming the study, trial and field.
    func snapshot(study name: String) throws -> StudySnapshot
}
