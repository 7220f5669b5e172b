import Foundation
import StudyStore
import Tuning

/// A trial as stored: its hyperparameters, state, score, learning curves and timing.
public struct TunerTrial: Sendable, Equatable {
    /// The trial number in its study, 1-based.
    public let number: Int
    /// COMPLETE, PRUNED, FAILED, RUNNING or WAITING.
    public let state: TrialState
    /// The values of its active hyperparameters.
    public let values: [String: HyperParameterValue]
    /// The objective score of a completed trial.
    public let score: Double?
    /// Why it failed.
    public let failureReason: String?
    /// Every metric per epoch.
    public let metrics: MetricsHistory
    /// Hyperband's bracket, round and epochs, for Hyperband trials.
    public let hyperband: HyperbandAssignment?
    /// When it started and ended, Unix seconds.
    public let startedAt: Double?
    /// When it ended, Unix seconds.
    public let endedAt: Double?
    /// The worker that ran it.
    public let worker: String?

    /// The trial number (Keras Tuner calls it `trial_id`).
    public var id: Int { number }

    /// Seconds from start to end, when both are known.
    public var duration: Double? {
        guard let startedAt, let endedAt else { return nil }
        return endedAt - startedAt
    }

    init(record: TrialRecord, metrics: [MetricRecord]) throws {
        number = record.number
        state = record.state
        values = try decodeJSON([String: HyperParameterValue].self, from: record.hyperparameters)
        score = record.state == .complete ? record.score : nil
        failureReason = record.state == .failed ? record.error : nil
        var curves: [String: [MetricsHistory.Point]] = [:]
        for metric in metrics { curves[metric.name, default: []].append(.init(step: metric.step, value: metric.value)) }
        self.metrics = MetricsHistory(curves: curves)
        hyperband = try record.hyperband.map { try decodeJSON(HyperbandAssignment.self, from: $0) }
        startedAt = record.startedAt
        endedAt = record.endedAt
        worker = record.worker
    }

    /// The hyperparameters as a `HyperParameters` of `space` (Keras Tuner's `trial.hyperparameters`).
    ///
    /// - Throws: `HyperParameterError` when the values do not fit `space`.
    public func hyperParameters(in space: SearchSpace) throws(HyperParameterError) -> HyperParameters {
        try HyperParameters(space: space, values: values)
    }

    /// Keras Tuner's `trial.summary()`: the hyperparameters, then the score or why there is none.
    public func summary(in space: SearchSpace? = nil) -> String {
        var lines = ["Trial \(number) summary", "Hyperparameters:"]
        let names = space.map { $0.names.filter { values[$0] != nil } } ?? values.keys.sorted()
        let extra = values.keys.filter { !names.contains($0) }.sorted()
        for name in names + extra {
            if let value = values[name] { lines.append("\(name): \(value)") }
        }
        if let hyperband {
            lines.append("tuner/epochs: \(hyperband.epochs)")
            lines.append("tuner/initial_epoch: \(hyperband.initialEpoch)")
            lines.append("tuner/bracket: \(hyperband.bracket)")
            lines.append("tuner/round: \(hyperband.round)")
            if let parent = hyperband.parentTrialID { lines.append("tuner/trial_id: \(parent)") }
        }
        switch state {
        case .complete: lines.append("Score: \(score.map { String($0) } ?? "none")")
        case .failed: lines.append("Failed: \(failureReason ?? "no reason given")")
        case .pruned: lines.append("Pruned")
        case .running, .waiting: lines.append("State: \(state.rawValue)")
        }
        return lines.joined(separator: "\n")
    }
}
