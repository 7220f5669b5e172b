import Tuning

/// Decides whether a running trial stops early at a step it reported (Optuna's pruners). A search asks
/// its pruner after each step whose metrics were stored; a trial it stops ends PRUNED with its learning
/// curve up to that step. Hyperband oracles keep their own schedule and need none.
///
/// The pruners: `MedianStoppingPruner`, `PercentilePruner`, `ThresholdPruner`, `PatientPruner` (wraps
/// another) and `SuccessiveHalvingPruner` (asynchronous successive halving, ASHA).
public protocol TrialPruner: Sendable {
    /// Whether the trial in `question` stops now. `valuesAt(step, states)` reads the objective values
    /// that the study's trials in `states` reported at `step` (the asking trial included when its state
    /// is among them; NaN left out).
    ///
    /// - Throws: only what `valuesAt` throws (the storage's errors).
    func shouldPrune(_ question: PruningQuestion,
                     valuesAt: (_ step: Int, _ states: Set<TrialState>) throws -> [Double]) throws -> Bool
}

/// What a pruner is asked about: a running trial at a step it just reported.
public struct PruningQuestion: Sendable, Equatable {
    /// The trial's number.
    public var trial: Int
    /// The step (epoch) just reported.
    public var step: Int
    /// The objective's value at `step`.
    public var value: Double
    /// Every objective value the trial reported so far, by step (`step` included).
    public var history: [Int: Double]
    /// Whether lower or higher is better.
    public var direction: Objective.Direction

    /// A question; `history` defaults to the one value.
    public init(trial: Int, step: Int, value: Double, history: [Int: Double]? = nil, direction: Objective.Direction) {
        self.trial = trial
        self.step = step
        self.value = value
        self.history = history ?? [step: value]
        self.direction = direction
    }

    /// The best value the trial reported so far (NaN ignored; nil when none is a number).
    var bestValueSoFar: Double? {
        let finite = history.values.filter { !$0.isNaN }
        return direction == .maximize ? finite.max() : finite.min()
    }

    /// Whether `value` is worse than `reference` in this direction.
    func isWorse(_ value: Double, than reference: Double) -> Bool {
        direction == .maximize ? value < reference : value > reference
    }
}

/// The steps a pruner with a warm-up and an interval judges (Optuna's `n_warmup_steps` and
/// `interval_steps`), shared by the pruners that take them.
enum PruningSteps {
    /// Refuses a negative warm-up or an interval below 1.
    ///
    /// - Throws: `TunerError.invalidArgument` naming the setting.
    static func check(warmupSteps: Int, intervalSteps: Int) throws {
        guard warmupSteps >= 0 else { throw TunerError.invalidArgument(name: "warmupSteps", message: "\(warmupSteps) is negative") }
        guard intervalSteps >= 1 else {
            throw TunerError.invalidArgument(name: "intervalSteps", message: "\(intervalSteps) is below 1")
        }
    }

    /// Whether `step` is past the warm-up and on the interval.
    static func judges(_ step: Int, warmupSteps: Int, intervalSteps: Int) -> Bool {
        step >= warmupSteps && (step - warmupSteps) % intervalSteps == 0
    }
}
