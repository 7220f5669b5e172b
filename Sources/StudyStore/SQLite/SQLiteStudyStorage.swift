import Foundation
import GRDB
import GRDBSQLite

/// The studies of one SQLite file, shared by every worker of a search (threads and processes), on GRDB.
///
/// One value is one connection (a `DatabaseQueue`) for the thread that uses it; each worker opens its
/// own, and SQLite's file locks arbitrate. WAL lets readers (reports, `tuner trials`, a dashboard) run
/// while a worker writes; every write is an IMMEDIATE transaction, so a read-modify-write (claiming a
/// trial, finishing one) is atomic across processes, and a crash leaves the whole change or none of it.
public final class SQLiteStudyStorage: StudyStorage {
    /// The file path.
    public let path: String
    /// How long a call waits for another connection's lock before throwing `StoreError.locked`.
    public let busyTimeout: Double
    private let queue: DatabaseQueue
    /// The connection while a call runs inside `write { }` or `read { }`, so nested calls join it.
    private var current: (database: Database, writing: Bool)?

    /// Where the studies are: the file path.
    public var location: String { path }

    /// Opens the store at `path`, creating the file and applying pending migrations.
    ///
    /// Throws `StoreError.corrupt` (file untouched) when it is not a database, `.readOnly` when it
    /// cannot be written, `.locked` when another worker holds it past `busyTimeout` seconds,
    /// `.decoding` when a newer version migrated it.
    public init(path: String, busyTimeout: Double = 5) throws {
        self.path = path
        self.busyTimeout = busyTimeout
        var configuration = Configuration()
        configuration.busyMode = .timeout(max(0, busyTimeout))
        configuration.foreignKeysEnabled = true
        configuration.label = "tuner-study-store"
        // Reading the header before anything else makes a file that is not a database fail before
        // SQLite could write to it; WAL and NORMAL sync follow (NORMAL is durable across process
        // crashes in WAL mode; only power loss may drop the last commits).
        configuration.prepareDatabase { db in
            _ = try Int.fetchOne(db, sql: "PRAGMA schema_version")
            if sqlite3_db_readonly(db.sqliteConnection, "main") == 1 {
                throw StoreError.readOnly(path: db.description)
            }
            _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            queue = try Self.openAndMigrate(path: path, configuration: configuration, busyTimeout: busyTimeout)
        } catch StoreError.readOnly {
            throw StoreError.readOnly(path: path)
        } catch {
            throw StoreError.from(error, path: path, timeout: busyTimeout)
        }
    }

    /// Opens the file and brings its schema up to date. While a new file is still in rollback-journal
    /// mode (before the first opener switched it to WAL), SQLite answers a lock upgrade that could
    /// deadlock with an immediate SQLITE_BUSY instead of waiting; several workers opening a new file
    /// at once meet that, so such a failure is retried until the busy timeout has passed.
    private static func openAndMigrate(path: String, configuration: Configuration, busyTimeout: Double) throws -> DatabaseQueue {
        let deadline = Date().addingTimeInterval(max(0, busyTimeout))
        var attempt = 0
        while true {
            do {
                let queue = try DatabaseQueue(path: path, configuration: configuration)
                try StudySchema.migrate(queue, path: path)
                return queue
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && Date() < deadline {
                attempt += 1
                Thread.sleep(forTimeInterval: min(0.05, 0.002 * Double(attempt)))
            }
        }
    }

    public func appliedMigrations() throws -> [String] {
        try reading { db in try StudySchema.appliedMigrations(db) }
    }

    public func write<T>(_ body: (any StudyStorage) throws -> T) throws -> T {
        try writing { _ in try body(self) }
    }

    public func read<T>(_ body: (any StudyStorage) throws -> T) throws -> T {
        try reading { _ in try body(self) }
    }

    /// Runs `body` in an IMMEDIATE transaction (a savepoint inside one already open), mapping SQLite's
    /// failures to `StoreError`.
    func writing<T>(_ body: (Database) throws -> T) throws -> T {
        if let (db, isWriting) = current {
            guard isWriting else {
                throw StoreError.invalidArgument("A change was attempted inside a read transaction of \(path).")
            }
            var result: T?
            try mapped { try db.inSavepoint { result = try body(db); return .commit } }
            return try unwrap(result)
        }
        var result: T?
        try mapped {
            try queue.inDatabase { db in
                current = (db, true)
                defer { current = nil }
                try db.inTransaction(.immediate) { result = try body(db); return .commit }
            }
        }
        return try unwrap(result)
    }

    /// Runs `body` in a DEFERRED read transaction (or inside the transaction already open), so its
    /// reads see one state.
    func reading<T>(_ body: (Database) throws -> T) throws -> T {
        if let (db, _) = current { return try mapped { try body(db) } }
        var result: T?
        try mapped {
            try queue.inDatabase { db in
                current = (db, false)
                defer { current = nil }
                try db.inTransaction(.deferred) { result = try body(db); return .commit }
            }
        }
        return try unwrap(result)
    }

    /// Runs `body`, turning GRDB's errors into `StoreError`s that name the file.
    private func mapped<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw StoreError.from(error, path: path, timeout: busyTimeout)
        }
    }

    private func unwrap<T>(_ result: T?) throws -> T {
        guard let result else { throw StoreError.invalidArgument("A transaction on \(path) ended without a result.") }
        return result
    }
}
