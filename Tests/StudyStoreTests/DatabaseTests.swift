import Foundation
import Testing
import StudyStore
import TestSupport

@Suite("Database wrapper")
struct DatabaseTests {
    @Test func bindsAndReadsEveryTypeByPositionAndName() throws {
        let directory = try TemporaryDirectory()
        let db = try Database(path: directory.path("t.sqlite"))
        try db.execute("CREATE TABLE t (i INTEGER, d REAL, s TEXT, b BLOB, n TEXT)")
        try db.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)", [42, 2.5, "it's; DROP TABLE t", Data([0, 1, 2]), String?.none])
        try db.execute("INSERT INTO t VALUES (:i, :d, :s, :b, :n)",
                       ["i": 7, ":d": -1.0, "s": "named", "b": Data(), "n": "x"])
        let rows = try db.query("SELECT * FROM t ORDER BY i DESC")
        #expect(rows.count == 2)
        #expect(rows[0].int("i") == 42)
        #expect(rows[0].double("d") == 2.5)
        #expect(rows[0].string("s") == "it's; DROP TABLE t")
        #expect(rows[0].data("b") == Data([0, 1, 2]))
        #expect(rows[0]["n"] == .null)
        #expect(rows[1].string("s") == "named")
        #expect(rows[1].data("b") == Data())
        #expect(rows[1].string("n") == "x")
    }

    @Test func statementCanBeReusedWithNewBindings() throws {
        let directory = try TemporaryDirectory()
        let db = try Database(path: directory.path("t.sqlite"))
        try db.execute("CREATE TABLE t (v INTEGER)")
        let insert = try db.prepare("INSERT INTO t VALUES (?)")
        for value in 0..<5 {
            try insert.bind(.positional([.integer(Int64(value))]))
            #expect(try insert.step() == false)
        }
        #expect(try db.queryOne("SELECT SUM(v) AS total FROM t")?.int("total") == 10)
    }

    @Test func wrongArgumentCountIsRefused() throws {
        let directory = try TemporaryDirectory()
        let db = try Database(path: directory.path("t.sqlite"))
        try db.execute("CREATE TABLE t (a, b)")
        #expect(throws: StoreError.self) { try db.execute("INSERT INTO t VALUES (?, ?)", [1]) }
    }

    @Test func opensInWALWithForeignKeys() throws {
        let directory = try TemporaryDirectory()
        let db = try Database(path: directory.path("t.sqlite"))
        #expect(try db.queryOne("PRAGMA journal_mode")?.string("journal_mode") == "wal")
        #expect(try db.queryOne("PRAGMA foreign_keys")?.int("foreign_keys") == 1)
        #expect(try db.queryOne("PRAGMA busy_timeout")?.int("timeout") == 5000)
    }

    @Test func transactionCommitsOrRollsBackOnThrow() throws {
        struct Boom: Error {}
        let directory = try TemporaryDirectory()
        let db = try Database(path: directory.path("t.sqlite"))
        try db.execute("CREATE TABLE t (v INTEGER)")
        try db.transaction { db in try db.execute("INSERT INTO t VALUES (1)") }
        #expect(throws: Boom.self) {
            try db.transaction { db in
                try db.execute("INSERT INTO t VALUES (2)")
                throw Boom()
            }
        }
        #expect(!db.isInTransaction)
        #expect(try db.query("SELECT v FROM t").compactMap { $0.int("v") } == [1])
    }

    @Test func nestedTransactionRollsBackOnlyItsSavepoint() throws {
        struct Boom: Error {}
        let directory = try TemporaryDirectory()
        let db = try Database(path: directory.path("t.sqlite"))
        try db.execute("CREATE TABLE t (v INTEGER)")
        try db.transaction { db in
            try db.execute("INSERT INTO t VALUES (1)")
            try? db.transaction { db in
                try db.execute("INSERT INTO t VALUES (2)")
                throw Boom()
            }
            try db.execute("INSERT INTO t VALUES (3)")
        }
        #expect(try db.query("SELECT v FROM t ORDER BY v").compactMap { $0.int("v") } == [1, 3])
    }

    @Test func constraintViolationIsTyped() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("t.sqlite")
        let db = try Database(path: path)
        try db.execute("CREATE TABLE t (v INTEGER UNIQUE)")
        try db.execute("INSERT INTO t VALUES (1)")
        do {
            try db.execute("INSERT INTO t VALUES (1)")
            Issue.record("expected a constraint violation")
        } catch let error as StoreError {
            guard case .constraintViolation(let errorPath, _) = error else { Issue.record("got \(error)"); return }
            #expect(errorPath == path)
            #expect(error.description.contains(path))
        }
    }
}
