import Foundation
import GRDB
import Tuning

/// The dashboard's writes: a study's note, trials asked for, stops asked for.
extension SQLiteStudyStorage {
    public func updateStudyNote(_ id: Int64, _ note: StudyNote) throws {
        try writing { db in
            try db.execute(sql: "UPDATE studies SET note = ? WHERE id = ?", arguments: [note.text, id])
            guard db.changesCount == 1 else { throw StoreError.studyNotFound(name: "#\(id)") }
        }
    }

    @discardableResult
    public func requestTrial(study: Int64, hyperparameters: [String: HyperParameterValue], now: Double) throws -> TrialRequest {
        let text = try StoredFieldCoding.text(hyperparameters)
        return try writing { db in
            _ = try requireStudy(id: study, db)
            try db.execute(sql: """
                INSERT INTO trial_requests (study_id, hyperparameters, state, requested_at) VALUES (?, ?, 'PENDING', ?)
                """, arguments: [study, text, now])
            return try requireTrialRequest(id: db.lastInsertedRowID, db)
        }
    }

    public func trialRequests(study: Int64) throws -> [TrialRequest] {
        try reading { db in
            try TrialRequestRow.fetchAll(db, sql: "SELECT \(TrialRequestRow.columns) WHERE r.study_id = ? ORDER BY r.id",
                                         arguments: [study]).map { try $0.request(location: path) }
        }
    }

    public func pendingTrialRequests(study: Int64) throws -> [TrialRequest] {
        // Inside `write { }` this read holds the write lock with the rest of the transaction.
        try reading { db in
            try TrialRequestRow.fetchAll(db.cachedStatement(sql: """
                SELECT \(TrialRequestRow.columns) WHERE r.study_id = ? AND r.state = 'PENDING' ORDER BY r.id
                """), arguments: [study]).map { try $0.request(location: path) }
        }
    }

    public func settleTrialRequest(_ id: Int64, as status: TrialRequest.Status, now: Double) throws {
        guard status != .pending else { throw StoreError.invalidArgument("A trial request is settled as enqueued or rejected, not pending.") }
        let columns = TrialRequestRow.columns(of: status)
        try writing { db in
            try db.execute(sql: """
                UPDATE trial_requests SET state = ?, trial_number = ?, reason = ?, settled_at = ? WHERE id = ? AND state = 'PENDING'
                """, arguments: [columns.state, columns.trialNumber, columns.reason, now, id])
            guard db.changesCount == 1 else {
                throw StoreError.invalidArgument("Trial request \(id) of \(path) is not pending (another worker took it, or it does not exist).")
            }
        }
    }

    @discardableResult
    public func requestStop(trial id: Int64, now: Double) throws -> StoredTrial {
        try writing { db in
            let trial = try requireTrial(id: id, db)
            guard trial.state == .running else { throw StoreError.trialNotRunning(id: id, state: trial.state.rawValue) }
            // The first request's time stays: asking twice is one request.
            try db.execute(sql: "UPDATE trials SET stop_requested_at = ? WHERE id = ? AND stop_requested_at IS NULL",
                           arguments: [now, id])
            return try requireTrial(id: id, db)
        }
    }

    func requireTrialRequest(id: Int64, _ db: Database) throws -> TrialRequest {
        guard let row = try TrialRequestRow.fetchOne(db, sql: "SELECT \(TrialRequestRow.columns) WHERE r.id = ?", arguments: [id]) else {
            throw StoreError.invalidArgument("There is no trial request \(id) in \(path).")
        }
        return try row.request(location: path)
    }
}
