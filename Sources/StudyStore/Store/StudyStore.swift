import Foundation
import Tuning

/// The persistent home of studies, trials, learning curves, oracle state and checkpoints, in one
/// SQLite file shared by every worker of a search.
///
/// Each `StudyStore` owns one connection and must stay on the thread that uses it (it is not
/// `Sendable`); a worker thread or process opens its own store on the same path. Every change runs in
/// an IMMEDIATE transaction, so read-modify-write steps (claiming a trial, finishing one) are atomic
/// across processes, and a crash leaves either the whole change or none of it.
public final class StudyStore {
    /// The underlying connection, for queries the store does not wrap.
    public let database: Database
    /// The file path.
    public var path: String { database.path }

    /// Opens the store at `path`, creating the file and applying pending migrations.
    ///
    /// Throws `StoreError.corrupt` (file untouched) when it is not a database, `.readOnly` when it
    /// cannot be written, `.locked` when another worker holds it past `busyTimeout` seconds.
    public init(path: String, busyTimeout: Double = 5) throws {
        database = try Database(path: path, mode: .readWriteCreate, busyTimeout: busyTimeout)
        try StudySchema.migrator().migrate(database)
    }

    /// The number of schema migrations applied to this file.
    public func schemaVersion() throws -> Int {
        try StudySchema.migrator().appliedMigrations(database).count
    }

    /// The names of the applied schema migrations, in order.
    public func appliedMigrations() throws -> [String] {
        try StudySchema.migrator().appliedMigrations(database)
    }

    /// Runs `body` in one IMMEDIATE transaction, so several store calls commit or roll back together.
    public func write<T>(_ body: (StudyStore) throws -> T) throws -> T {
        try database.transaction(.immediate) { _ in try body(self) }
    }

    // MARK: Studies

    /// Creates a study. Throws `StudyNameError` when the name breaks `StudyName`'s rule,
    /// `StoreError.studyExists` when the name is taken, `.constraintViolation` when a JSON field is not valid JSON.
    @discardableResult
    public func createStudy(_ study: NewStudy, now: Double = Date().timeIntervalSince1970) throws -> StudyRecord {
        try StudyName.validate(study.name)
        return try database.transaction(.immediate) { db in
            guard try db.queryOne("SELECT 1 FROM studies WHERE name = ?", [study.name]) == nil else {
                throw StoreError.studyExists(name: study.name)
            }
            try db.execute("""
                INSERT INTO studies (name, objective_name, direction, oracle_kind, oracle_config, search_space, created_at)
                VALUES (:name, :objective, :direction, :kind, :config, :space, :now)
                """, [
                    "name": study.name, "objective": study.objectiveName, "direction": study.direction.rawValue,
                    "kind": study.oracleKind, "config": study.oracleConfig, "space": study.searchSpace, "now": now,
                ])
            return try requireStudy(id: db.lastInsertedRowID)
        }
    }

    /// The study with this name, or nil. Throws `StudyNameError` for a name holding a NUL, which SQLite
    /// would cut short (`victim\0other` must not find `victim`). Other names breaking `StudyName`'s
    /// rule are still looked up, so a study stored before the rule existed can be read and deleted.
    public func study(named name: String) throws -> StudyRecord? {
        if name.unicodeScalars.contains("\0") { try StudyName.validate(name) }
        return try database.queryOne("SELECT * FROM studies WHERE name = ?", [name]).map { try StudyRecord(row: $0, path: path) }
    }

    /// The study with this name. Throws `StoreError.studyNotFound` when there is none (`StudyNameError`
    /// instead when the name breaks `StudyName`'s rule, which says more).
    public func requireStudy(named name: String) throws -> StudyRecord {
        guard let study = try study(named: name) else {
            try StudyName.validate(name)
            throw StoreError.studyNotFound(name: name)
        }
        return study
    }

