import Foundation
import Tuning

/// The calls a search loop makes around one trial, beyond the basic claim / finish: starting the trial
/// an oracle chose (new, or one waiting in the store), settling one stale trial as the oracle decided,
/// and checking whether the cached oracle is still current.
extension StudyStore {
    /// Marks trial `number` of a study RUNNING for `worker`: inserts it when the store has no such
    /// trial, or takes it from WAITING (an enqueued or re-queued trial), with the oracle state that
    /// chose it, in one transaction.
    ///
    /// - Throws: `StoreError.invalidArgument` when the trial exists and is not WAITING (another worker
    ///   runs it or it has ended), `.constraintViolation` for invalid JSON.
    @discardableResult
    public func startTrial(
        study: Int64, number: Int, worker: String, hyperparameters: String, hyperband: String? = nil,
        oracleState: String? = nil, now: Double = Date().timeIntervalSince1970
    ) throws -> TrialRecord {
        try database.transaction(.immediate) { db in
            if let existing = try trial(study: study, number: number) {
                guard existing.state == .waiting else {
                    throw StoreError.invalidArgument(
                        "Trial \(number) is \(existing.state.rawValue), not WAITING; the oracle state and the trials table disagree.")
                }
                try db.execute("""
                    UPDATE trials SET state = 'RUNNING', worker = :worker, started_at = :now, heartbeat_at = :now,
                        ended_at = NULL, hyperparameters = :hp, hyperband = :hyperband WHERE id = :id
                    """, ["worker": worker, "now": now, "hp": hyperparameters, "hyperband": hyperband, "id": existing.id])
                if let oracleState { try saveOracleState(study: study, json: oracleState, now: now) }
                return try requireTrial(id: existing.id)
            }
            return try insertTrial(
                study: study, number: number, state: .running, hyperparameters: hyperparameters, worker: worker,
                hyperband: hyperband, oracleState: oracleState, now: now)
        }
    }

    /// Settles one RUNNING trial whose worker is gone: back to WAITING (counting a retry) when `requeue`,
    /// else FAILED with `reason`; either way one more worker death is counted. The oracle state that
    /// agrees is saved in the same transaction.
    ///
    /// - Throws: `StoreError.trialNotRunning` when it is no longer RUNNING (another worker settled it).
    @discardableResult
    public func settleAbandonedTrial(
        _ id: Int64, requeue: Bool, reason: String, oracleState: String? = nil,
        now: Double = Date().timeIntervalSince1970
    ) throws -> TrialRecord {
        try database.transaction(.immediate) { db in
            let trial = try requireTrial(id: id)
            guard trial.state == .running else { throw StoreError.trialNotRunning(id: id, state: trial.state.rawValue) }
            if requeue {
                try putBackToWaiting(id, reason: reason, countingAWorkerDeath: true, db: db)
            } else {
                try db.execute("""
                    UPDATE trials SET state = 'FAILED', ended_at = :now, worker_deaths = worker_deaths + 1, error = :reason
                    WHERE id = :id
                    """, ["now": now, "reason": reason, "id": id])
            }
            if let oracleState { try saveOracleState(study: trial.studyID, json: oracleState, now: now) }
            return try requireTrial(id: id)
        }
    }

    /// Puts a RUNNING trial that its own worker stopped (Ctrl-C, SIGTERM) back to WAITING, so that a
    /// resume runs it again from the start: neither a retry nor a worker death is counted, and `reason`
    /// is kept as its note. The oracle state that agrees is saved in the same transaction.
    ///
    /// - Throws: `StoreError.trialNotRunning` / `.trialOwnedByAnotherWorker` when the trial is no
    ///   longer this worker's.
    @discardableResult
    public func requeueInterruptedTrial(
        _ id: Int64, worker: String, reason: String, oracleState: String? = nil,
        now: Double = Date().timeIntervalSince1970
    ) throws -> TrialRecord {
        try database.transaction(.immediate) { db in
            let trial = try requireTrial(id: id)
            guard trial.state == .running else { throw StoreError.trialNotRunning(id: id, state: trial.state.rawValue) }
            guard trial.worker == worker else {
                throw StoreError.trialOwnedByAnotherWorker(id: id, owner: trial.worker ?? "none", caller: worker)
            }
            try putBackToWaiting(id, reason: reason, countingAWorkerDeath: false, db: db)
            if let oracleState { try saveOracleState(study: trial.studyID, json: oracleState, now: now) }
            return try requireTrial(id: id)
        }
    }

