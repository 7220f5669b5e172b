import Foundation
import StudyStore
import Tuning

/// A study's results as Keras Tuner users reach them through `tuner.oracle`: the storage's one read
/// model (`StudySnapshot`), with Keras Tuner's summaries.
extension StudySnapshot {
    /// Reads study `name` from the storage at `storagePath` in one consistent read.
    ///
    /// - Throws: `StoreError.studyNotFound`, `.damagedData` naming the study, trial and field, other
    ///   store errors.
    public static func load(storagePath: String, study name: String) throws -> StudySnapshot {
        try openStudyStorage(storagePath, busyTimeout: 30).snapshot(study: name)
    }

    /// The search space as it stands (it grows as trials define parameters).
    public var searchSpace: SearchSpace { study.searchSpace }

    /// Keras Tuner's `results_summary()`: the objective, then the best `count` trials' summaries; for a
    /// study with several objectives, every objective and the first `count` trials of the Pareto front.
    public func resultsSummary(_ count: Int = 10) -> String {
        let multiObjective = study.definition.isMultiObjective
        let best = multiObjective ? Array(paretoFront.prefix(max(0, count))) : bestTrials(count)
        var lines = [
            "Results summary", "Results in study \"\(name)\"",
            multiObjective ? "Showing \(best.count) trials of the Pareto front" : "Showing \(best.count) best trials",
        ]
        for objective in study.objectives {
            lines.append("Objective(name=\"\(objective.name)\", direction=\"\(objective.direction == .maximize ? "max" : "min")\")")
        }
        for trial in best {
            lines.append("")
            lines.append(trial.summary(in: searchSpace))
        }
        return lines.joined(separator: "\n")
    }
}

extension TrialSnapshot {
    /// Why a FAILED trial failed (nil for other states, whose `error` may hold a re-queue note).
    public var failureReason: String? { trial.state == .failed ? trial.error : nil }

    /// The hyperparameters as a `HyperParameters` of `space` (Keras Tuner's `trial.hyperparameters`).
    ///
    /// - Throws: `HyperParameterError` when the values do not fit `space`.
    public func hyperParameters(in space: SearchSpace) throws(HyperParameterError) -> HyperParameters {
        try HyperParameters(space: space, values: trial.hyperparameters)
    }

    /// Keras Tuner's `trial.summary()`: the hyperparameters, then the score or why there is none.
    public func summary(in space: SearchSpace? = nil) -> String {
        let values = trial.hyperparameters
        var lines = ["Trial \(trial.number) summary", "Hyperparameters:"]
        let names = space.map { $0.names.filter { values[$0] != nil } } ?? values.keys.sorted()
        let extra = values.keys.filter { !names.contains($0) }.sorted()
        for name in names + extra {
            if let value = values[name] { lines.append("\(name): \(value)") }
        }
        if let hyperband = trial.hyperband {
            lines.append("tuner/epochs: \(hyperband.epochs)")
            lines.append("tuner/initial_epoch: \(hyperband.initialEpoch)")
            lines.append("tuner/bracket: \(hyperband.bracket)")
            lines.append("tuner/round: \(hyperband.round)")
            if let parent = hyperband.parentTrialID { lines.append("tuner/trial_id: \(parent)") }
        }
        switch trial.state {
        case .complete:
            if let values = trial.values {
                lines += values.summaryLines
            } else {
                lines.append("Score: \(trial.score.map { String($0) } ?? "none")")
            }
        case .failed: lines.append("Failed: \(failureReason ?? "no reason given")")
        case .pruned: lines.append("Pruned")
        case .running, .waiting: lines.append("State: \(trial.state.rawValue)")
        }
        return lines.joined(separator: "\n")
    }
}