    private func requireStudy(id: Int64) throws -> StudyRecord {
        guard let row = try database.queryOne("SELECT * FROM studies WHERE id = ?", [id]) else {
            throw StoreError.studyNotFound(name: "#\(id)")
        }
        return try StudyRecord(row: row, path: path)
    }

    /// All studies, by name.
    public func studies() throws -> [StudyRecord] {
        try database.query("SELECT * FROM studies ORDER BY name").map { try StudyRecord(row: $0, path: path) }
    }

    /// Deletes a study with its trials, metrics, oracle state and checkpoint rows, and returns the
    /// checkpoint file paths the caller should now remove (files are removed after the commit so a
    /// rolled-back delete never loses weights). Throws `StoreError.studyNotFound`.
    @discardableResult
    public func deleteStudy(named name: String) throws -> [String] {
        try database.transaction(.immediate) { db in
            let study = try requireStudy(named: name)
            let paths = try db.query("""
                SELECT c.path FROM checkpoints c JOIN trials t ON t.id = c.trial_id
                WHERE t.study_id = ? AND c.path IS NOT NULL ORDER BY c.path
                """, [study.id]).compactMap { $0.string("path") }
            try db.execute("DELETE FROM studies WHERE id = ?", [study.id])
            return paths
        }
    }

    // MARK: Trials

    /// Inserts a trial (numbered next in its study when `number` is nil) and, in the same transaction,
    /// the oracle state that produced it. A RUNNING trial needs a `worker`.
    /// Throws `.constraintViolation` on a duplicate number or invalid JSON, `.invalidArgument` on a bad state.
    @discardableResult
    public func insertTrial(
        study: Int64, number: Int? = nil, state: TrialState = .waiting, hyperparameters: String = "{}",
        worker: String? = nil, hyperband: String? = nil, oracleState: String? = nil,
        now: Double = Date().timeIntervalSince1970
    ) throws -> TrialRecord {
        guard state == .waiting || state == .running else {
            throw StoreError.invalidArgument("New trials are WAITING or RUNNING, not \(state.rawValue).")
        }
        guard state == .waiting || worker != nil else {
            throw StoreError.invalidArgument("A RUNNING trial needs the worker that runs it.")
        }
        return try database.transaction(.immediate) { db in
            let trialNumber: Int
            if let number {
                trialNumber = number
            } else {
                let row = try db.queryOne("SELECT COALESCE(MAX(number) + 1, 0) AS next FROM trials WHERE study_id = ?", [study])
                trialNumber = row?.int("next") ?? 0
            }
            let running = state == .running
            try db.execute("""
                INSERT INTO trials (study_id, number, state, hyperparameters, worker, heartbeat_at, started_at, hyperband, created_at)
                VALUES (:study, :number, :state, :hp, :worker, :heartbeat, :started, :hyperband, :now)
                """, [
                    "study": study, "number": trialNumber, "state": state.rawValue, "hp": hyperparameters,
                    "worker": running ? worker : nil, "heartbeat": running ? now : nil, "started": running ? now : nil,
                    "hyperband": hyperband, "now": now,
                ])
            let id = db.lastInsertedRowID
            if let oracleState { try saveOracleState(study: study, json: oracleState, now: now) }
            return try requireTrial(id: id)
        }
    }

    /// The trial with this row id. Throws `StoreError.trialNotFound`.
    public func requireTrial(id: Int64) throws -> TrialRecord {
        guard let row = try database.queryOne("SELECT * FROM trials WHERE id = ?", [id]) else {
            throw StoreError.trialNotFound(id: id)
        }
        return try TrialRecord(row: row, path: path)
    }

    /// The trial of a study with this number, or nil.
    public func trial(study: Int64, number: Int) throws -> TrialRecord? {
        try database.queryOne("SELECT * FROM trials WHERE study_id = ? AND number = ?", [study, number])
            .map { try TrialRecord(row: $0, path: path) }
    }

