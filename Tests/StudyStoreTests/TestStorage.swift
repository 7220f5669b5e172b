import Foundation
import GRDB
import StudyStore
import Testing
import TestSupport

/// The conformers of `StudyStorage` the protocol's tests run on (`@Test(arguments: Backend.allCases)`).
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }
}

/// One test's own empty storage on a backend: a file in a fresh temporary folder, or a fresh database
/// (`t_<uuid>`) on the test process's PostgreSQL server (`PostgresServer.shared()`), dropped when this
/// value goes away. Besides opening storage values, it reads and changes the tables as another program
/// would (GRDB on the file, `psql` on the server).
final class TestStorage {
    let backend: Backend
    /// What `openStudyStorage` takes: the file's path, or the connection string with the password.
    let connectionString: String
    /// What the storage's `location` and messages show: the path, or the server without its password.
    let location: String
    private let directory: TemporaryDirectory?
    private let server: PostgresServer?
    private let database: String?

    /// A new, empty storage on `backend`.
    init(_ backend: Backend) throws {
        self.backend = backend
        switch backend {
        case .sqlite:
            let directory = try TemporaryDirectory()
            self.directory = directory
            connectionString = directory.path("s.sqlite")
            location = connectionString
            server = nil
            database = nil
        case .postgres:
            let server = try PostgresServer.shared()
            let database = try server.createDatabase()
            self.server = server
            self.database = database
            connectionString = server.url(database: database)
            location = "postgresql://\(server.user)@127.0.0.1:\(server.port)/\(database)"
            directory = nil
        }
    }

    deinit {
        if let server, let database { server.dropDatabase(database) }
    }

    /// A new storage value (connection) on it, through `openStudyStorage` as every caller opens one.
    func open(busyTimeout: Double = 5) throws -> any StudyStorage {
        try openStudyStorage(connectionString, busyTimeout: busyTimeout)
    }

    /// The password of the test server's login (nil for SQLite): it must never appear in a message.
    var password: String? { server?.password }

    /// The first column of the first row of `sql`, as text (nil when no row), read as another program would.
    func scalar(_ sql: String) throws -> String? {
        switch backend {
        case .sqlite:
            return try rawConnection(connectionString).read { db in try String.fetchOne(db, sql: sql) }
        case .postgres:
            let output = try psql(sql)
            return output.isEmpty ? nil : output.components(separatedBy: "\n").first
        }
    }

    /// How many rows `table` holds.
    func rowCount(_ table: String) throws -> Int {
        Int(try scalar("SELECT COUNT(*) FROM \(table)") ?? "") ?? -1
    }

    /// Writes `sql` straight into the tables, past the schema's checks, as a hand edit or a flipped bit
    /// would: SQLite ignores its CHECK constraints for it, PostgreSQL drops them first.
    func damage(_ sql: String) throws {
        switch backend {
        case .sqlite:
            try rawConnection(connectionString).writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
                try db.execute(sql: sql)
            }
        case .postgres:
            try psql("""
                ALTER TABLE trials DROP CONSTRAINT trials_hyperparameters_check, DROP CONSTRAINT trials_hyperband_check,
                    DROP CONSTRAINT trials_state_check;
                ALTER TABLE studies DROP CONSTRAINT studies_direction_check, DROP CONSTRAINT studies_oracle_config_check,
                    DROP CONSTRAINT studies_search_space_check;
                \(sql)
                """)
        }
    }

    /// Runs SQL on the PostgreSQL database with `psql` (unaligned, tuples only) and returns its output.
    @discardableResult
    func psql(_ sql: String) throws -> String {
        guard let server, let database else { throw PostgresServerError("not a PostgreSQL storage") }
        return try server.psql(sql, database: database)
    }
}
