import Foundation
import GRDB
import Tuning

/// Learning curves, oracle state and checkpoints.
extension SQLiteStudyStorage {
    @discardableResult
    public func recordMetrics(trial id: Int64, worker: String?, step: Int, values: [String: Double], now: Double) throws -> TrialStopRequest? {
        try writing { db in
            if let worker {
                // Under the write lock: no takeover can land between this look and the writes.
                _ = try requireOwned(id: id, worker: worker, db)
            }
            let statement = try db.cachedStatement(sql: """
                INSERT INTO trial_metrics (trial_id, name, step, value, recorded_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (trial_id, name, step) DO UPDATE SET value = excluded.value, recorded_at = excluded.recorded_at
                """)
            // Sorted so the write order (and rowids) do not depend on dictionary order.
            for (name, value) in values.sorted(by: { $0.key < $1.key }) {
                try statement.execute(arguments: [id, name, step, value, now])
            }
            // Read in the same transaction: the worker learns of a stop asked from the dashboard here.
            let requested = try Double.fetchOne(db.cachedStatement(sql: "SELECT stop_requested_at FROM trials WHERE id = ?"),
                                                arguments: [id])
            return requested.map(TrialStopRequest.init(requestedAt:))
        }
    }

    public func recordFinalValue(trial id: Int64, worker: String, metric: String, value: Double, now: Double) throws -> MetricsHistory {
        try writing { db in
            _ = try requireOwned(id: id, worker: worker, db)
            try db.cachedStatement(sql: """
                INSERT INTO trial_metrics (trial_id, name, step, value, recorded_at)
                SELECT ?, ?, 0, ?, ? WHERE NOT EXISTS (SELECT 1 FROM trial_metrics WHERE trial_id = ? AND name = ?)
                """).execute(arguments: [id, metric, value, now, id, metric])
            return try curves(trial: id, db)
        }
    }

    public func metrics(trial id: Int64) throws -> MetricsHistory {
        try reading { db in try curves(trial: id, db) }
    }

    /// Trial `id`'s curves, read in the transaction open on `db`.
    private func curves(trial id: Int64, _ db: Database) throws -> MetricsHistory {
        var curves: [String: [MetricPoint]] = [:]
        for row in try MetricRow.fetchAll(db.cachedStatement(sql: """
            SELECT trial_id, name, step, value FROM trial_metrics WHERE trial_id = ? ORDER BY name, step
            """), arguments: [id]) {
            curves[row.name, default: []].append(row.point)
        }
        return MetricsHistory(curves: curves)
    }

    public func metricValues(study: Int64, name: String, step: Int, states: Set<TrialState>) throws -> [Double] {
        try reading { db in
            let names = states.map(\.rawValue).sorted()
            let marks = Array(repeating: "?", count: names.count).joined(separator: ", ")
            return try Double.fetchAll(db.cachedStatement(sql: """
                SELECT m.value FROM trial_metrics m JOIN trials t ON t.id = m.trial_id
                WHERE t.study_id = ? AND m.name = ? AND m.step = ? AND m.value IS NOT NULL AND t.state IN (\(marks))
                """), arguments: StatementArguments([study, name, step] as [any DatabaseValueConvertible] + names))
        }
    }

