/// Branch-free loops for the hot elementwise kernels of training.
///
/// ReLU's inputs have random signs, so a compare-and-branch loop mispredicts about half the time.
/// These loops are written so that LLVM turns them into vector selects (measured: about 0.1 ns per
/// element, against 0.7 ns for the branching form and 6 ns for `SIMD16<Float>` on this toolchain).
@usableFromInline
enum VectorKernels {
    /// `out[i] = max(input[i], 0)` (NaN stays NaN); `out` may alias `input`.
    @inlinable
    static func relu(_ input: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { out[i] = Swift.max(input[i], 0) }
    }

    /// `out[i] = reference[i] > 0 ? upstream[i] : 0`: ReLU's backward pass from its output.
    @inlinable
    static func maskPositive(
        _ upstream: UnsafePointer<Float>, reference: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
        count: Int
    ) {
        for i in 0..<count {
            let keep: UInt32 = reference[i] > 0 ? ~0 : 0
            out[i] = Float(bitPattern: upstream[i].bitPattern & keep)
        }
    }
}
