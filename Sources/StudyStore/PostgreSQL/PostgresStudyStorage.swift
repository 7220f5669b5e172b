import Foundation
import PostgresNIO

/// The studies of one PostgreSQL database, shared by every worker of a search (threads, processes and
/// machines), on PostgresNIO.
///
/// One value is one `PostgresConnection` for the thread that uses it; each worker opens its own. The
/// protocol is synchronous, so every query blocks the calling thread until the server answers (the
/// connection's event loop, from the process-wide `MultiThreadedEventLoopGroup.singleton`, does the
/// I/O): never call a storage from an event-loop thread.
///
/// How it keeps the protocol's promises where the SQLite store relies on its single write lock:
/// - every change runs in one transaction (READ COMMITTED); a call made inside `write { }` joins it as a
///   savepoint, so a nested failure rolls back only its own part;
/// - the changes that order a study's trials and oracle state (inserting or starting a trial, finishing
///   or settling one, saving the oracle state, and reading the oracle state inside `write { }`) first take
///   the study's transaction-scoped advisory lock (`pg_advisory_xact_lock(study_id)`), so a worker that
///   reads the oracle state's version in a transaction keeps it until its commit: two workers never start
///   the same trial number, and the oracle state never goes backwards;
/// - a claim takes the lowest WAITING trial with `FOR UPDATE SKIP LOCKED`, and a change to one trial locks
///   its row first (`FOR NO KEY UPDATE`), so two workers never get the same trial;
/// - `read { }` and `snapshot(study:)` run in one REPEATABLE READ, READ ONLY transaction;
/// - a lock held past the busy timeout (`lock_timeout`) or a deadlock the server broke fails the call with
///   `StoreError.locked`, rolled back.
///
/// Scores and metric values are `double precision`, which keeps NaN; the JSON fields are `text` holding
/// exactly the bytes the store wrote (checked to be JSON by the schema), decoded by the same code as the
/// SQLite store's.
public final class PostgresStudyStorage: StudyStorage {
    /// The server and database (its password is only used to log in).
    public let server: PostgresLocation
    /// How long a call waits for another connection's lock before throwing `StoreError.locked`.
    public let busyTimeout: Double
    /// The one connection of this storage value.
    let connection: PostgresConnection
    /// PostgresNIO's logger, quiet but for critical events.
    let logger: Logger
    /// The transaction open on the connection, if any.
    private var transaction: Transaction = .none
    /// The studies whose advisory lock the open write transaction holds (released at its end).
    private var lockedStudies: Set<Int64> = []

    /// What is open on the connection.
    private enum Transaction {
        case none
        case reading
        /// A write transaction with `depth` savepoints open inside it.
        case writing(depth: Int)
    }

    /// Where the studies are: the server and database, without the password.
    public var location: String { server.redacted }

    /// Connects to the database a connection string names and applies pending migrations.
    ///
    /// - Throws: `StoreError.invalidArgument` for a malformed string, `.cannotOpen` when the server cannot
    ///   be reached or refuses the login, `.locked` when another worker migrates past `busyTimeout`,
    ///   `.decoding` when a newer version of the tuner migrated the database.
    public convenience init(connectionString: String, busyTimeout: Double = 5) throws {
        try self.init(server: try PostgresLocation(parsing: connectionString), busyTimeout: busyTimeout)
    }

