import Foundation
import PostgresNIO
import Tuning

extension PostgresStudyStorage {
    @discardableResult
    public func insertTrial(study: Int64, number: Int?, state: TrialState, hyperparameters: [String: HyperParameterValue],
                            worker: String?, hyperband: HyperbandAssignment?, oracleState: OracleStateChanges?, now: Double) throws -> StoredTrial {
        try TrialRules.checkNew(state: state, worker: worker)
        let values = try StoredFieldCoding.text(hyperparameters)
        let assignment = try hyperband.map { try StoredFieldCoding.text($0) }
        return try writing {
            // The study's lock makes "the next number" and the insert one step for every worker.
            try lockStudy(study)
            let trialNumber: Int
            if let number {
                trialNumber = number
            } else {
                trialNumber = try run("SELECT COALESCE(MAX(number) + 1, 0) FROM trials WHERE study_id = \(study)")
                    .first?.value(0, location: location) ?? 0
            }
            let running = state == .running
            let runner = running ? worker : nil
            let since = running ? now : nil
            let inserted = try run("""
                INSERT INTO trials (study_id, number, state, hyperparameters, worker, heartbeat_at, started_at, hyperband, created_at)
                VALUES (\(study), \(trialNumber), \(state.rawValue), \(values), \(runner), \(since), \(since), \(assignment), \(now))
                RETURNING id
                """)
            let id: Int64 = try insertedID(inserted)
            if let oracleState { try storeOracleState(study: study, oracleState, now: now) }
            return try requireTrial(id: id, locking: false)
        }
    }

    @discardableResult
    public func startTrial(study: Int64, number: Int, worker: String, hyperparameters: [String: HyperParameterValue],
                           hyperband: HyperbandAssignment?, oracleState: OracleStateChanges?, now: Double) throws -> StoredTrial {
        let values = try StoredFieldCoding.text(hyperparameters)
        let assignment = try hyperband.map { try StoredFieldCoding.text($0) }
        return try writing {
            try lockStudy(study)
            // A new trial (the usual case) in one statement; the number taken means an existing trial.
            // The new row and the oracle state in one statement, the row read back by it (decoded before
            // the commit); the state is saved even when the number is taken, for the update below.
            try clearStoredOracleTrials(study: study, for: oracleState)
            let query = Self.startTrialQuery(study: study, number: number, values: values, worker: worker, assignment: assignment,
                                             oracleState: oracleState, now: now)
            guard let row = try run(query, preparedAs: StartTrialStatement.self).first
            else { throw StoreError.decoding(path: location, detail: "a claim's insert returned no row") }
            if oracleState != nil { _ = noteSavedOracleVersion(try row.value(0, Int?.self, location: location), study: study) }
            if try row.value(1, Int64?.self, location: location) != nil {
                return try PostgresRows.trial(row, from: 1, location: location)
            }
            guard let existing = try trial(study: study, number: number, locking: true) else {
                throw StoreError.invalidArgument("Trial \(number) could be neither inserted nor found.")
            }
            guard existing.state == .waiting else {
                throw StoreError.invalidArgument(
                    "Trial \(number) is \(existing.state.rawValue), not WAITING; the oracle state and the trials table disagree.")
            }
            try run("""
                UPDATE trials SET state = 'RUNNING', worker = \(worker), started_at = \(now), heartbeat_at = \(now),
                    ended_at = NULL, hyperparameters = \(values), hyperband = \(assignment) WHERE id = \(existing.id)
                """)
            return try requireTrial(id: existing.id, locking: false)
        }
    }

    /// A claim's statement: inserts trial `number` RUNNING for `worker` unless the number is taken, saves
    /// `oracleState` (either way), and reads back the saved version and the new row (NULLs when none was
    /// inserted), in one round trip. Prepared once per connection (`StartTrialStatement`).
    static func startTrialQuery(study: Int64, number: Int, values: String, worker: String, assignment: String?,
                                oracleState: OracleStateChanges?, now: Double) -> PostgresQuery {
        """
        WITH inserted AS (
            INSERT INTO trials (study_id, number, state, hyperparameters, worker, heartbeat_at, started_at, hyperband, created_at)
            VALUES (\(study), \(number), 'RUNNING', \(values), \(worker), \(now), \(now), \(assignment), \(now))
            ON CONFLICT (study_id, number) DO NOTHING
            RETURNING *
        ), \(savingOracleState: oracleState, study: study, now: now)
        SELECT (SELECT version FROM saved), \(unescaped: PostgresRows.trialColumnList)
        FROM (SELECT 1) AS one LEFT JOIN (inserted t JOIN studies s ON s.id = t.study_id) ON true
        """
    }

