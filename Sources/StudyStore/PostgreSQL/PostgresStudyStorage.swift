import Foundation
import NIOSSL
import PostgresNIO
import Synchronization

/// The studies of one PostgreSQL database, shared by every worker of a search (threads, processes and
/// machines), on PostgresNIO.
///
/// One value is one `PostgresConnection` for the thread that uses it; each worker opens its own. The
/// protocol is synchronous, so every query blocks the calling thread until the server answers (the
/// connection's event loop, from the process-wide `MultiThreadedEventLoopGroup.singleton`, does the
/// I/O): never call a storage from an event-loop thread.
///
/// How it keeps the protocol's promises where the SQLite store relies on its single write lock:
/// - every change runs in one transaction (READ COMMITTED); a call made inside `write { }` joins it
///   without a savepoint of its own (a round trip each way), so a call that fails there rolls the whole
///   transaction back; a nested `write { }` is a savepoint, so its failure rolls back only its own part;
/// - the changes that order a study's trials and oracle state (inserting or starting a trial, finishing
///   or settling one, saving the oracle state, and reading the oracle state inside `write { }`) first take
///   the study's transaction-scoped advisory lock (`pg_advisory_xact_lock(study_id)`), so a worker that
///   reads the oracle state's version in a transaction keeps it until its commit: two workers never start
///   the same trial number, and the oracle state never goes backwards;
/// - a claim takes the lowest WAITING trial with `FOR UPDATE SKIP LOCKED`, and a change to one trial locks
///   its row first (`FOR NO KEY UPDATE`), so two workers never get the same trial;
/// - `read { }` and `snapshot(study:)` run in one REPEATABLE READ, READ ONLY transaction;
/// - a lock held past the busy timeout (`lock_timeout`) or a deadlock the server broke fails the call with
///   `StoreError.locked`, rolled back;
/// - a connection the server closed (a restart, a network failure) or one that did not answer within
///   `responseTimeout` fails the call with `StoreError.connectionLost`: the server rolls back what the
///   transaction had done, and the next call outside a transaction connects again. Retrying, and knowing
///   whether a lost COMMIT landed, is the caller's part (the search loop's `StoreRetry`).
///
/// Scores and metric values are `double precision`, which keeps NaN; the JSON fields are `text` holding
/// exactly the bytes the store wrote (checked to be JSON by the schema), decoded by the same code as the
/// SQLite store's.
public final class PostgresStudyStorage: StudyStorage {
    /// The server and database (its password is only used to log in).
    public let server: PostgresLocation
    /// How long a call waits for another connection's lock before throwing `StoreError.locked`.
    public let busyTimeout: Double
    /// Seconds a statement may go unanswered before the connection is taken for lost (a server behind a
    /// dead link never answers, and TCP alone would wait for many minutes).
    public let responseTimeout: Double
    /// The one connection of this storage value, nil once it was lost (the next call outside a
    /// transaction connects again).
    private var connection: PostgresConnection?
    /// How to connect, kept to connect again.
    private let configuration: PostgresConnection.Configuration
    /// PostgresNIO's logger, quiet but for critical events.
    let logger: Logger
    /// The transaction open on the connection, if any.
    private var transaction: Transaction = .none
    /// The studies whose advisory lock the open write transaction holds (released at its end).
    private var lockedStudies: Set<Int64> = []
    /// The oracle state's version of each study this write transaction read or saved while holding the
    /// study's lock: no other connection can change it until the commit, so it is read once.
    var lockedOracleVersions: [Int64: Int] = [:]
    /// The studies this write transaction found without pending trial requests when it took their lock
    /// (`tuner_lock_study`), so a claim does not look again; a request this transaction adds drops its study.
    var studiesWithoutPendingRequests: Set<Int64> = []
    /// The oracle state's version this connection last read or saved for each study, kept across
    /// transactions: when it next takes the study's lock, it asks for the trials saved after it in the
    /// same round trip (`tuner_lock_study(target, since)`). Only a guess of what the caller's cached
    /// oracle holds: a wrong one costs a round trip, never a wrong answer (see `caughtUp`).
    var lastSeenOracleVersions: [Int64: Int] = [:]
    /// What `oracleState(study:trialsSavedAfter:)` would answer for `study` and `since` right after the
    /// lock statement that read it, inside the transaction holding the lock. Dropped as soon as any
    /// other statement runs, so it is never served once this transaction changed anything.
    var caughtUp: (study: Int64, since: Int, state: SavedOracleState)?
    /// The first failure of a call that joined the open write transaction without a savepoint (see
    /// `writing`): the transaction is doomed to roll back, and this is what its `write { }` throws.
    private var failedCall: (any Error)?
    /// The names of the prepared statements (`run(_:preparedAs:)`) that ran once on the current
    /// connection: they are prepared on it.
    private(set) var preparedStatements: Set<String> = []
    /// Statements sent without waiting for their answer (BEGIN, SAVEPOINT, RELEASE: see `send`), in order.
    private var unanswered: [EventLoopFuture<PostgresQueryResult>] = []
    /// Inside a write transaction that took a study's lock: when the lock statement was answered, and the
    /// statements sent since (the lock's own included), counted into `studyLockHolds` at the commit.
    private var lockHold: (since: UInt64, statements: Int)?
    /// This process's `studyLockHolds`.
    private static let lockHoldTotals = Mutex(StudyLockHolds())

