import CSQLite
import Foundation

/// One SQLite connection to a study file.
///
/// A `Database` is deliberately not `Sendable`: SQLite connections must not be shared between
/// threads without serialising every call, and a connection per worker is what makes several
/// workers (threads or processes) safe — SQLite's file locks then arbitrate, and the busy timeout
/// makes writers wait their turn instead of failing. So each thread or process opens its own.
public final class Database {
    /// How a connection opens its file.
    public struct OpenMode: Sendable, Equatable {
        /// Whether the connection may write.
        public var readOnly: Bool
        /// Whether a missing file is created (ignored when `readOnly`).
        public var create: Bool

        /// Read, write and create the file if it is missing (the default).
        public static let readWriteCreate = OpenMode(readOnly: false, create: true)
        /// Read and write an existing file.
        public static let readWrite = OpenMode(readOnly: false, create: false)
        /// Only read an existing file.
        public static let readOnly = OpenMode(readOnly: true, create: false)
    }

    /// When a transaction takes its write lock.
    public enum TransactionKind: String, Sendable {
        /// At the first write (the SQLite default). A read-then-write may fail with BUSY, so writers use `.immediate`.
        case deferred = "DEFERRED"
        /// At BEGIN: readers continue, other writers wait (up to the busy timeout). Use for every read-modify-write.
        case immediate = "IMMEDIATE"
        /// At BEGIN, excluding readers too (in WAL mode the same as immediate).
        case exclusive = "EXCLUSIVE"
    }

    /// The file path, used in error messages.
    public let path: String
    /// How long a statement waits for another connection's lock before throwing `StoreError.locked`.
    public let busyTimeout: Double
    let connection: OpaquePointer
    private var transactionDepth = 0

    /// Opens (or creates) the database at `path`, turning on WAL mode, foreign keys and the busy timeout.
    ///
    /// Throws `StoreError.corrupt` when the file is not a database (and leaves it unchanged),
    /// `.readOnly` when a writable connection was asked for a file that cannot be written,
    /// `.cannotOpen` when the file cannot be opened, `.locked` when another connection holds the file too long.
    public init(path: String, mode: OpenMode = .readWriteCreate, busyTimeout: Double = 5) throws {
        self.path = path
        self.busyTimeout = busyTimeout
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        if mode.readOnly {
            flags |= SQLITE_OPEN_READONLY
        } else {
            flags |= SQLITE_OPEN_READWRITE
            if mode.create { flags |= SQLITE_OPEN_CREATE }
        }
        var handle: OpaquePointer?
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let error = StoreError.from(code: code, connection: handle, path: path, timeout: busyTimeout, sql: nil)
            sqlite3_close_v2(handle)
            throw error
        }
        connection = handle
        sqlite3_extended_result_codes(handle, 1)
        // SQLite silently falls back to read-only when the file is write-protected; say so now,
        // not at the first write in the middle of a search.
        if !mode.readOnly && sqlite3_db_readonly(handle, "main") == 1 {
            sqlite3_close_v2(handle)
            throw StoreError.readOnly(path: path)
        }
        sqlite3_busy_timeout(handle, Int32(max(0, min(busyTimeout * 1000, Double(Int32.max)))))
        do {
            // Reading the header first makes a non-database file fail before anything could write to it.
            _ = try query("PRAGMA schema_version")
            if !mode.readOnly {
                // WAL lets readers (a dashboard, `tuner status`) run while a worker writes.
                _ = try query("PRAGMA journal_mode = WAL")
                // NORMAL is durable across process crashes in WAL mode; only power loss may drop the last commits.
                try execute("PRAGMA synchronous = NORMAL")
            }
            try execute("PRAGMA foreign_keys = ON")
        } catch {
            sqlite3_close_v2(handle)
            throw error
        }
    }

    deinit { sqlite3_close_v2(connection) }

    /// The `StoreError` for a result code on this connection.
    func error(_ code: Int32, sql: String?) -> StoreError {
        StoreError.from(code: code, connection: connection, path: path, timeout: busyTimeout, sql: sql)
    }

    /// Prepares a statement. Throws `StoreError` when the SQL does not compile.
    public func prepare(_ sql: String) throws -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// Runs one statement with bound values (never build SQL from values), discarding any rows.
    public func execute(_ sql: String, _ arguments: StatementArguments = .none) throws {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        while try statement.step() {}
    }

    /// Runs several `;`-separated statements without arguments (schema scripts).
    public func executeScript(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(connection, sql, nil, nil, &message)
        sqlite3_free(message)
        guard code == SQLITE_OK else { throw error(code, sql: nil) }
    }

    /// Runs a query with bound values and returns all its rows.
    public func query(_ sql: String, _ arguments: StatementArguments = .none) throws -> [Row] {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        var rows: [Row] = []
        while try statement.step() { rows.append(statement.row()) }
        return rows
    }

    /// The first row of a query, or nil when it returns none.
    public func queryOne(_ sql: String, _ arguments: StatementArguments = .none) throws -> Row? {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        return try statement.step() ? statement.row() : nil
    }

    /// The rowid of the last insert on this connection.
    public var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(connection) }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes(connection)) }

    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws (and rethrows).
    ///
    /// Nested calls become savepoints, so a helper can be transactional on its own and inside a caller's
    /// transaction. Writers should use `.immediate` so that a read-then-write never deadlocks into BUSY.
    public func transaction<T>(_ kind: TransactionKind = .immediate, _ body: (Database) throws -> T) throws -> T {
        let savepoint = "tuner_sp\(transactionDepth)"
        if transactionDepth == 0 {
            try execute("BEGIN \(kind.rawValue) TRANSACTION")
        } else {
            try execute("SAVEPOINT \(savepoint)")
        }
        transactionDepth += 1
        let result: T
        do {
            result = try body(self)
        } catch {
            transactionDepth -= 1
            if transactionDepth == 0 {
                // Rollback can itself fail only if SQLite already rolled back (e.g. after SQLITE_FULL); the first error is what matters.
                try? execute("ROLLBACK TRANSACTION")
            } else {
                try? execute("ROLLBACK TO SAVEPOINT \(savepoint)")
                try? execute("RELEASE SAVEPOINT \(savepoint)")
            }
            throw error
        }
        transactionDepth -= 1
        do {
            if transactionDepth == 0 {
                try execute("COMMIT TRANSACTION")
            } else {
                try execute("RELEASE SAVEPOINT \(savepoint)")
            }
        } catch {
            if transactionDepth == 0 { try? execute("ROLLBACK TRANSACTION") }
            throw error
        }
        return result
    }

    /// Whether a transaction is open on this connection.
    public var isInTransaction: Bool { sqlite3_get_autocommit(connection) == 0 }
}
