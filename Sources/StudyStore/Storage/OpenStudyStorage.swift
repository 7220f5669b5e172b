/// Opens the storage a storage string names, creating and migrating it as needed: today a path to an
/// SQLite file (`SQLiteStudyStorage`). Each call is a new connection for the calling thread.
///
/// - Parameter busyTimeout: How long a call waits for another connection's lock before throwing
///   `StoreError.locked`.
/// - Throws: `StoreError` (`.corrupt`, `.readOnly`, `.cannotOpen`, `.locked`, ...).
public func openStudyStorage(_ location: String, busyTimeout: Double = 5) throws -> any StudyStorage {
    try SQLiteStudyStorage(path: location, busyTimeout: busyTimeout)
}
