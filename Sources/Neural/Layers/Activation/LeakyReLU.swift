/// `x` where `x > 0`, `negativeSlope · x` elsewhere (Keras 3's `LeakyReLU` layer, whose slope
/// defaults to 0.3, unlike the `leaky_relu` function's 0.2).
public final class LeakyReLU: Layer, ConfigurationRepresentable {
    /// The slope for negative inputs, at least 0 (default 0.3).
    public let negativeSlope: Float

    /// Creates the layer.
    public init(negativeSlope: Float = 0.3, inputShape: [Int]? = nil, name: String? = nil) {
        self.negativeSlope = negativeSlope
        super.init(name: name, inputShape: inputShape)
    }

    /// Checks the slope.
    /// - Throws: ``LayerError/invalidArgument(layer:message:)`` for a negative or non-finite slope.
    public override func build(inputShape: [Int]) throws {
        guard negativeSlope >= 0 && negativeSlope.isFinite else {
            throw LayerError.invalidArgument(
                layer: name, message: "negative_slope must be a non-negative number, got \(negativeSlope)")
        }
    }

    /// The leaky ReLU of the input (one sweep; its gradient is 1 or the slope).
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        input.leakyRelu(alpha: negativeSlope)
    }

    /// `"LeakyReLU"`.
    public static let typeName = "LeakyReLU"

    /// The slope, under Keras 3's key `negative_slope`.
    public override var configuration: Configuration {
        var configuration = super.configuration
        configuration["negative_slope"] = JSONValue(negativeSlope)
        return configuration
    }

    /// Rebuilds a saved layer; Keras 2's `alpha` key is read when `negative_slope` is absent.
    /// - Throws: ``ConfigurationError`` for a slope that is not a number.
    public convenience init(configuration: Configuration) throws {
        let key = configuration["negative_slope"] == nil && configuration["alpha"] != nil ? "alpha" : "negative_slope"
        self.init(negativeSlope: try configuration.float(key, in: Self.typeName, default: 0.3),
                  name: configuration["name"]?.stringValue)
        trainable = configuration["trainable"]?.boolValue ?? true
    }
}
