/// A transposed 2-D convolution ("deconvolution") over channels-last images, which upsamples:
/// `activation(convTranspose(input, kernel) + bias)` (Keras's `Conv2DTranspose`). Input
/// `[batch, height, width, channels]`, kernel `[kh, kw, filters, channels]`; with `.same` padding the
/// output is `[batch, height · sh, width · sw, filters]`, with `.valid`
/// `height · sh + max(kh − sh, 0)` rows (TensorFlow's rules, no output padding).
///
/// ```swift
/// Conv2DTranspose(filters: 128, kernelSize: 4, strides: 2, padding: .same)
/// ```
///
/// Its arguments, kernel and bias are ``BaseConv2D``'s; `strides` is the upsampling step.
public final class Conv2DTranspose: BaseConv2D, ConfigurationRepresentable {
    /// Makes the kernel and bias for `[batch, height, width, channels]` inputs.
    /// - Throws: ``LayerError`` for non-positive sizes, strides and dilation both above 1, or an
    ///   input that is not rank 4.
    public override func build(inputShape: [Int]) throws {
        try checkConvolutionArguments()
        guard inputShape.count == 4, inputShape[3] > 0 else {
            throw LayerError.incompatibleInput(layer: name, expected: "[batch, height, width, channels]", got: inputShape)
        }
        addKernelAndBias(kernelShape: [kernelSize.height, kernelSize.width, filters, inputShape[3]])
    }

    /// The transposed convolution, bias and activation.
    /// - Throws: ``LayerError/incompatibleInput(layer:expected:got:)`` when the input is not rank 4 or
    ///   has other channels than the layer was built with.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        guard let kernel else { throw LayerError.notBuilt(layer: name, what: "call") }
        guard input.rank == 4, input.shape[3] == kernel.shape[3] else {
            throw LayerError.incompatibleInput(layer: name, expected: "[batch, height, width, \(kernel.shape[3])]", got: input.shape)
        }
        return convolved(input, kernel: kernel, by: Tensor.conv2dTranspose)
    }

    /// `"Conv2DTranspose"`.
    public static let typeName = "Conv2DTranspose"

    /// Keras's keys, as for ``Conv2D`` plus `output_padding` (always null).
    public override var configuration: Configuration {
        var configuration = super.configuration
        configuration["output_padding"] = .null
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
        try self.init(sharedConfiguration: configuration, typeName: Self.typeName)
    }
}
