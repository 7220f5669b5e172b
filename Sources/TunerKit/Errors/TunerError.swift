import Foundation

/// What went wrong in a search, said so a user can act on it.
public enum TunerError: Error, Equatable, CustomStringConvertible {
    /// Resuming a stored study whose definition differs from the one given now.
    case incompatibleStudy(name: String, differences: [String])
    /// A stored study lacks its oracle state (written by something else than the tuner).
    case missingOracleState(study: String)
    /// A stored study names an oracle this version does not know.
    case unknownOracleKind(study: String, kind: String)
    /// Too many trials failed one after the other; the last reason is kept.
    case tooManyConsecutiveFailures(count: Int, lastReason: String)
    /// No completed trial has a score yet.
    case noCompletedTrials(study: String)
    /// The checkpoint a result needs was removed or never written.
    case missingCheckpoint(trial: Int, detail: String)
    /// An argument out of range.
    case invalidArgument(name: String, message: String)
    /// The data given to `search` cannot be used.
    case invalidData(String)
    /// The search stopped because the process got `signal` (Ctrl-C, SIGTERM); the trials it was
    /// running (`requeued`, by number) wait to run again when the search resumes.
    case interrupted(signal: Int32, requeued: [Int])

    /// The message shown to the user.
    public var description: String {
        switch self {
        case .incompatibleStudy(let name, let differences):
            return "Study \"\(name)\" already exists with a different definition, so it cannot be resumed:\n"
                + differences.map { "  - " + $0 }.joined(separator: "\n")
                + "\nUse another study name, or overwrite: true (--overwrite) to start it again from nothing."
        case .missingOracleState(let study):
            return "Study \"\(study)\" has no stored oracle state; it was not created by a tuner (or its storage was damaged)."
        case .unknownOracleKind(let study, let kind):
            return "Study \"\(study)\" uses oracle \"\(kind)\", which this tuner does not know (random, grid, hyperband, bayesian, tpe)."
        case .tooManyConsecutiveFailures(let count, let lastReason):
            return "The search stopped: \(count) trials failed one after the other (maxConsecutiveFailedTrials). The last one failed with: \(lastReason)"
        case .noCompletedTrials(let study):
            return "Study \"\(study)\" has no completed trial yet; run a search first."
        case .missingCheckpoint(let trial, let detail):
            return "Trial \(trial) has no checkpoint to load: \(detail)"
        case .invalidArgument(let name, let message):
            return "\(name): \(message)"
        case .invalidData(let message):
            return message
        case .interrupted(let signal, let requeued):
            let trials = requeued.isEmpty ? "No trial was running."
                : "Trial\(requeued.count == 1 ? "" : "s") \(requeued.sorted().map(String.init).joined(separator: ", ")) "
                    + "will run again from the start."
            return "The search was interrupted by \(SearchInterruption.name(of: signal)). \(trials) "
                + "Finished trials are stored; run the same command again to resume."
        }
    }
}

/// Why a model trial failed, as stored with the trial.
public enum TrialFailure: Error, Equatable, CustomStringConvertible {
    /// The loss became NaN or infinite.
    case nonFiniteLoss(epoch: Int, value: Float)
    /// The run ended without the objective metric.
    case missingObjective(name: String, available: [String])

    /// The reason stored with the trial.
    public var description: String {
        switch self {
        case .nonFiniteLoss(let epoch, let value):
            return "the loss became \(value) at epoch \(epoch + 1); lower the learning rate or clip gradients"
        case .missingObjective(let name, let available):
            return "the trial produced no \"\(name)\" (it produced: \(available.sorted().joined(separator: ", ")));"
                + " check the objective name, or give validation data for val_ metrics"
        }
    }
}
