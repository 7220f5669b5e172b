import Tuning

/// What the search gives the code that runs one trial.
struct TrialContext {
    /// The trial as the oracle created it (values, Hyperband assignment).
    let trial: Trial
    /// Its hyperparameters, ready for `build(hp)`; definitions found while building are added here.
    let hyperParameters: HyperParameters
    /// Where to report each step.
    let reporter: StoredTrialReporter
    /// The seed for this trial's randomness (initial weights, shuffles, dropout).
    let seed: UInt64
    /// The row id of the trial in the store (for checkpoints).
    let recordID: Int64
    /// The coordinator of the worker running it (its store connection).
    let coordinator: StudyCoordinator
    /// Where the search's lines go (a storage call waiting out a lock or a lost server says so there).
    let progress: SearchProgress
}

/// A per-trial seed from the search seed, the trial number and the attempt (SplitMix64 mixing).
func trialSeed(searchSeed: UInt64, trial: Int, execution: Int = 0) -> UInt64 {
    var z = searchSeed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(truncatingIfNeeded: trial &* 1_000 &+ execution &+ 1)
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}
