/// The rectified linear unit with Keras 3's options (its `ReLU` layer):
/// `min(x, maxValue)` above `threshold`, `negativeSlope · (x - threshold)` up to it (so a positive
/// threshold makes a jump, as in Keras). With the defaults it is `max(x, 0)`.
public final class ReLU: Layer, ConfigurationRepresentable {
    /// The largest output (no limit when `nil`), at least 0.
    public let maxValue: Float?
    /// The slope below the threshold, at least 0.
    public let negativeSlope: Float
    /// Where the unit starts to pass its input, at least 0.
    public let threshold: Float

    /// Creates the layer.
    public init(maxValue: Float? = nil, negativeSlope: Float = 0, threshold: Float = 0,
                inputShape: [Int]? = nil, name: String? = nil) {
        self.maxValue = maxValue
        self.negativeSlope = negativeSlope
        self.threshold = threshold
        super.init(name: name, inputShape: inputShape)
    }

    /// Checks the arguments.
    /// - Throws: ``LayerError/invalidArgument(layer:message:)`` for a negative (or non-finite) maximum,
    ///   slope or threshold, as Keras.
    public override func build(inputShape: [Int]) throws {
        if let maxValue, !(maxValue >= 0 && maxValue.isFinite) {
            throw LayerError.invalidArgument(
                layer: name, message: "max_value must be a non-negative number, got \(maxValue)")
        }
        guard negativeSlope >= 0 && negativeSlope.isFinite else {
            throw LayerError.invalidArgument(
                layer: name, message: "negative_slope must be a non-negative number, got \(negativeSlope)")
        }
        guard threshold >= 0 && threshold.isFinite else {
            throw LayerError.invalidArgument(
                layer: name, message: "threshold must be a non-negative number, got \(threshold)")
        }
    }

    /// The unit applied to each element: the core `relu`/`leakyRelu` ops for the plain forms, one
    /// sweep with a piecewise-constant gradient otherwise.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        if maxValue == nil && threshold == 0 {
            return negativeSlope == 0 ? input.relu() : input.leakyRelu(alpha: negativeSlope)
        }
        let upper = maxValue ?? .infinity, threshold = threshold, slope = negativeSlope
        let result = input.mapUnrecorded { x in
            x > threshold ? Swift.min(x, upper) : slope * (x - threshold)
        }
        if Tensor.isRecording {
            result.record(inputs: [input]) { g, _ in
                // Piecewise linear: the slopes are constants, so the backward pass is linear in g.
                [g * input.mapUnrecorded { x in x > threshold ? (x >= upper ? 0 : 1) : slope }]
            }
        }
        return result
    }

    /// `"ReLU"`.
    public static let typeName = "ReLU"

    /// `max_value` (null without one), `negative_slope` and `threshold`, as Keras saves them.
    public override var configuration: Configuration {
        var configuration = super.configuration
        configuration["max_value"] = maxValue.map { JSONValue($0) } ?? .null
        configuration["negative_slope"] = JSONValue(negativeSlope)
        configuration["threshold"] = JSONValue(threshold)
        return configuration
    }

    /// Rebuilds a saved layer.
    /// - Throws: ``ConfigurationError`` for values that are not numbers.
    public convenience init(configuration: Configuration) throws {
        let hasMax = configuration["max_value"].map { $0 != .null } ?? false
        self.init(
            maxValue: hasMax ? try configuration.float("max_value", in: Self.typeName, default: 0) : nil,
            negativeSlope: try configuration.float("negative_slope", in: Self.typeName, default: 0),
            threshold: try configuration.float("threshold", in: Self.typeName, default: 0),
            name: configuration["name"]?.stringValue)
        trainable = configuration["trainable"]?.boolValue ?? true
    }
}
