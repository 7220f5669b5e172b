import Neural
import Testing

/// The bias gradient of a recorded `conv2d`: on oneDNN it comes out of the same backward-weights call
/// as the filter gradient (when both are wanted and no tape records the backward pass), otherwise
/// from a separate sum over positions. Every combination of wanted gradients, on both kernels,
/// against the naive loops in Double.
extension ConvolutionKernelTests {
    @Test(arguments: ConvolutionKernels.allCases)
    func biasGradientMatchesNaiveSumForEveryWantedSet(kernels: ConvolutionKernels) throws {
        for (index, c) in Self.cases.enumerated() {
            let naive = NaiveConvolution(c)
            let x = Self.values(c.input, seed: UInt64(index + 110))
            let w = Self.values(c.filter, seed: UInt64(index + 120))
            let b = Self.values([c.filter[3]], seed: UInt64(index + 130))
            // (y · dy).sum() makes dy the convolution's upstream gradient.
            let dy = Self.values(naive.outputShape, seed: UInt64(index + 140))
            let (_, expectedFilter) = naive.gradients(x, w, dy)
            let cout = c.filter[3]
            var expectedBias = [Double](repeating: 0, count: cout)
            for (i, g) in dy.scalars.enumerated() { expectedBias[i % cout] += Double(g) }

            for wanted in [[w, b], [b], [w], [x, w, b]] {
                let gradients = try ConvolutionKernels.with(kernels) {
                    let tape = GradientTape()
                    for t in wanted { tape.watch(t) }
                    let y = tape.record {
                        (Tensor.conv2d(x, filter: w, bias: b, strides: c.strides, padding: c.padding,
                                       dilations: c.dilations) * dy).sum()
                    }
                    return try tape.gradient(of: y, wrt: wanted)
                }
                for (t, gradient) in zip(wanted, gradients) {
                    guard let gradient else {
                        Issue.record("\(kernels): missing gradient for \(c)")
                        continue
                    }
                    if t.id == b.id {
                        expectNear(gradient, expectedBias, shape: [cout], "\(kernels) bias gradient \(c)")
                    } else if t.id == w.id {
                        expectNear(gradient, expectedFilter, shape: c.filter, "\(kernels) filter gradient \(c)")
                    }
                }
            }
        }
    }
}
