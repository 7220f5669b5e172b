/// A 2-D convolution over channels-last images: `activation(conv(input, kernel) + bias)` (Keras's
/// `Conv2D`). Input `[batch, height, width, channels]`, kernel `[kh, kw, channels, filters]`.
///
/// ```swift
/// Conv2D(filters: 32, kernelSize: 3, strides: 2, padding: .same, activation: .relu)
/// ```
///
/// ReLU, sigmoid, tanh and linear activations are applied in the same pass as the bias (one im2col
/// product over the whole batch); others are applied after it. Its arguments, kernel and bias are
/// ``BaseConv2D``'s.
public final class Conv2D: BaseConv2D, ConfigurationRepresentable {
    /// Makes the kernel and bias for `[batch, height, width, channels]` inputs.
    /// - Throws: ``LayerError`` for non-positive sizes, strides and dilation both above 1 (as Keras),
    ///   or an input that is not rank 4 or too small for the window.
    public override func build(inputShape: [Int]) throws {
        try checkConvolutionArguments()
        _ = try windowGeometry(inputShape, kernel: kernelSize, strides: strides, dilations: dilationRate, padding: padding)
        guard inputShape[3] > 0 else {
            throw LayerError.incompatibleInput(layer: name, expected: "[batch, height, width, channels > 0]", got: inputShape)
        }
        addKernelAndBias(kernelShape: [kernelSize.height, kernelSize.width, inputShape[3], filters])
    }

    /// The convolution, bias and activation.
    /// - Throws: ``LayerError/incompatibleInput(layer:expected:got:)`` when the input is not rank 4,
    ///   has other channels than the layer was built with, or is too small for the window.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        guard let kernel else { throw LayerError.notBuilt(layer: name, what: "call") }
        _ = try windowGeometry(input.shape, kernel: kernelSize, strides: strides, dilations: dilationRate, padding: padding)
        guard input.shape[3] == kernel.shape[2] else {
            throw LayerError.incompatibleInput(layer: name, expected: "[batch, height, width, \(kernel.shape[2])]", got: input.shape)
        }
        return convolved(input, kernel: kernel, by: Tensor.conv2d)
    }

    /// `"Conv2D"`.
    public static let typeName = "Conv2D"

    /// Keras's keys: filters, kernel size, strides, padding, data format, dilation, groups,
    /// activation, bias use, initializers, regularizers and constraints.
    public override var configuration: Configuration {
        var configuration = super.configuration
        configuration["groups"] = 1
        return configuration
    }

    /// Rebuilds a saved layer.
    /// - Throws: ``ConfigurationError`` naming the key at fault (including `groups` other than 1,
    ///   an activity regularizer and `channels_first`, which are not supported).
    public convenience init(configuration: Configuration) throws {
        try configuration.checkChannelsLast(in: Self.typeName)
        if let groups = configuration["groups"], groups != .null, groups.intValue != 1 {
            throw configuration.invalid("groups", in: Self.typeName, expected: "1 (grouped convolutions are not supported)")
        }
        try self.init(sharedConfiguration: configuration, typeName: Self.typeName)
    }
}
