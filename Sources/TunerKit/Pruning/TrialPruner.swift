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

/// A pruner that also judges the trials of a study on several objectives, ranking the trials that reached
/// a rung by constrained non-dominated sorting: asynchronous successive halving
/// (`SuccessiveHalvingPruner`). The other pruners compare one value and are refused for such studies
/// (`PrunerSettings.refusalForSeveralObjectives`).
public protocol FrontPruner: TrialPruner {
    /// Whether the trial in `question` stops now. `valuesAt(step, states)` reads one row per trial of the
    /// study in `states` that reported every objective at `step`, in the study's objective order (the
    /// asking trial included when its state is among them; rows with a NaN left out).
    ///
    /// - Throws: only what `valuesAt` throws (the storage's errors).
    func shouldPrune(_ question: FrontPruningQuestion,
                     valuesAt: (_ step: Int, _ states: Set<TrialState>) throws -> [[Double]]) throws -> Bool
}

/// Refuses a pruner that would judge a study on several objectives by one value (only a `FrontPruner`
/// ranks every objective), so a search never prunes on its first objective alone.
///
/// - Throws: `TunerError.invalidArgument` naming the pruner's type and what to use instead.
func checkPruner(_ pruner: (any TrialPruner)?, judges objectives: [Objective]) throws {
    guard objectives.count > 1, let pruner, !(pruner is any FrontPruner) else { return }
    throw TunerError.invalidArgument(
        name: "pruner", message: "\(type(of: pruner)) compares one objective's values and cannot judge a study on \(objectives.count) "
            + "objectives; use the asha pruner (SuccessiveHalvingPruner), which ranks each rung's trials by non-dominated sorting, or no pruner")
}

/// What a pruner is asked about in a study on several objectives: a running trial at a step where it
/// reported every objective.
public struct FrontPruningQuestion: Sendable, Equatable {
    /// The trial's number.
    public var trial: Int
    /// The step (epoch) just reported.
    public var step: Int
    /// Each objective's value at `step`, in the study's order.
    public var values: [Double]
    /// The steps at which the trial reported every objective so far (`step` included).
    public var reportedSteps: Set<Int>
    /// Each objective's direction, in the same order.
    public var directions: [Objective.Direction]

    /// A question; `reportedSteps` defaults to `step` alone.
    public init(trial: Int, step: Int, values: [Double], reportedSteps: Set<Int>? = nil, directions: [Objective.Direction]) {
        self.trial = trial
        self.step = step
        self.values = values
        self.reportedSteps = reportedSteps ?? [step]
        self.directions = directions
    }
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
