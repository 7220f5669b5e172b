import Foundation
import PostgresNIO
import Tuning

/// Learning curves, oracle state and checkpoints.
extension PostgresStudyStorage {
    @discardableResult
    public func recordMetrics(trial id: Int64, worker: String?, step: Int, values: [String: Double], now: Double) throws -> TrialStopRequest? {
        // Sorted so the write order (and ids) do not depend on dictionary order; one statement for all,
        // which also answers whether a stop was asked for the trial (the worker's only look for it).
        let sorted = values.sorted { $0.key < $1.key }
        let names = sorted.map(\.key)
        let numbers = sorted.map(\.value)
        return try writing {
            // The trial's row is share-locked first, so a takeover committing meanwhile is seen, and the
            // values are written only when the trial is this worker's (or no worker was named).
            let query = Self.recordMetricsQuery(trial: id, worker: worker, step: step, names: names, values: numbers, now: now)
            let rows = try run(query, preparedAs: RecordMetricsStatement.self)
            if let worker {
                guard let row = rows.first else { throw StoreError.trialNotFound(id: id) }
                let state: String = try row.value(0, location: location)
                let owner: String? = try row.value(1, location: location)
                guard state == TrialState.running.rawValue else { throw StoreError.trialNotRunning(id: id, state: state) }
                guard owner == worker else {
                    throw StoreError.trialOwnedByAnotherWorker(id: id, owner: owner ?? "none", caller: worker)
                }
            }
            // NULL (no stop asked) decodes as nil; no row (no such trial) as well.
            let requested = try rows.first?.value(2, Double?.self, location: location) ?? nil
            return requested.map(TrialStopRequest.init(requestedAt:))
        }
    }

    /// A step's statement: records `values` (named by `names`) at `step` of trial `id` when it is
    /// `worker`'s RUNNING trial (or no worker is named), and reads back the trial's state, worker and stop
    /// request, in one round trip. Every step of every trial sends it: prepared once per connection
    /// (`RecordMetricsStatement`).
    static func recordMetricsQuery(trial id: Int64, worker: String?, step: Int, names: [String], values: [Double],
                                   now: Double) -> PostgresQuery {
        """
        WITH owner AS (
            SELECT state, worker, stop_requested_at FROM trials WHERE id = \(id) FOR SHARE
        ), recorded AS (
            INSERT INTO trial_metrics (trial_id, name, step, value, recorded_at)
            SELECT \(id), v.name, \(step), v.value, \(now) FROM unnest(\(names)::text[], \(values)::float8[]) AS v(name, value)
            WHERE \(worker)::text IS NULL OR EXISTS (SELECT 1 FROM owner WHERE state = 'RUNNING' AND worker = \(worker))
            ON CONFLICT (trial_id, name, step) DO UPDATE SET value = excluded.value, recorded_at = excluded.recorded_at
        )
        SELECT state, worker, stop_requested_at FROM owner
        """
    }

    public func recordFinalValue(trial id: Int64, worker: String, metric: String, value: Double, now: Double) throws -> MetricsHistory {
        try writing {
            let rows = try run(Self.recordFinalValueQuery(trial: id, worker: worker, metric: metric, value: value, now: now),
                               preparedAs: RecordFinalValueStatement.self)
            guard let first = rows.first else { throw StoreError.trialNotFound(id: id) }
            let state: String = try first.value(0, location: location)
            let owner: String? = try first.value(1, location: location)
            guard state == TrialState.running.rawValue else { throw StoreError.trialNotRunning(id: id, state: state) }
            guard owner == worker else { throw StoreError.trialOwnedByAnotherWorker(id: id, owner: owner ?? "none", caller: worker) }
            var curves: [String: [MetricPoint]] = [:]
            for row in rows {
                // The trial's row alone (no point of any metric): no curves.
                guard let name = try row.value(2, String?.self, location: location) else { continue }
                let stepValue: Double? = try row.value(4, location: location)
                curves[name, default: []].append(MetricPoint(step: try row.value(3, location: location), value: stepValue ?? .nan))
            }
            // The stored points and the new one come unordered from the statement's union.
            return MetricsHistory(curves: curves.mapValues { $0.sorted { $0.step < $1.step } })
        }
    }

