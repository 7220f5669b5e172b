/// What ``MaxPooling2D`` and ``AveragePooling2D`` share (Keras's `BasePooling`): the window, its
/// checks and the Keras configuration keys.
///
/// Use one of the two subclasses; this class has no forward pass of its own (calling it throws
/// ``LayerError/callNotImplemented(layer:)``) and cannot be saved.
public class BasePooling2D: Layer {
    /// The window's height and width (default 2).
    public let poolSize: Size2D
    /// The step between windows (the pool size unless given).
    public let strides: Size2D
    /// `.valid` (the default) or `.same`.
    public let padding: Padding

    /// Creates the layer: `MaxPooling2D(poolSize: 2)`, `AveragePooling2D(poolSize: 2)`.
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

    /// `operation` (``Tensor/maxPool2d(_:poolSize:strides:padding:)`` or
    /// ``Tensor/avgPool2d(_:poolSize:strides:padding:)``) on `input` with this layer's window.
    /// - Throws: ``LayerError/incompatibleInput(layer:expected:got:)`` for an input the window does not fit.
    func pooled(_ input: Tensor, by operation: (Tensor, Size2D, Size2D?, Padding) -> Tensor) throws -> Tensor {
        _ = try windowGeometry(input.shape, kernel: poolSize, strides: strides, padding: padding)
        return operation(input, poolSize, strides, padding)
    }

    /// `pool_size`, `strides`, `padding`, `data_format`.
    public override var configuration: Configuration {
        var configuration = super.configuration
        configuration["pool_size"] = poolSize.configValue
        configuration["strides"] = strides.configValue
        configuration["padding"] = padding.configValue
        configuration["data_format"] = "channels_last"
        if let declaredInputShape { configuration["input_shape"] = .array(declaredInputShape.map { .int($0) }) }
        return configuration
    }

    /// Rebuilds a saved layer of type `typeName`.
    /// - Throws: ``ConfigurationError`` naming the key at fault.
    convenience init(sharedConfiguration configuration: Configuration, typeName: String) throws {
        let poolSize = try configuration.size2D("pool_size", in: typeName, default: 2) ?? 2
        try configuration.checkChannelsLast(in: typeName)
        self.init(poolSize: poolSize, strides: try configuration.size2D("strides", in: typeName, default: poolSize),
                  padding: try configuration.padding(in: typeName),
                  inputShape: configuration["input_shape"]?.arrayValue?.compactMap(\.intValue),
                  name: configuration["name"]?.stringValue)
        trainable = configuration["trainable"]?.boolValue ?? true
    }
}
