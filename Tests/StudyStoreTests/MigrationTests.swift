import Foundation
import Testing
import StudyStore
import TestSupport

@Suite("Migrations")
struct MigrationTests {
    @Test func firstOpenAppliesV1AndReopeningChangesNothing() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("study.sqlite")
        do {
            let store = try StudyStore(path: path)
            #expect(try store.appliedMigrations() == ["v1-studies-trials-metrics", "v2-study-sources", "v3-trial-worker-deaths"])
            #expect(try store.schemaVersion() == 3)
            try store.createStudy(sampleStudy())
        }
        let store = try StudyStore(path: path)
        #expect(try store.database.query("SELECT name FROM schema_migrations").count == 3)
        #expect(try store.database.queryOne("PRAGMA user_version")?.int("user_version") == 3)
        #expect(try store.studies().map(\.name) == ["mnist"])
        let tables = try store.database.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .compactMap { $0.string("name") }
        for table in ["checkpoints", "oracle_state", "schema_migrations", "studies", "trial_metrics", "trials"] {
            #expect(tables.contains(table))
        }
    }

    @Test func migrationsRunInOrderOnceAndAFailingOneRollsBack() throws {
        struct Boom: Error {}
        let directory = try TemporaryDirectory()
        let db = try Database(path: directory.path("m.sqlite"))
        var migrator = DatabaseMigrator()
        try migrator.registerMigration("one") { try $0.execute("CREATE TABLE a (v)") }
        try migrator.registerMigration("two") { db in
            try db.execute("CREATE TABLE b (v)")
            throw Boom()
        }
        #expect(throws: Boom.self) { try migrator.migrate(db) }
        #expect(try migrator.appliedMigrations(db) == ["one"])
        #expect(try db.queryOne("SELECT name FROM sqlite_master WHERE name = 'b'") == nil)

        var fixed = DatabaseMigrator()
        try fixed.registerMigration("one") { try $0.execute("CREATE TABLE a (v)") }
        try fixed.registerMigration("two") { try $0.execute("CREATE TABLE b (v)") }
        try fixed.migrate(db)
        try fixed.migrate(db)
        #expect(try fixed.appliedMigrations(db) == ["one", "two"])
    }

    @Test func duplicateMigrationNameIsRefused() throws {
        var migrator = DatabaseMigrator()
        try migrator.registerMigration("one") { _ in }
        #expect(throws: StoreError.self) { try migrator.registerMigration("one") { _ in } }
    }

    @Test func unknownNewerMigrationIsReported() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("m.sqlite")
        _ = try StudyStore(path: path)
        let db = try Database(path: path)
        try db.execute("INSERT INTO schema_migrations (name, applied_at) VALUES ('v9-future', 0)")
        #expect(throws: StoreError.self) { _ = try StudyStore(path: path) }
    }
}

@Suite("Study sources")
struct StudySourceTests {
    @Test func aStudyKeepsTheFileItWasMadeFromUntilDeleted() throws {
        let directory = try TemporaryDirectory()
        let store = try StudyStore(path: directory.path("s.sqlite"))
        let study = try store.createStudy(sampleStudy())
        #expect(try store.studySource(study: study.id) == nil)
        try store.saveStudySource(study: study.id, path: "/studies/a.yaml", text: "name: a\n")
        try store.saveStudySource(study: study.id, path: "/studies/a.yaml", text: "name: b\n")
        let source = try #require(try store.studySource(study: study.id))
        #expect(source.path == "/studies/a.yaml")
        #expect(source.text == "name: b\n")
        _ = try store.deleteStudy(named: study.name)
        #expect(try store.database.query("SELECT * FROM study_sources").isEmpty)
    }
}
