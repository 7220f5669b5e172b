/// Applies an activation function to its input (Keras's `Activation` layer, saved under that class
/// name): `ActivationLayer(.relu)`, `try ActivationLayer(named: "selu")`.
///
/// Named `ActivationLayer` in Swift because ``Activation`` is the function value it wraps.
public final class ActivationLayer: Layer, ConfigurationRepresentable {
    /// The function applied.
    public let activation: Activation

    /// Creates the layer; without a name it is called `activation`, `activation_1`, ... as in Keras.
    public init(_ activation: Activation, inputShape: [Int]? = nil, name: String? = nil) {
        self.activation = activation
        super.init(name: name ?? LayerNames.unique(for: "Activation"), inputShape: inputShape)
    }

    /// Creates the layer from an activation's Keras name (`"relu"`, `"leaky_relu"`, a registered
    /// custom name).
    /// - Throws: ``ConfigurationError`` for an unknown name.
    public convenience init(named activationName: String, inputShape: [Int]? = nil, name: String? = nil) throws {
        self.init(try Activation(named: activationName), inputShape: inputShape, name: name)
    }

    /// `activation(input)`, differentiable as the activation's tensor op is.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor { activation(input) }

    /// `"Activation"`.
    public static let typeName = "Activation"

    /// The activation, as Keras saves it (its name, or its object form when it has arguments).
    public override var configuration: Configuration {
        var configuration = super.configuration
        configuration["activation"] = activation.identifier
        return configuration
    }

    /// Rebuilds a saved layer.
    /// - Throws: ``ConfigurationError`` without an activation or with an unknown one.
    public convenience init(configuration: Configuration) throws {
        guard let identifier = configuration["activation"] else {
            throw ConfigurationError.missingKey(type: Self.typeName, key: "activation")
        }
        self.init(try Activation(identifier: identifier), name: configuration["name"]?.stringValue)
        trainable = configuration["trainable"]?.boolValue ?? true
    }
}
