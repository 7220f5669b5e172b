/// What a search optimizes: a metric name and whether lower or higher is better.
public struct Objective: Codable, Hashable, Sendable {
    /// Whether the search looks for the smallest or the largest score.
    public enum Direction: String, Codable, Hashable, Sendable {
        /// Lower is better (losses, errors).
        case minimize = "min"
        /// Higher is better (accuracies, AUC).
        case maximize = "max"
    }

    /// The metric name, such as `"val_accuracy"`.
    public let name: String
    /// Whether lower or higher is better.
    public let direction: Direction

    /// An objective on the metric `name` in `direction`.
    public init(_ name: String, direction: Direction) {
        self.name = name
        self.direction = direction
    }

    /// Maximize the metric `name` (`.maximize("val_accuracy")`).
    public static func maximize(_ name: String) -> Objective { Objective(name, direction: .maximize) }

    /// Minimize the metric `name` (`.minimize("val_loss")`).
    public static func minimize(_ name: String) -> Objective { Objective(name, direction: .minimize) }

    /// An objective whose direction is inferred from a common metric name, as Keras Tuner does:
    /// accuracies, AUC, precision, recall and F1 are maximized; losses and errors are minimized.
    /// A `val_` prefix is ignored.
    ///
    /// - Throws: `OracleError.cannotInferDirection` for other names; use `.maximize` or `.minimize` then.
    public init(inferringDirectionOf name: String) throws(OracleError) {
        var metric = name.lowercased()
        if metric.hasPrefix("val_") { metric.removeFirst(4) }
        let maximized = ["accuracy", "acc", "auc", "precision", "recall", "f1", "f1_score", "r2", "iou"]
        let minimized = ["mse", "mae", "mape", "msle", "rmse", "logcosh", "hinge", "crossentropy"]
        if metric.contains("accuracy") || maximized.contains(metric) {
            self.init(name, direction: .maximize)
        } else if metric.contains("loss") || metric.contains("error") || minimized.contains(where: metric.hasSuffix) {
            self.init(name, direction: .minimize)
        } else {
            throw .cannotInferDirection(metric: name)
        }
    }

    /// Whether `score` is strictly better than `other` in this direction.
    public func isBetter(_ score: Double, than other: Double) -> Bool {
        direction == .maximize ? score > other : score < other
    }
}

extension Objective: CustomStringConvertible {
    /// `val_accuracy (max)`.
    public var description: String { "\(name) (\(direction.rawValue))" }
}
