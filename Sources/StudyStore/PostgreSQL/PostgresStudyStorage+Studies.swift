import Foundation
import JSONValues
import PostgresNIO
import Tuning

extension PostgresStudyStorage {
    @discardableResult
    public func createStudy(_ study: NewStudy, now: Double) throws -> StoredStudy {
        try StudyName.validate(study.name)
        let configuration = try StoredFieldCoding.text(study.oracleConfiguration)
        let space = try StoredFieldCoding.text(study.searchSpace)
        let direction = StoredFieldCoding.direction(study.objective.direction)
        try study.validateObjectivesAndConstraints()
        let moreObjectives = try StoredFieldCoding.text(study.additionalObjectives)
        let constraints = try StoredFieldCoding.text(study.constraints)
        return try writing {
            // ON CONFLICT: two workers creating the same name at once get one study and one `.studyExists`.
            let inserted = try run("""
                INSERT INTO studies (name, objective_name, direction, oracle_kind, oracle_config, search_space, created_at,
                    additional_objectives, metric_constraints)
                VALUES (\(study.name), \(study.objective.name), \(direction), \(study.oracleKind), \(configuration), \(space), \(now),
                    \(moreObjectives), \(constraints))
                ON CONFLICT (name) DO NOTHING RETURNING id
                """)
            guard let row = inserted.first else { throw StoreError.studyExists(name: study.name) }
            return try requireStudy(id: try row.value(0, Int64.self, location: location))
        }
    }

    public func study(named name: String) throws -> StoredStudy? {
        if name.unicodeScalars.contains("\0") { try StudyName.validate(name) }
        return try run("SELECT \(unescaped: PostgresRows.studyColumns) WHERE name = \(name)").first
            .map { try PostgresRows.study($0, location: location) }
    }

    func requireStudy(id: Int64) throws -> StoredStudy {
        guard let row = try run("SELECT \(unescaped: PostgresRows.studyColumns) WHERE id = \(id)").first else {
            throw StoreError.studyNotFound(name: "#\(id)")
        }
        return try PostgresRows.study(row, location: location)
    }

    public func studies() throws -> [StoredStudy] {
        // Sorted by code point, as SQLite sorts, whatever the database's collation.
        try run("SELECT \(unescaped: PostgresRows.studyColumns) ORDER BY name COLLATE \"C\"").map {
            try PostgresRows.study($0, location: location)
        }
    }

    public func studyNames() throws -> [String] {
        try run("SELECT name FROM studies ORDER BY name COLLATE \"C\"").map { try $0.value(0, location: location) }
    }

    @discardableResult
    public func deleteStudy(named name: String) throws -> [String] {
        if name.unicodeScalars.contains("\0") { try StudyName.validate(name) }
        return try writing {
            // Found by name without decoding the row: a study whose stored fields are damaged must still
            // be deletable (the damaged-data message says to delete it).
            guard let row = try run("SELECT id FROM studies WHERE name = \(name) FOR UPDATE").first else {
                try StudyName.validate(name)
                throw StoreError.studyNotFound(name: name)
            }
            let id: Int64 = try row.value(0, location: location)
            let paths: [String] = try run("""
                SELECT c.path FROM checkpoints c JOIN trials t ON t.id = c.trial_id
                WHERE t.study_id = \(id) AND c.path IS NOT NULL ORDER BY c.path COLLATE "C"
                """).map { try $0.value(0, location: location) }
            try run("DELETE FROM studies WHERE id = \(id)")
            return paths
        }
    }

    public func updateStudy(_ id: Int64, oracleConfiguration: JSONValue?, searchSpace: SearchSpace?) throws {
        let configuration = try oracleConfiguration.map { try StoredFieldCoding.text($0) }
        let space = try searchSpace.map { try StoredFieldCoding.text($0) }
        try writing {
            // An existence check, not a decode: overwriting a damaged field is how it gets repaired.
            guard try run("SELECT 1 FROM studies WHERE id = \(id) FOR NO KEY UPDATE").first != nil else {
                throw StoreError.studyNotFound(name: "#\(id)")
            }
            if let configuration { try run("UPDATE studies SET oracle_config = \(configuration) WHERE id = \(id)") }
            if let space { try run("UPDATE studies SET search_space = \(space) WHERE id = \(id)") }
        }
    }

    public func saveStudySource(study: Int64, _ source: StudySource, now: Double) throws {
        try writing {
            try run("""
                INSERT INTO study_sources (study_id, path, text, updated_at) VALUES (\(study), \(source.path), \(source.text), \(now))
                ON CONFLICT (study_id) DO UPDATE SET path = excluded.path, text = excluded.text, updated_at = excluded.updated_at
                """)
        }
    }

    public func studySource(study: Int64) throws -> StudySource? {
        try run("SELECT path, text FROM study_sources WHERE study_id = \(study)").first.map { row in
            StudySource(path: try row.value(0, location: location), text: try row.value(1, location: location))
        }
    }
}