    @discardableResult
    public func insertImportedTrial(study: Int64, _ trial: ImportedTrial) throws -> StoredTrial {
        if trial.state == .running && trial.worker == nil {
            throw StoreError.invalidArgument("Imported RUNNING trial \(trial.number) needs the worker that ran it.")
        }
        let values = try StoredFieldCoding.text(trial.hyperparameters)
        let assignment = try trial.hyperband.map { try StoredFieldCoding.text($0) }
        let heartbeat = trial.endedAt ?? trial.startedAt
        let objectiveValues = try trial.values.map { try StoredFieldCoding.text($0) }
        return try writing {
            let inserted = try run("""
                INSERT INTO trials (study_id, number, state, hyperparameters, score, worker, heartbeat_at, started_at,
                    ended_at, error, hyperband, retries, worker_deaths, created_at, trial_values)
                VALUES (\(study), \(trial.number), \(trial.state.rawValue), \(values), \(trial.score), \(trial.worker),
                    \(heartbeat), \(trial.startedAt), \(trial.endedAt), \(trial.error), \(assignment), \(trial.retries),
                    \(trial.workerDeaths), \(trial.createdAt), \(objectiveValues))
                RETURNING id
                """)
            return try requireTrial(id: try insertedID(inserted), locking: false)
        }
    }

    public func requireTrial(id: Int64) throws -> StoredTrial {
        try requireTrial(id: id, locking: false)
    }

    /// The trial with this id; with `locking` (inside a write), its row stays locked until the commit.
    func requireTrial(id: Int64, locking: Bool) throws -> StoredTrial {
        let lock = locking && isWriting ? " FOR NO KEY UPDATE OF t" : ""
        guard let row = try run("SELECT \(unescaped: PostgresRows.trialColumns) WHERE t.id = \(id)\(unescaped: lock)").first
        else { throw StoreError.trialNotFound(id: id) }
        return try PostgresRows.trial(row, location: location)
    }

    public func trial(study: Int64, number: Int) throws -> StoredTrial? {
        try trial(study: study, number: number, locking: false)
    }

    func trial(study: Int64, number: Int, locking: Bool) throws -> StoredTrial? {
        let lock = locking && isWriting ? " FOR NO KEY UPDATE OF t" : ""
        return try run("""
            SELECT \(unescaped: PostgresRows.trialColumns) WHERE t.study_id = \(study) AND t.number = \(number)\(unescaped: lock)
            """).first.map { try PostgresRows.trial($0, location: location) }
    }

    public func trials(study: Int64, states: Set<TrialState>?) throws -> [StoredTrial] {
        let rows: [PostgresRandomAccessRow]
        if let states {
            let names = states.map(\.rawValue).sorted()
            rows = try run("""
                SELECT \(unescaped: PostgresRows.trialColumns) WHERE t.study_id = \(study) AND t.state = ANY(\(names)) ORDER BY t.number
                """)
        } else {
            rows = try run("SELECT \(unescaped: PostgresRows.trialColumns) WHERE t.study_id = \(study) ORDER BY t.number")
        }
        return try rows.map { try PostgresRows.trial($0, location: location) }
    }

    public func claimNextTrial(study: Int64, worker: String, now: Double) throws -> StoredTrial? {
        try writing {
            // SKIP LOCKED: workers claiming at once each take a different WAITING row, none waits for another.
            guard let row = try run("""
                UPDATE trials SET state = 'RUNNING', worker = \(worker), started_at = \(now), heartbeat_at = \(now), ended_at = NULL
                WHERE id = (SELECT id FROM trials WHERE study_id = \(study) AND state = 'WAITING'
                            ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED)
                    AND state = 'WAITING'
                RETURNING id
                """).first
            else { return nil }
            // Decoded before the commit: a damaged trial fails the claim and stays WAITING.
            return try requireTrial(id: try row.value(0, location: location), locking: false)
        }
    }

    public func heartbeat(trial id: Int64, worker: String, now: Double) throws {
        try writing {
            _ = try requireOwned(id: id, worker: worker)
            try run("UPDATE trials SET heartbeat_at = \(now) WHERE id = \(id)")
        }
    }

    @discardableResult
    public func finishTrial(_ id: Int64, worker: String, state: TrialState, score: Double?, values: TrialValues?,
                            error: String?, oracleState: OracleStateChanges?, now: Double) throws -> StoredTrial {
        try TrialRules.checkFinal(state)
        let valuesText = try values.map { try StoredFieldCoding.text($0) }
        return try writing {
            // Inside a transaction that holds one study's lock already (a search's or ask/tell's finish
            // read the oracle state under it), the trial is taken to be that study's: the update checks
            // it, and only a miss looks its study up (and locks it).
            let held = heldStudyLocks
            var ended: StoredTrial?
            if held.count == 1 {
                ended = try endRunningTrial(id, worker: worker, state: state, score: score, values: valuesText, error: error, study: held[0],
                                            oracleState: oracleState, now: now)
            }
            if ended == nil {
                let study = try lockStudy(ofTrial: id)
                if held != [study] {
                    ended = try endRunningTrial(id, worker: worker, state: state, score: score, values: valuesText, error: error, study: study,
                                                oracleState: oracleState, now: now)
                }
            }
            guard let trial = ended else {
                // Not this worker's RUNNING trial: the look says why not.
                _ = try requireOwned(id: id, worker: worker)
                throw StoreError.trialNotRunning(id: id, state: "unknown")
            }
            return trial
        }
    }

