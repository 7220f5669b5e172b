import Neural
import Testing

/// The two pooling kernels (``PoolingKernels``: the 2×2 stride-2 loops and the general ones) give
/// equal values and gradients (`==` on every element, NaNs bit for bit), on random inputs with many ties, odd sizes, `.same`
/// padding, strides other than the pool size (which fall back to the general loops), batch 1,
/// channel counts that are not multiples of 16, NaNs, and through second derivatives.
@Suite struct PoolingKernelTests {
    /// One pooling: input shape, window, strides, padding.
    struct Case: CustomStringConvertible {
        var input: [Int], pool: Size2D = 2, strides: Size2D? = nil, padding: Padding = .valid
        var description: String { "input \(input) pool \(pool) strides \(strides.map { "\($0)" } ?? "-") \(padding)" }
    }

    static let cases: [Case] = [
        // The pair loops: 2×2 at stride 2, no padding before, every window whole.
        Case(input: [2, 26, 26, 32]),                          // the CNN's first pooling, batch 2
        Case(input: [1, 11, 11, 64]),                          // its second, batch 1: odd sizes
        Case(input: [3, 5, 7, 17]),                            // 16 + 1 channels
        Case(input: [2, 4, 6, 3]),                             // fewer than 16 channels
        Case(input: [1, 2, 2, 1]),
        Case(input: [2, 6, 4, 33], padding: .same),            // even sizes: `.same` pads nothing
        Case(input: [1, 3, 2, 16], pool: 2, strides: 2),
        // The general loops (the same op under `.fast`).
        Case(input: [2, 5, 7, 17], padding: .same),            // odd sizes: a padded last row and column
        Case(input: [2, 7, 6, 5], strides: 1),                 // overlapping windows
        Case(input: [1, 9, 8, 18], pool: 3, strides: 2, padding: .same),
        Case(input: [1, 8, 9, 4], pool: [2, 3], strides: [2, 1]),
        Case(input: [2, 6, 6, 16], pool: 2, strides: 3),
    ]

    /// Values from a few levels only, so that most windows hold ties.
    static func tied(_ shape: [Int], seed: UInt64) -> Tensor {
        let x = randomTensor(shape, seed: seed, lower: 0, upper: 3)
        return Tensor(shape: shape, scalars: x.scalars.map { $0.rounded(.down) - 1 })
    }

    /// The first element where `a` and `b` differ (`==`), with both values; nil when they agree.
    static func firstDifference(_ a: [Float], _ b: [Float]) -> String? {
        guard a.count == b.count else { return "\(a.count) against \(b.count) elements" }
        for i in a.indices where !(a[i] == b[i]) { return "element \(i): \(a[i]) against \(b[i])" }
        return nil
    }

    static func pool(_ kind: String, _ x: Tensor, _ c: Case) -> Tensor {
        kind == "max" ? Tensor.maxPool2d(x, poolSize: c.pool, strides: c.strides, padding: c.padding)
            : Tensor.avgPool2d(x, poolSize: c.pool, strides: c.strides, padding: c.padding)
    }

    @Test(arguments: ["max", "average"])
    func valuesAgreeBetweenKernels(kind: String) {
        for (index, c) in Self.cases.enumerated() {
            for x in [randomTensor(c.input, seed: UInt64(index + 1)), Self.tied(c.input, seed: UInt64(index + 20))] {
                let fast = PoolingKernels.with(.fast) { Self.pool(kind, x, c) }
                let reference = PoolingKernels.with(.reference) { Self.pool(kind, x, c) }
                #expect(fast.shape == reference.shape, "\(kind) \(c)")
                #expect(Self.firstDifference(fast.scalars, reference.scalars) == nil, "\(kind) \(c)")
            }
        }
    }

