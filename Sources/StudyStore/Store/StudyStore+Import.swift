import Foundation
import Tuning

/// A trial as it was in another store (or an export of one): any state, with its own times, for
/// `StudyStore.insertImportedTrial`.
public struct ImportedTrial: Sendable, Equatable {
    /// The trial number within its study.
    public var number: Int
    /// Any life-cycle state.
    public var state: TrialState
    /// Hyperparameter values as JSON (tagged values).
    public var hyperparameters: String
    /// The final score (NaN is stored as NULL, which reads back as NaN for COMPLETE trials).
    public var score: Double?
    /// Why it failed (or was re-queued).
    public var error: String?
    /// The worker that ran it.
    public var worker: String?
    /// Hyperband assignment JSON, for Hyperband trials.
    public var hyperband: String?
    /// How often it was re-queued.
    public var retries: Int
    /// When it was inserted, started and ended (Unix seconds).
    public var createdAt: Double
    /// When a worker started it.
    public var startedAt: Double?
    /// When it ended.
    public var endedAt: Double?

    /// A trial to import.
    public init(number: Int, state: TrialState, hyperparameters: String, score: Double? = nil, error: String? = nil,
                worker: String? = nil, hyperband: String? = nil, retries: Int = 0, createdAt: Double,
                startedAt: Double? = nil, endedAt: Double? = nil) {
        self.number = number
        self.state = state
        self.hyperparameters = hyperparameters
        self.score = score
        self.error = error
        self.worker = worker
        self.hyperband = hyperband
        self.retries = retries
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.endedAt = endedAt
    }
}

extension StudyStore {
    /// Inserts a trial exactly as given — any state, score, error, worker, retries and times — for
    /// restoring a study from an export (`tuner import`). Unlike `insertTrial` it does not number the
    /// trial or start it; the heartbeat is set to the end (or start) time. Call it inside `write { }`
    /// with the rest of the import so the study appears whole or not at all.
    ///
    /// Throws `StoreError.constraintViolation` on a duplicate number or invalid JSON, `.invalidArgument`
    /// when a RUNNING trial has no worker.
    @discardableResult
    public func insertImportedTrial(study: Int64, _ trial: ImportedTrial) throws -> TrialRecord {
        if trial.state == .running && trial.worker == nil {
            throw StoreError.invalidArgument("Imported RUNNING trial \(trial.number) needs the worker that ran it.")
        }
        return try database.transaction(.immediate) { db in
            try db.execute("""
                INSERT INTO trials (study_id, number, state, hyperparameters, score, worker, heartbeat_at, started_at,
                    ended_at, error, hyperband, retries, created_at)
                VALUES (:study, :number, :state, :hp, :score, :worker, :heartbeat, :started, :ended, :error,
                    :hyperband, :retries, :created)
                """, [
                    "study": study, "number": trial.number, "state": trial.state.rawValue, "hp": trial.hyperparameters,
                    "score": trial.score, "worker": trial.worker, "heartbeat": trial.endedAt ?? trial.startedAt,
                    "started": trial.startedAt, "ended": trial.endedAt, "error": trial.error,
                    "hyperband": trial.hyperband, "retries": trial.retries, "created": trial.createdAt,
                ])
            return try requireTrial(id: db.lastInsertedRowID)
        }
    }
}