    /// A told final value's statement: records `value` at step 0 of trial `id`'s curve of `metric` when the
    /// trial is `worker`'s RUNNING trial and has no point of that metric, and reads back the trial's state
    /// and worker with every point of its curves (the stored ones and the new one; the trial's row alone
    /// when it has none), in one round trip. Every `tell` of a final value alone sends it: prepared once
    /// per connection (`RecordFinalValueStatement`).
    static func recordFinalValueQuery(trial id: Int64, worker: String, metric: String, value: Double, now: Double) -> PostgresQuery {
        """
        WITH owner AS (
            SELECT state, worker FROM trials WHERE id = \(id) FOR SHARE
        ), stored AS (
            SELECT name, step, value FROM trial_metrics WHERE trial_id = \(id)
        ), recorded AS (
            INSERT INTO trial_metrics (trial_id, name, step, value, recorded_at)
            SELECT \(id), \(metric), 0, \(value), \(now)
            WHERE EXISTS (SELECT 1 FROM owner WHERE state = 'RUNNING' AND worker = \(worker))
                AND NOT EXISTS (SELECT 1 FROM stored WHERE name = \(metric))
            ON CONFLICT (trial_id, name, step) DO NOTHING
            RETURNING name, step, value
        )
        SELECT o.state, o.worker, p.name, p.step, p.value
        FROM owner o LEFT JOIN (SELECT name, step, value FROM stored UNION ALL SELECT name, step, value FROM recorded) p ON true
        """
    }

    public func metrics(trial id: Int64) throws -> MetricsHistory {
        var curves: [String: [MetricPoint]] = [:]
        for row in try run("SELECT name, step, value FROM trial_metrics WHERE trial_id = \(id) ORDER BY name, step") {
            let value: Double? = try row.value(2, location: location)
            curves[try row.value(0, String.self, location: location), default: []]
                .append(MetricPoint(step: try row.value(1, location: location), value: value ?? .nan))
        }
        return MetricsHistory(curves: curves)
    }

    public func metricValues(study: Int64, name: String, step: Int, states: Set<TrialState>) throws -> [Double] {
        let names = states.map(\.rawValue).sorted()
        // NaN = NaN in PostgreSQL, so the stored NaNs are left out by name.
        return try run("""
            SELECT m.value FROM trial_metrics m JOIN trials t ON t.id = m.trial_id
            WHERE t.study_id = \(study) AND m.name = \(name) AND m.step = \(step) AND m.value IS NOT NULL
                AND m.value <> 'NaN'::float8 AND t.state = ANY(\(names))
            ORDER BY m.id
            """).map { try $0.value(0, location: location) }
    }

    public func metricValues(study: Int64, names: [String], step: Int, states: Set<TrialState>) throws -> [[Double]] {
        guard !names.isEmpty else { return [] }
        let stateNames = states.map(\.rawValue).sorted()
        let rows = try run("""
            SELECT m.trial_id, m.name, m.value FROM trial_metrics m JOIN trials t ON t.id = m.trial_id
            WHERE t.study_id = \(study) AND m.step = \(step) AND m.name = ANY(\(names)) AND t.state = ANY(\(stateNames))
            ORDER BY t.number
            """)
        return try MetricVectors.rows(names: names, entries: rows.map { row in
            (trial: try row.value(0, Int64.self, location: location), name: try row.value(1, String.self, location: location),
             value: try row.value(2, Double?.self, location: location))
        })
    }

    // MARK: Oracle state

    @discardableResult
    public func saveOracleState(study: Int64, _ changes: OracleStateChanges, now: Double) throws -> Int {
        try writing {
            try lockStudy(study)
            return try storeOracleState(study: study, changes, now: now)
        }
    }

    /// `saveOracleState`'s statements, for a change that already holds the study's lock inside its own
    /// write (a claim or a finish saving the state with its trial): its savepoint covers this part too,
    /// so no second one is paid for. Returns the new version.
    func storeOracleState(study: Int64, _ changes: OracleStateChanges, now: Double) throws -> Int {
        try clearStoredOracleTrials(study: study, for: changes)
        // The core and every changed trial (usually one) in one statement, stamped with the new version.
        let row = try run("WITH \(savingOracleState: changes, study: study, now: now) SELECT version FROM saved").first
        return try noteSavedOracleVersion(row?.value(0, Int?.self, location: location) ?? nil, study: study)
    }

    /// Deletes the study's stored oracle trials when `changes` replaces them all (a restored oracle's
    /// first save), before the statement that saves the new ones.
    func clearStoredOracleTrials(study: Int64, for changes: OracleStateChanges?) throws {
        if changes?.replacesStoredTrials == true {
            try run("DELETE FROM oracle_trials WHERE study_id = \(study)")
        }
    }

