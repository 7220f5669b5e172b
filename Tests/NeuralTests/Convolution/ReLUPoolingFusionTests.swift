import Neural
import Testing

/// A convolution with ReLU fused followed by a 2×2 max pooling: in a training step's backward pass
/// the pooling writes the ReLU-masked gradient itself and the convolution skips its mask
/// (`ReLUMaskLink`). The gradients must be the unfused ones bit for bit, with ties (the ReLU's zeros,
/// and integer values) and NaNs, and the unfused path must stay in force where the masked gradient
/// would be wrong: when the convolution's output is itself a source, or has another consumer.
@Suite struct ReLUPoolingFusionTests {
    /// Integer-valued inputs in [-2, 2] and filters in [-1, 1]: many exact ties and zeros after ReLU.
    static func integers(_ shape: [Int], seed: UInt64, range: ClosedRange<Int>) -> Tensor {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        let count = shape.reduce(1, *)
        let width = UInt64(range.upperBound - range.lowerBound + 1)
        let values = (0..<count).map { _ -> Float in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int((state >> 33) % width) + range.lowerBound)
        }
        return Tensor(shape: shape, scalars: values)
    }

    struct Inputs {
        var x: Tensor, w: Tensor, b: Tensor, weights: Tensor
    }

    /// Odd and even sizes (an odd last row and column are read by no window), 8 and 12 channels (a
    /// vector lane and a remainder), a NaN in the input when `withNaN`.
    static func inputs(height: Int, width: Int, channels: Int, withNaN: Bool, seed: UInt64) -> Inputs {
        var xs = integers([2, height, width, 3], seed: seed, range: -2...2).scalars
        if withNaN { xs[xs.count / 3] = .nan }
        let x = Tensor(shape: [2, height, width, 3], scalars: xs)
        let w = integers([3, 3, 3, channels], seed: seed + 1, range: -1...1)
        let b = integers([channels], seed: seed + 2, range: -1...1)
        let pooledShape = [2, (height - 2) / 2, (width - 2) / 2, channels]
        let weights = integers(pooledShape, seed: seed + 3, range: -3...3)
        return Inputs(x: x, w: w, b: b, weights: weights)
    }

    /// The gradients with respect to `w`, `b` and, with `outputAsSource`, the convolution's output.
    /// `secondConsumer` adds `sum(conv · 0.5)` to the loss, a second use of the convolution's output.
    static func gradients(
        _ i: Inputs, outputAsSource: Bool = false, secondConsumer: Bool = false
    ) throws -> [Tensor?] {
        let tape = GradientTape()
        for t in [i.w, i.b] { tape.watch(t) }
        var convolved = Tensor(0)
        let loss = tape.record {
            convolved = Tensor.conv2d(i.x, filter: i.w, bias: i.b, activation: .relu)
            var loss = (Tensor.maxPool2d(convolved, poolSize: 2) * i.weights).sum()
            if secondConsumer { loss = loss + (convolved * 0.5).sum() }
            return loss
        }
        return try tape.gradient(of: loss, wrt: outputAsSource ? [i.w, i.b, convolved] : [i.w, i.b])
    }

    static func expectBitwiseEqual(_ a: Tensor?, _ b: Tensor?, _ what: String) {
        guard let a, let b else {
            Issue.record("\(what): missing gradient")
            return
        }
        #expect(a.shape == b.shape, "\(what)")
        let differing = zip(a.scalars, b.scalars).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(differing == 0, "\(what): \(differing) elements differ")
    }

    @Test(arguments: [false, true])
    func fusedGradientsEqualUnfused(withNaN: Bool) throws {
        for (height, width, channels) in [(12, 12, 8), (13, 11, 12), (6, 7, 16)] {
            let i = Self.inputs(height: height, width: width, channels: channels, withNaN: withNaN,
                                seed: UInt64(height * 100 + channels))
            let fused = try Self.gradients(i)
            // Asking for the output's own gradient turns the fusion off: the unfused path.
            let unfused = try Self.gradients(i, outputAsSource: true)
            let what = "\(height)×\(width)×\(channels) NaN: \(withNaN)"
            Self.expectBitwiseEqual(fused[0], unfused[0], "filter gradient \(what)")
            Self.expectBitwiseEqual(fused[1], unfused[1], "bias gradient \(what)")
            // The general pooling loops (no fusion) agree too.
            let general = try PoolingKernels.with(.reference) { try Self.gradients(i) }
            Self.expectBitwiseEqual(fused[0], general[0], "filter gradient, general loops \(what)")
            Self.expectBitwiseEqual(fused[1], general[1], "bias gradient, general loops \(what)")
        }
    }

    /// The output's own gradient, when asked for, is max pooling's unmasked gradient: a window of
    /// ReLU zeros still sends its upstream value to its first tap.
    @Test func outputGradientStaysUnmasked() throws {
        let i = Self.inputs(height: 12, width: 12, channels: 8, withNaN: false, seed: 7)
        let gradients = try Self.gradients(i, outputAsSource: true)
        let convolved = Tensor.conv2d(i.x, filter: i.w, bias: i.b, activation: .relu)
        let tape = GradientTape()
        tape.watch(convolved)
        let loss = tape.record { (Tensor.maxPool2d(convolved, poolSize: 2) * i.weights).sum() }
        let expected = try tape.gradient(of: loss, wrt: [convolved])[0]
        Self.expectBitwiseEqual(gradients[2], expected, "output gradient")
        // Some window of zeros has a nonzero weight, so masking would have changed this gradient.
        let pooled = Tensor.maxPool2d(convolved, poolSize: 2)
        let zeroWindowsWithWeight = zip(pooled.scalars, i.weights.scalars).filter { $0 == 0 && $1 != 0 }.count
        #expect(zeroWindowsWithWeight > 0)
    }

    /// A second consumer of the convolution's output: its gradient is summed with the pooling's,
    /// and the result equals the unfused one.
    @Test func secondConsumerKeepsTheMask() throws {
        let i = Self.inputs(height: 13, width: 11, channels: 12, withNaN: false, seed: 11)
        let fused = try Self.gradients(i, secondConsumer: true)
        let unfused = try Self.gradients(i, outputAsSource: true, secondConsumer: true)
        Self.expectBitwiseEqual(fused[0], unfused[0], "filter gradient")
        Self.expectBitwiseEqual(fused[1], unfused[1], "bias gradient")
    }
}
