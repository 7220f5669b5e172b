/// Adds zero-centred Gaussian noise of standard deviation `stddev` to its input while training and
/// passes the input through otherwise (Keras's `GaussianNoise`; the seed's `MyGaussianNoise`): a
/// regularizer, a kind of data augmentation for real-valued inputs.
public final class GaussianNoise: Layer, ConfigurationRepresentable {
    /// The noise's standard deviation, in [0, 1] as Keras 3 requires.
    public let stddev: Float
    /// Seeds this layer's own stream; nil draws from ``GlobalRandom``.
    public let seed: UInt64?
    private var stream: LayerRandomStream

    /// Creates the layer.
    public init(stddev: Float, seed: UInt64? = nil, inputShape: [Int]? = nil, name: String? = nil) {
        self.stddev = stddev
        self.seed = seed
        self.stream = LayerRandomStream(seed: seed)
        super.init(name: name, inputShape: inputShape)
    }

    /// Checks the standard deviation.
    /// - Throws: ``LayerError/invalidArgument(layer:message:)`` for a `stddev` outside [0, 1] (Keras 3's range).
    public override func build(inputShape: [Int]) throws {
        guard stddev >= 0 && stddev <= 1 else {
            throw LayerError.invalidArgument(layer: name, message: "stddev must be in [0, 1] (as in Keras), got \(stddev)")
        }
    }

    /// `input + noise` while training (one sweep; the gradient passes through unchanged); the input
    /// itself otherwise.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        guard training && stddev > 0 else { return input }
        let deviation = stddev
        let noise = stream.normals(count: input.scalarCount)
        let result = input.withUnsafeBufferPointer { px in
            Tensor.make(shape: input.shape, count: px.count) { out in
                for i in 0..<out.count { out[i] = px[i] + deviation * noise[i] }
            }
        }
        if Tensor.isRecording {
            result.record(inputs: [input]) { g, _ in [g] }
        }
        return result
    }

    /// `"GaussianNoise"`.
    public static let typeName = "GaussianNoise"

    /// The standard deviation and seed.
    public override var configuration: Configuration {
        var configuration = super.configuration
        configuration["stddev"] = JSONValue(stddev)
        configuration["seed"] = JSONValue(seed: seed)
        return configuration
    }

    /// Rebuilds a saved layer.
    /// - Throws: ``ConfigurationError`` without a standard deviation or with a malformed seed.
    public convenience init(configuration: Configuration) throws {
        self.init(stddev: Float(try configuration.double("stddev", in: Self.typeName)),
                  seed: try configuration.seed(in: Self.typeName),
                  name: configuration["name"]?.stringValue)
        trainable = configuration["trainable"]?.boolValue ?? true
    }
}
