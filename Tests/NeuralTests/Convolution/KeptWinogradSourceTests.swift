import CDNNL
import Neural
import TestSupport
import Testing

/// The forward pass's copy of a Winograd convolution's input in oneDNN's blocked layout, kept on the
/// thread for the filter gradient of the same backward pass (`tuner_dnnl_conv2d_forward`'s
/// `keptSource`): used when it is that input's, never when a later forward pass replaced it, and
/// per thread. `tuner_dnnl_kept_source_uses()` counts the calling thread's uses, so each test checks
/// that the copy was (or was not) used, not only the values.
extension ConvolutionKernelTests {
    /// The CNN's second layer at batch 2: a Winograd shape (3×3, stride 1, channels multiples of 16).
    static let winogradCase = Case(input: [2, 13, 13, 32], filter: [3, 3, 32, 64])

    /// The filter and bias gradients of `(conv2d(x, w, b) · dy).sum()` for each (x, w, b) in
    /// `layers`, all recorded on one tape in order (so the backward pass visits them in reverse).
    static func filterAndBiasGradients(_ layers: [(Tensor, Tensor, Tensor)], dy: Tensor) throws -> [Tensor?] {
        let tape = GradientTape()
        for (_, w, b) in layers { tape.watch(w); tape.watch(b) }
        let loss = tape.record {
            let losses = layers.map { (Tensor.conv2d($0.0, filter: $0.1, bias: $0.2) * dy).sum() }
            return losses.dropFirst().reduce(losses[0], +)
        }
        return try tape.gradient(of: loss, wrt: layers.flatMap { [$0.1, $0.2] })
    }

    @Test func keptWinogradSourceIsUsedAndMatchesTheNaiveGradient() throws {
        let c = Self.winogradCase, naive = NaiveConvolution(c)
        let x = Self.values(c.input, seed: 301), w = Self.values(c.filter, seed: 302)
        let b = Self.values([c.filter[3]], seed: 303), dy = Self.values(naive.outputShape, seed: 304)
        let before = tuner_dnnl_kept_source_uses()
        let gradients = try ConvolutionKernels.with(.fast) { try Self.filterAndBiasGradients([(x, w, b)], dy: dy) }
        #expect(tuner_dnnl_kept_source_uses() == before + 1, "the filter gradient read the kept copy")
        guard let filterGradient = gradients[0] else {
            Issue.record("missing filter gradient")
            return
        }
        expectNear(filterGradient, naive.gradients(x, w, dy).filter, shape: c.filter, "filter gradient")
        // A shape oneDNN runs directly (no blocked copy): nothing kept, nothing used.
        let direct = Self.cases[0]
        let xd = Self.values(direct.input, seed: 305), wd = Self.values(direct.filter, seed: 306)
        let bd = Self.values([direct.filter[3]], seed: 307)
        let dyd = Self.values(NaiveConvolution(direct).outputShape, seed: 308)
        let usesBeforeDirect = tuner_dnnl_kept_source_uses()
        _ = try ConvolutionKernels.with(.fast) { try Self.filterAndBiasGradients([(xd, wd, bd)], dy: dyd) }
        #expect(tuner_dnnl_kept_source_uses() == usesBeforeDirect)
    }

    /// Two Winograd layers of the same geometry on one tape: the second forward pass replaces the
    /// first one's kept copy, so the first layer's filter gradient (computed last) must not use it.
    /// Its gradient equals the one it gets alone, with its own kept copy, bit for bit: a stale copy
    /// (the other input's) would give entirely different values.
    @Test func replacedKeptSourceIsNeverUsed() throws {
        let c = Self.winogradCase, naive = NaiveConvolution(c)
        let xA = Self.values(c.input, seed: 311), wA = Self.values(c.filter, seed: 312)
        let bA = Self.values([c.filter[3]], seed: 313)
        let xB = Self.values(c.input, seed: 314), wB = Self.values(c.filter, seed: 315)
        let bB = Self.values([c.filter[3]], seed: 316)
        let dy = Self.values(naive.outputShape, seed: 317)
        let (alone, together, uses) = try ConvolutionKernels.with(.fast) {
            let alone = try Self.filterAndBiasGradients([(xA, wA, bA)], dy: dy)
            let before = tuner_dnnl_kept_source_uses()
            let together = try Self.filterAndBiasGradients([(xA, wA, bA), (xB, wB, bB)], dy: dy)
            return (alone, together, tuner_dnnl_kept_source_uses() - before)
        }
        // B's filter gradient (first in the backward pass) uses B's copy; A's finds it replaced.
        #expect(uses == 1)
        // Compared as one Bool, so a failure does not print the 18,432 values.
        let sameFilter = alone[0]?.scalars == together[0]?.scalars, sameBias = alone[1]?.scalars == together[1]?.scalars
        #expect(sameFilter, "A's filter gradient, kept copy or not")
        #expect(sameBias, "A's bias gradient")
        if let gradientA = together[0], let gradientB = together[2] {
            expectNear(gradientA, naive.gradients(xA, wA, dy).filter, shape: c.filter, "A's filter gradient")
            expectNear(gradientB, naive.gradients(xB, wB, dy).filter, shape: c.filter, "B's filter gradient")
        } else {
            Issue.record("missing filter gradients")
        }
    }

    /// Four threads training the same geometry at once (parallel trials) on different inputs: each
    /// thread's filter gradient uses its own kept copy every step and equals the serial result bit for
    /// bit.
    @Test func keptSourcesArePerThread() throws {
        let c = Self.winogradCase, naive = NaiveConvolution(c)
        let w = Self.values(c.filter, seed: 322), b = Self.values([c.filter[3]], seed: 323)
        let dy = Self.values(naive.outputShape, seed: 324)
        let inputs = (0..<4).map { Self.values(c.input, seed: UInt64(330 + $0)) }
        let serial = try inputs.map { x in
            try ConvolutionKernels.with(.fast) { try Self.filterAndBiasGradients([(x, w, b)], dy: dy) }[0]?.scalars
        }
        let steps = 10
        let results = Locked<[Int: (matches: Int, uses: UInt64)]>([:])
        runOnThreads(4) { thread in
            let before = tuner_dnnl_kept_source_uses()
            var matches = 0
            for _ in 0..<steps {
                let gradients = try? ConvolutionKernels.with(.fast) {
                    try Self.filterAndBiasGradients([(inputs[thread], w, b)], dy: dy)
                }
                if let filter = gradients?[0]?.scalars, filter == serial[thread] { matches += 1 }
            }
            let uses = tuner_dnnl_kept_source_uses() - before
            results.withLock { $0[thread] = (matches, uses) }
        }
        let all = results.withLock { $0 }
        #expect(all.count == 4)
        for (thread, result) in all.sorted(by: { $0.key < $1.key }) {
            #expect(result.matches == steps, "thread \(thread): serial filter gradient")
            #expect(result.uses == UInt64(steps), "thread \(thread): its own kept copy every step")
        }
    }
}
