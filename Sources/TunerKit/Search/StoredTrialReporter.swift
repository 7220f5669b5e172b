import StudyStore
import Tuning

/// The `TrialReporter` a search hands each trial: stores every step's metrics at once, keeps the
/// objective's values for the oracle, and asks the pruner whether to go on. A step is where a trial
/// notices that the search was interrupted (`TrialStop.interrupted`) or taken from its worker.
final class StoredTrialReporter: TrialReporter {
    let trialNumber: Int
    private let trialID: Int64
    private let store: any StudyStorage
    private let studyID: Int64
    private let objective: Objective
    private let pruner: MedianStoppingPruner?
    private let heartbeat: HeartbeatPump
    private let progress: SearchProgress
    private let onStep: (Int, [String: Double]) -> Void
    /// The objective's value per step, as reported (a repeated step replaces the value).
    private(set) var objectiveSteps: [Int: Double] = [:]

    init(trialNumber: Int, trialID: Int64, store: any StudyStorage, studyID: Int64, objective: Objective,
         pruner: MedianStoppingPruner?, heartbeat: HeartbeatPump, progress: SearchProgress, onStep: @escaping (Int, [String: Double]) -> Void) {
        self.trialNumber = trialNumber
        self.trialID = trialID
        self.store = store
        self.studyID = studyID
        self.objective = objective
        self.pruner = pruner
        self.heartbeat = heartbeat
        self.progress = progress
        self.onStep = onStep
    }

    func report(step: Int, metrics: [String: Double]) throws {
        if let signal = SearchInterruption.signal { throw TrialStop.interrupted(signal: signal) }
        if heartbeat.isLost(trial: trialID) { throw TrialStop.lostOwnership(trial: trialNumber) }
        // A long lock pauses the trial instead of failing it.
        try LockedStoreRetry.untilStored("store step \(step) of trial \(trialNumber)", progress: progress) {
            try store.recordMetrics(trial: trialID, step: step, values: metrics)
        }
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
