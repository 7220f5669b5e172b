import GRDB

/// Everything the study store can throw. Each message names the file (or the PostgreSQL server, without
/// its password) and says what to do about it,
/// because these usually reach a user running a long search, not the developer who wrote the call.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file (or its directory, which WAL mode writes to) cannot be written.
    case readOnly(path: String)
    /// The file exists but is not an SQLite database, or its pages are damaged.
    case corrupt(path: String, detail: String)
    /// Another connection held a lock for longer than the busy timeout.
    case locked(path: String, timeoutSeconds: Double)
    /// The disk (or a quota) is full; the transaction was rolled back.
    case diskFull(path: String)
    /// The file could not be opened at all (missing directory, permissions, ...), or the server could
    /// not be reached or refused the login.
    case cannotOpen(path: String, detail: String)
    /// A UNIQUE, CHECK, NOT NULL or foreign-key constraint refused a change.
    case constraintViolation(path: String, detail: String)
    /// Any other SQLite failure, with its result code and message.
    case sqlite(path: String, code: Int32, detail: String, sql: String?)
    /// Any other failure a PostgreSQL server reported, with its SQLSTATE code and message; `location` is
    /// the server without the password (`PostgresLocation.redacted`).
    case server(location: String, code: String, detail: String)
    /// The connection to a PostgreSQL server was lost (the server restarted, the network failed, or it
    /// did not answer in time); the transaction in progress was rolled back by the server, and the next
    /// call connects again. A COMMIT that was sent may or may not have landed.
    case connectionLost(location: String, detail: String)
    /// A row did not hold what the store expected (a column missing or of the wrong type).
    case decoding(path: String, detail: String)
    /// A stored field of a study or trial (hyperparameters, search space, oracle settings or state,
    /// Hyperband assignment) does not hold what the tuner wrote there.
    case damagedData(location: String, study: String, trial: Int?, field: String, detail: String)
    /// No study has this name.
    case studyNotFound(name: String)
    /// A study with this name exists already.
    case studyExists(name: String)
    /// No trial has this row id.
    case trialNotFound(id: Int64)
    /// The trial cannot be changed in its current state (for example finishing a trial that is not RUNNING).
    case trialNotRunning(id: Int64, state: String)
    /// The trial is RUNNING but was claimed by a different worker.
    case trialOwnedByAnotherWorker(id: Int64, owner: String, caller: String)
    /// An argument the store cannot use (for example finishing a trial into the WAITING state).
    case invalidArgument(String)

    /// A message that says what happened, to which file, and what to do.
    public var description: String {
        switch self {
        case .readOnly(let path) where PostgresLocation.isConnectionString(path):
            return "The study database at \(path) refused a change: the server is read-only for this user (a "
                + "standby, a read-only transaction, or missing privileges). Use a writable server, or grant the user "
                + "the privileges to write its tables."
        case .readOnly(let path):
            return "The study database at \(path) is read-only. Make the file and its directory writable "
                + "(SQLite in WAL mode also writes \(path)-wal and \(path)-shm), or use another storage path."
        case .corrupt(let path, let detail):
            return "The file at \(path) is not a usable study database (\(detail)). It was left untouched; "
                + "restore it from a backup, or point the tuner at a new path (or use overwrite: true with a new file)."
        case .locked(let path, let timeout) where PostgresLocation.isConnectionString(path):
            return "The study database at \(path) kept a row or study locked by another worker for more than \(timeout) s "
                + "(or the server aborted a deadlock); the change was rolled back. Retry, raise the busy timeout, or "
                + "look for a session stuck holding a transaction (pg_stat_activity)."
        case .locked(let path, let timeout):
            return "The study database at \(path) stayed locked by another worker for more than \(timeout) s. "
                + "Retry, raise the busy timeout, or check for a process stuck holding a transaction."
        case .diskFull(let path) where PostgresLocation.isConnectionString(path):
            return "The PostgreSQL server at \(path) is out of disk space; the last change was rolled back and the "
                + "study is intact. Free some space on the server and resume."
        case .diskFull(let path):
            return "The disk holding \(path) is full; the last change was rolled back and the study is intact. "
                + "Free some space (old checkpoints are a likely culprit) and resume."
        case .cannotOpen(let path, let detail) where PostgresLocation.isConnectionString(path):
            return "Cannot use the study database at \(path) (\(detail)). Check that the server is running and "
                + "reachable, that the database exists, and the user name and password."
        case .cannotOpen(let path, let detail):
            return "Cannot open the study database at \(path) (\(detail)). Check that the directory exists and is accessible."
        case .constraintViolation(let path, let detail):
            return "The study database at \(path) refused a change that breaks a constraint (\(detail)); nothing was written."
        case .sqlite(let path, let code, let detail, let sql):
            let statement = sql.map { " while running `\($0)`" } ?? ""
            return "SQLite error \(code) on \(path)\(statement): \(detail)"
        case .server(let location, let code, let detail):
            return "PostgreSQL error \(code) on \(location): \(detail)"
        case .connectionLost(let location, let detail):
            return "Lost the connection to the study database at \(location) (\(detail)); the change in progress was "
                + "rolled back by the server and the next call connects again. Check that the server is running and reachable."
        case .decoding(let path, let detail):
            return "Unexpected data in the study database at \(path): \(detail). It may have been written by a newer version of the tuner."
        case .damagedData(let location, let study, let trial, let field, let detail):
            let owner = trial.map { "trial \($0) of study \"\(study)\"" } ?? "study \"\(study)\""
            return "The stored \(field) of \(owner) in \(location) is damaged (\(detail)). Nothing was changed; "
                + "restore the storage from a backup, or export the other studies and delete this one."
        case .studyNotFound(let name):
            return "No study named \"\(name)\" in this storage. Check the name, or create it first."
        case .studyExists(let name):
            return "A study named \"\(name)\" already exists. Resume it, delete it, or pick another name."
        case .trialNotFound(let id):
            return "No trial with id \(id) in this storage."
        case .trialNotRunning(let id, let state):
            return "Trial \(id) is \(state), not RUNNING, so it cannot be changed by a worker; "
                + "it may have been marked stale and failed or re-queued."
        case .trialOwnedByAnotherWorker(let id, let owner, let caller):
            return "Trial \(id) is being run by worker \"\(owner)\", not \"\(caller)\"; its result was not recorded."
        case .invalidArgument(let message):
            return message
        }
    }

    /// The error a user can act on for a failure of GRDB (SQLite) on the file at `path`; errors of
    /// other kinds pass through.
    static func from(_ error: any Error, path: String, timeout: Double) -> any Error {
        guard let error = error as? DatabaseError else { return error }
        let message = error.message ?? "\(error.resultCode)"
        switch error.resultCode.primaryResultCode {
        case .SQLITE_READONLY: return StoreError.readOnly(path: path)
        case .SQLITE_NOTADB, .SQLITE_CORRUPT: return StoreError.corrupt(path: path, detail: message)
        case .SQLITE_BUSY, .SQLITE_LOCKED: return StoreError.locked(path: path, timeoutSeconds: timeout)
        case .SQLITE_FULL: return StoreError.diskFull(path: path)
        case .SQLITE_CANTOPEN, .SQLITE_PERM: return StoreError.cannotOpen(path: path, detail: message)
        case .SQLITE_CONSTRAINT: return StoreError.constraintViolation(path: path, detail: message)
        default:
            return StoreError.sqlite(path: path, code: error.extendedResultCode.rawValue, detail: message, sql: error.sql)
        }
    }
}
