import Foundation
import StudyStore
import Tuning

/// One value of a metric at a step (a 0-based epoch).
public struct MetricPoint: Hashable, Sendable, Codable {
    /// The step (epoch, from 0).
    public var step: Int
    /// The value (NaN when training diverged).
    public var value: Double

    /// A point of a learning curve.
    public init(step: Int, value: Double) {
        self.step = step
        self.value = value
    }
}

/// One trial of a study as a report shows it: its configuration, outcome, times and learning curves.
public struct TrialReport: Hashable, Sendable {
    /// The oracle's trial number (1-based).
    public var number: Int
    /// COMPLETE, FAILED, PRUNED, RUNNING or WAITING.
    public var state: TrialState
    /// The values of the active hyperparameters.
    public var hyperparameters: [String: HyperParameterValue]
    /// The objective's final value (COMPLETE trials; NaN when it diverged).
    public var score: Double?
    /// Why a FAILED trial failed (or why it was re-queued).
    public var error: String?
    /// The worker that ran it.
    public var worker: String?
    /// When it was inserted, started and ended (Unix seconds).
    public var createdAt: Double
    /// When a worker started it.
    public var startedAt: Double?
    /// When it ended.
    public var endedAt: Double?
    /// How often it was re-queued after its worker stopped sending heartbeats.
    public var retries: Int
    /// Hyperband's bracket, round and epochs for Hyperband trials.
    public var hyperband: HyperbandAssignment?
    /// Learning curves by metric name, each in increasing step order.
    public var metrics: [String: [MetricPoint]]
    /// Whether the store holds a checkpoint of this trial.
    public var hasCheckpoint: Bool

    /// A trial as a report shows it.
    public init(
        number: Int, state: TrialState, hyperparameters: [String: HyperParameterValue], score: Double? = nil,
        error: String? = nil, worker: String? = nil, createdAt: Double, startedAt: Double? = nil,
        endedAt: Double? = nil, retries: Int = 0, hyperband: HyperbandAssignment? = nil,
        metrics: [String: [MetricPoint]] = [:], hasCheckpoint: Bool = false
    ) {
        self.number = number
        self.state = state
        self.hyperparameters = hyperparameters
        self.score = score
        self.error = error
        self.worker = worker
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.retries = retries
        self.hyperband = hyperband
        self.metrics = metrics
        self.hasCheckpoint = hasCheckpoint
    }

    /// Wall-clock seconds from start to end, when both are known.
    public var duration: Double? {
        guard let startedAt, let endedAt else { return nil }
        return endedAt - startedAt
    }

    /// The number of epochs recorded: one more than the highest step of any metric (0 without metrics).
    public var epochs: Int {
        metrics.values.compactMap { $0.last?.step }.max().map { $0 + 1 } ?? 0
    }

    /// Each metric's value at its last recorded step.
    public var finalMetrics: [String: Double] {
        metrics.compactMapValues { $0.last?.value }
    }

    /// The score when the trial is COMPLETE with a finite score.
    public var finiteScore: Double? {
        guard state == .complete, let score, score.isFinite else { return nil }
        return score
    }
}
