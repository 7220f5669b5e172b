import Tuning

/// Optuna's median-stopping rule: at a step, a trial whose objective is worse than the median of the
/// completed trials' values at that step is pruned.
public struct MedianStoppingPruner: TrialPruner, Equatable {
    /// Completed trials (with a value at the step) needed before pruning starts.
    public var startupTrials: Int
    /// Steps (epochs) of each trial never pruned.
    public var warmupSteps: Int

    /// A pruner; Optuna's defaults are 5 startup trials and no warm-up.
    public init(startupTrials: Int = 5, warmupSteps: Int = 0) {
        self.startupTrials = startupTrials
        self.warmupSteps = warmupSteps
    }

    /// Whether `value` at a step is worse than the median of `others` (values of completed trials at that step).
    public func shouldPrune(value: Double, others: [Double], step: Int, maximize: Bool) -> Bool {
        guard step >= warmupSteps, others.count >= startupTrials, !others.isEmpty else { return false }
        guard value.isFinite else { return true }
        let sorted = others.sorted()
        let middle = sorted.count / 2
        let median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        return maximize ? value < median : value > median
    }

    /// Compares the step's value with the completed trials' values at that step.
    public func shouldPrune(_ question: PruningQuestion,
                            valuesAt: (_ step: Int, _ states: Set<TrialState>) throws -> [Double]) throws -> Bool {
        guard question.step >= warmupSteps else { return false }
        return shouldPrune(value: question.value, others: try valuesAt(question.step, [.complete]), step: question.step,
                           maximize: question.direction == .maximize)
    }
}
