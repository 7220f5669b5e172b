/// A plain stack of layers, each feeding the next (Keras's `Sequential`).
///
/// ```swift
/// let model = Sequential([
///     Flatten(inputShape: [28, 28]),
///     Dense(units: 300, activation: .relu),
///     Dense(units: 100, activation: .relu),
///     Dense(units: 10, activation: .softmax),
/// ])
/// ```
public final class Sequential: Model, ConfigurationRepresentable {
    /// The layers in order.
    public private(set) var layers: [Layer]

    /// Creates the stack. If the first layer is an ``Input`` (or knows its input shape), the model is
    /// built at once, so `summary()` works before any data is seen.
    public init(_ layers: [Layer] = [], name: String? = nil) {
        self.layers = layers
        super.init(name: name)
        try? buildFromDeclaredInputShape()
    }

    /// Appends a layer (Keras's `add`). Once the model is built (it started with an ``Input``), the
    /// new layer is built at once from its predecessor's output, so `summary()` counts it.
    public func add(_ layer: Layer) {
        layers.append(layer)
        invalidateTracking()
        if isBuilt, let shape = builtInputShapes.first {
            try? build(inputShape: shape)
        } else {
            try? buildFromDeclaredInputShape()
        }
    }

    /// Removes the last layer (Keras's `pop`).
    @discardableResult
    public func pop() -> Layer? {
        let layer = layers.popLast()
        invalidateTracking()
        return layer
    }

    /// Builds every layer in turn from the input shape.
    /// - Throws: ``LayerError`` from a layer that cannot take its predecessor's output.
    public override func build(inputShape: [Int]) throws {
        var shape = inputShape
        for layer in layers {
            let probe = Tensor(zeros: [1] + shape.dropFirst())
            let output = try withoutRecording { try layer(probe, training: false) }
            shape = [inputShape.first ?? 1] + output.shape.dropFirst()
        }
    }

    /// Runs the layers in order.
    /// - Throws: ``LayerError`` from a layer.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        var x = input
        for layer in layers { x = try layer(x, training: training) }
        return x
    }

    private func buildFromDeclaredInputShape() throws {
        guard !isBuilt, let shape = layers.first?.declaredInputShape else { return }
        try buildIfNeeded([[1] + shape])
    }

    /// `"Sequential"`.
    public static let typeName = "Sequential"

    /// The layers' class names and configurations, in order, and once built the input shape it was
    /// built with (`build_input_shape`, batch dimension `null`, as Keras 2 saves it), so that a loaded
    /// stack is built at once.
    public override var configuration: Configuration {
        var configuration = super.configuration
        configuration["layers"] = .array(layers.map(serialize))
        if isBuilt, let shape = builtInputShapes.first, !shape.isEmpty {
            configuration["build_input_shape"] = .array([.null] + shape.dropFirst().map { .int($0) })
        }
        return configuration
    }

    /// Rebuilds a saved stack (layer types through ``ObjectRegistry``), built when the configuration
    /// has a `build_input_shape`.
    /// - Throws: ``ConfigurationError`` naming the layer or key at fault, and ``LayerError`` when the
    ///   layers cannot take the saved input shape.
    public convenience init(configuration: Configuration) throws {
        let layers = try (configuration["layers"]?.arrayValue ?? []).map { value -> Layer in
            guard let layer = try deserializeOptional(value, as: Layer.self) else {
                throw ConfigurationError.invalidValue(type: Self.typeName, key: "layers", expected: "layer configurations", found: value)
            }
            return layer
        }
        self.init(layers, name: configuration["name"]?.stringValue)
        trainable = configuration["trainable"]?.boolValue ?? true
        if let value = configuration["build_input_shape"], value != .null {
            let dimensions = value.arrayValue ?? []
            let sample = dimensions.dropFirst().compactMap(\.intValue)
            guard !dimensions.isEmpty, sample.count == dimensions.count - 1 else {
                throw ConfigurationError.invalidValue(type: Self.typeName, key: "build_input_shape",
                                                      expected: "[null, d1, d2, ...]", found: value)
            }
            try buildIfNeeded([[1] + sample])
        }
    }
}
