import StudyStore
import Tuning

/// The `TrialReporter` a search hands each trial: stores every step's metrics, keeps the objective's
/// values for the oracle, and asks the pruner whether to go on. A step is where a trial notices that
/// the search was interrupted (`TrialStop.interrupted`), taken from its worker, or asked to stop from the
/// dashboard (`TrialStop.stopRequested`: the storage's answer to the step's metrics says so, no extra call).
///
/// A storage that is locked or unreachable for a while never stops the training: the step's metrics
/// are kept in memory (with a line saying so) and stored at a later step, or by `storePendingSteps()`
/// before the trial's result; the pruner skips the steps it cannot compare.
final class StoredTrialReporter: TrialReporter {
    let trialNumber: Int
    private let trialID: Int64
    /// The worker running the trial: metrics are stored only while the trial is still its own.
    private let worker: String
    private let store: any StudyStorage
    private let studyID: Int64
    private let objective: Objective
    /// The study's other objectives (empty for one): with them, the pruner judges every objective's
    /// values at a step (`FrontPruner`).
    private let additionalObjectives: [Objective]
    private let pruner: (any TrialPruner)?
    private let heartbeat: HeartbeatPump
    private let progress: SearchProgress
    private let onStep: (Int, [String: Double]) -> Void
    /// The objective's value per step, as reported (a repeated step replaces the value).
    private(set) var objectiveSteps: [Int: Double] = [:]
    /// The steps at which every objective was reported, on several objectives.
    private var stepsWithEveryObjective: Set<Int> = []
    /// Steps whose metrics the storage could not take yet, in order.
    private var pendingSteps: [(step: Int, metrics: [String: Double])] = []
    /// Whether a stored step's answer said a user asked for the trial to stop.
    private(set) var stopRequested = false

    init(trialNumber: Int, trialID: Int64, worker: String, store: any StudyStorage, studyID: Int64, objective: Objective,
         additionalObjectives: [Objective] = [], pruner: (any TrialPruner)?, heartbeat: HeartbeatPump, progress: SearchProgress, onStep: @escaping (Int, [String: Double]) -> Void) {
        self.trialNumber = trialNumber
        self.trialID = trialID
        self.worker = worker
        self.store = store
        self.studyID = studyID
        self.objective = objective
        self.additionalObjectives = additionalObjectives
        self.pruner = pruner
        self.heartbeat = heartbeat
        self.progress = progress
        self.onStep = onStep
    }

    func report(step: Int, metrics: [String: Double]) throws {
        if let signal = SearchInterruption.signal { throw TrialStop.interrupted(signal: signal) }
        if heartbeat.isLost(trial: trialID) { throw TrialStop.lostOwnership(trial: trialNumber) }
        pendingSteps.append((step, metrics))
        let stored: Bool
        do {
            stored = try storePendingSteps(waiting: false)
        } catch StoreError.trialNotRunning, StoreError.trialOwnedByAnotherWorker {
            // Taken over before the heartbeat noticed: another worker runs it now.
            throw TrialStop.lostOwnership(trial: trialNumber)
        }
        onStep(step, metrics)
        if let value = metrics[objective.name] { objectiveSteps[step] = value }
        if !additionalObjectives.isEmpty, ([objective] + additionalObjectives).allSatisfy({ metrics[$0.name] != nil }) {
            stepsWithEveryObjective.insert(step)
        }
        if stopRequested { throw TrialStop.stopRequested(step: step) }
        guard let value = metrics[objective.name], let pruner, stored else { return }
        let prune: Bool
        do {
            if additionalObjectives.isEmpty {
                let question = PruningQuestion(trial: trialNumber, step: step, value: value, history: objectiveSteps,
                                               direction: objective.direction)
                prune = try pruner.shouldPrune(question) { step, states in
                    try store.metricValues(study: studyID, name: objective.name, step: step, states: states)
                }
            } else {
                prune = try shouldPruneOnEveryObjective(step: step, metrics: metrics, pruner: pruner)
            }
        } catch where StoreRetry.isTransient(error) {
            // The other trials cannot be read now: this step is not judged.
            return
        }
        if prune { throw TrialStop.pruned(step: step) }
    }

    /// The pruner's answer at `step` of a study on several objectives: judged only at steps where every
    /// objective was reported (a model trial reports the built-in ones the study names at each epoch),
    /// and only by a `FrontPruner` (study creation refuses the others).
    private func shouldPruneOnEveryObjective(step: Int, metrics: [String: Double], pruner: any TrialPruner) throws -> Bool {
        let objectives = [objective] + additionalObjectives
        let values = objectives.compactMap { metrics[$0.name] }
        guard values.count == objectives.count, let pruner = pruner as? any FrontPruner else { return false }
        let question = FrontPruningQuestion(trial: trialNumber, step: step, values: values, reportedSteps: stepsWithEveryObjective,
                                            directions: objectives.map(\.direction))
        return try pruner.shouldPrune(question) { step, states in
            try store.metricValues(study: studyID, names: objectives.map(\.name), step: step, states: states)
        }
    }

    /// Stores the steps kept in memory, oldest first. With `waiting`, tries until they are stored (see
    /// `StoreRetry`); without, a transient failure leaves them for the next step, with a line saying so.
    /// Returns whether none is left.
    ///
    /// - Throws: the storage's errors that are not transient.
    @discardableResult
    func storePendingSteps(waiting: Bool) throws -> Bool {
        while let (step, metrics) = pendingSteps.first {
            let write = {
                if try self.store.recordMetrics(trial: self.trialID, worker: self.worker, step: step, values: metrics) != nil {
                    self.stopRequested = true
                }
            }
            if waiting {
                try StoreRetry.untilStored("store step \(step) of trial \(trialNumber)", progress: progress, write)
            } else {
                do {
                    try write()
                } catch where StoreRetry.isTransient(error) {
                    // One line when steps start waiting, not one per epoch of a long outage.
                    if pendingSteps.count == 1 {
                        progress.warning(
                            "tuner: could not store step \(step) of trial \(trialNumber): \(StoreRetry.reason(error)); "
                                + "nothing is lost: training goes on, and the steps are kept in memory, trying again at each step.")
                    }
                    return false
                }
            }
            pendingSteps.removeFirst()
        }
        return true
    }

    /// The objective's steps in order, for the oracle.
    var steps: [StepValue] {
        objectiveSteps.keys.sorted().compactMap { step in objectiveSteps[step].map { StepValue(step: step, value: $0) } }
    }
}
