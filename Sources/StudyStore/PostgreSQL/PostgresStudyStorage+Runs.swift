import Foundation
import PostgresNIO
import Tuning

/// Settling trials whose worker is gone or was stopped.
extension PostgresStudyStorage {
    public func staleRunningTrials(study: Int64, olderThan seconds: Double, now: Double) throws -> [StoredTrial] {
        try staleRunningTrials(study: study, olderThan: seconds, now: now, locking: false)
    }

    /// The stale RUNNING trials; with `locking` (inside a write), their rows stay locked until the commit.
    private func staleRunningTrials(study: Int64, olderThan seconds: Double, now: Double, locking: Bool) throws -> [StoredTrial] {
        let lock = locking && isWriting ? " FOR NO KEY UPDATE OF t" : ""
        return try run("""
            SELECT \(unescaped: PostgresRows.trialColumns) WHERE t.study_id = \(study) AND t.state = 'RUNNING'
                AND COALESCE(t.heartbeat_at, t.started_at, t.created_at) < \(now - seconds) ORDER BY t.number\(unescaped: lock)
            """).map { try PostgresRows.trial($0, location: location) }
    }

    @discardableResult
    public func failOrRequeueStale(study: Int64, olderThan seconds: Double, policy: StalePolicy, oracleState: OracleStateChanges?,
                                   now: Double) throws -> [StoredTrial] {
        try writing {
            try lockStudy(study)
            let stale = try staleRunningTrials(study: study, olderThan: seconds, now: now, locking: true)
            for trial in stale {
                var reason = "worker \"\(trial.worker ?? "?")\" stopped sending heartbeats (none for over \(seconds) s)"
                // A trial a user asked to stop is not run again only to be stopped at its first step.
                if trial.stopRequestedAt != nil { reason += "; a stop had been asked for it, so it is not run again" }
                if trial.retries < policy.maxRetries && trial.stopRequestedAt == nil {
                    try putBackToWaiting(trial.id, reason: reason, countingAWorkerDeath: true)
                } else {
                    try failDeadWorkersTrial(trial.id, reason: reason, now: now)
                }
            }
            if let oracleState, !stale.isEmpty { try saveOracleState(study: study, oracleState, now: now) }
            return try stale.map { try requireTrial(id: $0.id, locking: false) }
        }
    }

    @discardableResult
    public func settleAbandonedTrial(_ id: Int64, requeue: Bool, reason: String, oracleState: OracleStateChanges?, now: Double) throws -> StoredTrial {
        try writing {
            try lockStudy(ofTrial: id)
            let trial = try requireTrial(id: id, locking: true)
            guard trial.state == .running else { throw StoreError.trialNotRunning(id: id, state: trial.state.rawValue) }
            if requeue {
                try putBackToWaiting(id, reason: reason, countingAWorkerDeath: true)
            } else {
                try failDeadWorkersTrial(id, reason: reason, now: now)
            }
            if let oracleState { try saveOracleState(study: trial.studyID, oracleState, now: now) }
            return try requireTrial(id: id, locking: false)
        }
    }

    @discardableResult
    public func requeueInterruptedTrial(_ id: Int64, worker: String, reason: String, oracleState: OracleStateChanges?, now: Double) throws -> StoredTrial {
        try writing {
            try lockStudy(ofTrial: id)
            let trial = try requireOwned(id: id, worker: worker)
            try putBackToWaiting(id, reason: reason, countingAWorkerDeath: false)
            if let oracleState { try saveOracleState(study: trial.studyID, oracleState, now: now) }
            return try requireTrial(id: id, locking: false)
        }
    }

    /// Makes a RUNNING trial WAITING again with the note "re-queued: `reason`"; a worker death also
    /// counts a retry (an interruption counts neither).
    private func putBackToWaiting(_ id: Int64, reason: String, countingAWorkerDeath: Bool) throws {
        let note = "re-queued: " + reason
        let deaths = countingAWorkerDeath ? 1 : 0
        try run("""
            UPDATE trials SET state = 'WAITING', worker = NULL, heartbeat_at = NULL, started_at = NULL,
                retries = retries + \(deaths), worker_deaths = worker_deaths + \(deaths), error = \(note)
            WHERE id = \(id) AND state = 'RUNNING'
            """)
    }

    /// Fails a RUNNING trial whose worker died, counting the death.
    private func failDeadWorkersTrial(_ id: Int64, reason: String, now: Double) throws {
        try run("""
            UPDATE trials SET state = 'FAILED', ended_at = \(now), worker_deaths = worker_deaths + 1, error = \(reason)
            WHERE id = \(id) AND state = 'RUNNING'
            """)
    }
}
