import Foundation
import Synchronization
import Tuning

/// Prints a search's progress the way Keras Tuner does: each trial's hyperparameters beside the best
/// trial's, "Trial 5 Complete [00h 00m 12s]", its score, the best so far and the elapsed time. Whole
/// blocks are printed under a lock so parallel trials do not interleave lines.
final class SearchProgress: Sendable {
    private let verbosity: SearchVerbosity
    private let objective: Objective
    private let started = Date()
    private let lock = Mutex(())
    private let write: @Sendable (String) -> Void
    private let custom: (@Sendable (String) -> Void)?

    init(options: SearchOptions, objective: Objective) {
        self.verbosity = options.verbosity
        self.objective = objective
        self.write = options.output ?? { print($0) }
        self.custom = options.output
    }

    private func emit(_ text: String) {
        guard verbosity != .silent else { return }
        lock.withLock { _ in write(text) }
    }

    func searchResumed(study: String, finished: Int) {
        emit("Reloading study \"\(study)\": \(finished) finished trial\(finished == 1 ? "" : "s") kept; continuing.")
    }

    func trialStarted(_ trial: Trial, space: SearchSpace, best: Trial?) {
        var lines = ["", "Search: Running Trial #\(trial.id)", ""]
        let width = 18
        func pad(_ text: String) -> String { text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count) }
        lines.append(pad("Value") + "|" + pad("Best Value So Far") + "|Hyperparameter")
        for name in space.names {
            guard let value = trial.values[name] else { continue }
            let bestValue = best?.values[name].map { "\($0)" } ?? "?"
            lines.append(pad("\(value)") + "|" + pad(bestValue) + "|" + name)
        }
        if let hyperband = trial.hyperband {
            lines.append(pad("\(hyperband.epochs)") + "|" + pad("?") + "|tuner/epochs")
            lines.append(pad("\(hyperband.initialEpoch)") + "|" + pad("?") + "|tuner/initial_epoch")
            lines.append(pad("\(hyperband.bracket)") + "|" + pad("?") + "|tuner/bracket")
            lines.append(pad("\(hyperband.round)") + "|" + pad("?") + "|tuner/round")
            if let parent = hyperband.parentTrialID { lines.append(pad("\(parent)") + "|" + pad("?") + "|tuner/trial_id") }
        }
        lines.append("")
        emit(lines.joined(separator: "\n"))
    }

    func epochEnded(trial: Int, step: Int, metrics: [String: Double]) {
        guard verbosity == .epochs else { return }
        let values = metrics.keys.sorted().map { "\($0): \(Self.format($0, metrics[$0] ?? .nan))" }.joined(separator: " - ")
        emit("Trial \(trial) epoch \(step + 1) - \(values)")
    }

    func retrying(trial: Int, attempt: Int, error: String) {
        emit("Trial \(trial) failed (\(error)); running it again (retry \(attempt)).")
    }

    /// The block printed when a trial ends. With several `objectives`, the trial's value for each (and
    /// its values for the study's `constraints`) and the feasible Pareto `front` so far take the place of
    /// the one score and the best score so far, which would rank the study by its first objective alone.
    func trialEnded(_ trial: Trial, duration: Double, best: Trial?, objectives: [Objective], constraints: [MetricConstraint],
                    front: [Trial]) {
        let several = objectives.count > 1
        var lines = ["Trial \(trial.id) \(Self.stateWord(trial.state)) [\(Self.clock(duration))]"]
        switch trial.state {
        case .complete:
            if several, let values = trial.objectiveValues, values.objectives.count == objectives.count {
                lines.append(zip(objectives, values.objectives).map { "\($0.name): \(Self.formatValue($1))" }.joined(separator: " - "))
                if !values.constraints.isEmpty {
                    // Named by the study's declared limits when a search measured them; ask/tell values are bare.
                    let named = constraints.count == values.constraints.count
                    let texts = values.constraints.indices.map { index in
                        (named ? "\(constraints[index]): " : "") + Self.formatValue(values.constraints[index])
                    }
                    lines.append("Constraints: \(texts.joined(separator: ", ")) (\(values.isFeasible ? "feasible" : "infeasible"))")
                }
            } else {
                lines.append("\(objective.name): \(Self.format(objective.name, trial.score ?? .nan))")
            }
        case .failed: lines.append("Reason: \(trial.failureReason ?? "unknown")")
        case .pruned: lines.append("Pruned at step \((trial.intermediateValues.last?.step ?? 0) + 1)")
        case .running, .waiting: break
        }
        lines.append("")
        if several {
            let members = front.map { "#\($0.id)" }.joined(separator: ", ")
            lines.append(front.isEmpty ? "Pareto Front So Far: None"
                : "Pareto Front So Far: \(front.count) trial\(front.count == 1 ? "" : "s") (\(members))")
        } else {
            let bestText = best?.score.map { Self.format(objective.name, $0) } ?? "None"
            lines.append("Best \(objective.name) So Far: \(bestText)")
        }
        lines.append("Total elapsed time: \(Self.clock(Date().timeIntervalSince(started)))")
        emit(lines.joined(separator: "\n"))
    }

    func trialInterrupted(_ trial: Int, signal: Int32) {
        emit("Trial \(trial) was interrupted by \(SearchInterruption.name(of: signal)); it will run again when the search resumes.")
    }

    /// A line about a problem the search works around (a locked database): printed even when silent,
    /// to the output given in the options, else to standard error.
    func warning(_ text: String) {
        lock.withLock { _ in
            if let custom { custom(text) } else { FileHandle.standardError.write(Data((text + "\n").utf8)) }
        }
    }

    func trialLost(_ trial: Int) {
        emit("Trial \(trial) was taken over by another worker (its heartbeat went stale); its result is discarded here.")
    }

    /// `00h 00m 12s`, as Keras Tuner prints durations.
    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let h = total / 3600, m = (total % 3600) / 60, s = total % 60
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(h))h \(two(m))m \(two(s))s"
    }

    /// One of several objective or constraint values: whole numbers (a parameter count) whole, others
    /// to six significant digits, so a small time keeps its digits.
    static func formatValue(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(format: "%.0f", value) : String(format: "%.6g", value)
    }

    static func format(_ name: String, _ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        return String(format: "%.4f", value)
    }

    private static func stateWord(_ state: TrialState) -> String {
        switch state {
        case .complete: return "Complete"
        case .failed: return "Failed"
        case .pruned: return "Pruned"
        case .running: return "Running"
        case .waiting: return "Waiting"
        }
    }
}