    /// The trials of a study by number, optionally only those in `states`.
    public func trials(study: Int64, states: Set<TrialState>? = nil) throws -> [TrialRecord] {
        let all = try database.query("SELECT * FROM trials WHERE study_id = ? ORDER BY number", [study])
            .map { try TrialRecord(row: $0, path: path) }
        guard let states else { return all }
        return all.filter { states.contains($0.state) }
    }

    /// Atomically takes the lowest-numbered WAITING trial of a study for `worker` and marks it RUNNING,
    /// or returns nil when none waits. The IMMEDIATE transaction holds the write lock from the SELECT to
    /// the UPDATE, so no two workers — threads or processes — ever get the same trial.
    public func claimNextTrial(study: Int64, worker: String, now: Double = Date().timeIntervalSince1970) throws -> TrialRecord? {
        try database.transaction(.immediate) { db in
            guard let row = try db.queryOne(
                "SELECT id FROM trials WHERE study_id = ? AND state = 'WAITING' ORDER BY number LIMIT 1", [study]),
                  let id = row.int64("id")
            else { return nil }
            try db.execute("""
                UPDATE trials SET state = 'RUNNING', worker = :worker, started_at = :now, heartbeat_at = :now,
                    ended_at = NULL WHERE id = :id AND state = 'WAITING'
                """, ["worker": worker, "now": now, "id": id])
            return try requireTrial(id: id)
        }
    }

    /// Records that `worker` is still running the trial. Throws `.trialNotRunning` or
    /// `.trialOwnedByAnotherWorker` when the trial was taken away (marked stale), so the worker can stop.
    public func heartbeat(trial id: Int64, worker: String, now: Double = Date().timeIntervalSince1970) throws {
        try database.transaction(.immediate) { db in
            _ = try requireOwned(id: id, worker: worker)
            try db.execute("UPDATE trials SET heartbeat_at = ? WHERE id = ?", [now, id])
        }
    }

    /// Ends a RUNNING trial owned by `worker` as COMPLETE, PRUNED or FAILED with its score and error, and,
    /// in the same transaction, saves the oracle state that accounts for it.
    ///
    /// Throws `.trialNotRunning` when it is not RUNNING (already finished, or failed/re-queued as stale),
    /// `.trialOwnedByAnotherWorker` when another worker claimed it, `.invalidArgument` for a non-final state.
    @discardableResult
    public func finishTrial(
        _ id: Int64, worker: String, state: TrialState, score: Double? = nil, error: String? = nil,
        oracleState: String? = nil, now: Double = Date().timeIntervalSince1970
    ) throws -> TrialRecord {
        guard state.isFinished else {
            throw StoreError.invalidArgument("finishTrial takes COMPLETE, PRUNED or FAILED, not \(state.rawValue).")
        }
        return try database.transaction(.immediate) { db in
            let trial = try requireOwned(id: id, worker: worker)
            try db.execute("""
                UPDATE trials SET state = :state, score = :score, error = :error, ended_at = :now, heartbeat_at = :now
                WHERE id = :id
                """, ["state": state.rawValue, "score": score, "error": error, "now": now, "id": id])
            if let oracleState { try saveOracleState(study: trial.studyID, json: oracleState, now: now) }
            return try requireTrial(id: id)
        }
    }

    private func requireOwned(id: Int64, worker: String) throws -> TrialRecord {
        let trial = try requireTrial(id: id)
        guard trial.state == .running else { throw StoreError.trialNotRunning(id: id, state: trial.state.rawValue) }
        guard trial.worker == worker else {
            throw StoreError.trialOwnedByAnotherWorker(id: id, owner: trial.worker ?? "none", caller: worker)
        }
        return trial
    }