    /// What this process's committed write transactions spent holding a study's lock, summed. Every
    /// worker of a study waits while one holds it, so this time (per claim, per finish) bounds a shared
    /// study's throughput; it is measured by the client, from the lock statement's answer to COMMIT's,
    /// and is less noisy than trials per second on a busy machine (`tuner-bench store_throughput`).
    public struct StudyLockHolds: Sendable, Equatable {
        /// Committed write transactions that took a study's lock.
        public var transactions = 0
        /// Their time from the lock statement's answer to COMMIT's answer, in seconds.
        public var seconds = 0.0
        /// Statements they sent from the lock on, the lock's own and COMMIT included: the round trips
        /// every waiting worker waits for.
        public var statements = 0

        /// Totals counted from zero.
        public init() {}

        /// Adds one transaction that held the lock for `seconds` and sent `statements` under it.
        mutating func count(seconds: Double, statements: Int) {
            transactions += 1
            self.seconds += seconds
            self.statements += statements
        }

        /// What was added to these totals since `earlier`.
        public func since(_ earlier: StudyLockHolds) -> StudyLockHolds {
            var difference = StudyLockHolds()
            difference.transactions = transactions - earlier.transactions
            difference.seconds = seconds - earlier.seconds
            difference.statements = statements - earlier.statements
            return difference
        }
    }

    /// The lock holds of every committed write transaction of this process so far (all connections).
    public static var processStudyLockHolds: StudyLockHolds {
        lockHoldTotals.withLock { $0 }
    }

    /// The lock holds of this connection's committed write transactions so far.
    public private(set) var studyLockHolds = StudyLockHolds()

    /// What is open on the connection.
    private enum Transaction {
        case none
        case reading
        /// A write transaction with `depth` savepoints open inside it.
        case writing(depth: Int)
    }

    /// Where the studies are: the server and database, without the password. Kept, not recomputed:
    /// every cell a query decodes names it for its error message, and building it was about 3% of a
    /// worker's CPU in the throughput benchmark.
    public let location: String

    /// Connects to the database a connection string names and applies pending migrations.
    ///
    /// - Parameters:
    ///   - busyTimeout: how long a call waits for another connection's lock before throwing `.locked`.
    ///   - responseTimeout: how long a statement may go unanswered before the connection is taken for
    ///     lost (`.connectionLost`); by default the busy timeout plus 30 s, so a lock wait never counts.
    /// - Throws: `StoreError.invalidArgument` for a malformed string, `.cannotOpen` when the server cannot
    ///   be reached or refuses the login, `.locked` when another worker migrates past `busyTimeout`,
    ///   `.decoding` when a newer version of the tuner migrated the database.
    public convenience init(connectionString: String, busyTimeout: Double = 5, responseTimeout: Double? = nil) throws {
        try self.init(server: try PostgresLocation(parsing: connectionString), busyTimeout: busyTimeout,
                      responseTimeout: responseTimeout)
    }

