/// The maximum over all positions, per channel (Keras's `GlobalMaxPooling2D`):
/// `[batch, h, w, c]` → `[batch, c]`, or `[batch, 1, 1, c]` with `keepDims`.
public final class GlobalMaxPooling2D: Layer, ConfigurationRepresentable {
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

    /// The per-channel maxima.
    /// - Throws: ``LayerError/incompatibleInput(layer:expected:got:)`` unless the input is rank 4.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        try checkGlobalPoolingInput(input.shape)
        return Tensor.globalMaxPool2d(input, keepDims: keepDims)
    }

    /// `"GlobalMaxPooling2D"`.
    public static let typeName = "GlobalMaxPooling2D"

    /// `data_format` and `keepdims`.
    public override var configuration: Configuration {
        var configuration = super.configuration
        configuration["data_format"] = "channels_last"
        configuration["keepdims"] = .bool(keepDims)
        if let declaredInputShape { configuration["input_shape"] = .array(declaredInputShape.map { .int($0) }) }
        return configuration
    }

    /// Rebuilds a saved layer.
    /// - Throws: ``ConfigurationError`` for `channels_first`.
    public convenience init(configuration: Configuration) throws {
        try configuration.checkChannelsLast(in: Self.typeName)
        self.init(keepDims: configuration["keepdims"]?.boolValue ?? false,
                  inputShape: configuration["input_shape"]?.arrayValue?.compactMap(\.intValue),
                  name: configuration["name"]?.stringValue)
        trainable = configuration["trainable"]?.boolValue ?? true
    }
}

extension Layer {
    /// Global pooling takes `[batch, height, width, channels]`.
    func checkGlobalPoolingInput(_ shape: [Int]) throws {
        guard shape.count == 4, shape[1] > 0, shape[2] > 0 else {
            throw LayerError.incompatibleInput(layer: name, expected: "[batch, height, width, channels]", got: shape)
        }
    }
}
