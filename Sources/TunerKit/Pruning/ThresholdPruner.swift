import Tuning

/// Optuna's `ThresholdPruner`: a trial whose value at a step falls below `lower` or above `upper`, or is
/// NaN, is pruned — a divergent loss, say, whatever the other trials did.
public struct ThresholdPruner: TrialPruner, Equatable {
    /// Values below it stop the trial.
    public let lower: Double?
    /// Values above it stop the trial.
    public let upper: Double?
    /// Steps of each trial never pruned.
    public let warmupSteps: Int
    /// Pruning is considered every `intervalSteps` steps after the warm-up.
    public let intervalSteps: Int

    /// A pruner with at least one bound.
    ///
    /// - Throws: `TunerError.invalidArgument` without a bound, with `lower > upper`, a negative warm-up
    ///   or an interval below 1.
    public init(lower: Double? = nil, upper: Double? = nil, warmupSteps: Int = 0, intervalSteps: Int = 1) throws {
        guard lower != nil || upper != nil else {
            throw TunerError.invalidArgument(name: "lower", message: "give a lower bound, an upper bound or both")
        }
        if let lower, let upper, lower > upper {
            throw TunerError.invalidArgument(name: "lower", message: "lower bound \(lower) is above upper bound \(upper)")
        }
        try PruningSteps.check(warmupSteps: warmupSteps, intervalSteps: intervalSteps)
        self.lower = lower
        self.upper = upper
        self.warmupSteps = warmupSteps
        self.intervalSteps = intervalSteps
    }

    /// Compares the step's value with the bounds; other trials are not read.
    public func shouldPrune(_ question: PruningQuestion,
                            valuesAt: (_ step: Int, _ states: Set<TrialState>) throws -> [Double]) throws -> Bool {
        guard PruningSteps.judges(question.step, warmupSteps: warmupSteps, intervalSteps: intervalSteps) else { return false }
        if question.value.isNaN { return true }
        if let lower, question.value < lower { return true }
        if let upper, question.value > upper { return true }
        return false
    }
}