    /// Ends trial `id` of `study` if it is `worker`'s RUNNING trial and saves `oracleState` with it, in one
    /// statement that reads the ended row back; nil (and nothing saved) when no row matched.
    private func endRunningTrial(_ id: Int64, worker: String, state: TrialState, score: Double?, values: String?, error: String?,
                                 study: Int64, oracleState: OracleStateChanges?, now: Double) throws -> StoredTrial? {
        // A state that replaces every stored trial deletes them first: only once the update matched.
        let savesWithUpdate = oracleState?.replacesStoredTrials != true
        let query = Self.endRunningTrialQuery(id, worker: worker, state: state, score: score, values: values, error: error,
                                              study: study, oracleState: savesWithUpdate ? oracleState : nil, now: now)
        guard let row = try run(query, preparedAs: EndRunningTrialStatement.self).first
        else { return nil }
        let trial = try PostgresRows.trial(row, from: 1, location: location)
        if let oracleState {
            if savesWithUpdate {
                _ = noteSavedOracleVersion(try row.value(0, Int?.self, location: location), study: study)
            } else {
                try storeOracleState(study: study, oracleState, now: now)
            }
        }
        return trial
    }

    /// A finish's statement: ends trial `id` of `study` if it is `worker`'s RUNNING trial and then saves
    /// `oracleState`, reading back the saved version and the ended row (no row when none matched), in one
    /// round trip. Prepared once per connection (`EndRunningTrialStatement`).
    static func endRunningTrialQuery(_ id: Int64, worker: String, state: TrialState, score: Double?, values: String?,
                                     error: String?, study: Int64, oracleState: OracleStateChanges?, now: Double) -> PostgresQuery {
        """
        WITH updated AS (
            UPDATE trials SET state = \(state.rawValue), score = \(score), trial_values = \(values), error = \(error),
                ended_at = \(now), heartbeat_at = \(now)
            WHERE id = \(id) AND study_id = \(study) AND state = 'RUNNING' AND worker = \(worker)
            RETURNING *
        ), \(savingOracleState: oracleState, study: study, now: now, ifRowsIn: "updated")
        SELECT (SELECT version FROM saved), \(unescaped: PostgresRows.trialColumnList)
        FROM updated t JOIN studies s ON s.id = t.study_id
        """
    }

    /// The trial, locked, when it is RUNNING for `worker`; else `.trialNotRunning` / `.trialOwnedByAnotherWorker`.
    func requireOwned(id: Int64, worker: String) throws -> StoredTrial {
        let trial = try requireTrial(id: id, locking: true)
        guard trial.state == .running else { throw StoreError.trialNotRunning(id: id, state: trial.state.rawValue) }
        guard trial.worker == worker else {
            throw StoreError.trialOwnedByAnotherWorker(id: id, owner: trial.worker ?? "none", caller: worker)
        }
        return trial
    }

    /// Takes the lock of the study trial `id` belongs to (see `lockStudy`); `.trialNotFound` when there is none.
    /// Inside a write, the study is read and locked by one statement (a trial never changes study, so
    /// the read cannot go stale while the lock is awaited).
    @discardableResult
    func lockStudy(ofTrial id: Int64) throws -> Int64 {
        let query: PostgresQuery = isWriting
            ? "SELECT study_id, pg_advisory_xact_lock(study_id) FROM trials WHERE id = \(id)"
            : "SELECT study_id FROM trials WHERE id = \(id)"
        guard let row = try run(query).first else { throw StoreError.trialNotFound(id: id) }
        let study: Int64 = try row.value(0, location: location)
        noteLockedStudy(study)
        return study
    }

    public func updateTrialHyperparameters(_ id: Int64, _ values: [String: HyperParameterValue]) throws {
        let text = try StoredFieldCoding.text(values)
        try writing {
            _ = try requireTrial(id: id, locking: true)
            try run("UPDATE trials SET hyperparameters = \(text) WHERE id = \(id)")
        }
    }

    /// The id an `INSERT ... RETURNING id` gave.
    func insertedID(_ rows: [PostgresRandomAccessRow]) throws -> Int64 {
        guard let row = rows.first else {
            throw StoreError.decoding(path: location, detail: "an insert returned no id")
        }
        return try row.value(0, location: location)
    }
}
