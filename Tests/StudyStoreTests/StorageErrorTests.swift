import Foundation
import GRDB
import Testing
@testable import StudyStore
import TestSupport

@Suite("Storage errors")
struct StorageErrorTests {
    @Test func corruptFileGivesAClearErrorAndIsLeftUntouched() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("corrupt.sqlite")
        let garbage = Data(String(repeating: "this is not an SQLite database. ", count: 200).utf8)
        try garbage.write(to: URL(fileURLWithPath: path))
        do {
            _ = try SQLiteStudyStorage(path: path)
            Issue.record("opening a corrupt file succeeded")
        } catch let error as StoreError {
            guard case .corrupt(let errorPath, let detail) = error else { Issue.record("got \(error)"); return }
            #expect(errorPath == path)
            #expect(detail.contains("not a database"))
            #expect(error.description.contains(path) && error.description.contains("restore"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        #expect(!FileManager.default.fileExists(atPath: path + "-shm"))
    }

    /// A database whose pages are damaged past the header is `.corrupt` too, and left as it was.
    @Test func damagedPagesGiveCorruptAndAreLeftUntouched() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("damaged.sqlite")
        do {
            let store = try SQLiteStudyStorage(path: path)
            try store.createStudy(try sampleStudy())
        }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        // Keep the 100-byte header, scribble over the schema page.
        for index in 100..<min(bytes.count, 4096) { bytes[index] = 0xA5 }
        try bytes.write(to: URL(fileURLWithPath: path))
        do {
            let store = try SQLiteStudyStorage(path: path)
            _ = try store.studies()
            Issue.record("a damaged file was read")
        } catch let error as StoreError {
            guard case .corrupt(let errorPath, _) = error else { Issue.record("got \(error)"); return }
            #expect(errorPath == path)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
    }

    /// A connection SQLite will not let write (here: one switched to query-only, as a read-only open
    /// would be) gives `.readOnly` naming the file, and the study stays.
    @Test func writingThroughAReadOnlyConnectionGivesAClearErrorAndKeepsTheStudy() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("ro.sqlite")
        do { try SQLiteStudyStorage(path: path).createStudy(try sampleStudy()) }
        let store = try SQLiteStudyStorage(path: path)
        try store.reading { db in try db.execute(sql: "PRAGMA query_only = 1") }
        do {
            _ = try store.deleteStudy(named: "mnist")
            Issue.record("a read-only connection wrote")
        } catch let error as StoreError {
            #expect(error == .readOnly(path: path))
            #expect(error.description.contains("read-only") && error.description.contains(path))
        }
        #expect(try store.studies().map(\.name) == ["mnist"])
        #expect(try SQLiteStudyStorage(path: path).studies().map(\.name) == ["mnist"])
    }

    @Test(.enabled(if: getuid() != 0, "root ignores file permissions"))
    func writeProtectedFileIsReportedAtOpen() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("protected.sqlite")
        do { try SQLiteStudyStorage(path: path).createStudy(try sampleStudy()) }
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        #expect(throws: StoreError.readOnly(path: path)) { _ = try SQLiteStudyStorage(path: path) }
    }

    /// WAL mode writes `-wal` and `-shm` files beside the database: a directory that cannot be written
    /// makes the store read-only too, and says so.
    @Test(.enabled(if: getuid() != 0, "root ignores file permissions"))
    func writeProtectedDirectoryIsReportedAtOpen() throws {
        let directory = try TemporaryDirectory()
        let folder = directory.path("studies")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/s.sqlite"
        do { try SQLiteStudyStorage(path: path).createStudy(try sampleStudy()) }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder) }
        #expect(throws: StoreError.readOnly(path: path)) { _ = try SQLiteStudyStorage(path: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func aMissingDirectoryCannotBeOpened() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("no/such/dir/s.sqlite")
        do {
            _ = try SQLiteStudyStorage(path: path)
            Issue.record("opened a file in a missing directory")
        } catch let error as StoreError {
            guard case .cannotOpen(let errorPath, _) = error else { Issue.record("got \(error)"); return }
            #expect(errorPath == path)
        }
    }

    @Test func lockHeldPastTheTimeoutGivesLocked() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("locked.sqlite")
        let waiter = try SQLiteStudyStorage(path: path, busyTimeout: 0.2)
        try withWriteLockHeld(on: path) { () throws in
            let start = Date()
            #expect(throws: StoreError.locked(path: path, timeoutSeconds: 0.2)) { try waiter.createStudy(try sampleStudy()) }
            #expect(Date().timeIntervalSince(start) >= 0.15)
            // Readers go on while a writer holds the lock (WAL).
            #expect(try waiter.studies().isEmpty)
        }
        // Once the lock is gone the same call works: nothing was half-written.
        try waiter.createStudy(try sampleStudy())
        #expect(try SQLiteStudyStorage(path: path).studies().count == 1)
    }

    /// A write lock held past the timeout while a file still needs migrating fails the open with `.locked`.
    @Test func aLockHeldWhileAFileNeedsMigratingGivesLocked() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("old.sqlite")
        try LegacyFile.create(at: path, migrations: 2)
        try withWriteLockHeld(on: path) { () throws in
            #expect(throws: StoreError.locked(path: path, timeoutSeconds: 0.2)) { _ = try SQLiteStudyStorage(path: path, busyTimeout: 0.2) }
        }
        #expect(try SQLiteStudyStorage(path: path).appliedMigrations().count == currentMigrations.count)
    }

    @Test func fullDiskRollsBackAndKeepsTheStudy() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("full.sqlite")
        let store = try SQLiteStudyStorage(path: path)
        let study = try store.createStudy(try sampleStudy())
        let trial = try store.insertTrial(study: study.id)
        // A page cap makes SQLite report SQLITE_FULL, as a full disk would.
        try store.reading { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            _ = try Int.fetchOne(db, sql: "PRAGMA max_page_count = \(pages + 2)")
        }
        do {
            try store.saveCheckpoint(trial: trial.id, epoch: 0, weights: Data(repeating: 7, count: 1 << 20))
            Issue.record("a write beyond the page cap succeeded")
        } catch let error as StoreError {
            #expect(error == .diskFull(path: path))
            #expect(error.description.contains("Free some space"))
        }
        #expect(try store.checkpoints(trial: trial.id).isEmpty)
        #expect(try store.trials(study: study.id).count == 1)
        // No transaction was left open: a small write still fits.
        try store.heartbeat(trial: try #require(try store.claimNextTrial(study: study.id, worker: "w")).id, worker: "w")
    }
}
