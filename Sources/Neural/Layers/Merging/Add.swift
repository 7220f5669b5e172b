/// Adds its inputs elementwise (Keras's `Add`), e.g. a residual connection.
public final class Add: Layer, ConfigurationRepresentable {
    /// Creates the layer.
    public init(name: String? = nil) { super.init(name: name) }

    /// The sum of the inputs.
    /// - Throws: ``LayerError`` for fewer than two inputs or shapes that differ.
    public override func call(_ inputs: [Tensor], training: Bool) throws -> Tensor {
        guard let first = inputs.first, inputs.count >= 2 else {
            throw LayerError.wrongInputCount(layer: name, expected: "2 or more", got: inputs.count)
        }
        for input in inputs.dropFirst() where input.shape != first.shape {
            throw LayerError.incompatibleInput(layer: name, expected: "\(first.shape) like the first input", got: input.shape)
        }
        return inputs.dropFirst().reduce(first, +)
    }

    /// `"Add"`.
    public static let typeName = "Add"

    /// Rebuilds a saved layer.
    public convenience init(configuration: Configuration) throws {
        self.init(name: configuration["name"]?.stringValue)
    }
}
