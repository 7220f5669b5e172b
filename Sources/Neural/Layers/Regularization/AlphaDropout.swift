/// Dropout for self-normalizing networks (Keras's `AlphaDropout`): while training, each input is
/// replaced with probability `rate` by SELU's negative saturation value, then an affine map restores
/// the mean and variance; the input passes through otherwise. Pair it with ``Activation/selu`` and
/// ``LecunNormal``.
public final class AlphaDropout: Layer, ConfigurationRepresentable {
    /// The fraction of inputs dropped while training, in [0, 1).
    public let rate: Float
    /// The shape of the drop mask, broadcast over the input; `nil` entries take the input's size
    /// (`[nil, 1, nil]` drops the same features at every time step). `nil`: the input's shape.
    public let noiseShape: [Int?]?
    /// Seeds this layer's own stream; nil draws from ``GlobalRandom``.
    public let seed: UInt64?
    private var stream: LayerRandomStream

    /// Creates the layer.
    public init(rate: Float, noiseShape: [Int?]? = nil, seed: UInt64? = nil, inputShape: [Int]? = nil, name: String? = nil) {
        self.rate = rate
        self.noiseShape = noiseShape
        self.seed = seed
        self.stream = LayerRandomStream(seed: seed)
        super.init(name: name, inputShape: inputShape)
    }

    /// Checks the rate.
    /// - Throws: ``LayerError/invalidArgument(layer:message:)`` for a rate outside [0, 1).
    public override func build(inputShape: [Int]) throws {
        guard rate >= 0 && rate < 1 else {
            throw LayerError.invalidArgument(layer: name, message: "rate must be in [0, 1), got \(rate)")
        }
    }

    /// `a · (kept ? x : -αλ) + b` while training, with Keras's `a` and `b`; the input otherwise.
    /// - Throws: ``LayerError/incompatibleInput(layer:expected:got:)`` when the noise shape does not
    ///   broadcast to the input.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        guard training && rate > 0 else { return input }
        let maskShape = try concreteNoiseShape(for: input.shape)
        let saturation = -Tensor.seluAlpha * Tensor.seluScale
        let a = 1 / ((1 - rate) * (1 + rate * saturation * saturation)).squareRoot()
        let b = -a * saturation * rate
        let count = maskShape.reduce(1, *)
        var multiplier = [Float](repeating: 0, count: count), offset = multiplier
        let rate = rate
        stream.withGenerator { generator in
            for i in 0..<count {
                let kept = generator.nextFloat() >= rate
                multiplier[i] = kept ? a : 0
                offset[i] = kept ? b : a * saturation + b
            }
        }
        return input * Tensor(shape: maskShape, scalars: multiplier) + Tensor(shape: maskShape, scalars: offset)
    }

    private func concreteNoiseShape(for shape: [Int]) throws -> [Int] {
        guard let noiseShape else { return shape }
        let concrete = zip(noiseShape, shape).map { $0 ?? $1 }
        guard noiseShape.count == shape.count, zip(concrete, shape).allSatisfy({ $0 == $1 || $0 == 1 }) else {
            let shown = noiseShape.map { $0.map(String.init) ?? "None" }
            throw LayerError.incompatibleInput(
                layer: name, expected: "a shape that noise_shape \(shown) broadcasts to", got: shape)
        }
        return concrete
    }

    /// `"AlphaDropout"`.
    public static let typeName = "AlphaDropout"

    /// The rate, noise shape (null entries for the input's sizes) and seed.
    public override var configuration: Configuration {
        var configuration = super.configuration
        configuration["rate"] = JSONValue(rate)
        configuration["noise_shape"] = noiseShape.map { .array($0.map { $0.map { .int($0) } ?? .null }) } ?? .null
        configuration["seed"] = JSONValue(seed: seed)
        return configuration
    }

    /// Rebuilds a saved layer.
    /// - Throws: ``ConfigurationError`` without a rate, or with a malformed noise shape or seed.
    public convenience init(configuration: Configuration) throws {
        var noiseShape: [Int?]? = nil
        if let value = configuration["noise_shape"], value != .null {
            guard let elements = value.arrayValue,
                  elements.allSatisfy({ $0 == .null || $0.intValue != nil }) else {
                throw configuration.invalid("noise_shape", in: Self.typeName, expected: "a list of integers or nulls")
            }
            noiseShape = elements.map(\.intValue)
        }
        self.init(rate: Float(try configuration.double("rate", in: Self.typeName)), noiseShape: noiseShape,
                  seed: try configuration.seed(in: Self.typeName),
                  name: configuration["name"]?.stringValue)
        trainable = configuration["trainable"]?.boolValue ?? true
    }
}
