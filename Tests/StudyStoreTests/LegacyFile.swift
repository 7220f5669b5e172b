import Foundation
import GRDB
import JSONValues
@testable import StudyStore
import Tuning

/// Study files as the hand-written SQLite layer before GRDB wrote them: the v1–v3 schema, each applied
/// migration recorded in `schema_migrations(name, applied_at)`, `user_version` set, WAL on. Written
/// with a plain GRDB connection, never through `SQLiteStudyStorage`.
enum LegacyFile {
    /// The migrations the old layer knew, in order.
    static let names = ["v1-studies-trials-metrics", "v2-study-sources", "v3-trial-worker-deaths"]

    /// Writes a legacy file at `path` with the first `migrations` migrations applied (and recorded
    /// under `recordedNames`, when given, to fake a newer tuner's file) and, when `withStudy`, one study
    /// "legacy" holding two trials, metrics and oracle state as the old tuner encoded them.
    static func create(at path: String, migrations: Int = 3, recordedNames: [String]? = nil, withStudy: Bool = true) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
            try db.inTransaction(.immediate) {
                try db.execute(sql: """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        name TEXT PRIMARY KEY NOT NULL,
                        applied_at REAL NOT NULL
                    )
                    """)
                let schema = [StudySchema.v1, StudySchema.v2, StudySchema.v3]
                for index in 0..<migrations {
                    try db.execute(sql: schema[index])
                    try db.execute(sql: "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                                   arguments: [names[index], 1_700_000_000.0 + Double(index)])
                    try db.execute(sql: "PRAGMA user_version = \(index + 1)")
                }
                for (offset, name) in (recordedNames ?? []).enumerated() {
                    try db.execute(sql: "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                                   arguments: [name, 1_800_000_000.0 + Double(offset)])
                }
                if withStudy { try insertStudy(db) }
                return .commit
            }
        }
    }

    /// The study a legacy file holds: what `SQLiteStudyStorage` must read back from it.
    static func insertStudy(_ db: Database) throws {
        let space = String(decoding: try JSONCoding.compactEncoder.encode(try sampleSpace()), as: UTF8.self)
        try db.execute(sql: """
            INSERT INTO studies (id, name, objective_name, direction, oracle_kind, oracle_config, search_space, created_at)
            VALUES (1, 'legacy', 'val_accuracy', 'max', 'random', '{"max_trials":10,"seed":42}', ?, 1000)
            """, arguments: [space])
        try db.execute(sql: """
            INSERT INTO trials (id, study_id, number, state, hyperparameters, score, worker, started_at, ended_at, created_at)
            VALUES (1, 1, 0, 'COMPLETE', '{"n_hidden":{"int":3}}', 0.75, 'w', 1001, 1002, 1000),
                   (2, 1, 1, 'WAITING', '{"n_hidden":{"int":5}}', NULL, NULL, NULL, NULL, 1000)
            """)
        try db.execute(sql: """
            INSERT INTO trial_metrics (trial_id, name, step, value, recorded_at)
            VALUES (1, 'val_accuracy', 0, 0.5, 1001), (1, 'val_accuracy', 1, 0.75, 1002), (1, 'loss', 0, NULL, 1001)
            """)
        try db.execute(sql: "INSERT INTO oracle_state (study_id, state, version, updated_at) VALUES (1, '{\"n\":2}', 4, 1002)")
    }
}
