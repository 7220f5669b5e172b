import Foundation
import GRDB
import JSONValues
import Tuning

extension SQLiteStudyStorage {
    @discardableResult
    public func createStudy(_ study: NewStudy, now: Double) throws -> StoredStudy {
        try StudyName.validate(study.name)
        try study.validateObjectivesAndConstraints()
        return try writing { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM studies WHERE name = ?", arguments: [study.name]) == nil else {
                throw StoreError.studyExists(name: study.name)
            }
            try db.execute(sql: """
                INSERT INTO studies (name, objective_name, direction, oracle_kind, oracle_config, search_space, created_at,
                    additional_objectives, metric_constraints)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [
                    study.name, study.objective.name, StoredFieldCoding.direction(study.objective.direction), study.oracleKind,
                    try StoredFieldCoding.text(study.oracleConfiguration), try StoredFieldCoding.text(study.searchSpace), now,
                    try StoredFieldCoding.text(study.additionalObjectives), try StoredFieldCoding.text(study.constraints),
                ])
            return try requireStudy(id: db.lastInsertedRowID, db)
        }
    }

    public func study(named name: String) throws -> StoredStudy? {
        if name.unicodeScalars.contains("\0") { try StudyName.validate(name) }
        return try reading { db in
            try StudyRow.fetchOne(db, sql: "SELECT * FROM studies WHERE name = ?", arguments: [name])?.study(location: path)
        }
    }

    func requireStudy(id: Int64, _ db: Database) throws -> StoredStudy {
        guard let row = try StudyRow.fetchOne(db, sql: "SELECT * FROM studies WHERE id = ?", arguments: [id]) else {
            throw StoreError.studyNotFound(name: "#\(id)")
        }
        return try row.study(location: path)
    }

    public func studies() throws -> [StoredStudy] {
        try reading { db in
            try StudyRow.fetchAll(db, sql: "SELECT * FROM studies ORDER BY name").map { try $0.study(location: path) }
        }
    }

    public func studyNames() throws -> [String] {
        try reading { db in try String.fetchAll(db, sql: "SELECT name FROM studies ORDER BY name") }
    }

    @discardableResult
    public func deleteStudy(named name: String) throws -> [String] {
        if name.unicodeScalars.contains("\0") { try StudyName.validate(name) }
        return try writing { db in
            // Found by name without decoding the row: a study whose stored fields are damaged must
            // still be deletable (the damaged-data message says to delete it).
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM studies WHERE name = ?", arguments: [name]) else {
                try StudyName.validate(name)
                throw StoreError.studyNotFound(name: name)
            }
            let paths = try String.fetchAll(db, sql: """
                SELECT c.path FROM checkpoints c JOIN trials t ON t.id = c.trial_id
                WHERE t.study_id = ? AND c.path IS NOT NULL ORDER BY c.path
                """, arguments: [id])
            try db.execute(sql: "DELETE FROM studies WHERE id = ?", arguments: [id])
            return paths
        }
    }

    public func updateStudy(_ id: Int64, oracleConfiguration: JSONValue?, searchSpace: SearchSpace?) throws {
        try writing { db in
            // An existence check, not a decode: overwriting a damaged field is how it gets repaired.
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM studies WHERE id = ?", arguments: [id]) != nil else {
                throw StoreError.studyNotFound(name: "#\(id)")
            }
            if let oracleConfiguration {
                try db.execute(sql: "UPDATE studies SET oracle_config = ? WHERE id = ?",
                               arguments: [try StoredFieldCoding.text(oracleConfiguration), id])
            }
            if let searchSpace {
                try db.execute(sql: "UPDATE studies SET search_space = ? WHERE id = ?",
                               arguments: [try StoredFieldCoding.text(searchSpace), id])
            }
        }
    }

    public func saveStudySource(study: Int64, _ source: StudySource, now: Double) throws {
        try writing { db in
            try db.execute(sql: """
                INSERT INTO study_sources (study_id, path, text, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (study_id) DO UPDATE SET path = excluded.path, text = excluded.text, updated_at = excluded.updated_at
                """, arguments: [study, source.path, source.text, now])
        }
    }

    public func studySource(study: Int64) throws -> StudySource? {
        try reading { db in
            try SourceRow.fetchOne(db, sql: "SELECT path, text FROM study_sources WHERE study_id = ?", arguments: [study])
                .map { StudySource(path: $0.path, text: $0.text) }
        }
    }
}

/// A row of `study_sources`.
private struct SourceRow: Decodable, FetchableRecord {
    var path: String
    var text: String
}
