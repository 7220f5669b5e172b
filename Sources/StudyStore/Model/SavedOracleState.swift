import Foundation
import JSONValues

/// An oracle's exported state for a study (the oracle's own JSON encoding, kept as bytes so a worker
/// restores it without re-encoding), with the version that orders the saves.
public struct SavedOracleState: Sendable, Equatable {
    /// The oracle's `exportState()` bytes (JSON).
    public var data: Data
    /// Incremented on every save; a worker's cached oracle is current while the version is unchanged.
    public var version: Int
    /// When it was last saved, Unix seconds.
    public var updatedAt: Double

    /// A saved state.
    public init(data: Data, version: Int, updatedAt: Double) {
        self.data = data
        self.version = version
        self.updatedAt = updatedAt
    }

    /// The state as a JSON value (for exports and reports).
    ///
    /// - Throws: `StoreError.damagedData` naming `study` and `oracle_state` when the bytes are not JSON.
    public func json(study: String, location: String) throws(StoreError) -> JSONValue {
        do {
            return try JSONValue.parse(data)
        } catch {
            throw .damagedData(location: location, study: study, trial: nil, field: "oracle_state",
                               detail: JSONCoding.describe(error))
        }
    }
}
