import StudyStore
import Tuning

/// The `TrialReporter` a search hands each trial: stores every step's metrics at once, keeps the
/// objective's values for the oracle, and asks the pruner whether to go on.
final class StoredTrialReporter: TrialReporter {
    let trialNumber: Int
    private let trialID: Int64
    private let store: StudyStore
    private let studyID: Int64
    private let objective: Objective
    private let pruner: MedianStoppingPruner?
    private let heartbeat: HeartbeatPump
    private let onStep: (Int, [String: Double]) -> Void
    /// The objective's value per step, as reported (a repeated step replaces the value).
    private(set) var objectiveSteps: [Int: Double] = [:]

    init(trialNumber: Int, trialID: Int64, store: StudyStore, studyID: Int64, objective: Objective,
         pruner: MedianStoppingPruner?, heartbeat: HeartbeatPump, onStep: @escaping (Int, [String: Double]) -> Void) {
        self.trialNumber = trialNumber
        self.trialID = trialID
        self.store = store
        self.studyID = studyID
        self.objective = objective
        self.pruner = pruner
        self.heartbeat = heartbeat
        self.onStep = onStep
    }

    func report(step: Int, metrics: [String: Double]) throws {
        if heartbeat.isLost(trial: trialID) { throw TrialStop.lostOwnership(trial: trialNumber) }
        try store.recordMetrics(trial: trialID, step: step, values: metrics)
        onStep(step, metrics)
        guard let value = metrics[objective.name] else { return }
        objectiveSteps[step] = value
        if let pruner {
            let others = try store.metricValues(study: studyID, name: objective.name, step: step)
            if pruner.shouldPrune(value: value, others: others, step: step, maximize: objective.direction == .maximize) {
                throw TrialStop.pruned(step: step)
            }
        }
    }

    /// The objective's steps in order, for the oracle.
    var steps: [StepValue] {
        objectiveSteps.keys.sorted().compactMap { step in objectiveSteps[step].map { StepValue(step: step, value: $0) } }
    }
}
