import Foundation
import StudyStore
import Tuning

extension StudyReport {
    /// Whether `score` is strictly better than `other` for this study's direction.
    public func isBetter(_ score: Double, than other: Double) -> Bool {
        direction == .max ? score > other : score < other
    }

    /// COMPLETE trials with a finite score, best first (ties: lower number first).
    public var rankedTrials: [TrialReport] {
        trials.filter { $0.finiteScore != nil }.sorted { a, b in
            let x = a.finiteScore ?? 0, y = b.finiteScore ?? 0
            if x != y { return isBetter(x, than: y) }
            return a.number < b.number
        }
    }

    /// The best COMPLETE trial, if any.
    public var bestTrial: TrialReport? { rankedTrials.first }

    /// The number of trials in each state.
    public var trialCountsByState: [TrialState: Int] {
        Dictionary(grouping: trials, by: \.state).mapValues(\.count)
    }

    /// The hyperparameter names: the search space's order first, then names only trials have, sorted.
    public var parameterNames: [String] {
        var names = searchSpace?.names ?? []
        let known = Set(names)
        names += Set(trials.flatMap(\.hyperparameters.keys)).subtracting(known).sorted()
        return names
    }

    /// Every metric name recorded by any trial, the objective first, then sorted.
    public var metricNames: [String] {
        let all = Set(trials.flatMap(\.metrics.keys))
        return (all.contains(objectiveName) ? [objectiveName] : []) + all.subtracting([objectiveName]).sorted()
    }

    /// Seconds from the first trial's start to the last trial's end (nil before any trial ended).
    public var wallClockDuration: Double? {
        let starts = trials.compactMap(\.startedAt), ends = trials.compactMap(\.endedAt)
        guard let first = starts.min(), let last = ends.max() else { return nil }
        return last - first
    }

    /// The sum of the trials' durations (more than the wall clock when workers ran in parallel).
    public var totalTrialDuration: Double { trials.compactMap(\.duration).reduce(0, +) }

    /// The definition of a parameter in the search space, if the space has it.
    func spec(_ name: String) -> HyperParameterSpec? { searchSpace?[name] }
}
