import CDNNL

/// Which kernels the convolution ops run on.
///
/// `.fast` (the default) runs `conv2d`, `conv2dBackpropInput`, `conv2dBackpropFilter` (and so
/// `conv2dTranspose`) on oneDNN (Debian's `libdnnl-dev`, the library TensorFlow uses on CPUs), with
/// Keras's NHWC data and HWIO filters kept as they are and the filter reordered into oneDNN's blocked
/// layout inside; oneDNN picks its kernels for the machine at run time (AVX-512, AVX2, SSE4.1). When
/// oneDNN declines a shape, the op falls back to the reference kernels. `.reference` is the path from
/// before issue 16: im2col + one OpenBLAS `sgemm` per batch block and col2im for the input gradient.
/// It stays for comparison (`tuner-bench cnn` measures both) and for tests that check one against the
/// other. Pooling has its own switch, ``PoolingKernels``. See docs/convolutions.md,
/// "Kernels".
public enum ConvolutionKernels: String, Sendable, CaseIterable {
    /// oneDNN convolutions.
    case fast
    /// im2col + sgemm convolutions.
    case reference

    /// The kernels of the current task (or thread); `.fast` unless inside ``with(_:_:)``.
    public static var current: ConvolutionKernels { scoped }

    /// Runs `body` with the ops on `kernels` for the current task (or thread) only.
    public static func with<T>(_ kernels: ConvolutionKernels, _ body: () throws -> T) rethrows -> T {
        try $scoped.withValue(kernels, operation: body)
    }

    @TaskLocal private static var scoped: ConvolutionKernels = .fast
}

extension Conv2DGeometry {
    /// This geometry as oneDNN's wrapper takes it, with `outputChannels` filters. oneDNN wants the
    /// padding after each axis too: what TensorFlow's arithmetic implies, or 0 when a `.valid`
    /// window leaves the last rows or columns unread (oneDNN's output size rounds down the same way).
    func oneDNN(outputChannels: Int) -> tuner_conv2d_geometry {
        let effectiveHeight = (kernelHeight - 1) * dilations.height + 1
        let effectiveWidth = (kernelWidth - 1) * dilations.width + 1
        let padBottom = Swift.max(0, (outputHeight - 1) * strides.height + effectiveHeight - inputHeight - padTop)
        let padRight = Swift.max(0, (outputWidth - 1) * strides.width + effectiveWidth - inputWidth - padLeft)
        return tuner_conv2d_geometry(
            batch: Int64(batch), inputHeight: Int64(inputHeight), inputWidth: Int64(inputWidth),
            inputChannels: Int64(channels), outputHeight: Int64(outputHeight), outputWidth: Int64(outputWidth),
            outputChannels: Int64(outputChannels), kernelHeight: Int64(kernelHeight), kernelWidth: Int64(kernelWidth),
            strideHeight: Int64(strides.height), strideWidth: Int64(strides.width),
            dilationHeight: Int64(dilations.height), dilationWidth: Int64(dilations.width),
            padTop: Int64(padTop), padLeft: Int64(padLeft), padBottom: Int64(padBottom), padRight: Int64(padRight))
    }

    /// Whether the fast kernels take this convolution: `.fast` is current and nothing is empty.
    func usesOneDNN(outputChannels: Int) -> Bool {
        ConvolutionKernels.current == .fast && outputPositions > 0 && windowSize > 0 && outputChannels > 0
    }
}

/// The thread count oneDNN runs with: OpenBLAS's, so one setting (``BLAS/setThreadCount(_:)``,
/// ``BLAS/withThreadCount(_:_:)``) governs every product.
var oneDNNThreads: Int32 { Int32(Swift.max(1, BLAS.threadCount)) }
