import Foundation
import Testing
import StudyStore
import TestSupport

@Suite("Storage errors")
struct StorageErrorTests {
    @Test func corruptFileGivesAClearErrorAndIsLeftUntouched() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("corrupt.sqlite")
        let garbage = Data(String(repeating: "this is not an SQLite database. ", count: 200).utf8)
        try garbage.write(to: URL(fileURLWithPath: path))
        do {
            _ = try StudyStore(path: path)
            Issue.record("opening a corrupt file succeeded")
        } catch let error as StoreError {
            guard case .corrupt(let errorPath, let detail) = error else { Issue.record("got \(error)"); return }
            #expect(errorPath == path)
            #expect(detail.contains("not a database"))
            #expect(error.description.contains(path) && error.description.contains("restore"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func writingThroughAReadOnlyConnectionGivesAClearErrorAndKeepsTheStudy() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("ro.sqlite")
        do { try StudyStore(path: path).createStudy(sampleStudy()) }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let readOnly = try Database(path: path, mode: .readOnly)
        do {
            try readOnly.execute("DELETE FROM studies")
            Issue.record("a read-only connection wrote")
        } catch let error as StoreError {
            #expect(error == .readOnly(path: path))
            #expect(error.description.contains("read-only") && error.description.contains(path))
        }
        #expect(try readOnly.query("SELECT name FROM studies").count == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test(.enabled(if: getuid() != 0, "root ignores file permissions"))
    func writeProtectedFileIsReportedAtOpen() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("protected.sqlite")
        do { try StudyStore(path: path).createStudy(sampleStudy()) }
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        #expect(throws: StoreError.readOnly(path: path)) { _ = try StudyStore(path: path) }
    }

    @Test func lockHeldPastTheTimeoutGivesLocked() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("locked.sqlite")
        let holder = try StudyStore(path: path)
        let waiter = try StudyStore(path: path, busyTimeout: 0.2)
        try holder.database.execute("BEGIN IMMEDIATE")
        let start = Date()
        #expect(throws: StoreError.locked(path: path, timeoutSeconds: 0.2)) { try waiter.createStudy(sampleStudy()) }
        #expect(Date().timeIntervalSince(start) >= 0.15)
        try holder.database.execute("ROLLBACK")
        // Once the lock is gone the same call works: nothing was half-written.
        try waiter.createStudy(sampleStudy())
        #expect(try holder.studies().count == 1)
    }

    @Test func fullDiskRollsBackAndKeepsTheStudy() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("full.sqlite")
        let store = try StudyStore(path: path)
        let study = try store.createStudy(sampleStudy())
        let trial = try store.insertTrial(study: study.id)
        // A page cap makes SQLite report SQLITE_FULL, as a full disk would.
        let pages = try #require(try store.database.queryOne("PRAGMA page_count")?.int("page_count"))
        _ = try store.database.query("PRAGMA max_page_count = \(pages + 2)")
        do {
            try store.saveCheckpoint(trial: trial.id, epoch: 0, weights: Data(repeating: 7, count: 1 << 20))
            Issue.record("a write beyond the page cap succeeded")
        } catch let error as StoreError {
            #expect(error == .diskFull(path: path))
            #expect(error.description.contains("Free some space"))
        }
        #expect(!store.database.isInTransaction)
        #expect(try store.checkpoints(trial: trial.id).isEmpty)
        #expect(try store.trials(study: study.id).count == 1)
    }
}
