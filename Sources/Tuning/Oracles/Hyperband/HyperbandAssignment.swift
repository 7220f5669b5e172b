/// Where a Hyperband trial sits in the schedule and how the tuner must train it.
///
/// A round-0 trial builds a fresh model and trains epochs `0..<epochs`. A promoted trial
/// (`parentTrialID != nil`) has the same hyperparameters as its parent and must **continue** it: load
/// the parent's checkpoint taken at its last epoch (`initialEpoch`) — weights *and* optimizer state
/// (Adam's moments, momentum buffers, the step count that drives learning-rate schedules) — and train
/// epochs `initialEpoch..<epochs`. Keras Tuner reloads only the weights and so restarts the optimizer
/// on every promotion; keeping its state makes a promoted trial identical to one trained without
/// interruption. The tuner should therefore keep a checkpoint of the last epoch of every trial in
/// `Oracle.trialsThatMayBePromoted`.
public struct HyperbandAssignment: Codable, Hashable, Sendable {
    /// The Hyperband iteration, from 0.
    public let iteration: Int
    /// The bracket `s`, from `sMax` (most aggressive: many trials, few epochs) down to 0 (plain random search).
    public let bracket: Int
    /// The round within the bracket, from 0 (fresh trials).
    public let round: Int
    /// The epoch to train up to, counted from the start of the model's life (Keras Tuner's `tuner/epochs`).
    public let epochs: Int
    /// The epoch to start from: 0 in round 0, the parent's `epochs` after a promotion (`tuner/initial_epoch`).
    public let initialEpoch: Int
    /// The trial whose checkpoint this one continues, for promoted trials (`tuner/trial_id`).
    public let parentTrialID: Trial.ID?

    /// The epochs this trial actually trains: `epochs - initialEpoch`.
    public var epochsToTrain: Int { epochs - initialEpoch }
}
