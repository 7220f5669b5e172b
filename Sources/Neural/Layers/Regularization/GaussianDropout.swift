/// Multiplies its input by 1-centred Gaussian noise of standard deviation `sqrt(rate / (1 - rate))`
/// while training and passes the input through otherwise (Keras's `GaussianDropout`).
public final class GaussianDropout: Layer, ConfigurationRepresentable {
    /// The drop probability it imitates, in [0, 1).
    public let rate: Float
    /// Seeds this layer's own stream; nil draws from ``GlobalRandom``.
    public let seed: UInt64?
    private var stream: LayerRandomStream

    /// Creates the layer.
    public init(rate: Float, seed: UInt64? = nil, inputShape: [Int]? = nil, name: String? = nil) {
        self.rate = rate
        self.seed = seed
        self.stream = LayerRandomStream(seed: seed)
        super.init(name: name, inputShape: inputShape)
    }

    /// Checks the rate.
    /// - Throws: ``LayerError/invalidArgument(layer:message:)`` for a rate outside [0, 1) (at 1 the
    ///   noise would be infinite).
    public override func build(inputShape: [Int]) throws {
        guard rate >= 0 && rate < 1 else {
            throw LayerError.invalidArgument(layer: name, message: "rate must be in [0, 1), got \(rate)")
        }
    }

    /// `input · noise` while training (the gradient is the upstream gradient times the same noise);
    /// the input itself otherwise.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        guard training && rate > 0 else { return input }
        let deviation = (rate / (1 - rate)).squareRoot()
        var noise = stream.normals(count: input.scalarCount)
        for i in noise.indices { noise[i] = 1 + deviation * noise[i] }
        return input * Tensor(shape: input.shape, scalars: noise)
    }

    /// `"GaussianDropout"`.
    public static let typeName = "GaussianDropout"

    /// The rate and seed.
    public override var configuration: Configuration {
        var configuration = super.configuration
        configuration["rate"] = JSONValue(rate)
        configuration["seed"] = JSONValue(seed: seed)
        return configuration
    }

    /// Rebuilds a saved layer.
    /// - Throws: ``ConfigurationError`` without a rate or with a malformed seed.
    public convenience init(configuration: Configuration) throws {
        self.init(rate: Float(try configuration.double("rate", in: Self.typeName)),
                  seed: try configuration.seed(in: Self.typeName),
                  name: configuration["name"]?.stringValue)
        trainable = configuration["trainable"]?.boolValue ?? true
    }
}
