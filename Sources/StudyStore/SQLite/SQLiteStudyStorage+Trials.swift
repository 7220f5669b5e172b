import Foundation
import GRDB
import Tuning

extension SQLiteStudyStorage {
    @discardableResult
    public func insertTrial(study: Int64, number: Int?, state: TrialState, hyperparameters: [String: HyperParameterValue],
                            worker: String?, hyperband: HyperbandAssignment?, oracleState: OracleStateChanges?, now: Double) throws -> StoredTrial {
        try TrialRules.checkNew(state: state, worker: worker)
        return try writing { db in
            let trialNumber: Int
            if let number {
                trialNumber = number
            } else {
                trialNumber = try Int.fetchOne(
                    db, sql: "SELECT COALESCE(MAX(number) + 1, 0) FROM trials WHERE study_id = ?", arguments: [study]) ?? 0
            }
            let running = state == .running
            try db.cachedStatement(sql: """
                INSERT INTO trials (study_id, number, state, hyperparameters, worker, heartbeat_at, started_at, hyperband, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                    study, trialNumber, state.rawValue, try StoredFieldCoding.text(hyperparameters),
                    running ? worker : nil, running ? now : nil, running ? now : nil,
                    try hyperband.map { try StoredFieldCoding.text($0) }, now,
                ])
            let id = db.lastInsertedRowID
            if let oracleState { try saveOracleState(study: study, oracleState, now: now) }
            return try requireTrial(id: id, db)
        }
    }

    @discardableResult
    public func startTrial(study: Int64, number: Int, worker: String, hyperparameters: [String: HyperParameterValue],
                           hyperband: HyperbandAssignment?, oracleState: OracleStateChanges?, now: Double) throws -> StoredTrial {
        try writing { db in
            guard let existing = try trial(study: study, number: number, db) else {
                return try insertTrial(study: study, number: number, state: .running, hyperparameters: hyperparameters,
                                       worker: worker, hyperband: hyperband, oracleState: oracleState, now: now)
            }
            guard existing.state == .waiting else {
                throw StoreError.invalidArgument(
                    "Trial \(number) is \(existing.state.rawValue), not WAITING; the oracle state and the trials table disagree.")
            }
            try db.cachedStatement(sql: """
                UPDATE trials SET state = 'RUNNING', worker = ?, started_at = ?, heartbeat_at = ?, ended_at = NULL,
                    hyperparameters = ?, hyperband = ? WHERE id = ?
                """).execute(arguments: [
                    worker, now, now, try StoredFieldCoding.text(hyperparameters), try hyperband.map { try StoredFieldCoding.text($0) },
                    existing.id,
                ])
            if let oracleState { try saveOracleState(study: study, oracleState, now: now) }
            return try requireTrial(id: existing.id, db)
        }
    }

    @discardableResult
    public func insertImportedTrial(study: Int64, _ trial: ImportedTrial) throws -> StoredTrial {
        if trial.state == .running && trial.worker == nil {
            throw StoreError.invalidArgument("Imported RUNNING trial \(trial.number) needs the worker that ran it.")
        }
        return try writing { db in
            try db.execute(sql: """
                INSERT INTO trials (study_id, number, state, hyperparameters, score, worker, heartbeat_at, started_at,
                    ended_at, error, hyperband, retries, worker_deaths, created_at, trial_values)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [
                    study, trial.number, trial.state.rawValue, try StoredFieldCoding.text(trial.hyperparameters), trial.score,
                    trial.worker, trial.endedAt ?? trial.startedAt, trial.startedAt, trial.endedAt, trial.error,
                    try trial.hyperband.map { try StoredFieldCoding.text($0) }, trial.retries, trial.workerDeaths,
                    trial.createdAt, try trial.values.map { try StoredFieldCoding.text($0) },
                ])
            return try requireTrial(id: db.lastInsertedRowID, db)
        }
    }

    public func requireTrial(id: Int64) throws -> StoredTrial {
        try reading { db in try requireTrial(id: id, db) }
    }

    func requireTrial(id: Int64, _ db: Database) throws -> StoredTrial {
        guard let row = try TrialRow.fetchOne(db.cachedStatement(sql: "SELECT \(TrialRow.columns) WHERE t.id = ?"),
                                              arguments: [id])
        else { throw StoreError.trialNotFound(id: id) }
        return try row.trial(location: path)
    }

