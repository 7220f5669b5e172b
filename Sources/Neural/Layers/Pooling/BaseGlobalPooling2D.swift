/// What ``GlobalMaxPooling2D`` and ``GlobalAveragePooling2D`` share (Keras's `BaseGlobalPooling`):
/// `keepDims`, the check on the input and the Keras configuration keys.
///
/// Use one of the two subclasses; this class has no forward pass of its own (calling it throws
/// ``LayerError/callNotImplemented(layer:)``) and cannot be saved.
public class BaseGlobalPooling2D: Layer {
    /// Whether the two spatial dimensions are kept with size 1.
    public let keepDims: Bool

    /// Creates the layer.
    public init(keepDims: Bool = false, inputShape: [Int]? = nil, name: String? = nil) {
        self.keepDims = keepDims
        super.init(name: name, inputShape: inputShape)
    }

    /// Checks the input shape.
    /// - Throws: ``LayerError/incompatibleInput(layer:expected:got:)`` unless it is rank 4.
    public override func build(inputShape: [Int]) throws {
        try checkGlobalPoolingInput(inputShape)
    }

    /// `operation` (``Tensor/globalMaxPool2d(_:keepDims:)`` or ``Tensor/globalAvgPool2d(_:keepDims:)``)
    /// on `input`, with this layer's `keepDims`.
    /// - Throws: ``LayerError/incompatibleInput(layer:expected:got:)`` unless the input is rank 4.
    func pooled(_ input: Tensor, by operation: (Tensor, Bool) -> Tensor) throws -> Tensor {
        try checkGlobalPoolingInput(input.shape)
        return operation(input, keepDims)
    }

    /// Global pooling takes `[batch, height, width, channels]`.
    private func checkGlobalPoolingInput(_ shape: [Int]) throws {
        guard shape.count == 4, shape[1] > 0, shape[2] > 0 else {
            throw LayerError.incompatibleInput(layer: name, expected: "[batch, height, width, channels]", got: shape)
        }
    }

    /// `data_format` and `keepdims`.
    public override var configuration: Configuration {
        var configuration = super.configuration
        configuration["data_format"] = "channels_last"
        configuration["keepdims"] = .bool(keepDims)
        if let declaredInputShape { configuration["input_shape"] = .array(declaredInputShape.map { .int($0) }) }
        return configuration
    }

    /// Rebuilds a saved layer of type `typeName`.
    /// - Throws: ``ConfigurationError`` for `channels_first`.
    convenience init(sharedConfiguration configuration: Configuration, typeName: String) throws {
        try configuration.checkChannelsLast(in: typeName)
        self.init(keepDims: configuration["keepdims"]?.boolValue ?? false,
                  inputShape: configuration["input_shape"]?.arrayValue?.compactMap(\.intValue),
                  name: configuration["name"]?.stringValue)
        trainable = configuration["trainable"]?.boolValue ?? true
    }
}
