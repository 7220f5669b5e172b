import Foundation

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
