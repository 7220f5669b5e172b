import Foundation

/// An oracle's state in parts, as a store keeps it: the state without its trials (the strategy, the
/// random generator, the queues and the space: small, whatever the study's size) and each trial on its
/// own, as JSON. An oracle exports only the trials changed since its last export
/// (`Oracle.exportChanges()`), so saving after a claim or a result costs the same at trial 10 as at
/// trial 10,000, where the whole state (`exportState()`) grows with every trial.
public struct OracleStateChanges: Sendable, Equatable {
    /// `OracleState` as JSON: with an empty `trials` list from `exportChanges()`, with every trial in it
    /// from `init(wholeState:)`.
    public var core: Data
    /// The JSON of each trial that changed, by ID.
    public var trials: [Trial.ID: Data]
    /// Whether `core` is a whole state whose trials replace every trial a store kept apart.
    public var replacesStoredTrials: Bool

    /// Parts exported by an oracle: the core and the trials that changed.
    public init(core: Data, trials: [Trial.ID: Data]) {
        self.core = core
        self.trials = trials
        replacesStoredTrials = false
    }

    /// A whole state from `exportState()` (or an older build's store) in one piece: saved, it replaces
    /// every trial a store kept apart.
    public init(wholeState: Data) {
        core = wholeState
        trials = [:]
        replacesStoredTrials = true
    }
}
