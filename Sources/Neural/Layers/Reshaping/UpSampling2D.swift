/// Repeats each pixel `size.height` times down and `size.width` times across (Keras's
/// `UpSampling2D` with nearest-neighbor interpolation): `[batch, h, w, c]` → `[batch, h·sh, w·sw, c]`.
public final class UpSampling2D: Layer, ConfigurationRepresentable {
    /// The upsampling factors (default 2).
    public let size: Size2D

    /// Creates the layer: `UpSampling2D(size: 2)`.
    public init(size: Size2D = 2, inputShape: [Int]? = nil, name: String? = nil) {
        self.size = size
        super.init(name: name, inputShape: inputShape)
    }

    /// Checks the factors and the input shape.
    /// - Throws: ``LayerError`` for non-positive factors or an input that is not rank 4.
    public override func build(inputShape: [Int]) throws {
        try checkPositive([("size", size)])
        guard inputShape.count == 4 else {
            throw LayerError.incompatibleInput(layer: name, expected: "[batch, height, width, channels]", got: inputShape)
        }
    }

    /// The upsampled input.
    /// - Throws: ``LayerError/incompatibleInput(layer:expected:got:)`` unless the input is rank 4.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        guard input.rank == 4 else {
            throw LayerError.incompatibleInput(layer: name, expected: "[batch, height, width, channels]", got: input.shape)
        }
        return Tensor.upSampling2d(input, size: size)
    }

    /// `"UpSampling2D"`.
    public static let typeName = "UpSampling2D"

    /// `size`, `data_format` and `interpolation` (always `"nearest"`).
    public override var configuration: Configuration {
        var configuration = super.configuration
        configuration["size"] = size.configValue
        configuration["data_format"] = "channels_last"
        configuration["interpolation"] = "nearest"
        if let declaredInputShape { configuration["input_shape"] = .array(declaredInputShape.map { .int($0) }) }
        return configuration
    }

    /// Rebuilds a saved layer.
    /// - Throws: ``ConfigurationError`` naming the key at fault (interpolations other than nearest and
    ///   `channels_first` are not supported).
    public convenience init(configuration: Configuration) throws {
        try configuration.checkChannelsLast(in: Self.typeName)
        if let interpolation = configuration["interpolation"], interpolation != .null, interpolation.stringValue != "nearest" {
            throw configuration.invalid("interpolation", in: Self.typeName, expected: "\"nearest\" (the only interpolation supported)")
        }
        self.init(size: try configuration.size2D("size", in: Self.typeName, default: 2) ?? 2,
                  inputShape: configuration["input_shape"]?.arrayValue?.compactMap(\.intValue),
                  name: configuration["name"]?.stringValue)
        trainable = configuration["trainable"]?.boolValue ?? true
    }
}
