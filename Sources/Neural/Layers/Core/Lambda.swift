/// Wraps a function as a layer without weights (Keras's `Lambda`): `Lambda { $0.exp() }`.
/// Saved by name only: register a function under that name to load a model that uses it.
public final class Lambda: Layer {
    private let function: (Tensor) throws -> Tensor

    /// Creates the layer from a function of one input.
    public init(name: String? = nil, _ function: @escaping (Tensor) throws -> Tensor) {
        self.function = function
        super.init(name: name)
    }

    /// The function applied to the input.
    /// - Throws: whatever the function throws.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor { try function(input) }
}
