import Foundation
import StudyStore
import Tuning

extension StudyReport {
    /// The hyperparameter names: the search space's order first, then names only trials have, sorted.
    public var parameterNames: [String] {
        var names = snapshot.study.searchSpace.names
        let known = Set(names)
        names += Set(snapshot.trials.flatMap(\.hyperparameters.keys)).subtracting(known).sorted()
        return names
    }

    /// Every metric name recorded by any trial, the objective first, then sorted.
    public var metricNames: [String] {
        let objective = snapshot.objective.name
        let all = Set(snapshot.trials.flatMap(\.metrics.curves.keys))
        return (all.contains(objective) ? [objective] : []) + all.subtracting([objective]).sorted()
    }

    /// Seconds from the first trial's start to the last trial's end (nil before any trial ended).
    public var wallClockDuration: Double? {
        let starts = snapshot.trials.compactMap(\.startedAt), ends = snapshot.trials.compactMap(\.endedAt)
        guard let first = starts.min(), let last = ends.max() else { return nil }
        return last - first
    }

    /// The sum of the trials' durations (more than the wall clock when workers ran in parallel).
    public var totalTrialDuration: Double { snapshot.trials.compactMap(\.duration).reduce(0, +) }

    /// The definition of a parameter in the search space, if the space has it.
    func spec(_ name: String) -> HyperParameterSpec? { snapshot.study.searchSpace[name] }
}

extension TrialSnapshot {
    /// The epochs recorded: one more than the highest step of any metric (0 without metrics).
    var epochs: Int { metrics.stepCount }
}