    /// Keeps the version a save returned as the one this transaction decides on, and returns it (1 for
    /// a save that returned none).
    func noteSavedOracleVersion(_ version: Int?, study: Int64) -> Int {
        guard let version else { return 1 }
        noteOracleVersion(version, study: study)
        return version
    }

    public func oracleState(study: Int64, trialsSavedAfter version: Int?) throws -> SavedOracleState? {
        try lockStudy(study)
        // Taking the lock just now read this very answer (the usual catch-up of a claim or a finish).
        if let version, let caughtUp, caughtUp.study == study, caughtUp.since == version {
            self.caughtUp = nil
            return caughtUp.state
        }
        // The core and the trials in one statement: a worker catching up pays one round trip.
        let rows = try run("""
            SELECT s.state, s.version, s.updated_at, t.number, t.state
            FROM oracle_state s LEFT JOIN oracle_trials t ON t.study_id = s.study_id AND t.version > \(Int64(version ?? 0))
            WHERE s.study_id = \(study)
            """)
        guard let first = rows.first else { return nil }
        var saved = SavedOracleState(
            core: Data(try first.value(0, String.self, location: location).utf8),
            version: try first.value(1, location: location), updatedAt: try first.value(2, location: location))
        for row in rows {
            guard let number: Int = try row.value(3, location: location) else { continue }
            saved.trials[number] = Data(try row.value(4, String.self, location: location).utf8)
        }
        noteOracleVersion(saved.version, study: study)
        return saved
    }

    public func oracleStateVersion(study: Int64) throws -> Int? {
        // Inside a write this takes the study's lock: the transaction decides on this version until it
        // commits, and no other connection can change it meanwhile, so it is read once.
        try lockStudy(study)
        if isWriting, let known = lockedOracleVersions[study] { return known }
        let version: Int? = try run("SELECT version FROM oracle_state WHERE study_id = \(study)").first
            .map { try $0.value(0, location: location) }
        if let version { noteOracleVersion(version, study: study) }
        return version
    }

    // MARK: Checkpoints

    @discardableResult
    public func saveCheckpoint(trial id: Int64, epoch: Int, path filePath: String?, weights: Data?, now: Double) throws -> String? {
        guard filePath != nil || weights != nil else {
            throw StoreError.invalidArgument("A checkpoint needs a file path or inline weights.")
        }
        return try writing {
            let previous: String? = try run("""
                SELECT path FROM checkpoints WHERE trial_id = \(id) AND epoch = \(epoch) FOR UPDATE
                """).first?.value(0, location: location)
            try run("""
                INSERT INTO checkpoints (trial_id, epoch, path, weights, created_at) VALUES (\(id), \(epoch), \(filePath), \(weights), \(now))
                ON CONFLICT (trial_id, epoch) DO UPDATE SET path = excluded.path, weights = excluded.weights,
                    created_at = excluded.created_at
                """)
            return previous == filePath ? nil : previous
        }
    }

    public func checkpoints(trial id: Int64) throws -> [StoredCheckpoint] {
        try run("SELECT id, trial_id, epoch, path, weights, created_at FROM checkpoints WHERE trial_id = \(id) ORDER BY epoch")
            .map { row in
                StoredCheckpoint(id: try row.value(0, location: location), trialID: try row.value(1, location: location),
                                 epoch: try row.value(2, location: location), path: try row.value(3, location: location),
                                 weights: try row.value(4, location: location), createdAt: try row.value(5, location: location))
            }
    }

    @discardableResult
    public func deleteCheckpoints(trial id: Int64) throws -> [String] {
        try writing {
            try run("""
                WITH removed AS (DELETE FROM checkpoints WHERE trial_id = \(id) RETURNING epoch, path)
                SELECT path FROM removed WHERE path IS NOT NULL ORDER BY epoch
                """).map { try $0.value(0, location: location) }
        }
    }

    public func trialsWithCheckpoints(study: Int64) throws -> [(id: Int64, number: Int)] {
        try run("""
            SELECT DISTINCT t.id, t.number FROM checkpoints c JOIN trials t ON t.id = c.trial_id
            WHERE t.study_id = \(study) ORDER BY t.number
            """).map { row in (id: try row.value(0, location: location), number: try row.value(1, location: location)) }
    }
}
