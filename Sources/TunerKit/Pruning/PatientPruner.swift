import Tuning

/// Optuna's `PatientPruner`: a trial whose best value of its last `patience + 1` steps is no better
/// (by more than `minDelta`) than its best before them has stopped improving; it is then pruned — or,
/// when another pruner is wrapped, that pruner decides. Tolerates a noisy curve that a plain pruner
/// would stop too soon.
public struct PatientPruner: TrialPruner {
    /// The pruner asked once the trial stopped improving (nil: prune then).
    public let wrapped: (any TrialPruner)?
    /// Steps without improvement tolerated.
    public let patience: Int
    /// The least change that counts as an improvement.
    public let minDelta: Double

    /// A pruner.
    ///
    /// - Throws: `TunerError.invalidArgument` for a negative patience or a negative or non-finite `minDelta`.
    public init(wrapping wrapped: (any TrialPruner)? = nil, patience: Int, minDelta: Double = 0) throws {
        guard patience >= 0 else { throw TunerError.invalidArgument(name: "patience", message: "\(patience) is negative") }
        guard minDelta >= 0, minDelta.isFinite else {
            throw TunerError.invalidArgument(name: "minDelta", message: "\(minDelta) is not a finite number >= 0")
        }
        self.wrapped = wrapped
        self.patience = patience
        self.minDelta = minDelta
    }

    /// Whether the trial stopped improving, then what the wrapped pruner says (or yes without one).
    public func shouldPrune(_ question: PruningQuestion,
                            valuesAt: (_ step: Int, _ states: Set<TrialState>) throws -> [Double]) throws -> Bool {
        let steps = question.history.keys.sorted()
        guard steps.count > patience + 1 else { return false }
        let before = steps.dropLast(patience + 1).compactMap { question.history[$0] }.filter { !$0.isNaN }
        let recent = steps.suffix(patience + 1).compactMap { question.history[$0] }.filter { !$0.isNaN }
        let maximize = question.direction == .maximize
        guard let bestBefore = maximize ? before.max() : before.min() else { return false }
        let stalled: Bool
        if let bestRecent = maximize ? recent.max() : recent.min() {
            stalled = maximize ? bestBefore + minDelta > bestRecent : bestBefore - minDelta < bestRecent
        } else {
            // No number lately is no improvement.
            stalled = true
        }
        guard stalled else { return false }
        return try wrapped?.shouldPrune(question, valuesAt: valuesAt) ?? true
    }
}
