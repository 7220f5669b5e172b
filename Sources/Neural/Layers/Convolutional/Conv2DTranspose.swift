/// A transposed 2-D convolution ("deconvolution") over channels-last images, which upsamples:
/// `activation(convTranspose(input, kernel) + bias)` (Keras's `Conv2DTranspose`). Input
/// `[batch, height, width, channels]`, kernel `[kh, kw, filters, channels]`; with `.same` padding the
/// output is `[batch, height · sh, width · sw, filters]`, with `.valid`
/// `height · sh + max(kh − sh, 0)` rows (TensorFlow's rules, no output padding).
///
/// ```swift
/// Conv2DTranspose(filters: 128, kernelSize: 4, strides: 2, padding: .same)
/// ```
public final class Conv2DTranspose: Layer, ConfigurationRepresentable {
    /// The number of output channels.
    public let filters: Int
    /// The window's height and width.
    public let kernelSize: Size2D
    /// The upsampling step.
    public let strides: Size2D
    /// `.valid` (the default) or `.same`.
    public let padding: Padding
    /// The spacing between window taps.
    public let dilationRate: Size2D
    /// Applied to the output.
    public let activation: Activation
    /// Whether a bias is added.
    public let useBias: Bool
    /// How the kernel starts (Glorot uniform, as in Keras).
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

    /// `[kh, kw, filters, inputChannels]`, created by `build`.
    public private(set) var kernel: Variable?
    /// `[filters]`, created by `build` when `useBias`.
    public private(set) var bias: Variable?

    /// Creates the layer; its kernel is made on the first call, when the input channels are known.
    public init(
        filters: Int, kernelSize: Size2D, strides: Size2D = 1, padding: Padding = .valid, dilationRate: Size2D = 1,
        activation: Activation = .linear, useBias: Bool = true,
        kernelInitializer: any Initializer = GlorotUniform(), biasInitializer: any Initializer = Zeros(),
        kernelRegularizer: (any Regularizer)? = nil, biasRegularizer: (any Regularizer)? = nil,
        kernelConstraint: (any Constraint)? = nil, biasConstraint: (any Constraint)? = nil,
        inputShape: [Int]? = nil, name: String? = nil
    ) {
        self.filters = filters
        self.kernelSize = kernelSize
        self.strides = strides
        self.padding = padding
        self.dilationRate = dilationRate
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

    /// Makes the kernel and bias for `[batch, height, width, channels]` inputs.
    /// - Throws: ``LayerError`` for non-positive sizes, strides and dilation both above 1, or an
    ///   input that is not rank 4.
    public override func build(inputShape: [Int]) throws {
        guard filters > 0 else { throw LayerError.invalidArgument(layer: name, message: "filters must be positive, got \(filters)") }
        try checkPositive([("kernel_size", kernelSize), ("strides", strides), ("dilation_rate", dilationRate)])
        if (strides.height > 1 || strides.width > 1) && (dilationRate.height > 1 || dilationRate.width > 1) {
            throw LayerError.invalidArgument(
                layer: name, message: "strides \(strides) > 1 cannot be combined with dilation_rate \(dilationRate) > 1")
        }
        guard inputShape.count == 4, inputShape[3] > 0 else {
            throw LayerError.incompatibleInput(layer: name, expected: "[batch, height, width, channels]", got: inputShape)
        }
        kernel = addWeight(name: "kernel", shape: [kernelSize.height, kernelSize.width, filters, inputShape[3]],
                           initializer: kernelInitializer, regularizer: kernelRegularizer, constraint: kernelConstraint)
        if useBias {
            bias = addWeight(name: "bias", shape: [filters], initializer: biasInitializer,
                             regularizer: biasRegularizer, constraint: biasConstraint)
        }
    }

    /// The transposed convolution, bias and activation.
    /// - Throws: ``LayerError/incompatibleInput(layer:expected:got:)`` when the input is not rank 4 or
    ///   has other channels than the layer was built with.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        guard let kernel else { throw LayerError.notBuilt(layer: name, what: "call") }
        guard input.rank == 4, input.shape[3] == kernel.shape[3] else {
            throw LayerError.incompatibleInput(layer: name, expected: "[batch, height, width, \(kernel.shape[3])]", got: input.shape)
        }
        let fused = activation.fusedForm
        let output = Tensor.conv2dTranspose(input, filter: kernel.value, bias: bias?.value, strides: strides,
                                            padding: padding, dilations: dilationRate, activation: fused ?? .identity)
        return fused == nil ? activation(output) : output
    }

