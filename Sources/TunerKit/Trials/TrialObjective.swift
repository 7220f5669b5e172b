import Tuning

/// Receives what a running trial measures, step by step (an epoch of a model, a line printed by a
/// command). Each call stores the metrics at once (learning curves survive a crash) and reports the
/// objective to the oracle, so Hyperband and the pruner can act on it.
public protocol TrialReporter: AnyObject {
    /// The trial's number in its study, 1-based.
    var trialNumber: Int { get }

    /// Records `metrics` at `step` (0-based epoch).
    ///
    /// - Throws: `TrialStop.pruned` when the pruner ends the trial here (stop and let it propagate);
    ///   `TrialStop.lostOwnership` when the trial was taken away from this worker; store errors.
    func report(step: Int, metrics: [String: Double]) throws
}

/// An objective function in Optuna's style: runs one trial with its hyperparameters, reports steps to
/// `reporter`, and returns the final metrics (which must include the study's objective metric).
///
/// Throwing ends the trial as FAILED with the error's description as the reason — except for
/// `TrialStop`, which ends it as the stop says.
public typealias TrialObjective = @Sendable (HyperParameters, any TrialReporter) throws -> [String: Double]

/// Why a trial stopped before returning its metrics, thrown through the objective.
public enum TrialStop: Error, Equatable, CustomStringConvertible {
    /// The pruner judged the trial not worth finishing at this step.
    case pruned(step: Int)
    /// Another worker or a resume marked this trial stale; its result must not be recorded.
    case lostOwnership(trial: Int)
    /// The search was interrupted (Ctrl-C, SIGTERM; see `SearchInterruption`); the trial is put back
    /// to run again when the search resumes.
    case interrupted(signal: Int32)
    /// A user asked for the trial to stop (the dashboard's stop button, `StudyStorage.requestStop`); it
    /// ends as PRUNED at this step, as if the pruner had stopped it.
    case stopRequested(step: Int)

    /// What happened, for the trial's record.
    public var description: String {
        switch self {
        case .pruned(let step): return "pruned at step \(step)"
        case .lostOwnership(let trial): return "trial \(trial) was taken over by another worker after its heartbeat went stale"
        case .interrupted(let signal): return "interrupted by \(SearchInterruption.name(of: signal))"
        case .stopRequested(let step): return "stopped at step \(step) as asked"
        }
    }
}