    /// Through the tape, with a weighted sum so that each output's gradient differs: the same input
    /// gradients (the first of tied maxima gets it on both kernels).
    @Test(arguments: ["max", "average"])
    func gradientsAgreeBetweenKernels(kind: String) throws {
        for (index, c) in Self.cases.enumerated() {
            for x in [randomTensor(c.input, seed: UInt64(index + 40)), Self.tied(c.input, seed: UInt64(index + 60))] {
                let shape = withoutRecording { Self.pool(kind, x, c).shape }
                let weights = randomTensor(shape, seed: UInt64(index + 80))
                func gradient(_ kernels: PoolingKernels) throws -> Tensor? {
                    try PoolingKernels.with(kernels) {
                        let tape = GradientTape()
                        tape.watch(x)
                        let y = tape.record { (Self.pool(kind, x, c) * weights).sum() }
                        return try tape.gradient(of: y, wrt: x)
                    }
                }
                let fast = try #require(try gradient(.fast)), reference = try #require(try gradient(.reference))
                #expect(fast.shape == c.input, "\(kind) \(c)")
                #expect(Self.firstDifference(fast.scalars, reference.scalars) == nil, "\(kind) \(c)")
            }
        }
    }

    /// The gradient of a gradient (max pooling's gather, average pooling's adjoint) agrees too: the
    /// derivative of `sum(w · ∂/∂x sum(pool(x) · u))` with respect to `u`.
    @Test(arguments: ["max", "average"])
    func secondDerivativesAgreeBetweenKernels(kind: String) throws {
        for (index, c) in Self.cases.enumerated() {
            let x = Self.tied(c.input, seed: UInt64(index + 100))
            let shape = withoutRecording { Self.pool(kind, x, c).shape }
            let u0 = randomTensor(shape, seed: UInt64(index + 120)), w = randomTensor(c.input, seed: UInt64(index + 140))
            func secondDerivative(_ kernels: PoolingKernels) throws -> Tensor? {
                try PoolingKernels.with(kernels) {
                    let outer = GradientTape()
                    outer.watch(u0)
                    let value = try outer.record { () throws -> Tensor in
                        let inner = GradientTape()
                        inner.watch(x)
                        let y = inner.record { (Self.pool(kind, x, c) * u0).sum() }
                        let dx = try #require(try inner.gradient(of: y, wrt: x))
                        return (dx * w).sum()
                    }
                    return try outer.gradient(of: value, wrt: u0)
                }
            }
            let fast = try #require(try secondDerivative(.fast))
            let reference = try #require(try secondDerivative(.reference))
            #expect(fast.shape == shape, "\(kind) \(c)")
            #expect(Self.firstDifference(fast.scalars, reference.scalars) == nil, "\(kind) \(c)")
        }
    }

    /// Finite differences on the pair loops themselves (odd sizes, 17 channels), values far apart.
    @Test func pairLoopGradientsMatchFiniteDifferences() {
        let count = 2 * 5 * 7 * 17
        let x = Tensor(shape: [2, 5, 7, 17], scalars: (0..<count).map { Float(($0 * 389) % count) * 0.01 - 6 })
        checkGradients([x]) { Tensor.maxPool2d($0[0], poolSize: 2) }
        checkGradients([x]) { Tensor.avgPool2d($0[0], poolSize: 2) }
    }

    /// NaNs win a max on both kernels (TensorFlow's rule), in the SIMD lanes and the tail.
    @Test func nanAgreesBetweenKernels() {
        var values = randomTensor([1, 4, 4, 18], seed: 9).scalars
        for i in stride(from: 0, to: values.count, by: 7) { values[i] = .nan }
        let x = Tensor(shape: [1, 4, 4, 18], scalars: values)
        let fast = PoolingKernels.with(.fast) { Tensor.maxPool2d(x, poolSize: 2) }
        let reference = PoolingKernels.with(.reference) { Tensor.maxPool2d(x, poolSize: 2) }
        #expect(fast.scalars.map(\.bitPattern) == reference.scalars.map(\.bitPattern))
        #expect(fast.scalars.contains { $0.isNaN })
    }

    /// Without a tape the pair loops keep no positions; the values are the recorded ones.
    @Test func unrecordedForwardMatchesRecorded() {
        let x = Self.tied([2, 6, 6, 20], seed: 5)
        let plain = Tensor.maxPool2d(x, poolSize: 2)
        let tape = GradientTape()
        tape.watch(x)
        let recorded = tape.record { Tensor.maxPool2d(x, poolSize: 2) }
        #expect(plain.scalars == recorded.scalars)
    }
}
