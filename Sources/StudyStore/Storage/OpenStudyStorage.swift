/// Opens the storage a storage string names, creating and migrating it as needed: a PostgreSQL
/// connection string (`postgresql://USER:PASSWORD@HOST:PORT/DATABASE` or `postgres://...`) opens a
/// `PostgresStudyStorage`; anything else is a path to an SQLite file (`SQLiteStudyStorage`). Each call is
/// a new connection for the calling thread.
///
/// - Parameters:
///   - busyTimeout: How long a call waits for another connection's lock before throwing
///     `StoreError.locked`.
///   - responseTimeout: For a server, how long a statement may go unanswered before the connection is
///     taken for lost (`StoreError.connectionLost`); nil for the busy timeout plus 30 s. SQLite ignores it.
/// - Throws: `StoreError` (`.corrupt`, `.readOnly`, `.cannotOpen`, `.locked`, `.invalidArgument` for a
///   malformed connection string, ...).
public func openStudyStorage(_ location: String, busyTimeout: Double = 5, responseTimeout: Double? = nil) throws -> any StudyStorage {
    if PostgresLocation.isConnectionString(location) {
        return try PostgresStudyStorage(connectionString: location, busyTimeout: busyTimeout, responseTimeout: responseTimeout)
    }
    return try SQLiteStudyStorage(path: location, busyTimeout: busyTimeout)
}

/// A storage string as it may be shown to people: a connection string without its password
/// (`postgresql://USER@HOST:PORT/DATABASE`), a path as it is. A malformed connection string is shown
/// only by its scheme.
public func displayedStorageLocation(_ location: String) -> String {
    guard PostgresLocation.isConnectionString(location) else { return location }
    return (try? PostgresLocation(parsing: location))?.redacted
        ?? String(location.prefix { $0 != ":" }) + "://(a malformed connection string)"
}
