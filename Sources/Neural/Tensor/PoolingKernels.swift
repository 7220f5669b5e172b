import CPooling

/// Which kernels `maxPool2d` and `avgPool2d` run on.
///
/// `.fast` (the default) runs 2×2 windows at stride 2 that need no padding (every `.valid` 2×2
/// pooling, and `.same` on even sizes: the common case, both of the CNN's poolings) on C loops
/// (`CPooling`, `tuner_pooling.h`) eight channels at a time; the max keeps its winning window
/// position as one byte per output, and only when a tape records; the gradients write each input
/// element once instead of zero-filling and scattering. Every other window runs on the general
/// loops. `.reference` runs every pooling on the general loops (any window, stride and padding), the
/// path before issue 16; it stays for comparison (`tuner-bench maxpool` and `tuner-bench cnn`
/// measure both) and for tests that check one against the other. Both give the same values and
/// gradients (equal as floats: only the sign of a zero can differ). See docs/convolutions.md,
/// "Kernels".
public enum PoolingKernels: String, Sendable, CaseIterable {
    /// The 2×2 stride-2 loops where they apply, the general ones elsewhere.
    case fast
    /// The general loops everywhere.
    case reference

    /// The kernels of the current task (or thread); `.fast` unless inside ``with(_:_:)``.
    public static var current: PoolingKernels { scoped }

    /// Runs `body` with the pooling ops on `kernels` for the current task (or thread) only.
    /// Rethrows what `body` throws.
    public static func with<T>(_ kernels: PoolingKernels, _ body: () throws -> T) rethrows -> T {
        try $scoped.withValue(kernels, operation: body)
    }

    @TaskLocal private static var scoped: PoolingKernels = .fast
}

extension Conv2DGeometry {
    /// Whether the 2×2 stride-2 pooling loops take this window: `.fast` is current, the window is 2×2
    /// at stride 2 and undilated, nothing is padded before, and every window lies inside the input
    /// (an odd last row or column is left unread, as `.valid` does).
    var usesPairPooling: Bool {
        PoolingKernels.current == .fast
            && kernelHeight == 2 && kernelWidth == 2 && strides.height == 2 && strides.width == 2
            && dilations.height == 1 && dilations.width == 1 && padTop == 0 && padLeft == 0
            && 2 * outputHeight <= inputHeight && 2 * outputWidth <= inputWidth
            && outputPositions > 0 && channels > 0
    }

    /// This geometry as `CPooling` takes it (valid when ``usesPairPooling`` holds).
    var pairPooling: tuner_pool2_geometry {
        tuner_pool2_geometry(
            batch: Int64(batch), inputHeight: Int64(inputHeight), inputWidth: Int64(inputWidth),
            channels: Int64(channels), outputHeight: Int64(outputHeight), outputWidth: Int64(outputWidth))
    }
}