    /// RUNNING trials of a study whose last heartbeat is more than `seconds` before `now`.
    public func staleRunningTrials(study: Int64, olderThan seconds: Double, now: Double = Date().timeIntervalSince1970) throws -> [TrialRecord] {
        try database.query("""
            SELECT * FROM trials WHERE study_id = ? AND state = 'RUNNING'
                AND COALESCE(heartbeat_at, started_at, created_at) < ? ORDER BY number
            """, [study, now - seconds]).map { try TrialRecord(row: $0, path: path) }
    }

    /// Marks each stale RUNNING trial FAILED, or puts it back to WAITING while it has retries left,
    /// counting a worker death either way, in one transaction (with the oracle state, if given). Returns the trials as changed. Its learning
    /// curves are kept for inspection; a re-queued run overwrites steps it records again.
    @discardableResult
    public func failOrRequeueStale(
        study: Int64, olderThan seconds: Double, policy: StalePolicy = StalePolicy(maxRetries: 0),
        oracleState: String? = nil, now: Double = Date().timeIntervalSince1970
    ) throws -> [TrialRecord] {
        try database.transaction(.immediate) { db in
            let stale = try staleRunningTrials(study: study, olderThan: seconds, now: now)
            for trial in stale {
                let reason = "worker \"\(trial.worker ?? "?")\" stopped sending heartbeats (none for over \(seconds) s)"
                if trial.retries < policy.maxRetries {
                    try db.execute("""
                        UPDATE trials SET state = 'WAITING', worker = NULL, heartbeat_at = NULL, started_at = NULL,
                            retries = retries + 1, worker_deaths = worker_deaths + 1, error = :reason
                        WHERE id = :id AND state = 'RUNNING'
                        """, ["reason": "re-queued: " + reason, "id": trial.id])
                } else {
                    try db.execute("""
                        UPDATE trials SET state = 'FAILED', ended_at = :now, worker_deaths = worker_deaths + 1, error = :reason
                        WHERE id = :id AND state = 'RUNNING'
                        """, ["now": now, "reason": reason, "id": trial.id])
                }
            }
            if let oracleState, !stale.isEmpty { try saveOracleState(study: study, json: oracleState, now: now) }
            return try stale.map { try requireTrial(id: $0.id) }
        }
    }

    // MARK: Metrics

    /// Records metric values of a trial at one step. Recording the same (metric, step) again replaces
    /// the value, so a retried write or a re-run never duplicates a point.
    public func recordMetrics(trial id: Int64, step: Int, values: [String: Double], now: Double = Date().timeIntervalSince1970) throws {
        try database.transaction(.immediate) { db in
            let statement = try db.prepare("""
                INSERT INTO trial_metrics (trial_id, name, step, value, recorded_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (trial_id, name, step) DO UPDATE SET value = excluded.value, recorded_at = excluded.recorded_at
                """)
            // Sorted so the write order (and rowids) do not depend on dictionary order.
            for (name, value) in values.sorted(by: { $0.key < $1.key }) {
                try statement.bind(.positional([.integer(id), .text(name), .integer(Int64(step)), .real(value), .real(now)]))
                while try statement.step() {}
            }
        }
    }

    /// Records one metric value of a trial at a step (idempotent, like `recordMetrics`).
    public func recordMetric(trial id: Int64, name: String, step: Int, value: Double, now: Double = Date().timeIntervalSince1970) throws {
        try recordMetrics(trial: id, step: step, values: [name: value], now: now)
    }

    /// A trial's metrics, by name then step; NULL values (stored NaN) come back as NaN.
    public func metrics(trial id: Int64) throws -> [MetricRecord] {
        try database.query("SELECT name, step, value FROM trial_metrics WHERE trial_id = ? ORDER BY name, step", [id])
            .map { row in
                guard let name = row.string("name"), let step = row.int("step") else {
                    throw StoreError.decoding(path: path, detail: "a trial_metrics row is incomplete")
                }
                return MetricRecord(name: name, step: step, value: row.double("value") ?? .nan)
            }
    }

