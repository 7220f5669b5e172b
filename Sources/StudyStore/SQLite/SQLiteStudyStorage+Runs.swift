import Foundation
import GRDB
import Tuning

/// Settling trials whose worker is gone or was stopped.
extension SQLiteStudyStorage {
    public func staleRunningTrials(study: Int64, olderThan seconds: Double, now: Double) throws -> [StoredTrial] {
        try reading { db in
            try TrialRow.fetchAll(db, sql: """
                SELECT \(TrialRow.columns) WHERE t.study_id = ? AND t.state = 'RUNNING'
                    AND COALESCE(t.heartbeat_at, t.started_at, t.created_at) < ? ORDER BY t.number
                """, arguments: [study, now - seconds]).map { try $0.trial(location: path) }
        }
    }

    @discardableResult
    public func failOrRequeueStale(study: Int64, olderThan seconds: Double, policy: StalePolicy, oracleState: OracleStateChanges?,
                                   now: Double) throws -> [StoredTrial] {
        try writing { db in
            let stale = try staleRunningTrials(study: study, olderThan: seconds, now: now)
            for trial in stale {
                var reason = "worker \"\(trial.worker ?? "?")\" stopped sending heartbeats (none for over \(seconds) s)"
                // A trial a user asked to stop is not run again only to be stopped at its first step.
                if trial.stopRequestedAt != nil { reason += "; a stop had been asked for it, so it is not run again" }
                if trial.retries < policy.maxRetries && trial.stopRequestedAt == nil {
                    try putBackToWaiting(trial.id, reason: reason, countingAWorkerDeath: true, db)
                } else {
                    try failDeadWorkersTrial(trial.id, reason: reason, now: now, db)
                }
            }
            if let oracleState, !stale.isEmpty { try saveOracleState(study: study, oracleState, now: now) }
            return try stale.map { try requireTrial(id: $0.id, db) }
        }
    }

    @discardableResult
    public func settleAbandonedTrial(_ id: Int64, requeue: Bool, reason: String, oracleState: OracleStateChanges?, now: Double) throws -> StoredTrial {
        try writing { db in
            let trial = try requireTrial(id: id, db)
            guard trial.state == .running else { throw StoreError.trialNotRunning(id: id, state: trial.state.rawValue) }
            if requeue {
                try putBackToWaiting(id, reason: reason, countingAWorkerDeath: true, db)
            } else {
                try failDeadWorkersTrial(id, reason: reason, now: now, db)
            }
            if let oracleState { try saveOracleState(study: trial.studyID, oracleState, now: now) }
            return try requireTrial(id: id, db)
        }
    }

    @discardableResult
    public func requeueInterruptedTrial(_ id: Int64, worker: String, reason: String, oracleState: OracleStateChanges?, now: Double) throws -> StoredTrial {
        try writing { db in
            let trial = try requireOwned(id: id, worker: worker, db)
            try putBackToWaiting(id, reason: reason, countingAWorkerDeath: false, db)
            if let oracleState { try saveOracleState(study: trial.studyID, oracleState, now: now) }
            return try requireTrial(id: id, db)
        }
    }

    /// Makes a RUNNING trial WAITING again with the note "re-queued: `reason`"; a worker death also
    /// counts a retry (an interruption counts neither).
    private func putBackToWaiting(_ id: Int64, reason: String, countingAWorkerDeath: Bool, _ db: Database) throws {
        let counts = countingAWorkerDeath ? "retries = retries + 1, worker_deaths = worker_deaths + 1," : ""
        try db.execute(sql: """
            UPDATE trials SET state = 'WAITING', worker = NULL, heartbeat_at = NULL, started_at = NULL, \(counts)
                error = ? WHERE id = ? AND state = 'RUNNING'
            """, arguments: ["re-queued: " + reason, id])
    }

    /// Fails a RUNNING trial whose worker died, counting the death.
    private func failDeadWorkersTrial(_ id: Int64, reason: String, now: Double, _ db: Database) throws {
        try db.execute(sql: """
            UPDATE trials SET state = 'FAILED', ended_at = ?, worker_deaths = worker_deaths + 1, error = ?
            WHERE id = ? AND state = 'RUNNING'
            """, arguments: [now, reason, id])
    }
}
