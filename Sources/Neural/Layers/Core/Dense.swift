/// A fully connected layer: `activation(input · kernel + bias)` (Keras's `Dense`).
///
/// ReLU, sigmoid, tanh and linear activations are fused into the matrix product (one pass for bias
/// and activation); others are applied after it.
public final class Dense: Layer, ConfigurationRepresentable {
    /// The number of outputs.
    public let units: Int
    /// Applied to the output.
    public let activation: Activation
    /// Whether a bias is added.
    public let useBias: Bool
    /// How the kernel starts (Glorot uniform by default, as in Keras).
    public let kernelInitializer: any Initializer
    /// How the bias starts (zeros).
    public let biasInitializer: any Initializer
    /// A penalty on the kernel added to the model's losses.
    public let kernelRegularizer: (any Regularizer)?
    /// A penalty on the bias.
    public let biasRegularizer: (any Regularizer)?
    /// Applied to the kernel after each update.
    public let kernelConstraint: (any Constraint)?
    /// Applied to the bias after each update.
    public let biasConstraint: (any Constraint)?

    /// `[inputFeatures, units]`, created by `build`.
    public private(set) var kernel: Variable?
    /// `[units]`, created by `build` when `useBias`.
    public private(set) var bias: Variable?

    /// Creates the layer; its kernel is made on the first call, when the input size is known.
    public init(
        units: Int, activation: Activation = .linear, useBias: Bool = true,
        kernelInitializer: any Initializer = GlorotUniform(), biasInitializer: any Initializer = Zeros(),
        kernelRegularizer: (any Regularizer)? = nil, biasRegularizer: (any Regularizer)? = nil,
        kernelConstraint: (any Constraint)? = nil, biasConstraint: (any Constraint)? = nil,
        inputShape: [Int]? = nil, name: String? = nil
    ) {
        self.units = units
        self.activation = activation
        self.useBias = useBias
        self.kernelInitializer = kernelInitializer
        self.biasInitializer = biasInitializer
        self.kernelRegularizer = kernelRegularizer
        self.biasRegularizer = biasRegularizer
        self.kernelConstraint = kernelConstraint
        self.biasConstraint = biasConstraint
        super.init(name: name, inputShape: inputShape)
    }

    /// Creates the layer with its input size known, so its weights exist at once
    /// (Swift for TensorFlow's `Dense(inputSize:outputSize:activation:)`).
    public convenience init(inputSize: Int, outputSize: Int, activation: Activation = .linear, name: String? = nil) {
        self.init(units: outputSize, activation: activation, name: name)
        try? buildIfNeeded([[1, inputSize]])
    }

    /// Makes the kernel and bias for inputs whose last dimension is the feature count.
    /// - Throws: ``LayerError`` when `units` is not positive or the input has no feature dimension.
    public override func build(inputShape: [Int]) throws {
        guard units > 0 else { throw LayerError.invalidArgument(layer: name, message: "units must be positive, got \(units)") }
        guard let features = inputShape.last, inputShape.count >= 2, features > 0 else {
            throw LayerError.incompatibleInput(layer: name, expected: "[batch, ..., features]", got: inputShape)
        }
        kernel = addWeight(name: "kernel", shape: [features, units], initializer: kernelInitializer,
                           regularizer: kernelRegularizer, constraint: kernelConstraint)
        if useBias {
            bias = addWeight(name: "bias", shape: [units], initializer: biasInitializer,
                             regularizer: biasRegularizer, constraint: biasConstraint)
        }
    }

    /// `activation(input · kernel + bias)`.
    /// - Throws: ``LayerError/incompatibleInput(layer:expected:got:)`` when the feature count differs
    ///   from the one the layer was built with.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        guard let kernel else { throw LayerError.notBuilt(layer: name, what: "call") }
        guard input.shape.last == kernel.shape[0] else {
            throw LayerError.incompatibleInput(layer: name, expected: "[batch, ..., \(kernel.shape[0])]", got: input.shape)
        }
        if let fused = activation.fusedForm {
            return Tensor.dense(input, weight: kernel.value, bias: bias?.value, activation: fused)
        }
        return activation(Tensor.dense(input, weight: kernel.value, bias: bias?.value, activation: .identity))
    }

    /// `"Dense"`.
    public static let typeName = "Dense"

    /// Units, activation, bias use, initializers, regularizers and constraints, as Keras saves them.
    public override var configuration: Configuration {
        var configuration = super.configuration
        configuration["units"] = .int(units)
        configuration["activation"] = activation.identifier
        configuration["use_bias"] = .bool(useBias)
        configuration["kernel_initializer"] = serialize(kernelInitializer)
        configuration["bias_initializer"] = serialize(biasInitializer)
        configuration["kernel_regularizer"] = kernelRegularizer.map(serialize) ?? .null
        configuration["bias_regularizer"] = biasRegularizer.map(serialize) ?? .null
        configuration["kernel_constraint"] = kernelConstraint.map(serialize) ?? .null
        configuration["bias_constraint"] = biasConstraint.map(serialize) ?? .null
        return configuration
    }

    /// Rebuilds a saved layer.
    /// - Throws: ``ConfigurationError`` naming the key at fault.
    public convenience init(configuration: Configuration) throws {
        self.init(
            units: try configuration.int("units", in: Self.typeName),
            activation: try Activation(identifier: configuration["activation"] ?? "linear"),
            useBias: configuration["use_bias"]?.boolValue ?? true,
            kernelInitializer: try deserialize(configuration["kernel_initializer"], default: GlorotUniform() as any Initializer),
            biasInitializer: try deserialize(configuration["bias_initializer"], default: Zeros() as any Initializer),
            kernelRegularizer: try deserializeOptional(configuration["kernel_regularizer"], as: (any Regularizer).self),
            biasRegularizer: try deserializeOptional(configuration["bias_regularizer"], as: (any Regularizer).self),
            kernelConstraint: try deserializeOptional(configuration["kernel_constraint"], as: (any Constraint).self),
            biasConstraint: try deserializeOptional(configuration["bias_constraint"], as: (any Constraint).self),
            name: configuration["name"]?.stringValue)
        trainable = configuration["trainable"]?.boolValue ?? true
    }
}
