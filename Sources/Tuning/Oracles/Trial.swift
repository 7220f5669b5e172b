/// The life-cycle state of a trial, spelled as in the study store.
public enum TrialState: String, Codable, Hashable, Sendable, CaseIterable {
    /// Created but not started: enqueued by hand or handed back with `requeue`.
    case waiting = "WAITING"
    /// Handed to a worker and not ended yet.
    case running = "RUNNING"
    /// Ended with a score.
    case complete = "COMPLETE"
    /// Stopped early on purpose (by a pruner) without a final score.
    case pruned = "PRUNED"
    /// Ended by an error; the reason is in `Trial.failureReason`.
    case failed = "FAILED"

    /// Whether the trial has ended (complete, pruned or failed).
    public var isFinished: Bool {
        switch self {
        case .complete, .pruned, .failed: return true
        case .waiting, .running: return false
        }
    }
}

/// How a trial ended, as reported to `Oracle.endTrial`.
public enum TrialOutcome: Hashable, Sendable {
    /// Finished normally with this objective score (a non-finite score makes the trial FAILED).
    case complete(Double)
    /// Finished normally with a value per objective and constraint values (studies with several
    /// objectives or with constraints). The first objective's value becomes the trial's `score`; a
    /// non-finite objective value makes the trial FAILED. Constraint values may be anything: a NaN one
    /// makes the trial infeasible, not failed.
    case completeWith(TrialValues)
    /// Stopped early on purpose, for example by a median-stopping pruner.
    case pruned
    /// Failed; the reason is kept with the trial and shown to the user.
    case failed(String)
}

/// An objective value reported at one step (usually an epoch) of a running trial.
public struct StepValue: Codable, Hashable, Sendable {
    /// The step (epoch) number.
    public let step: Int
    /// The objective value at that step.
    public let value: Double

    /// A value at a step.
    public init(step: Int, value: Double) {
        self.step = step
        self.value = value
    }
}

/// One configuration tried (or to be tried) by a search, with its outcome.
public struct Trial: Codable, Hashable, Sendable, Identifiable {
    /// Trials are identified by their number: 1 for the first created, 2 for the next, and so on.
    public typealias ID = Int

    /// The trial number, 1-based, in creation order.
    public let id: ID
    /// The values of the active hyperparameters.
    public internal(set) var values: [String: HyperParameterValue]
    /// Where the trial is in its life cycle.
    public internal(set) var state: TrialState
    /// The final objective score of a COMPLETE trial (the first objective's, when there are several).
    public internal(set) var score: Double?
    /// Every objective's value and the constraint values of a COMPLETE trial that ended with
    /// `TrialOutcome.completeWith`; nil for a trial ended with one score.
    public internal(set) var objectiveValues: TrialValues?
    /// The objective values reported per step while the trial ran, in increasing step order.
    public internal(set) var intermediateValues: [StepValue]
    /// Why a FAILED trial failed.
    public internal(set) var failureReason: String?
    /// The worker running (or that ran) the trial.
    public internal(set) var workerID: String?
    /// For Hyperband trials: the bracket, round, epochs to train and the trial to continue from.
    public internal(set) var hyperband: HyperbandAssignment?

    /// The trial number (same as `id`), as printed in progress lines.
    public var number: Int { id }

    init(id: ID, values: [String: HyperParameterValue], state: TrialState, hyperband: HyperbandAssignment? = nil) {
        self.id = id
        self.values = values
        self.state = state
        self.score = nil
        self.objectiveValues = nil
        self.intermediateValues = []
        self.failureReason = nil
        self.workerID = nil
        self.hyperband = hyperband
    }

    /// The value reported at the highest step so far, if any.
    public var lastIntermediateValue: Double? { intermediateValues.last?.value }

    /// A summary like Keras Tuner's `trial.summary()`: the hyperparameters (in `space` order when
    /// given, else by name), Hyperband details, and the score or the reason it has none.
    public func summary(in space: SearchSpace? = nil) -> String {
        var lines = ["Trial \(id) summary", "Hyperparameters:"]
        let names = space.map { $0.names.filter { values[$0] != nil } } ?? values.keys.sorted()
        for name in names {
            if let value = values[name] { lines.append("\(name): \(value)") }
        }
        if let hyperband {
            var text = "Hyperband: bracket \(hyperband.bracket), round \(hyperband.round), epochs \(hyperband.initialEpoch) to \(hyperband.epochs)"
            if let parent = hyperband.parentTrialID { text += ", continues trial \(parent)" }
            lines.append(text)
        }
        switch state {
        case .complete:
            if let values = objectiveValues {
                lines += values.summaryLines
            } else {
                lines.append("Score: \(score.map { String($0) } ?? "none")")
            }
        case .failed: lines.append("Failed: \(failureReason ?? "no reason given")")
        case .pruned: lines.append("Pruned at step \(intermediateValues.last?.step.description ?? "0")")
        case .running, .waiting: lines.append("State: \(state.rawValue)")
        }
        return lines.joined(separator: "\n")
    }
}

/// What `Oracle.createTrial` hands a worker.
public enum TrialSuggestion: Hashable, Sendable {
    /// Run this trial (now RUNNING and assigned to the worker).
    case run(Trial)
    /// Nothing can start until running trials end (Hyperband waiting to promote); ask again later.
    case waitForRunningTrials
    /// The search is over: the budget is spent or the space is exhausted.
    case searchIsOver
}
