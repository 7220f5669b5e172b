/// What ``Conv2D`` and ``Conv2DTranspose`` share (Keras's `BaseConv`): their arguments, kernel and
/// bias, the checks on the arguments, and the Keras configuration keys both save and read.
///
/// Use one of the two subclasses; this class has no forward pass of its own (calling it throws
/// ``LayerError/callNotImplemented(layer:)``) and cannot be saved.
public class BaseConv2D: Layer {
    /// The number of output channels.
    public let filters: Int
    /// The window's height and width.
    public let kernelSize: Size2D
    /// The step between windows (for ``Conv2DTranspose``, the upsampling step).
    public let strides: Size2D
    /// `.valid` (no padding, the default) or `.same`.
    public let padding: Padding
    /// The spacing between window taps (atrous convolution).
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

    /// Created by `build`: `[kh, kw, inputChannels, filters]` for ``Conv2D``,
    /// `[kh, kw, filters, inputChannels]` for ``Conv2DTranspose``.
    public private(set) var kernel: Variable?
    /// `[filters]`, created by `build` when `useBias`.
    public private(set) var bias: Variable?

    /// Creates the layer; its kernel is made on the first call, when the input channels are known.
    ///
    /// ```swift
    /// Conv2D(filters: 32, kernelSize: 3, strides: 2, padding: .same, activation: .relu)
    /// Conv2DTranspose(filters: 128, kernelSize: 4, strides: 2, padding: .same)
    /// ```
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

    /// Checks the arguments a build needs: positive filters and sizes, and not both strides and
    /// dilation above 1 (as Keras).
    /// - Throws: ``LayerError/invalidArgument(layer:message:)`` naming the argument at fault.
    func checkConvolutionArguments() throws {
        guard filters > 0 else { throw LayerError.invalidArgument(layer: name, message: "filters must be positive, got \(filters)") }
        try checkPositive([("kernel_size", kernelSize), ("strides", strides), ("dilation_rate", dilationRate)])
        if (strides.height > 1 || strides.width > 1) && (dilationRate.height > 1 || dilationRate.width > 1) {
            throw LayerError.invalidArgument(
                layer: name, message: "strides \(strides) > 1 cannot be combined with dilation_rate \(dilationRate) > 1")
        }
    }

    /// Adds the kernel (of `kernelShape`) and, with `useBias`, the bias.
    func addKernelAndBias(kernelShape: [Int]) {
        kernel = addWeight(name: "kernel", shape: kernelShape,
                           initializer: kernelInitializer, regularizer: kernelRegularizer, constraint: kernelConstraint)
        if useBias {
            bias = addWeight(name: "bias", shape: [filters], initializer: biasInitializer,
                             regularizer: biasRegularizer, constraint: biasConstraint)
        }
    }

    /// `operation` (``Tensor/conv2d(_:filter:bias:strides:padding:dilations:activation:)`` or its
    /// transpose) on `input` with `kernel`, this layer's bias, strides, padding and dilation, then the
    /// activation: in the same pass when it has a fused form, after it otherwise.
    func convolved(
        _ input: Tensor, kernel: Variable,
        by operation: (Tensor, Tensor, Tensor?, Size2D, Padding, Size2D, FusedActivation) -> Tensor
    ) -> Tensor {
        let fused = activation.fusedForm
        let output = operation(input, kernel.value, bias?.value, strides, padding, dilationRate, fused ?? .identity)
        return fused == nil ? activation(output) : output
    }

    /// Keras's keys both subclasses save: filters, kernel size, strides, padding, data format,
    /// dilation, activation, bias use, initializers, regularizers and constraints.
    public override var configuration: Configuration {
        var configuration = super.configuration
        configuration["filters"] = .int(filters)
        configuration["kernel_size"] = kernelSize.configValue
        configuration["strides"] = strides.configValue
        configuration["padding"] = padding.configValue
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

    /// Rebuilds a saved layer from the keys both subclasses share, once the subclass has checked
    /// `data_format` and its own keys.
    /// - Throws: ``ConfigurationError`` naming the key at fault in `typeName` (including an
    ///   activity regularizer, which is not supported).
    convenience init(sharedConfiguration configuration: Configuration, typeName: String) throws {
        if let activity = configuration["activity_regularizer"], activity != .null {
            throw configuration.invalid("activity_regularizer", in: typeName, expected: "null (not supported)")
        }
        self.init(
            filters: try configuration.int("filters", in: typeName),
            kernelSize: try configuration.requiredSize2D("kernel_size", in: typeName),
            strides: try configuration.size2D("strides", in: typeName, default: 1) ?? 1,
            padding: try configuration.padding(in: typeName),
            dilationRate: try configuration.size2D("dilation_rate", in: typeName, default: 1) ?? 1,
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
