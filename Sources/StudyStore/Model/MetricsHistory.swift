/// One value of a metric at a step (a 0-based epoch, usually).
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

/// A trial's learning curves: every metric's value per step, as stored (Keras Tuner's `trial.metrics`).
public struct MetricsHistory: Hashable, Sendable {
    /// The points of each metric, in step order.
    public let curves: [String: [MetricPoint]]

    /// A history from its curves (each sorted by step).
    public init(curves: [String: [MetricPoint]] = [:]) {
        self.curves = curves.mapValues { $0.sorted { $0.step < $1.step } }
    }

    /// The curve of `name`, in step order, or nil when never recorded.
    public subscript(name: String) -> [MetricPoint]? { curves[name] }

    /// Whether no metric was recorded.
    public var isEmpty: Bool { curves.isEmpty }

    /// The metric names, sorted.
    public var names: [String] { curves.keys.sorted() }

    /// The value of `name` at its last step (Keras Tuner's `get_last_value`), or nil when never recorded.
    public func lastValue(_ name: String) -> Double? { curves[name]?.last?.value }

    /// The values of `name` in step order.
    public func values(_ name: String) -> [Double] { curves[name]?.map(\.value) ?? [] }

    /// The best finite value of `name` in the given direction, or nil.
    public func bestValue(_ name: String, maximize: Bool) -> Double? {
        let finite = values(name).filter(\.isFinite)
        return maximize ? finite.max() : finite.min()
    }

    /// The number of steps recorded: one more than the highest step of any metric (0 without metrics).
    public var stepCount: Int {
        curves.values.compactMap { $0.last?.step }.max().map { $0 + 1 } ?? 0
    }

    /// Each metric's value at its last recorded step.
    public var lastValues: [String: Double] {
        curves.compactMapValues { $0.last?.value }
    }
}
