/// What a COMPLETE trial of a study with several objectives, or with constraints, scored: one value per
/// objective, in the study's order, and its constraint values.
///
/// Constraints follow Optuna's definition: a trial is feasible when every constraint value is ≤ 0 (a
/// value is "how far over the limit"; see `MetricConstraint`). A study with one objective and no
/// constraints does not need this type: its trials keep their one `score`.
public struct TrialValues: Codable, Hashable, Sendable {
    /// One value per objective, in the study's objective order.
    public var objectives: [Double]
    /// The constraint values (empty when the study has none); feasible when all are ≤ 0.
    public var constraints: [Double]

    /// Values for a trial: `objectives` in the study's order, `constraints` (≤ 0 is satisfied).
    public init(objectives: [Double], constraints: [Double] = []) {
        self.objectives = objectives
        self.constraints = constraints
    }

    /// Whether every constraint is satisfied (≤ 0); true when there are none. A NaN constraint value
    /// is not satisfied.
    public var isFeasible: Bool { ParetoDominance.isFeasible(constraints) }

    /// The lines a trial summary shows: `Values: 0.91, 125000.0` and, with constraints,
    /// `Constraints: -0.5 (feasible)`.
    public var summaryLines: [String] {
        var lines = ["Values: \(objectives.map { String($0) }.joined(separator: ", "))"]
        if !constraints.isEmpty {
            lines.append("Constraints: \(constraints.map { String($0) }.joined(separator: ", ")) (\(isFeasible ? "feasible" : "infeasible"))")
        }
        return lines
    }

    /// The first objective value that is not finite, with its position, if any.
    public var firstNonFiniteObjective: (index: Int, value: Double)? {
        for (index, value) in objectives.enumerated() where !value.isFinite { return (index, value) }
        return nil
    }
}

/// A limit on a metric that a trial must respect to be feasible (`constraints: [{ metric: params, max:
/// 100000 }]` in a study file): the trial's constraint value is `value − max` for an upper limit and
/// `min − value` for a lower one, so that ≤ 0 means satisfied, as `TrialValues` counts them.
public struct MetricConstraint: Codable, Hashable, Sendable {
    /// Which side of the limit is allowed.
    public enum Bound: String, Codable, Hashable, Sendable {
        /// The metric must be at most the limit.
        case max
        /// The metric must be at least the limit.
        case min
    }

    /// The metric's name, such as `"params"` or `"epoch_seconds"`.
    public var metric: String
    /// Whether the limit is an upper (`max`) or lower (`min`) one.
    public var bound: Bound
    /// The limit.
    public var limit: Double

    /// A constraint `metric ≤ limit` (`.max`) or `metric ≥ limit` (`.min`).
    public init(metric: String, _ bound: Bound, _ limit: Double) {
        self.metric = metric
        self.bound = bound
        self.limit = limit
    }

    /// The constraint value of a trial whose metric is `value`: ≤ 0 when the limit is respected
    /// (NaN stays NaN, which is infeasible).
    public func violation(of value: Double) -> Double {
        bound == .max ? value - limit : limit - value
    }
}

extension MetricConstraint {
    private enum CodingKeys: String, CodingKey { case metric, max, min }

    /// Reads `{"metric": "params", "max": 100000}` (or `"min"`), the spelling of study files, stores and
    /// exports alike.
    ///
    /// - Throws: `DecodingError.dataCorrupted` when neither or both of `max` and `min` are given.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        metric = try container.decode(String.self, forKey: .metric)
        let upper = try container.decodeIfPresent(Double.self, forKey: .max)
        let lower = try container.decodeIfPresent(Double.self, forKey: .min)
        switch (upper, lower) {
        case (let upper?, nil): bound = .max; limit = upper
        case (nil, let lower?): bound = .min; limit = lower
        default:
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: container.codingPath,
                debugDescription: "the constraint on \"\(metric)\" needs exactly one of max and min"))
        }
    }

    /// Writes `{"metric": "params", "max": 100000}` (or `"min"`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(metric, forKey: .metric)
        try container.encode(limit, forKey: bound == .max ? .max : .min)
    }
}

extension MetricConstraint: CustomStringConvertible {
    /// `params <= 100000`.
    public var description: String {
        let limitText = limit == limit.rounded() && abs(limit) < 1e15 ? String(Int64(limit)) : String(limit)
        return "\(metric) \(bound == .max ? "<=" : ">=") \(limitText)"
    }
}