    /// Connects to `server` and applies pending migrations (see `init(connectionString:busyTimeout:responseTimeout:)`).
    public init(server: PostgresLocation, busyTimeout: Double = 5, responseTimeout: Double? = nil) throws {
        self.server = server
        location = server.redacted
        self.busyTimeout = busyTimeout
        self.responseTimeout = responseTimeout ?? busyTimeout + 30
        var logger = Logger(label: "tuner.study-store.postgres")
        logger.logLevel = .critical
        self.logger = logger
        var configuration: PostgresConnection.Configuration
        if let socketPath = server.socketPath {
            configuration = .init(unixSocketPath: socketPath, username: server.user, password: server.password,
                                  database: server.database)
        } else {
            configuration = .init(host: server.host, port: server.port, username: server.user, password: server.password,
                                  database: server.database, tls: try Self.tls(for: server))
        }
        configuration.options.additionalStartupParameters = [("application_name", "tuner")]
        configuration.options.connectTimeout = .milliseconds(Int64(min(self.responseTimeout, 30) * 1000))
        self.configuration = configuration
        do {
            connection = try connect()
        } catch StoreError.connectionLost(_, let detail) {
            // The first connection names what went wrong as a setup problem, not a lost connection.
            throw StoreError.cannotOpen(path: server.redacted, detail: detail)
        }
        try PostgresSchema.migrate(self)
    }

    deinit {
        if let connection { Self.close(connection) }
    }

    /// Closes `connection` and waits for its channel to close (a local step: closing never waits for
    /// the server), so the connection is never released open. Not for an event-loop thread.
    private static func close(_ connection: PostgresConnection) {
        let closing: EventLoopFuture<Void> = connection.close()
        try? closing.wait()
    }

    /// The TLS settings of `server`'s `sslmode` and `sslrootcert`, as libpq reads them.
    ///
    /// - Throws: `StoreError.cannotOpen` when the certificate authorities' file cannot be read.
    private static func tls(for server: PostgresLocation) throws(StoreError) -> PostgresConnection.Configuration.TLS {
        if server.tlsMode == .disable { return .disable }
        var tls = TLSConfiguration.makeClientConfiguration()
        switch server.tlsMode {
        case .verifyFull: tls.certificateVerification = .fullVerification
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        // libpq: `require` with a root certificate file checks the chain, as `verify-ca`.
        case .require where server.rootCertificatePath != nil: tls.certificateVerification = .noHostnameVerification
        default: tls.certificateVerification = .none
        }
        if let path = server.rootCertificatePath { tls.trustRoots = .file(path) }
        do {
            let context = try NIOSSLContext(configuration: tls)
            return server.tlsMode == .prefer ? .prefer(context) : .require(context)
        } catch {
            let file = server.rootCertificatePath.map { " from \($0)" } ?? ""
            throw .cannotOpen(path: server.redacted, detail: "could not load the TLS certificate authorities\(file): \(error)")
        }
    }