    /// The trials of a study with their metrics, read in one transaction so they are consistent.
    public func trialsWithMetrics(study: Int64) throws -> [TrialWithMetrics] {
        try database.transaction(.deferred) { _ in
            try trials(study: study).map { TrialWithMetrics(trial: $0, metrics: try metrics(trial: $0.id)) }
        }
    }

    // MARK: Oracle state

    /// Saves the oracle's exported state, bumping its version. Runs inside the caller's transaction when
    /// there is one (as `insertTrial` and `finishTrial` do), so trial and oracle state never disagree.
    /// Throws `.constraintViolation` when `json` is not valid JSON.
    @discardableResult
    public func saveOracleState(study: Int64, json: String, now: Double = Date().timeIntervalSince1970) throws -> Int {
        try database.transaction(.immediate) { db in
            try db.execute("""
                INSERT INTO oracle_state (study_id, state, version, updated_at) VALUES (?, ?, 1, ?)
                ON CONFLICT (study_id) DO UPDATE SET state = excluded.state, version = version + 1,
                    updated_at = excluded.updated_at
                """, [study, json, now])
            return try db.queryOne("SELECT version FROM oracle_state WHERE study_id = ?", [study])?.int("version") ?? 1
        }
    }

    /// The oracle's saved state for a study, or nil before the first save.
    public func loadOracleState(study: Int64) throws -> OracleStateRecord? {
        guard let row = try database.queryOne("SELECT * FROM oracle_state WHERE study_id = ?", [study]) else { return nil }
        guard let json = row.string("state"), let version = row.int("version"), let updated = row.double("updated_at") else {
            throw StoreError.decoding(path: path, detail: "an oracle_state row is incomplete")
        }
        return OracleStateRecord(json: json, version: version, updatedAt: updated)
    }

    // MARK: Checkpoints

    /// Records a checkpoint of a trial at an epoch (a file path, inline weights, or both); recording the
    /// same epoch again replaces it. Returns the previous file path for that epoch, if it changed, for removal.
    @discardableResult
    public func saveCheckpoint(trial id: Int64, epoch: Int, path filePath: String? = nil, weights: Data? = nil,
                               now: Double = Date().timeIntervalSince1970) throws -> String? {
        guard filePath != nil || weights != nil else {
            throw StoreError.invalidArgument("A checkpoint needs a file path or inline weights.")
        }
        return try database.transaction(.immediate) { db in
            let previous = try db.queryOne("SELECT path FROM checkpoints WHERE trial_id = ? AND epoch = ?", [id, epoch])?.string("path")
            try db.execute("""
                INSERT INTO checkpoints (trial_id, epoch, path, weights, created_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (trial_id, epoch) DO UPDATE SET path = excluded.path, weights = excluded.weights,
                    created_at = excluded.created_at
                """, [id, epoch, filePath, weights, now])
            return previous == filePath ? nil : previous
        }
    }

    /// A trial's checkpoints by epoch.
    public func checkpoints(trial id: Int64) throws -> [CheckpointRecord] {
        try database.query("SELECT * FROM checkpoints WHERE trial_id = ? ORDER BY epoch", [id]).map { row in
            guard let rowID = row.int64("id"), let epoch = row.int("epoch"), let created = row.double("created_at") else {
                throw StoreError.decoding(path: path, detail: "a checkpoints row is incomplete")
            }
            return CheckpointRecord(id: rowID, trialID: id, epoch: epoch, path: row.string("path"),
                                    weights: row.data("weights"), createdAt: created)
        }
    }

    /// Deletes a trial's checkpoint rows and returns their file paths for the caller to remove after this returns.
    @discardableResult
    public func deleteCheckpoints(trial id: Int64) throws -> [String] {
        try database.transaction(.immediate) { db in
            let paths = try checkpoints(trial: id).compactMap(\.path)
            try db.execute("DELETE FROM checkpoints WHERE trial_id = ?", [id])
            return paths
        }
    }
}
