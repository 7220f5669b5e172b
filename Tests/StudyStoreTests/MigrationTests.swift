import Foundation
import GRDB
import Testing
import StudyStore
import TestSupport

@Suite("Migrations")
struct MigrationTests {
    @Test func firstOpenAppliesEveryMigrationAndReopeningChangesNothing() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("study.sqlite")
        do {
            let store = try SQLiteStudyStorage(path: path)
            #expect(try store.appliedMigrations() == currentMigrations)
            #expect(try store.schemaVersion() == currentMigrations.count)
            try store.createStudy(try sampleStudy())
        }
        let store = try SQLiteStudyStorage(path: path)
        #expect(try store.appliedMigrations() == currentMigrations)
        #expect(try store.studies().map(\.name) == ["mnist"])
        let raw = try rawConnection(path)
        try raw.read { (db: Database) throws in
            #expect(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") == currentMigrations)
            #expect(try Int.fetchOne(db, sql: "PRAGMA user_version") == currentMigrations.count)
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
            for table in ["change_counter", "checkpoints", "grdb_migrations", "oracle_state", "oracle_trials", "studies", "study_sources", "trial_metrics", "trials"] {
                #expect(try db.tableExists(table), "\(table) missing")
            }
            // A new file has no legacy table.
            #expect(try !db.tableExists("schema_migrations"))
        }
    }

    /// A file written by the hand-written layer opens, its migration names are adopted into GRDB's
    /// table in place, and its studies, trials, curves and oracle state read back as typed values.
    @Test func aFileFromTheOldLayerIsAdoptedInPlaceWithItsRows() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("old.sqlite")
        try LegacyFile.create(at: path)
        let store = try SQLiteStudyStorage(path: path)
        #expect(try store.appliedMigrations() == currentMigrations)
        let raw = try rawConnection(path)
        try raw.read { (db: Database) throws in
            #expect(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") == currentMigrations)
            // The old table stays as it was, for older versions of the tuner.
            #expect(try String.fetchAll(db, sql: "SELECT name FROM schema_migrations ORDER BY applied_at") == LegacyFile.names)
            #expect(try Int.fetchOne(db, sql: "PRAGMA user_version") == currentMigrations.count)
        }

        let snapshot = try store.snapshot(study: "legacy")
        #expect(snapshot.study.definition == (try sampleStudy("legacy")))
        #expect(snapshot.trials.map(\.number) == [0, 1])
        #expect(snapshot.trials[0].state == .complete && snapshot.trials[0].score == 0.75)
        #expect(snapshot.trials[0].hyperparameters == ["n_hidden": .int(3)])
        #expect(snapshot.trials[0].metrics.values("val_accuracy") == [0.5, 0.75])
        #expect(snapshot.trials[0].metrics.lastValue("loss")?.isNaN == true)
        #expect(snapshot.trials[1].state == .waiting && snapshot.trials[1].workerDeaths == 0)
        #expect(text(snapshot.oracleState) == #"{"n":2}"#)
        #expect(snapshot.oracleState?.version == 4)

        // It is a working store: the waiting trial can be run, and a reopen changes nothing more.
        let claimed = try #require(try store.claimNextTrial(study: snapshot.study.id, worker: "new"))
        #expect(claimed.number == 1)
        #expect(try SQLiteStudyStorage(path: path).appliedMigrations() == currentMigrations)
    }

    /// A file from an older release of the old layer (before v3) is adopted, then brought up to date.
    @Test func aPartlyMigratedOldFileIsAdoptedThenMigrated() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("old-v2.sqlite")
        try LegacyFile.create(at: path, migrations: 2, withStudy: false)
        let store = try SQLiteStudyStorage(path: path)
        #expect(try store.appliedMigrations() == currentMigrations)
        let study = try store.createStudy(try sampleStudy())
        let trial = try store.insertTrial(study: study.id)
        #expect(trial.workerDeaths == 0)
        #expect(try rawConnection(path).read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") } == currentMigrations.count)
    }

    /// A file a newer tuner migrated is refused, unchanged, with a sentence saying to upgrade.
    @Test func anUnknownOldMigrationIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("future-old.sqlite")
        try LegacyFile.create(at: path, recordedNames: ["v9-future"])
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        expectUpgradeError(path: path, migration: "v9-future")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try !rawConnection(path).read { db in try db.tableExists("grdb_migrations") })
    }

    @Test func anUnknownGRDBMigrationIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("future.sqlite")
        _ = try SQLiteStudyStorage(path: path)
        try rawConnection(path).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-future')")
        }
        expectUpgradeError(path: path, migration: "v9-future")
    }

    private func expectUpgradeError(path: String, migration: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try SQLiteStudyStorage(path: path)
            Issue.record("a file with an unknown migration opened", sourceLocation: sourceLocation)
        } catch let error as StoreError {
            guard case .decoding(let errorPath, let detail) = error else {
                Issue.record("got \(error)", sourceLocation: sourceLocation)
                return
            }
            #expect(errorPath == path, sourceLocation: sourceLocation)
            #expect(detail.contains(migration) && detail.contains("upgrade the tuner"), sourceLocation: sourceLocation)
        } catch {
            Issue.record("got \(error)", sourceLocation: sourceLocation)
        }
    }

    /// Opening an up-to-date file only reads: another connection holding the write lock (an IMMEDIATE
    /// transaction) neither delays nor fails it, and the opened store can read at once.
    @Test func openingAnUpToDateFileDoesNotTakeTheWriteLock() throws {
        for make in [{ (path: String) in _ = try SQLiteStudyStorage(path: path).createStudy(try sampleStudy("legacy")) },
                     { (path: String) in try LegacyFile.create(at: path); _ = try SQLiteStudyStorage(path: path) }] {
            let directory = try TemporaryDirectory()
            let path = directory.path("busy.sqlite")
            try make(path)
            try withWriteLockHeld(on: path) { () throws in
                let start = Date()
                let store = try SQLiteStudyStorage(path: path, busyTimeout: 0.5)
                #expect(try store.studies().map(\.name) == ["legacy"])
                #expect(try store.appliedMigrations().count == currentMigrations.count)
                #expect(Date().timeIntervalSince(start) < 0.4)
            }
        }
    }
}

/// Runs `body` while another connection holds an IMMEDIATE transaction (SQLite's write lock) on `path`.
func withWriteLockHeld(on path: String, _ body: () throws -> Void) throws {
    let locked = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)
    let finished = DispatchSemaphore(value: 0)
    let failure = Locked<String?>(nil)
    let thread = Thread {
        do {
            let holder = try rawConnection(path)
            try holder.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    locked.signal()
                    release.wait()
                    return .rollback
                }
            }
        } catch {
            failure.withLock { $0 = "\(error)" }
            locked.signal()
        }
        finished.signal()
    }
    thread.start()
    locked.wait()
    defer {
        release.signal()
        finished.wait()
    }
    if let failure = failure.withLock({ $0 }) { throw LockHolderFailed(detail: failure) }
    try body()
}

struct LockHolderFailed: Error { var detail: String }
