/// Why targets cannot be used with a model's outputs: the loss or metric that cannot take them, what
/// is wrong, and in which data. `fit` and `evaluate` throw it before training (see
/// ``Model/validateTargets(_:outputShapes:dataName:)``), so that labels and shapes that do not fit a
/// model end a training with a message instead of a trap in a loss kernel.
public struct TargetError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong with the targets.
    public enum Problem: Equatable, Sendable {
        /// A label that is not a class index: not a whole number in `0..<classes` (`row` counts from 0);
        /// `largest` is the largest label of the data, for the advice.
        case notClassIndex(value: Float, row: Int, classes: Int, largest: Float)
        /// Targets whose shape the function cannot compare with the predictions' (both with the
        /// number of samples first); `advice` says what the function needs.
        case shapes(targets: [Int], predictions: [Int], advice: String)
        /// A metric that cannot take targets and predictions at all (``Metrics/Mean`` tracks values).
        case unusableMetric(advice: String)
    }

    /// The loss or metric that refused the targets (`sparse_categorical_crossentropy`, `accuracy`).
    public var function: String
    /// What is wrong.
    public var problem: Problem
    /// Where the targets come from (`the training data`, `output_1 of the validation data`), when known.
    public var data: String?

    /// Creates the error.
    public init(function: String, problem: Problem, data: String? = nil) {
        self.function = function
        self.problem = problem
        self.data = data
    }

    /// A sentence saying what is wrong and what to do, e.g. `labels must be integers in 0..<9 for
    /// sparse_categorical_crossentropy with 9 outputs; found 9 at row 17 of the training data (rows
    /// count from 0): the last layer needs at least 10 units, one per class`.
    public var description: String {
        let place = data.map { " of \($0)" } ?? ""
        switch problem {
        case let .notClassIndex(value, row, classes, largest):
            let text = "labels must be integers in 0..<\(classes) for \(function) with \(classes) output\(classes == 1 ? "" : "s"); "
                + "found \(Self.format(value)) at row \(row)\(place) (rows count from 0)"
            if value.isFinite, value == value.rounded(), value >= Float(classes), largest.isFinite {
                return text + ": the labels go up to \(Self.format(largest)), so the last layer needs \(Self.format(largest + 1)) units, one per class"
            }
            return text + ": class labels are whole numbers 0, 1, 2, ...; for other targets use a regression loss such as mean_squared_error"
        case let .shapes(targets, predictions, advice):
            let where_ = data.map { " in \($0)" } ?? ""
            return "\(function) cannot compare targets of shape \(targets) with predictions of shape \(predictions)\(where_): \(advice)"
        case let .unusableMetric(advice):
            return "the metric \(function) cannot be computed from targets and predictions: \(advice)"
        }
    }

    /// `9` for whole numbers, `0.5` or `nan` otherwise.
    static func format(_ value: Float) -> String {
        if value.isFinite, value == value.rounded(), Swift.abs(value) < 1e9 { return String(Int(value)) }
        return "\(value)"
    }
}

/// Shape rules shared by the losses' and metrics' target checks.
enum TargetShapes {
    /// ``Losses/squeezeOrExpandToSameRank(_:_:expandRank1:)`` on shapes: what a loss compares after
    /// matching the ranks of targets and predictions.
    static func sameRank(_ targets: [Int], _ predictions: [Int]) -> (targets: [Int], predictions: [Int]) {
        let (t, p) = (targets.count, predictions.count)
        if t == p { return (targets, predictions) }
        if t == p + 1, targets.last == 1 {
            return p == 1 ? (targets, predictions + [1]) : (Array(targets.dropLast()), predictions)
        }
        if p == t + 1, predictions.last == 1 {
            return t == 1 ? (targets + [1], predictions) : (targets, Array(predictions.dropLast()))
        }
        return (targets, predictions)
    }

    /// Whether elementwise functions (squared error, binary cross-entropy, ...) can compare the
    /// targets with the predictions: after rank matching, one rank, and each target dimension equal to
    /// the prediction's or 1 (broadcast). The predictions' shape never grows, so 3 target columns
    /// never meet 1 output unit and one value per sample never meets 3 output units.
    static func elementwiseFit(_ targets: [Int], _ predictions: [Int]) -> Bool {
        let (t, p) = sameRank(targets, predictions)
        guard t.count == p.count else { return false }
        return zip(t, p).allSatisfy { $0 == $1 || $0 == 1 }
    }

    /// The advice for an elementwise function whose targets do not fit: one target per output unit.
    static func elementwiseAdvice(targets: [Int], predictions: [Int]) -> String {
        let units = predictions.count >= 2 ? predictions.dropFirst().reduce(1, *) : 1
        let columns = targets.count >= 2 ? targets.dropFirst().reduce(1, *) : 1
        return "it needs one target per output unit (targets of shape \(predictions)); the model has \(units) output unit\(units == 1 ? "" : "s") "
            + "and the data \(columns) target value\(columns == 1 ? "" : "s") per sample, so give the last layer \(columns) unit\(columns == 1 ? "" : "s")"
    }

    /// Throws ``TargetError`` naming `function` when the targets do not fit elementwise.
    static func requireElementwiseFit(_ targets: [Int], _ predictions: [Int], function: String) throws(TargetError) {
        guard elementwiseFit(targets, predictions) else {
            throw TargetError(function: function, problem: .shapes(
                targets: targets, predictions: predictions,
                advice: elementwiseAdvice(targets: targets, predictions: predictions)))
        }
    }

    /// Checks that `yTrue` holds one whole number in `0..<classes` per row of predictions of shape
    /// `predictionShape` (classes last): the labels of sparse categorical cross-entropy. One pass over
    /// the labels; the first label at fault is reported with its row.
    static func requireClassIndices(_ yTrue: Tensor, predictionShape: [Int], function: String) throws(TargetError) {
        guard predictionShape.count >= 2, let classes = predictionShape.last, classes > 0 else {
            throw TargetError(function: function, problem: .shapes(
                targets: yTrue.shape, predictions: predictionShape,
                advice: "it needs predictions with a class axis (shape [samples, classes]): end the model with a layer of one unit per class"))
        }
        let rows = predictionShape.dropLast().reduce(1, *)
        guard yTrue.scalarCount == rows else {
            let oneHot = yTrue.shape == predictionShape
            throw TargetError(function: function, problem: .shapes(
                targets: yTrue.shape, predictions: predictionShape,
                advice: oneHot
                    ? "it needs one class index per sample; for one-hot targets use categorical_crossentropy"
                    : "it needs one class index per sample (targets of shape \(Array(predictionShape.dropLast())))"))
        }
        let bad: (value: Float, row: Int)? = yTrue.withUnsafeBufferPointer { labels in
            let limit = Float(classes)
            for row in 0..<labels.count {
                let value = labels[row]
                // NaN fails the first comparison.
                if !(value >= 0 && value < limit && value == value.rounded(.towardZero)) { return (value, row) }
            }
            return nil
        }
        if let bad {
            // Only on failure: a second pass for the largest label, which the advice names.
            let largest = yTrue.withUnsafeBufferPointer { $0.reduce(-Float.infinity) { Swift.max($0, $1) } }
            throw TargetError(function: function, problem: .notClassIndex(
                value: bad.value, row: bad.row, classes: classes, largest: largest))
        }
    }
}
