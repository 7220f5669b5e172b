import Neural
import Tuning

/// What a `Tuner` optimizes: a logged metric by name (`"val_accuracy"`, direction inferred for the usual
/// names and minimized for the built-in `params`, `epoch_seconds`, `inference_microseconds`), with an
/// explicit direction, or a custom score computed from each epoch's logs.
public struct TunerObjective: Sendable, ExpressibleByStringLiteral {
    /// The metric name the oracle and the store see.
    public let name: String
    /// The direction, when given; inferred from the name otherwise.
    public let direction: Objective.Direction?
    /// Computes the metric from an epoch's logs (custom objectives only).
    let scoring: (@Sendable (Logs) -> Double)?

    /// A metric by name; the direction is inferred (`val_accuracy` up, `val_loss` down).
    public init(stringLiteral name: String) {
        self.init(name: name, direction: nil, scoring: nil)
    }

    private init(name: String, direction: Objective.Direction?, scoring: (@Sendable (Logs) -> Double)?) {
        self.name = name
        self.direction = direction
        self.scoring = scoring
    }

    /// A logged metric with an explicit direction (Keras Tuner's `kt.Objective(name, direction)`).
    public static func metric(_ name: String, direction: Objective.Direction? = nil) -> TunerObjective {
        TunerObjective(name: name, direction: direction, scoring: nil)
    }

    /// A score computed from each epoch's logs, stored under `name`:
    /// `.custom("gap", direction: .minimize) { logs in Double((logs["val_loss"] ?? 0) - (logs["loss"] ?? 0)) }`.
    public static func custom(_ name: String, direction: Objective.Direction, score: @escaping @Sendable (Logs) -> Double) -> TunerObjective {
        TunerObjective(name: name, direction: direction, scoring: score)
    }

    /// The oracle's objective.
    ///
    /// - Throws: `OracleError.cannotInferDirection`-style errors when the name says nothing about the direction.
    func resolved() throws -> Objective {
        if let direction { return Objective(name, direction: direction) }
        if BuiltInModelMetric(rawValue: name) != nil { return .minimize(name) }
        return try Objective(inferringDirectionOf: name)
    }
}