    /// Opens a connection and sets its session up.
    ///
    /// - Throws: `StoreError.connectionLost` when the server cannot be reached or is starting up or
    ///   shutting down (worth another try), `.cannotOpen` when it refuses the login or the database.
    private func connect() throws -> PostgresConnection {
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration,
                id: Int.random(in: 1...Int.max), logger: logger
            ).wait()
        } catch {
            throw Self.storeError(error, location: location, timeout: busyTimeout, connecting: true)
        }
        // Lock waits past the busy timeout fail with lock_not_available (0 would mean "wait forever").
        // A worker cut off in the middle of a transaction must not keep the study's lock for the hours
        // TCP takes to notice: the server ends such a session once it has been idle in its transaction
        // for the response timeout (the worker took its connection for lost by then), and probes a
        // silent client every few seconds.
        let lockTimeout = String(Self.milliseconds(busyTimeout))
        let idleTimeout = String(Self.milliseconds(responseTimeout))
        do {
            _ = try answer(to: """
                SELECT set_config('lock_timeout', \(lockTimeout), false),
                       set_config('idle_in_transaction_session_timeout', \(idleTimeout), false),
                       set_config('tcp_keepalives_idle', '5', false), set_config('tcp_keepalives_interval', '2', false),
                       set_config('tcp_keepalives_count', '3', false), set_config('tcp_user_timeout', '15000', false)
                """, on: connection)
        } catch {
            Self.close(connection)
            throw error
        }
        return connection
    }

    public func appliedMigrations() throws -> [String] {
        try reading { try PostgresSchema.appliedMigrations(self) }
    }

    public func write<T>(_ body: (any StudyStorage) throws -> T) throws -> T {
        try writing(savepoint: true) { try body(self) }
    }

    public func read<T>(_ body: (any StudyStorage) throws -> T) throws -> T {
        try reading { try body(self) }
    }

    // MARK: Transactions

    /// Runs `body` in a write transaction; rolls back and rethrows when it throws.
    ///
    /// Inside a transaction already open, a store call (`savepoint` false) joins it without a savepoint:
    /// each SAVEPOINT and RELEASE is a round trip of its own (PostgresNIO sends a statement only once the
    /// one before it was answered), and a claim or a finish runs under its study's lock, where every
    /// round trip delays every waiting worker. A call that fails then dooms the transaction: every later
    /// change in it throws that failure, and it rolls back with the first failure rethrown by the
    /// outermost `write { }`, even when the body caught it (its part may be half done). A nested
    /// `write { }` (`savepoint` true) keeps its savepoint, so a body that handles its failure goes on.
    @discardableResult
    func writing<T>(savepoint: Bool = false, _ body: () throws -> T) throws -> T {
        switch transaction {
        case .reading:
            throw StoreError.invalidArgument("A change was attempted inside a read transaction of \(location).")
        case .writing where !savepoint:
            if let failedCall { throw failedCall }
            do {
                return try body()
            } catch {
                // The first failure stands: a later one is usually its consequence.
                if failedCall == nil { failedCall = error }
                throw error
            }
        case .writing(let depth):
            // The savepoint's name is the store's own counter, never a value from outside.
            let name = "tuner_savepoint_\(depth + 1)"
            if let failedCall { throw failedCall }
            let locks = lockedStudies, versions = lockedOracleVersions, withoutRequests = studiesWithoutPendingRequests
            try send(PostgresQuery(unsafeSQL: "SAVEPOINT \(name)"))
            transaction = .writing(depth: depth + 1)
            defer { transaction = .writing(depth: depth) }
            do {
                let result = try body()
                try send(PostgresQuery(unsafeSQL: "RELEASE SAVEPOINT \(name)"))
                return result
            } catch {
                // Locks taken after the savepoint are released with its rollback, and versions saved
                // after it undone.
                lockedStudies = locks
                lockedOracleVersions = versions
                studiesWithoutPendingRequests = withoutRequests
                // A call that failed inside the savepoint doomed only what the rollback undoes.
                failedCall = nil
                _ = try? run(PostgresQuery(unsafeSQL: "ROLLBACK TO SAVEPOINT \(name)"))
                _ = try? run(PostgresQuery(unsafeSQL: "RELEASE SAVEPOINT \(name)"))
                throw error
            }
        case .none:
            try send("BEGIN")
            transaction = .writing(depth: 0)
            defer {
                transaction = .none
                lockedStudies = []
                lockedOracleVersions = [:]
                studiesWithoutPendingRequests = []
                caughtUp = nil
                failedCall = nil
                lockHold = nil
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
            // A call inside failed and the body went on: its part may be half done, so nothing commits.
            if let failedCall { throw failedCall }
            try run("COMMIT")
            if let hold = lockHold {
                let held = Double(DispatchTime.now().uptimeNanoseconds - hold.since) / 1e9
                studyLockHolds.count(seconds: held, statements: hold.statements)
                Self.lockHoldTotals.withLock { $0.count(seconds: held, statements: hold.statements) }
            }
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
    /// The same round trip reads what a claim or a finish decides on next (migration `v7-study-lock`):
    /// the oracle state's version and whether trial requests are pending, kept for this transaction.
    ///
    /// When this connection saw the study's oracle state before (`lastSeenOracleVersions`), the same round
    /// trip also brings the core and the trials saved since then (migration `v9-study-lock-catch-up`),
    /// kept for the `oracleState(study:trialsSavedAfter:)` call that usually follows: a worker whose
    /// cached oracle is behind catches up without a second round trip under the lock.
    func lockStudy(_ id: Int64) throws {
        guard isWriting, !lockedStudies.contains(id) else { return }
        guard let since = lastSeenOracleVersions[id] else {
            let row = try run("SELECT oracle_version, pending_requests FROM tuner_lock_study(\(id))").first
            noteLockedStudy(id)
            if let version = try row?.value(0, Int?.self, location: location) { noteOracleVersion(version, study: id) }
            if try row?.value(1, Bool.self, location: location) == false { studiesWithoutPendingRequests.insert(id) }
            return
        }
        let rows = try run(Self.lockStudyQuery(id, since: since), preparedAs: StudyLockStatement.self)
        noteLockedStudy(id)
        guard let first = rows.first else { return }
        if try first.value(1, Bool.self, location: location) == false { studiesWithoutPendingRequests.insert(id) }
        guard let version = try first.value(0, Int?.self, location: location) else { return }
        noteOracleVersion(version, study: id)
        // No core: the state is still at `since`, and the caller's oracle (if it is at `since`) is current.
        guard let core = try first.value(2, String?.self, location: location) else { return }
        var state = SavedOracleState(core: Data(core.utf8), version: version,
                                     updatedAt: try first.value(3, Double.self, location: location))
        for row in rows {
            guard let number = try row.value(4, Int?.self, location: location) else { continue }
            state.trials[number] = Data(try row.value(5, String.self, location: location).utf8)
        }
        caughtUp = (id, since, state)
    }

    /// The statement that takes study `id`'s lock and reads the oracle state saved after version `since`
    /// (see `lockStudy`). Prepared once per connection (`StudyLockStatement`).
    static func lockStudyQuery(_ id: Int64, since: Int) -> PostgresQuery {
        """
        SELECT oracle_version, pending_requests, oracle_core, oracle_updated_at, trial_number, trial_state
        FROM tuner_lock_study(\(id), \(Int64(since)))
        """
    }

    /// Keeps `version` of study `id` as the one this write transaction decides on (it holds the study's
    /// lock) and as the one this connection saw last.
    func noteOracleVersion(_ version: Int, study id: Int64) {
        if isWriting { lockedOracleVersions[id] = version }
        lastSeenOracleVersions[id] = version
    }

    /// Inside a write transaction, notes study `id`'s lock as held by the statement just answered (the lock
    /// statements of `lockStudy`, or one that took it itself: `lockStudy(ofTrial:)` reads a trial's study
    /// and locks it in one round trip); the transaction's first lock starts its `studyLockHolds` clock.
    func noteLockedStudy(_ id: Int64) {
        guard isWriting else { return }
        lockedStudies.insert(id)
        if lockHold == nil { lockHold = (DispatchTime.now().uptimeNanoseconds, 1) }
    }

    /// The studies whose lock the open write transaction holds, in order.
    var heldStudyLocks: [Int64] { lockedStudies.sorted() }

    // MARK: Queries

    /// Sends a statement whose answer only matters if it fails (BEGIN, SAVEPOINT, RELEASE) without waiting
    /// for it: the connection runs statements in order, so the next `run` waits for it too and throws its
    /// error, if any. A transaction's bookkeeping statements then cost no wait of their own.
    ///
    /// - Throws: `StoreError.connectionLost` when there is no connection inside a transaction.
    func send(_ query: PostgresQuery) throws {
        caughtUp = nil
        lockHold?.statements += 1
        let connection = try liveConnection()
        unanswered.append(connection.query(query, logger: logger))
    }

    /// Waits for the statements `send` sent (answered before the statement just run, so at once) and
    /// throws the first one's failure.
    private func collectUnanswered() throws {
        guard !unanswered.isEmpty else { return }
        let sent = unanswered
        unanswered = []
        for future in sent {
            do {
                _ = try future.wait()
            } catch {
                throw Self.storeError(error, location: location, timeout: busyTimeout)
            }
        }
    }

    /// Runs one statement and returns its rows, turning PostgresNIO's failures into `StoreError`s that
    /// name the server (never the password). Outside a transaction, a lost connection is replaced first.
    ///
    /// - Throws: `StoreError.connectionLost` when the connection is lost (this statement's transaction is
    ///   then rolled back by the server), or the server's error as a `StoreError`.
    @discardableResult
    func run(_ query: PostgresQuery) throws -> [PostgresRandomAccessRow] {
        try perform { connection in try answer(to: query, on: connection) }
    }

    /// Runs `query` as the named prepared statement `Statement` when its text is `Statement.sql` (the usual
    /// shape of a claim's or a finish's statement under the study's lock), else as `run` does. The server
    /// parses and plans a prepared statement once per connection instead of at every call: a claim's insert
    /// with its oracle state cost the server about 0.45 ms of CPU a call unnamed and 0.15-0.2 ms prepared
    /// (pgbench, extended against prepared mode, on this 2-core machine), and every waiting worker waits
    /// for it.
    ///
    /// - Throws: as `run`. When the statement's first run on this connection fails, the connection is
    ///   dropped (the next call outside a transaction connects again): PostgresNIO keeps a failed
    ///   preparation's error for the statement's name as long as the connection lives.
    @discardableResult
    func run<Statement: PreparedStoreStatement>(_ query: PostgresQuery, preparedAs _: Statement.Type) throws -> [PostgresRandomAccessRow] {
        guard query.sql == Statement.sql else { return try run(query) }
        let statement = Statement(binds: query.binds)
        let rows: [PostgresRandomAccessRow]
        do {
            rows = try perform { connection in
                try answer(on: connection) {
                    // PostgresNIO runs prepared statements through async calls only: run on this thread.
                    let logger = logger
                    return try WaitingThreadExecutor.run {
                        var rows: [PostgresRow] = []
                        for try await row in try await connection.execute(statement, logger: logger) { rows.append(row) }
                        return rows
                    }.map { $0.makeRandomAccess() }
                }
            }
        } catch {
            if !preparedStatements.contains(Statement.name), let connection {
                self.connection = nil
                unanswered = []
                Self.close(connection)
            }
            throw error
        }
        preparedStatements.insert(Statement.name)
        return rows
    }

    /// Runs a statement on the live connection (`statement` sends it and waits for its rows), after the
    /// statements `send` sent before it; a lost connection is closed and dropped.
    private func perform(_ statement: (PostgresConnection) throws -> [PostgresRandomAccessRow]) throws -> [PostgresRandomAccessRow] {
        // Any statement may change the oracle state: what the lock statement read is stale after it.
        caughtUp = nil
        lockHold?.statements += 1
        let connection = try liveConnection()
        do {
            let rows: [PostgresRandomAccessRow]
            do {
                rows = try statement(connection)
            } catch {
                // A statement sent before failed first: its error is the cause of this one's.
                try collectUnanswered()
                throw error
            }
            try collectUnanswered()
            return rows
        } catch {
            if case StoreError.connectionLost = error {
                self.connection = nil
                Self.close(connection)
            }
            throw error
        }
    }

    /// The open connection; outside a transaction, a new one in place of a lost one.
    private func liveConnection() throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        if let connection {
            self.connection = nil
            unanswered = []
            Self.close(connection)
        }
        guard case .none = transaction else {
            // The server rolled the transaction back when the connection went; its statements must not
            // run on a new one as if they were part of it.
            throw StoreError.connectionLost(location: location, detail: "the connection closed during a transaction")
        }
        let connection = try connect()
        self.connection = connection
        preparedStatements = []
        return connection
    }

    /// Sends `query` and waits for its rows (see `answer(on:_:)`).
    private func answer(to query: PostgresQuery, on connection: PostgresConnection) throws -> [PostgresRandomAccessRow] {
        try answer(on: connection) { try connection.query(query, logger: logger).wait().rows.map { $0.makeRandomAccess() } }
    }

    /// Waits for `rows` (a statement sent on `connection` and its answer) at most `responseTimeout` seconds:
    /// past that the connection is closed (which fails the statement) and the call throws
    /// `StoreError.connectionLost`.
    private func answer(on connection: PostgresConnection,
                        _ rows: () throws -> [PostgresRandomAccessRow]) throws -> [PostgresRandomAccessRow] {
        let timedOut = Mutex(false)
        let deadline = connection.eventLoop.scheduleTask(in: .milliseconds(Int64(responseTimeout * 1000))) {
            timedOut.withLock { $0 = true }
            // On the event loop: start the close, never wait for it here.
            let closing: EventLoopFuture<Void> = connection.close()
            _ = closing
        }
        defer { deadline.cancel() }
        do {
            return try rows()
        } catch {
            if timedOut.withLock({ $0 }) {
                throw StoreError.connectionLost(
                    location: location, detail: "the server did not answer within \(Self.seconds(responseTimeout))")
            }
            throw Self.storeError(error, location: location, timeout: busyTimeout)
        }
    }

    /// `seconds` in whole milliseconds, at least 1 (0 means "no limit" to the server's timeouts).
    private static func milliseconds(_ seconds: Double) -> Int {
        max(1, Int((seconds * 1000).rounded()))
    }

    /// `seconds` as a short text ("30 s", "0.5 s").
    private static func seconds(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
    }

    /// The error a user can act on for a PostgresNIO failure on the server at `location`.
    ///
    /// A failure of the connection itself (refused, reset, closed by a server shutting down, a server
    /// starting up) is `.connectionLost`, worth another try; a login or database the server refuses is
    /// `.cannotOpen`. `connecting` says the failure came while opening a connection.
    static func storeError(_ error: any Error, location: String, timeout: Double, connecting: Bool = false) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? PostgresDecodingError {
            return .decoding(path: location, detail: "column \(error.columnName) is not a \(error.targetType)")
        }
        guard let error = error as? PSQLError else {
            // NIO's own failures to connect (refused, unreachable, timed out).
            if connecting { return .connectionLost(location: location, detail: String(describing: error)) }
            return .cannotOpen(path: location, detail: String(describing: error))
        }
        guard error.code == .server, let info = error.serverInfo else {
            let cause = error.underlying.map { ": \(String(describing: $0))" } ?? ""
            switch error.code {
            case .authMechanismRequiresPassword:
                return .cannotOpen(path: location, detail: "the server asks for a password and the storage string gives none")
            case .unsupportedAuthMechanism:
                return .cannotOpen(path: location, detail: "the server asks for a login method PostgresNIO does not support")
            case .sslUnsupported:
                return .cannotOpen(path: location, detail: "the server does not accept TLS, which the storage string's sslmode requires")
            case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown,
                 // PostgresNIO closes the connection on a message out of turn: a server restart's FATAL
                 // notice can arrive so (a fresh-clone CI run failed a trial on it), so it is a lost link.
                 .unexpectedBackendMessage:
                return .connectionLost(location: location, detail: "\(error.code)\(cause)")
            default:
                return .cannotOpen(path: location, detail: "\(error.code)\(cause)")
            }
        }
        let state = info[.sqlState] ?? "?????"
        let message = [info[.message], info[.detail]].compactMap { $0 }.joined(separator: "; ")
        switch state {
        case "57P01", "57P02", "57P03":
            // admin_shutdown, crash_shutdown (the server is stopping), cannot_connect_now (starting up).
            return .connectionLost(location: location, detail: message)
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
        case "08":
            return connecting ? .cannotOpen(path: location, detail: message) : .connectionLost(location: location, detail: message)
        case "28":
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
