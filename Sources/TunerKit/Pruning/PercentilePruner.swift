import Tuning

/// Optuna's `PercentilePruner`: at a step, a trial whose best value so far is worse than the given
/// percentile of the completed trials' values at that step is pruned — `percentile: 25` keeps a trial
/// only while it is within the best quarter. (`MedianStoppingPruner` compares the current value
/// with the median instead, as it always has here.)
public struct PercentilePruner: TrialPruner, Equatable {
    /// The share of trials kept, in percent (0 < p <= 100): a trial worse than this percentile stops.
    public let percentile: Double
    /// Completed trials with a value at the step needed before pruning starts.
    public let startupTrials: Int
    /// Steps of each trial never pruned.
    public let warmupSteps: Int
    /// Pruning is considered every `intervalSteps` steps after the warm-up.
    public let intervalSteps: Int

    /// A pruner; Optuna's defaults are 5 startup trials, no warm-up, every step.
    ///
    /// - Throws: `TunerError.invalidArgument` for a percentile outside 0 < p <= 100, negative counts or an
    ///   interval below 1.
    public init(percentile: Double, startupTrials: Int = 5, warmupSteps: Int = 0, intervalSteps: Int = 1) throws {
        guard percentile > 0 && percentile <= 100 else {
            throw TunerError.invalidArgument(name: "percentile", message: "\(percentile) is not in 0 < p <= 100")
        }
        guard startupTrials >= 0 else {
            throw TunerError.invalidArgument(name: "startupTrials", message: "\(startupTrials) is negative")
        }
        try PruningSteps.check(warmupSteps: warmupSteps, intervalSteps: intervalSteps)
        self.percentile = percentile
        self.startupTrials = startupTrials
        self.warmupSteps = warmupSteps
        self.intervalSteps = intervalSteps
    }

    /// Compares the trial's best value so far with the percentile of the completed trials' values at the step.
    public func shouldPrune(_ question: PruningQuestion,
                            valuesAt: (_ step: Int, _ states: Set<TrialState>) throws -> [Double]) throws -> Bool {
        guard PruningSteps.judges(question.step, warmupSteps: warmupSteps, intervalSteps: intervalSteps) else { return false }
        let others = try valuesAt(question.step, [.complete])
        guard !others.isEmpty, others.count >= startupTrials else { return false }
        // A trial that never reported a number is pruned, as Optuna does.
        guard let best = question.bestValueSoFar else { return true }
        // The best `percentile` per cent lie below it when minimizing, above it when maximizing.
        let threshold = Self.percentile(of: others, question.direction == .maximize ? 100 - percentile : percentile)
        return question.isWorse(best, than: threshold)
    }

    /// The `p`-th percentile of `values` by linear interpolation between closest ranks (NumPy's default,
    /// which Optuna uses).
    static func percentile(of values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        let rank = p / 100 * Double(sorted.count - 1)
        let lower = Int(rank.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - Double(lower))
    }
}
