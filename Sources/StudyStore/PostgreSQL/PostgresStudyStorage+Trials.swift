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
            if let oracleState { try saveOracleState(study: study, oracleState, now: now) }
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
            let inserted = try run("""
                INSERT INTO trials (study_id, number, state, hyperparameters, worker, heartbeat_at, started_at, hyperband, created_at)
                VALUES (\(study), \(number), 'RUNNING', \(values), \(worker), \(now), \(now), \(assignment), \(now))
                ON CONFLICT (study_id, number) DO NOTHING
                RETURNING id
                """)
            if !inserted.isEmpty {
                let id: Int64 = try insertedID(inserted)
                if let oracleState { try saveOracleState(study: study, oracleState, now: now) }
                return try requireTrial(id: id, locking: false)
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
            if let oracleState { try saveOracleState(study: study, oracleState, now: now) }
            return try requireTrial(id: existing.id, locking: false)
        }
    }

    @discardableResult
    public func insertImportedTrial(study: Int64, _ trial: ImportedTrial) throws -> StoredTrial {
        if trial.state == .running && trial.worker == nil {
            throw StoreError.invalidArgument("Imported RUNNING trial \(trial.number) needs the worker that ran it.")
        }
        let values = try StoredFieldCoding.text(trial.hyperparameters)
        let assignment = try trial.hyperband.map { try StoredFieldCoding.text($0) }
        let heartbeat = trial.endedAt ?? trial.startedAt
        return try writing {
            let inserted = try run("""
                INSERT INTO trials (study_id, number, state, hyperparameters, score, worker, heartbeat_at, started_at,
                    ended_at, error, hyperband, retries, worker_deaths, created_at)
                VALUES (\(study), \(trial.number), \(trial.state.rawValue), \(values), \(trial.score), \(trial.worker),
                    \(heartbeat), \(trial.startedAt), \(trial.endedAt), \(trial.error), \(assignment), \(trial.retries),
                    \(trial.workerDeaths), \(trial.createdAt))
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
    public func finishTrial(_ id: Int64, worker: String, state: TrialState, score: Double?, error: String?,
                            oracleState: OracleStateChanges?, now: Double) throws -> StoredTrial {
        try TrialRules.checkFinal(state)
        return try writing {
            let study = try lockStudy(ofTrial: id)
            // Ended only if it is still this worker's RUNNING trial; otherwise the look says why not.
            let updated = try run("""
                UPDATE trials SET state = \(state.rawValue), score = \(score), error = \(error), ended_at = \(now), heartbeat_at = \(now)
                WHERE id = \(id) AND state = 'RUNNING' AND worker = \(worker)
                RETURNING id
                """)
            if updated.isEmpty {
                _ = try requireOwned(id: id, worker: worker)
                throw StoreError.trialNotRunning(id: id, state: "unknown")
            }
            if let oracleState { try saveOracleState(study: study, oracleState, now: now) }
            return try requireTrial(id: id, locking: false)
        }
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
    @discardableResult
    func lockStudy(ofTrial id: Int64) throws -> Int64 {
        guard let row = try run("SELECT study_id FROM trials WHERE id = \(id)").first else {
            throw StoreError.trialNotFound(id: id)
        }
        let study: Int64 = try row.value(0, location: location)
        try lockStudy(study)
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