    /// Connects to `server` and applies pending migrations (see `init(connectionString:busyTimeout:)`).
    public init(server: PostgresLocation, busyTimeout: Double = 5) throws {
        self.server = server
        self.busyTimeout = busyTimeout
        var logger = Logger(label: "tuner.study-store.postgres")
        logger.logLevel = .critical
        self.logger = logger
        var configuration: PostgresConnection.Configuration
        if let socketPath = server.socketPath {
            configuration = .init(unixSocketPath: socketPath, username: server.user, password: server.password,
                                  database: server.database)
        } else {
            configuration = .init(host: server.host, port: server.port, username: server.user, password: server.password,
                                  database: server.database, tls: .disable)
        }
        configuration.options.additionalStartupParameters = [("application_name", "tuner")]
        do {
            connection = try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration,
                id: Int.random(in: 1...Int.max), logger: logger
            ).wait()
        } catch {
            throw Self.storeError(error, location: server.redacted, timeout: busyTimeout)
        }
        // Lock waits past the busy timeout fail with lock_not_available (0 would mean "wait forever").
        let milliseconds = String(max(1, Int((busyTimeout * 1000).rounded())))
        try run("SELECT set_config('lock_timeout', \(milliseconds), false)")
        try PostgresSchema.migrate(self)
    }

    deinit {
        let closing: EventLoopFuture<Void> = connection.close()
        _ = closing
    }

    public func appliedMigrations() throws -> [String] {
        try reading { try PostgresSchema.appliedMigrations(self) }
    }

    public func write<T>(_ body: (any StudyStorage) throws -> T) throws -> T {
        try writing { try body(self) }
    }

    public func read<T>(_ body: (any StudyStorage) throws -> T) throws -> T {
        try reading { try body(self) }
    }

    // MARK: Transactions

    /// Runs `body` in a write transaction (a savepoint inside one already open); rolls back and rethrows
    /// when it throws.
    @discardableResult
    func writing<T>(_ body: () throws -> T) throws -> T {
        switch transaction {
        case .reading:
            throw StoreError.invalidArgument("A change was attempted inside a read transaction of \(location).")
        case .writing(let depth):
            // The savepoint's name is the store's own counter, never a value from outside.
            let name = "tuner_savepoint_\(depth + 1)"
            let locks = lockedStudies
            try run(PostgresQuery(unsafeSQL: "SAVEPOINT \(name)"))
            transaction = .writing(depth: depth + 1)
            defer { transaction = .writing(depth: depth) }
            do {
                let result = try body()
                try run(PostgresQuery(unsafeSQL: "RELEASE SAVEPOINT \(name)"))
                return result
            } catch {
                // Locks taken after the savepoint are released with its rollback.
                lockedStudies = locks
                _ = try? run(PostgresQuery(unsafeSQL: "ROLLBACK TO SAVEPOINT \(name)"))
                _ = try? run(PostgresQuery(unsafeSQL: "RELEASE SAVEPOINT \(name)"))
                throw error
            }
        case .none:
            try run("BEGIN")
            transaction = .writing(depth: 0)
            defer {
                transaction = .none
                lockedStudies = []
            }
            return try committing(body)
        }
    }

    /// Runs `body` in one REPEATABLE READ, READ ONLY transaction (or inside the transaction already open),
    /// so its reads see one state.
    func reading<T>(_ body: () throws -> T) throws -> T {
        guard case .none = transaction else { return try body() }
        try run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        transaction = .reading
        defer { transaction = .none }
        return try committing(body)
    }

    /// Runs `body` in the transaction just begun: commits when it returns, rolls back and rethrows when
    /// it throws (a failed rollback leaves the first error the one that matters).
    private func committing<T>(_ body: () throws -> T) throws -> T {
        do {
            let result = try body()
            try run("COMMIT")
            return result
        } catch {
            _ = try? run("ROLLBACK")
            throw error
        }
    }

    /// Whether a write transaction is open (reads of the oracle state then lock the study).
    var isWriting: Bool {
        if case .writing = transaction { return true }
        return false
    }

    /// Inside a write transaction, takes study `id`'s advisory lock until the transaction ends (once per
    /// transaction). Every change that orders a study's trials or its oracle state takes it first, so such
    /// changes of one study run one at a time, as under SQLite's write lock. Outside one, does nothing.
    func lockStudy(_ id: Int64) throws {
        guard isWriting, !lockedStudies.contains(id) else { return }
        try run("SELECT pg_advisory_xact_lock(\(id))")
        lockedStudies.insert(id)
    }

    // MARK: Queries

    /// Runs one statement and returns its rows, turning PostgresNIO's failures into `StoreError`s that
    /// name the server (never the password).
    @discardableResult
    func run(_ query: PostgresQuery) throws -> [PostgresRandomAccessRow] {
        do {
            return try connection.query(query, logger: logger).wait().rows.map { $0.makeRandomAccess() }
        } catch {
            throw Self.storeError(error, location: location, timeout: busyTimeout)
        }
    }

    /// The error a user can act on for a PostgresNIO failure on the server at `location`.
    static func storeError(_ error: any Error, location: String, timeout: Double) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? PostgresDecodingError {
            return .decoding(path: location, detail: "column \(error.columnName) is not a \(error.targetType)")
        }
        guard let error = error as? PSQLError else {
            return .cannotOpen(path: location, detail: String(describing: error))
        }
        guard error.code == .server, let info = error.serverInfo else {
            switch error.code {
            case .authMechanismRequiresPassword:
                return .cannotOpen(path: location, detail: "the server asks for a password and the storage string gives none")
            case .unsupportedAuthMechanism:
                return .cannotOpen(path: location, detail: "the server asks for a login method PostgresNIO does not support")
            default:
                let cause = error.underlying.map { ": \(String(describing: $0))" } ?? ""
                return .cannotOpen(path: location, detail: "\(error.code)\(cause)")
            }
        }
        let state = info[.sqlState] ?? "?????"
        let message = [info[.message], info[.detail]].compactMap { $0 }.joined(separator: "; ")
        switch state {
        case "55P03", "40P01", "40001", "57014":
            // lock_not_available (lock_timeout), deadlock, serialization failure, a cancelled wait.
            return .locked(path: location, timeoutSeconds: timeout)
        case "25006":
            return .readOnly(path: location)
        case "53100":
            return .diskFull(path: location)
        case "3D000", "42501":
            return .cannotOpen(path: location, detail: message)
        default:
            break
        }
        switch state.prefix(2) {
        case "23", "22":
            // Integrity constraints, and data the schema's checks refuse (text that is not JSON).
            return .constraintViolation(path: location, detail: message)
        case "28", "08":
            return .cannotOpen(path: location, detail: message)
        default:
            return .server(location: location, code: state, detail: message)
        }
    }
}

/// Decoding the cells of a result row by position; a cell of another type is a `StoreError.decoding`
/// naming the server and the column.
extension PostgresRandomAccessRow {
    func value<T: PostgresDecodable>(_ index: Int, _: T.Type = T.self, location: String) throws(StoreError) -> T {
        let cell = self[index]
        do {
            return try cell.decode(T.self)
        } catch {
            throw .decoding(path: location, detail: "column \(cell.columnName) does not hold a \(T.self)")
        }
    }
}