    /// `"Conv2DTranspose"`.
    public static let typeName = "Conv2DTranspose"

    /// Keras's keys, as for ``Conv2D`` plus `output_padding` (always null).
    public override var configuration: Configuration {
        var configuration = super.configuration
        configuration["filters"] = .int(filters)
        configuration["kernel_size"] = kernelSize.configValue
        configuration["strides"] = strides.configValue
        configuration["padding"] = padding.configValue
        configuration["output_padding"] = .null
        configuration["data_format"] = "channels_last"
        configuration["dilation_rate"] = dilationRate.configValue
        configuration["activation"] = activation.identifier
        configuration["use_bias"] = .bool(useBias)
        configuration["kernel_initializer"] = serialize(kernelInitializer)
        configuration["bias_initializer"] = serialize(biasInitializer)
        configuration["kernel_regularizer"] = kernelRegularizer.map(serialize) ?? .null
        configuration["bias_regularizer"] = biasRegularizer.map(serialize) ?? .null
        configuration["activity_regularizer"] = .null
        configuration["kernel_constraint"] = kernelConstraint.map(serialize) ?? .null
        configuration["bias_constraint"] = biasConstraint.map(serialize) ?? .null
        if let declaredInputShape { configuration["input_shape"] = .array(declaredInputShape.map { .int($0) }) }
        return configuration
    }

    /// Rebuilds a saved layer.
    /// - Throws: ``ConfigurationError`` naming the key at fault (including an `output_padding`, an
    ///   activity regularizer and `channels_first`, which are not supported).
    public convenience init(configuration: Configuration) throws {
        try configuration.checkChannelsLast(in: Self.typeName)
        if let outputPadding = configuration["output_padding"], outputPadding != .null {
            throw configuration.invalid("output_padding", in: Self.typeName, expected: "null (output padding is not supported)")
        }
        if let activity = configuration["activity_regularizer"], activity != .null {
            throw configuration.invalid("activity_regularizer", in: Self.typeName, expected: "null (not supported)")
        }
        self.init(
            filters: try configuration.int("filters", in: Self.typeName),
            kernelSize: try configuration.requiredSize2D("kernel_size", in: Self.typeName),
            strides: try configuration.size2D("strides", in: Self.typeName, default: 1) ?? 1,
            padding: try configuration.padding(in: Self.typeName),
            dilationRate: try configuration.size2D("dilation_rate", in: Self.typeName, default: 1) ?? 1,
            activation: try Activation(identifier: configuration["activation"] ?? "linear"),
            useBias: configuration["use_bias"]?.boolValue ?? true,
            kernelInitializer: try deserialize(configuration["kernel_initializer"], default: GlorotUniform() as any Initializer),
            biasInitializer: try deserialize(configuration["bias_initializer"], default: Zeros() as any Initializer),
            kernelRegularizer: try deserializeOptional(configuration["kernel_regularizer"], as: (any Regularizer).self),
            biasRegularizer: try deserializeOptional(configuration["bias_regularizer"], as: (any Regularizer).self),
            kernelConstraint: try deserializeOptional(configuration["kernel_constraint"], as: (any Constraint).self),
            biasConstraint: try deserializeOptional(configuration["bias_constraint"], as: (any Constraint).self),
            inputShape: configuration["input_shape"]?.arrayValue?.compactMap(\.intValue),
            name: configuration["name"]?.stringValue)
        trainable = configuration["trainable"]?.boolValue ?? true
    }
}