    public func metricValues(study: Int64, names: [String], step: Int, states: Set<TrialState>) throws -> [[Double]] {
        guard !names.isEmpty else { return [] }
        return try reading { db in
            let stateNames = states.map(\.rawValue).sorted()
            let nameMarks = Array(repeating: "?", count: names.count).joined(separator: ", ")
            let stateMarks = Array(repeating: "?", count: stateNames.count).joined(separator: ", ")
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT m.trial_id, m.name, m.value FROM trial_metrics m JOIN trials t ON t.id = m.trial_id
                WHERE t.study_id = ? AND m.step = ? AND m.name IN (\(nameMarks)) AND t.state IN (\(stateMarks))
                ORDER BY t.number
                """), arguments: StatementArguments([study, step] as [any DatabaseValueConvertible] + names + stateNames))
            return try MetricVectors.rows(names: names, entries: rows.map { row in
                (trial: try row.decode(Int64.self, atIndex: 0), name: try row.decode(String.self, atIndex: 1),
                 value: try row.decode(Double?.self, atIndex: 2))
            })
        }
    }

    // MARK: Oracle state

    @discardableResult
    public func saveOracleState(study: Int64, _ changes: OracleStateChanges, now: Double) throws -> Int {
        try writing { db in
            try db.cachedStatement(sql: """
                INSERT INTO oracle_state (study_id, state, version, updated_at) VALUES (?, ?, 1, ?)
                ON CONFLICT (study_id) DO UPDATE SET state = excluded.state, version = version + 1,
                    updated_at = excluded.updated_at
                """).execute(arguments: [study, String(decoding: changes.core, as: UTF8.self), now])
            let version = try Int.fetchOne(db.cachedStatement(sql: "SELECT version FROM oracle_state WHERE study_id = ?"),
                                           arguments: [study]) ?? 1
            if changes.replacesStoredTrials {
                try db.cachedStatement(sql: "DELETE FROM oracle_trials WHERE study_id = ?").execute(arguments: [study])
            }
            let upsert = try db.cachedStatement(sql: """
                INSERT INTO oracle_trials (study_id, number, state, version) VALUES (?, ?, ?, ?)
                ON CONFLICT (study_id, number) DO UPDATE SET state = excluded.state, version = excluded.version
                """)
            for (number, state) in changes.trials {
                try upsert.execute(arguments: [study, number, String(decoding: state, as: UTF8.self), version])
            }
            return version
        }
    }

    public func oracleState(study: Int64, trialsSavedAfter version: Int?) throws -> SavedOracleState? {
        try reading { db in
            guard var saved = try OracleStateRow.fetchOne(
                db.cachedStatement(sql: "SELECT state, version, updated_at FROM oracle_state WHERE study_id = ?"),
                arguments: [study])?.oracleState
            else { return nil }
            let rows = try Row.fetchCursor(
                db.cachedStatement(sql: "SELECT number, state FROM oracle_trials WHERE study_id = ? AND version > ?"),
                arguments: [study, version ?? 0])
            while let row = try rows.next() {
                saved.trials[row[0]] = Data((row[1] as String).utf8)
            }
            return saved
        }
    }

    public func oracleStateVersion(study: Int64) throws -> Int? {
        try reading { db in
            try Int.fetchOne(db.cachedStatement(sql: "SELECT version FROM oracle_state WHERE study_id = ?"), arguments: [study])
        }
    }

    // MARK: Checkpoints

    @discardableResult
    public func saveCheckpoint(trial id: Int64, epoch: Int, path filePath: String?, weights: Data?, now: Double) throws -> String? {
        guard filePath != nil || weights != nil else {
            throw StoreError.invalidArgument("A checkpoint needs a file path or inline weights.")
        }
        return try writing { db in
            let previous = try String.fetchOne(db, sql: "SELECT path FROM checkpoints WHERE trial_id = ? AND epoch = ?",
                                               arguments: [id, epoch])
            try db.execute(sql: """
                INSERT INTO checkpoints (trial_id, epoch, path, weights, created_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (trial_id, epoch) DO UPDATE SET path = excluded.path, weights = excluded.weights,
                    created_at = excluded.created_at
                """, arguments: [id, epoch, filePath, weights, now])
            return previous == filePath ? nil : previous
        }
    }

    public func checkpoints(trial id: Int64) throws -> [StoredCheckpoint] {
        try reading { db in
            try CheckpointRow.fetchAll(db, sql: "SELECT * FROM checkpoints WHERE trial_id = ? ORDER BY epoch", arguments: [id])
                .map(\.checkpoint)
        }
    }

    @discardableResult
    public func deleteCheckpoints(trial id: Int64) throws -> [String] {
        try writing { db in
            let paths = try checkpoints(trial: id).compactMap(\.path)
            try db.execute(sql: "DELETE FROM checkpoints WHERE trial_id = ?", arguments: [id])
            return paths
        }
    }

    public func trialsWithCheckpoints(study: Int64) throws -> [(id: Int64, number: Int)] {
        try reading { db in
            try Row.fetchAll(db, sql: """
                SELECT DISTINCT t.id, t.number FROM checkpoints c JOIN trials t ON t.id = c.trial_id
                WHERE t.study_id = ? ORDER BY t.number
                """, arguments: [study]).map { row in
                    (id: try row.decode(Int64.self, atIndex: 0), number: try row.decode(Int.self, atIndex: 1))
                }
        }
    }
}

/// A row of `trial_metrics`; a NULL value (a stored NaN) reads as NaN.
struct MetricRow: Decodable, FetchableRecord {
    var trialID: Int64
    var name: String
    var step: Int
    var value: Double?

    enum CodingKeys: String, CodingKey {
        case name, step, value
        case trialID = "trial_id"
    }

    var point: MetricPoint { MetricPoint(step: step, value: value ?? .nan) }
}

/// A row of `oracle_state`.
private struct OracleStateRow: Decodable, FetchableRecord {
    var state: String
    var version: Int
    var updatedAt: Double

    enum CodingKeys: String, CodingKey {
        case state, version
        case updatedAt = "updated_at"
    }

    var oracleState: SavedOracleState { SavedOracleState(core: Data(state.utf8), version: version, updatedAt: updatedAt) }
}
