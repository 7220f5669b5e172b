/// A trial's learning curves: every metric's value per step, as stored (Keras Tuner's `trial.metrics`).
public struct MetricsHistory: Sendable, Equatable {
    /// One recorded value.
    public struct Point: Sendable, Equatable {
        /// The step (0-based epoch).
        public let step: Int
        /// The value (NaN when training diverged).
        public let value: Double
    }

    /// The points of each metric, in step order.
    public let curves: [String: [Point]]

    /// A history from its curves.
    public init(curves: [String: [Point]]) {
        self.curves = curves.mapValues { $0.sorted { $0.step < $1.step } }
    }

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
}
