/// Zeroes a fraction `rate` of its inputs while training and scales the rest by `1 / (1 - rate)`
/// (inverted dropout, as Keras); passes inputs through unchanged otherwise.
public final class Dropout: Layer, ConfigurationRepresentable {
    /// The fraction of inputs dropped while training, in [0, 1).
    public let rate: Float
    /// Seeds this layer's own stream; nil draws from ``GlobalRandom``.
    public let seed: UInt64?
    private var generator: SeededGenerator?

    /// Creates the layer.
    public init(rate: Float, seed: UInt64? = nil, name: String? = nil) {
        self.rate = rate
        self.seed = seed
        self.generator = seed.map { SeededGenerator(seed: $0) }
        super.init(name: name)
    }

    /// Checks the rate.
    /// - Throws: ``LayerError/invalidArgument(layer:message:)`` for a rate outside [0, 1).
    public override func build(inputShape: [Int]) throws {
        guard rate >= 0 && rate < 1 else {
            throw LayerError.invalidArgument(layer: name, message: "rate must be in [0, 1), got \(rate)")
        }
    }

    /// The input with dropped elements while training; the input itself otherwise.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        guard training && rate > 0 else { return input }
        let keep = 1 - rate
        var mask = [Float](repeating: 0, count: input.scalarCount)
        if var own = generator {
            for i in mask.indices where own.nextFloat() < keep { mask[i] = 1 / keep }
            generator = own
        } else {
            GlobalRandom.withGenerator { g in for i in mask.indices where g.nextFloat() < keep { mask[i] = 1 / keep } }
        }
        return input * Tensor(shape: input.shape, scalars: mask)
    }

    /// `"Dropout"`.
    public static let typeName = "Dropout"

    /// The rate and seed.
    public override var configuration: Configuration {
        var configuration = super.configuration
        configuration["rate"] = .double(Double(rate))
        configuration["seed"] = seed.map { .int(Int(truncatingIfNeeded: $0)) } ?? .null
        return configuration
    }

    /// Rebuilds a saved layer.
    /// - Throws: ``ConfigurationError`` without a rate.
    public convenience init(configuration: Configuration) throws {
        self.init(rate: Float(try configuration.double("rate", in: Self.typeName)),
                  seed: configuration["seed"]?.intValue.map { UInt64(truncatingIfNeeded: $0) },
                  name: configuration["name"]?.stringValue)
    }
}