    public func trial(study: Int64, number: Int) throws -> StoredTrial? {
        try reading { db in try trial(study: study, number: number, db) }
    }

    func trial(study: Int64, number: Int, _ db: Database) throws -> StoredTrial? {
        try TrialRow.fetchOne(db.cachedStatement(sql: "SELECT \(TrialRow.columns) WHERE t.study_id = ? AND t.number = ?"),
                              arguments: [study, number])?.trial(location: path)
    }

    public func trials(study: Int64, states: Set<TrialState>?) throws -> [StoredTrial] {
        try reading { db in
            let rows: [TrialRow]
            if let states {
                // States are an enum's raw values, not user text; still bound, never spliced.
                let names = states.map(\.rawValue).sorted()
                let marks = Array(repeating: "?", count: names.count).joined(separator: ", ")
                rows = try TrialRow.fetchAll(db.cachedStatement(sql: """
                    SELECT \(TrialRow.columns) WHERE t.study_id = ? AND t.state IN (\(marks)) ORDER BY t.number
                    """), arguments: StatementArguments([study] as [any DatabaseValueConvertible] + names))
            } else {
                rows = try TrialRow.fetchAll(db.cachedStatement(sql: "SELECT \(TrialRow.columns) WHERE t.study_id = ? ORDER BY t.number"),
                                             arguments: [study])
            }
            return try rows.map { try $0.trial(location: path) }
        }
    }

    public func claimNextTrial(study: Int64, worker: String, now: Double) throws -> StoredTrial? {
        try writing { db in
            guard let id = try Int64.fetchOne(db.cachedStatement(sql: """
                SELECT id FROM trials WHERE study_id = ? AND state = 'WAITING' ORDER BY number LIMIT 1
                """), arguments: [study])
            else { return nil }
            try db.cachedStatement(sql: """
                UPDATE trials SET state = 'RUNNING', worker = ?, started_at = ?, heartbeat_at = ?, ended_at = NULL
                WHERE id = ? AND state = 'WAITING'
                """).execute(arguments: [worker, now, now, id])
            return try requireTrial(id: id, db)
        }
    }

    public func heartbeat(trial id: Int64, worker: String, now: Double) throws {
        try writing { db in
            _ = try requireOwned(id: id, worker: worker, db)
            try db.cachedStatement(sql: "UPDATE trials SET heartbeat_at = ? WHERE id = ?").execute(arguments: [now, id])
        }
    }

    @discardableResult
    public func finishTrial(_ id: Int64, worker: String, state: TrialState, score: Double?, values: TrialValues?,
                            error: String?, oracleState: OracleStateChanges?, now: Double) throws -> StoredTrial {
        try TrialRules.checkFinal(state)
        let valuesText = try values.map { try StoredFieldCoding.text($0) }
        return try writing { db in
            let trial = try requireOwned(id: id, worker: worker, db)
            try db.cachedStatement(sql: """
                UPDATE trials SET state = ?, score = ?, trial_values = ?, error = ?, ended_at = ?, heartbeat_at = ? WHERE id = ?
                """).execute(arguments: [state.rawValue, score, valuesText, error, now, now, id])
            if let oracleState { try saveOracleState(study: trial.studyID, oracleState, now: now) }
            return try requireTrial(id: id, db)
        }
    }

    func requireOwned(id: Int64, worker: String, _ db: Database) throws -> StoredTrial {
        let trial = try requireTrial(id: id, db)
        guard trial.state == .running else { throw StoreError.trialNotRunning(id: id, state: trial.state.rawValue) }
        guard trial.worker == worker else {
            throw StoreError.trialOwnedByAnotherWorker(id: id, owner: trial.worker ?? "none", caller: worker)
        }
        return trial
    }

    public func updateTrialHyperparameters(_ id: Int64, _ values: [String: HyperParameterValue]) throws {
        try writing { db in
            _ = try requireTrial(id: id, db)
            try db.execute(sql: "UPDATE trials SET hyperparameters = ? WHERE id = ?",
                           arguments: [try StoredFieldCoding.text(values), id])
        }
    }
}
