/// The `pruner` section of a study file as read: which pruner stops unpromising trials early, with
/// Optuna's defaults. `StudyFileRuntime` makes the TunerKit pruner of the same name
/// (`section.makePruner()`). An epoch is a reported step for command studies.
public indirect enum PrunerSection: Sendable, Hashable {
    /// `type: median`: worse than the median of the completed trials at the epoch.
    case median(startupTrials: Int, warmupEpochs: Int)
    /// `type: percentile`: best value so far worse than `percentile` of the completed trials.
    case percentile(percentile: Double, startupTrials: Int, warmupEpochs: Int, intervalEpochs: Int)
    /// `type: threshold`: a value outside `lower`...`upper`, or NaN.
    case threshold(lower: Double?, upper: Double?, warmupEpochs: Int, intervalEpochs: Int)
    /// `type: patient`: no improvement over `patience + 1` epochs, then `wrap` decides (or prune).
    case patient(wrapped: PrunerSection?, patience: Int, minDelta: Double)
    /// `type: asha`: asynchronous successive halving with rungs at `minEpochs * factor^(rate + k)`.
    case successiveHalving(minEpochs: Int, factor: Int, minEarlyStoppingRate: Int, bootstrapCount: Int)

    /// The names of `type`, in the order the docs list them.
    public static let typeNames = ["median", "percentile", "threshold", "patient", "asha"]
}
