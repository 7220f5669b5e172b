import Foundation
import PostgresNIO
import Tuning

/// The dashboard's writes: a study's note, trials asked for, stops asked for.
extension PostgresStudyStorage {
    public func updateStudyNote(_ id: Int64, _ note: StudyNote) throws {
        try writing {
            guard try run("UPDATE studies SET note = \(note.text) WHERE id = \(id) RETURNING id").first != nil else {
                throw StoreError.studyNotFound(name: "#\(id)")
            }
        }
    }

    @discardableResult
    public func requestTrial(study: Int64, hyperparameters: [String: HyperParameterValue], now: Double) throws -> TrialRequest {
        let text = try StoredFieldCoding.text(hyperparameters)
        return try writing {
            _ = try requireStudy(id: study)
            guard let row = try run("""
                INSERT INTO trial_requests (study_id, hyperparameters, state, requested_at)
                VALUES (\(study), \(text), 'PENDING', \(now)) RETURNING id
                """).first
            else { throw StoreError.invalidArgument("The trial request was not stored in \(location).") }
            let id: Int64 = try row.value(0, location: location)
            studiesWithoutPendingRequests.remove(study)
            guard let request = try requests("SELECT \(unescaped: TrialRequestRow.columns) WHERE r.id = \(id)").first else {
                throw StoreError.invalidArgument("There is no trial request \(id) in \(location).")
            }
            return request
        }
    }

    public func trialRequests(study: Int64) throws -> [TrialRequest] {
        try requests("SELECT \(unescaped: TrialRequestRow.columns) WHERE r.study_id = \(study) ORDER BY r.id")
    }

    public func pendingTrialRequests(study: Int64) throws -> [TrialRequest] {
        // None were pending when this transaction took the study's lock (`lockStudy`).
        if isWriting, studiesWithoutPendingRequests.contains(study) { return [] }
        // Inside a write the rows stay locked until the commit: a second worker waits, then finds them settled.
        let lock = isWriting ? " FOR UPDATE OF r" : ""
        return try requests("""
            SELECT \(unescaped: TrialRequestRow.columns) WHERE r.study_id = \(study) AND r.state = 'PENDING' ORDER BY r.id\(unescaped: lock)
            """)
    }

    public func settleTrialRequest(_ id: Int64, as status: TrialRequest.Status, now: Double) throws {
        guard status != .pending else { throw StoreError.invalidArgument("A trial request is settled as enqueued or rejected, not pending.") }
        let columns = TrialRequestRow.columns(of: status)
        try writing {
            guard try run("""
                UPDATE trial_requests SET state = \(columns.state), trial_number = \(columns.trialNumber), reason = \(columns.reason),
                    settled_at = \(now)
                WHERE id = \(id) AND state = 'PENDING' RETURNING id
                """).first != nil
            else {
                throw StoreError.invalidArgument(
                    "Trial request \(id) of \(location) is not pending (another worker took it, or it does not exist).")
            }
        }
    }

    @discardableResult
    public func requestStop(trial id: Int64, now: Double) throws -> StoredTrial {
        try writing {
            let trial = try requireTrial(id: id, locking: true)
            guard trial.state == .running else { throw StoreError.trialNotRunning(id: id, state: trial.state.rawValue) }
            // The first request's time stays: asking twice is one request.
            try run("UPDATE trials SET stop_requested_at = \(now) WHERE id = \(id) AND stop_requested_at IS NULL")
            return try requireTrial(id: id, locking: false)
        }
    }

    /// The requests a query of `TrialRequestRow.columns` finds.
    private func requests(_ query: PostgresQuery) throws -> [TrialRequest] {
        try run(query).map { row in
            try TrialRequestRow(
                id: row.value(0, location: location), studyID: row.value(1, location: location),
                studyName: row.value(2, location: location), hyperparameters: row.value(3, location: location),
                state: row.value(4, location: location), trialNumber: row.value(5, location: location),
                reason: row.value(6, location: location), requestedAt: row.value(7, location: location),
                settledAt: row.value(8, location: location)
            ).request(location: location)
        }
    }
}
