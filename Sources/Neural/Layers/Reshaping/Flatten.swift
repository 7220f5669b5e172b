/// Flattens each sample into a vector: `[batch, 28, 28]` → `[batch, 784]` (Keras's `Flatten`).
public final class Flatten: Layer, ConfigurationRepresentable {
    /// Creates the layer; `inputShape` (e.g. `[28, 28]`) lets a Sequential built on it exist before data.
    public init(inputShape: [Int]? = nil, name: String? = nil) {
        super.init(name: name, inputShape: inputShape)
    }

    /// `[batch, ...]` → `[batch, product of the rest]`.
    /// - Throws: ``LayerError/incompatibleInput(layer:expected:got:)`` for a rank-0 input.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        guard let batch = input.shape.first else {
            throw LayerError.incompatibleInput(layer: name, expected: "[batch, ...]", got: input.shape)
        }
        return input.reshaped(to: [batch, input.shape.dropFirst().reduce(1, *)])
    }

    /// `"Flatten"`.
    public static let typeName = "Flatten"

    /// Rebuilds a saved layer.
    public convenience init(configuration: Configuration) throws {
        self.init(inputShape: configuration["input_shape"]?.arrayValue?.compactMap(\.intValue),
                  name: configuration["name"]?.stringValue)
    }

    /// The name and the declared input shape.
    public override var configuration: Configuration {
        var configuration = super.configuration
        if let declaredInputShape { configuration["input_shape"] = .array(declaredInputShape.map { .int($0) }) }
        return configuration
    }
}