    /// Makes a RUNNING trial WAITING again with the note "re-queued: `reason`"; a worker death also
    /// counts a retry (an interruption counts neither).
    private func putBackToWaiting(_ id: Int64, reason: String, countingAWorkerDeath: Bool, db: Database) throws {
        let counts = countingAWorkerDeath ? "retries = retries + 1, worker_deaths = worker_deaths + 1," : ""
        try db.execute("""
            UPDATE trials SET state = 'WAITING', worker = NULL, heartbeat_at = NULL, started_at = NULL, \(counts)
                error = :reason WHERE id = :id
            """, ["reason": "re-queued: " + reason, "id": id])
    }

    /// The version of a study's saved oracle state (bumped on every save), or nil before the first save;
    /// a worker compares it with the version its cached oracle came from.
    public func oracleStateVersion(study: Int64) throws -> Int? {
        try database.queryOne("SELECT version FROM oracle_state WHERE study_id = ?", [study])?.int("version")
    }

    /// Replaces a trial's stored hyperparameter values (a trial that defined new parameters while it
    /// ran, such as a batch size chosen in `fit`, ran with their defaults; they belong in its record).
    ///
    /// - Throws: `StoreError.trialNotFound`, `.constraintViolation` for invalid JSON.
    public func updateTrialHyperparameters(_ id: Int64, json: String) throws {
        try database.transaction(.immediate) { db in
            _ = try requireTrial(id: id)
            try db.execute("UPDATE trials SET hyperparameters = ? WHERE id = ?", [json, id])
        }
    }

    /// The RUNNING trials of a study (to find those whose worker died).
    public func runningTrials(study: Int64) throws -> [TrialRecord] {
        try trials(study: study, states: [.running])
    }
}

extension StudyStore {
    /// Replaces a study's stored oracle configuration and search space (the space grows as trials
    /// define new hyperparameters; the budget grows when a search is extended).
    ///
    /// - Throws: `StoreError.studyNotFound`, `.constraintViolation` for invalid JSON.
    public func updateStudy(_ id: Int64, oracleConfig: String? = nil, searchSpace: String? = nil) throws {
        try database.transaction(.immediate) { db in
            guard try db.queryOne("SELECT 1 FROM studies WHERE id = ?", [id]) != nil else {
                throw StoreError.studyNotFound(name: "#\(id)")
            }
            if let oracleConfig {
                try db.execute("UPDATE studies SET oracle_config = ? WHERE id = ?", [oracleConfig, id])
            }
            if let searchSpace {
                try db.execute("UPDATE studies SET search_space = ? WHERE id = ?", [searchSpace, id])
            }
        }
    }

    /// The values of metric `name` at `step` of the study's trials in `states` (a pruner compares a
    /// running trial with them); NaN values are left out.
    public func metricValues(study: Int64, name: String, step: Int, states: Set<TrialState> = [.complete]) throws -> [Double] {
        let stateList = states.map(\.rawValue).sorted()
        let placeholders = Array(repeating: "?", count: stateList.count).joined(separator: ", ")
        let arguments = StatementArguments.positional(
            [study.databaseValue, name.databaseValue, step.databaseValue] + stateList.map(\.databaseValue))
        return try database.query("""
            SELECT m.value AS value FROM trial_metrics m JOIN trials t ON t.id = m.trial_id
            WHERE t.study_id = ? AND m.name = ? AND m.step = ? AND m.value IS NOT NULL AND t.state IN (\(placeholders))
            """, arguments).compactMap { $0.double("value") }
    }

    /// The row ids of a study's trials that have checkpoint rows, with their numbers.
    public func trialsWithCheckpoints(study: Int64) throws -> [(id: Int64, number: Int)] {
        try database.query("""
            SELECT DISTINCT t.id AS id, t.number AS number FROM checkpoints c JOIN trials t ON t.id = c.trial_id
            WHERE t.study_id = ? ORDER BY t.number
            """, [study]).compactMap { row in
                guard let id = row.int64("id"), let number = row.int("number") else { return nil }
                return (id, number)
            }
    }
}

extension StudyStore {
    /// Keeps the study file a study was made from (its path and text), replacing any earlier one.
    ///
    /// - Throws: `StoreError.constraintViolation` when the study does not exist.
    public func saveStudySource(study: Int64, path: String, text: String, now: Double = Date().timeIntervalSince1970) throws {
        try database.execute("""
            INSERT INTO study_sources (study_id, path, text, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (study_id) DO UPDATE SET path = excluded.path, text = excluded.text, updated_at = excluded.updated_at
            """, [study, path, text, now])
    }

    /// The study file a study was made from, if it was made from one.
    public func studySource(study: Int64) throws -> (path: String, text: String)? {
        guard let row = try database.queryOne("SELECT path, text FROM study_sources WHERE study_id = ?", [study]),
              let path = row.string("path"), let text = row.string("text") else { return nil }
        return (path, text)
    }
}
