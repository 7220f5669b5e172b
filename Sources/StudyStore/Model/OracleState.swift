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

/// A checkpoint of a trial at an epoch: a file path, inline weights, or both.
public struct StoredCheckpoint: Sendable, Equatable {
    /// The storage's id of the checkpoint.
    public var id: Int64
    /// The trial's id.
    public var trialID: Int64
    /// The epoch the weights are from.
    public var epoch: Int
    /// Where the weights file is, when stored on disk.
    public var path: String?
    /// The weights, when stored inline.
    public var weights: Data?
    /// When it was written.
    public var createdAt: Double

    /// A stored checkpoint.
    public init(id: Int64, trialID: Int64, epoch: Int, path: String?, weights: Data?, createdAt: Double) {
        self.id = id
        self.trialID = trialID
        self.epoch = epoch
        self.path = path
        self.weights = weights
        self.createdAt = createdAt
    }
}
