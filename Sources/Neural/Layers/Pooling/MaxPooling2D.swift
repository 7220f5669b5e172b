/// The maximum of each window, channel by channel (Keras's `MaxPooling2D`): `[batch, h, w, c]` →
/// `[batch, h', w', c]`, windows `strides` apart (default: the pool size).
public final class MaxPooling2D: Layer, ConfigurationRepresentable {
    /// The window's height and width (default 2).
    public let poolSize: Size2D
    /// The step between windows (the pool size unless given).
    public let strides: Size2D
    /// `.valid` (the default) or `.same`.
    public let padding: Padding

    /// Creates the layer: `MaxPooling2D(poolSize: 2)`.
    public init(poolSize: Size2D = 2, strides: Size2D? = nil, padding: Padding = .valid,
                inputShape: [Int]? = nil, name: String? = nil) {
        self.poolSize = poolSize
        self.strides = strides ?? poolSize
        self.padding = padding
        super.init(name: name, inputShape: inputShape)
    }

    /// Checks the sizes and the input shape.
    /// - Throws: ``LayerError`` for non-positive sizes or an input the window does not fit.
    public override func build(inputShape: [Int]) throws {
        try checkPositive([("pool_size", poolSize), ("strides", strides)])
        _ = try windowGeometry(inputShape, kernel: poolSize, strides: strides, padding: padding)
    }

    /// The pooled input.
    /// - Throws: ``LayerError/incompatibleInput(layer:expected:got:)`` for an input the window does not fit.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        _ = try windowGeometry(input.shape, kernel: poolSize, strides: strides, padding: padding)
        return Tensor.maxPool2d(input, poolSize: poolSize, strides: strides, padding: padding)
    }

    /// `"MaxPooling2D"`.
    public static let typeName = "MaxPooling2D"

    /// `pool_size`, `strides`, `padding`, `data_format`.
    public override var configuration: Configuration {
        var configuration = super.configuration
        configuration.addPooling(poolSize: poolSize, strides: strides, padding: padding, inputShape: declaredInputShape)
        return configuration
    }

    /// Rebuilds a saved layer.
    /// - Throws: ``ConfigurationError`` naming the key at fault.
    public convenience init(configuration: Configuration) throws {
        let poolSize = try configuration.size2D("pool_size", in: Self.typeName, default: 2) ?? 2
        try configuration.checkChannelsLast(in: Self.typeName)
        self.init(poolSize: poolSize, strides: try configuration.size2D("strides", in: Self.typeName, default: poolSize),
                  padding: try configuration.padding(in: Self.typeName),
                  inputShape: configuration["input_shape"]?.arrayValue?.compactMap(\.intValue),
                  name: configuration["name"]?.stringValue)
        trainable = configuration["trainable"]?.boolValue ?? true
    }
}

extension Dictionary where Key == String, Value == ConfigValue {
    /// The keys pooling layers save.
    mutating func addPooling(poolSize: Size2D, strides: Size2D, padding: Padding, inputShape: [Int]?) {
        self["pool_size"] = poolSize.configValue
        self["strides"] = strides.configValue
        self["padding"] = padding.configValue
        self["data_format"] = "channels_last"
        if let inputShape { self["input_shape"] = .array(inputShape.map { .int($0) }) }
    }
}
