/// How a convolution or pooling window treats the border (TensorFlow's `padding`).
public enum Padding: String, Sendable, CaseIterable {
    /// No padding: windows lie wholly inside the input, so the output shrinks.
    case valid
    /// Zero padding so that the output has `ceil(input / stride)` positions; when the padding is odd,
    /// the extra pixel goes on the bottom and right (TensorFlow's rule).
    case same
}

/// A height and a width: a kernel size, strides, dilation rates, a pool size or an upsampling factor.
///
/// Written `3` for both or `[3, 5]` for height and width; an array literal of another length makes an
/// invalid size (0 × 0) that layers reject when they are built.
public struct Size2D: Sendable, Hashable, CustomStringConvertible, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral {
    /// The vertical extent.
    public var height: Int
    /// The horizontal extent.
    public var width: Int

    /// A size from its two extents.
    public init(_ height: Int, _ width: Int) {
        self.height = height
        self.width = width
    }

    /// The same extent both ways.
    public init(_ both: Int) { self.init(both, both) }

    /// The same extent both ways: `kernelSize: 3`.
    public init(integerLiteral value: Int) { self.init(value) }

    /// `[height, width]`, or `[both]`.
    public init(arrayLiteral elements: Int...) {
        switch elements.count {
        case 1: self.init(elements[0])
        case 2: self.init(elements[0], elements[1])
        default: self.init(0, 0)
        }
    }

    /// Whether both extents are at least 1.
    public var isPositive: Bool { height > 0 && width > 0 }

    /// `[height, width]`, as Keras's configurations store it.
    public var pair: [Int] { [height, width] }

    /// `height x width`.
    public var description: String { "\(height)x\(width)" }
}

/// The arithmetic of a 2-D window sliding over an NHWC input: output size and padding per axis,
/// following TensorFlow (`SAME`: `ceil(in / stride)` outputs, total padding
/// `max((out - 1) * stride + effectiveKernel - in, 0)`, the odd pixel after).
public struct Conv2DGeometry: Sendable, Equatable {
    /// Samples in the batch.
    public let batch: Int
    /// Input rows.
    public let inputHeight: Int
    /// Input columns.
    public let inputWidth: Int
    /// Channels of the input.
    public let channels: Int
    /// Window rows (before dilation).
    public let kernelHeight: Int
    /// Window columns (before dilation).
    public let kernelWidth: Int
    /// Step between windows, vertically and horizontally.
    public let strides: Size2D
    /// Spacing between window taps (1: adjacent).
    public let dilations: Size2D
    /// Zero rows added above the input.
    public let padTop: Int
    /// Zero columns added left of the input.
    public let padLeft: Int
    /// Output rows.
    public let outputHeight: Int
    /// Output columns.
    public let outputWidth: Int

    /// The geometry of a `kernel` window over an input of shape `[batch, height, width, channels]`.
    ///
    /// - Throws: ``TensorError/invalidArgument(op:message:)`` naming `op` when the input is not rank
    ///   4, a size is not positive, or a `.valid` window is larger than the input.
    public init(
        inputShape: [Int], kernel: Size2D, strides: Size2D, dilations: Size2D = 1, padding: Padding, op: String
    ) throws(TensorError) {
        guard inputShape.count == 4, inputShape.allSatisfy({ $0 >= 0 }) else {
            throw .invalidArgument(op: op, message: "input shape \(inputShape) is not [batch, height, width, channels]")
        }
        guard kernel.isPositive, strides.isPositive, dilations.isPositive else {
            throw .invalidArgument(
                op: op, message: "kernel \(kernel), strides \(strides) and dilations \(dilations) must all be positive")
        }
        let (rows, top) = try Conv2DGeometry.axis(
            inputShape[1], kernel.height, strides.height, dilations.height, padding, op: op, name: "height")
        let (columns, left) = try Conv2DGeometry.axis(
            inputShape[2], kernel.width, strides.width, dilations.width, padding, op: op, name: "width")
        batch = inputShape[0]
        inputHeight = inputShape[1]
        inputWidth = inputShape[2]
        channels = inputShape[3]
        kernelHeight = kernel.height
        kernelWidth = kernel.width
        self.strides = strides
        self.dilations = dilations
        padTop = top
        padLeft = left
        outputHeight = rows
        outputWidth = columns
    }

    /// The output size of one axis and the padding before it.
    static func axis(
        _ size: Int, _ kernel: Int, _ stride: Int, _ dilation: Int, _ padding: Padding, op: String, name: String
    ) throws(TensorError) -> (output: Int, padBefore: Int) {
        let effective = (kernel - 1) * dilation + 1
        switch padding {
        case .valid:
            guard size >= effective else {
                throw .invalidArgument(
                    op: op, message: "input \(name) \(size) is smaller than the (dilated) window \(effective) with padding 'valid'")
            }
            return ((size - effective) / stride + 1, 0)
        case .same:
            let output = (size + stride - 1) / stride
            let total = Swift.max((output - 1) * stride + effective - size, 0)
            return (output, total / 2)
        }
    }

    /// The size of one axis after a transposed convolution (Keras's `deconv_output_length` without
    /// output padding): `in * stride` for `.same`, `in * stride + max(effectiveKernel - stride, 0)` for
    /// `.valid`.
    public static func transposedOutputSize(
        inputSize: Int, kernel: Int, stride: Int, dilation: Int = 1, padding: Padding
    ) -> Int {
        let effective = (kernel - 1) * dilation + 1
        switch padding {
        case .same: return inputSize * stride
        case .valid: return inputSize * stride + Swift.max(effective - stride, 0)
        }
    }

    /// `[batch, outputHeight, outputWidth, outputChannels]`.
    public func outputShape(channels outputChannels: Int) -> [Int] {
        [batch, outputHeight, outputWidth, outputChannels]
    }

    /// The input's shape `[batch, height, width, channels]`.
    public var inputShape: [Int] { [batch, inputHeight, inputWidth, channels] }

    /// Output positions over the whole batch: the rows of the im2col matrix.
    var outputPositions: Int { batch * outputHeight * outputWidth }

    /// Values in one window over all channels: the columns of the im2col matrix.
    var windowSize: Int { kernelHeight * kernelWidth * channels }

    /// Whether the im2col matrix is the input itself (1x1 window, stride 1, no padding).
    var isPointwise: Bool {
        kernelHeight == 1 && kernelWidth == 1 && strides.height == 1 && strides.width == 1
    }
}
