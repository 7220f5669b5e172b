import Foundation
import GRDB
import Testing
@testable import StudyStore
import TestSupport

/// What the storage promises about its transactions, on both backends (not GRDB or PostgreSQL
/// themselves): `write { }` groups calls, nested writes join as savepoints, a throwing body leaves
/// nothing, `read { }` sees one state and refuses changes, and each connection is set up as
/// docs/storage.md says.
@Suite("Transactions")
struct TransactionTests {
    struct Boom: Error {}

    @Test(arguments: Backend.allCases) func nestedWritesCommitTogether(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let count = try store.write { store in
            let study = try store.createStudy(try sampleStudy())
            try store.insertTrial(study: study.id)
            try store.write { store in
                try store.insertTrial(study: study.id)
                try store.saveOracleState(study: study.id, json(#"{"n":2}"#))
            }
            // Reads inside the transaction see its own uncommitted changes.
            return try store.trials(study: study.id).count
        }
        #expect(count == 2)
        // Committed: another connection sees all of it.
        let other = try storage.open()
        let study = try other.requireStudy(named: "mnist")
        #expect(try other.trials(study: study.id).count == 2)
        #expect(try other.oracleStateVersion(study: study.id) == 1)
    }

    @Test(arguments: Backend.allCases) func aThrowingBodyRollsBackEverythingItsCallsDid(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let kept = try store.createStudy(try sampleStudy("kept"))
        #expect(throws: Boom.self) {
            try store.write { (store: any StudyStorage) throws in
                try store.createStudy(try sampleStudy("dropped"))
                try store.insertTrial(study: kept.id)
                // A nested write that completed is still undone with its outer transaction.
                _ = try store.write { store in try store.saveOracleState(study: kept.id, json("{}")) }
                throw Boom()
            }
        }
        #expect(try store.studies().map(\.name) == ["kept"])
        #expect(try store.trials(study: kept.id).isEmpty)
        #expect(try store.oracleState(study: kept.id) == nil)
        // The storage is usable afterwards: no transaction was left open.
        try store.insertTrial(study: kept.id)
        #expect(try store.trials(study: kept.id).count == 1)
    }

    /// A nested `write { }` that fails rolls back only its own savepoint; the outer transaction goes on
    /// if the caller handles the error.
    @Test(arguments: Backend.allCases) func aFailingNestedWriteRollsBackOnlyItsSavepoint(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        try store.write { store in
            try store.insertTrial(study: study.id, number: 0)
            #expect(throws: Boom.self) {
                try store.write { (store: any StudyStorage) throws in
                    try store.insertTrial(study: study.id, number: 1, oracleState: whole(#"{"n":1}"#))
                    throw Boom()
                }
            }
            // A call that fails inside a nested write is undone with it, on both backends.
            #expect(throws: StoreError.self) {
                try store.write { (store: any StudyStorage) throws in
                    try store.insertTrial(study: study.id, number: 0, oracleState: whole(#"{"n":2}"#))
                }
            }
            try store.insertTrial(study: study.id, number: 2)
        }
        #expect(try store.trials(study: study.id).map(\.number) == [0, 2])
        #expect(try store.oracleState(study: study.id) == nil)
    }

    /// A single call that fails inside `write { }` (not in a nested write): SQLite rolls back only that
    /// call; PostgreSQL, which spares each call a savepoint (a round trip each way), dooms the whole
    /// transaction: later changes throw the same failure, and the write rolls back and throws it even
    /// though the body caught it, so a half-done call never commits.
    @Test(arguments: Backend.allCases) func aFailingCallInsideAWrite(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        var laterChangeFailed = false
        let write = {
            try store.write { store in
                try store.insertTrial(study: study.id, number: 0)
                // The insert fails on the duplicate number, so the oracle state given with it is not saved.
                #expect(throws: StoreError.self) { try store.insertTrial(study: study.id, number: 0, oracleState: whole(#"{"n":1}"#)) }
                do {
                    try store.insertTrial(study: study.id, number: 2)
                } catch {
                    laterChangeFailed = true
                }
            }
        }
        switch backend {
        case .sqlite:
            try write()
            #expect(!laterChangeFailed)
            #expect(try store.trials(study: study.id).map(\.number) == [0, 2])
        case .postgres:
            var thrown: (any Error)?
            do { try write() } catch { thrown = error }
            guard case .constraintViolation? = thrown as? StoreError else {
                Issue.record("the write threw \(String(describing: thrown)), not the duplicate's constraint violation")
                return
            }
            #expect(laterChangeFailed)
            #expect(try store.trials(study: study.id).isEmpty)
            // The connection is fine for the next transaction.
            try store.insertTrial(study: study.id, number: 3)
            #expect(try store.trials(study: study.id).map(\.number) == [3])
        }
        #expect(try store.oracleState(study: study.id) == nil)
    }

    @Test(arguments: Backend.allCases) func aChangeInsideAReadIsRefused(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        do {
            _ = try store.read { store in try store.insertTrial(study: study.id) }
            Issue.record("a change inside read { } was made")
        } catch let error as StoreError {
            guard case .invalidArgument(let message) = error else { Issue.record("got \(error)"); return }
            #expect(message.contains("read transaction"))
        }
        #expect(throws: StoreError.self) { try store.read { store in try store.write { _ in 1 } } }
        #expect(try store.trials(study: study.id).isEmpty)
        // And the storage writes normally once the read is over.
        try store.insertTrial(study: study.id)
        #expect(try store.trials(study: study.id).count == 1)
    }

    /// Reads inside `read { }` see one state even while another connection commits in between.
    @Test(arguments: Backend.allCases) func aReadSeesOneState(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        try store.insertTrial(study: study.id)
        let writer = try storage.open()
        let counts = try store.read { store in
            let before = try store.trials(study: study.id).count
            try writer.insertTrial(study: study.id)
            let after = try store.trials(study: study.id).count
            return (before, after)
        }
        #expect(counts == (1, 1))
        #expect(try store.trials(study: study.id).count == 2)
    }

    @Test(arguments: Backend.allCases) func aDuplicateIsATypedConstraintViolationNamingTheFile(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let path = storage.location
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        try store.insertTrial(study: study.id, number: 0)
        do {
            try store.insertTrial(study: study.id, number: 0)
            Issue.record("expected a constraint violation")
        } catch let error as StoreError {
            guard case .constraintViolation(let errorPath, _) = error else { Issue.record("got \(error)"); return }
            #expect(errorPath == path)
            #expect(error.description.contains(path))
        }
    }

    /// Each connection is in WAL mode with foreign keys on and the busy timeout it was given.
    @Test func connectionsAreSetUpAsDocumented() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStudyStorage(path: directory.path("t.sqlite"), busyTimeout: 2.5)
        try store.reading { (db: Database) throws in
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
            #expect(try Int.fetchOne(db, sql: "PRAGMA foreign_keys") == 1)
            #expect(try Int.fetchOne(db, sql: "PRAGMA busy_timeout") == 2500)
            #expect(try Int.fetchOne(db, sql: "PRAGMA synchronous") == 1)
        }
        #expect(try SQLiteStudyStorage(path: directory.path("d.sqlite")).reading { db in
            try Int.fetchOne(db, sql: "PRAGMA busy_timeout")
        } == 5000)
    }
}
