import Neural
import Testing

/// `conv2d`, its two gradients and `conv2dTranspose`: values against NumPy, TensorFlow's shape and
/// padding rules, and finite-difference gradients.
@Suite struct ConvolutionOpTests {
    typealias R = ConvolutionReference

    @Test func valuesMatchNumPy() {
        let cases: [(Tensor, R.Reference)] = [
            (Tensor.conv2d(R.pattern([1, 4, 5, 2], seed: 1), filter: R.pattern([3, 3, 2, 3], seed: 2)), R.validStride1),
            (Tensor.conv2d(R.pattern([2, 5, 6, 2], seed: 3), filter: R.pattern([3, 3, 2, 2], seed: 4),
                           strides: 2, padding: .same), R.sameStride2),
            (Tensor.conv2d(R.pattern([1, 5, 5, 1], seed: 5), filter: R.pattern([3, 3, 1, 2], seed: 6),
                           padding: .same, dilations: 2), R.sameDilation2),
            (Tensor.conv2d(R.pattern([1, 5, 6, 3], seed: 7), filter: R.pattern([2, 3, 3, 2], seed: 8),
                           strides: [2, 1]), R.validStride2x1Kernel2x3),
            (Tensor.conv2dTranspose(R.pattern([1, 3, 3, 2], seed: 9), filter: R.pattern([4, 4, 3, 2], seed: 10),
                                    strides: 2, padding: .same), R.transposeSameStride2),
            (Tensor.conv2dTranspose(R.pattern([1, 3, 3, 2], seed: 11), filter: R.pattern([3, 3, 3, 2], seed: 12),
                                    strides: 2, padding: .valid), R.transposeValidStride2),
        ]
        for (actual, expected) in cases {
            expectClose(actual, expected.values, shape: expected.shape, tolerance: 1e-5)
        }
    }

    /// One output channel (matrix-vector paths) gives the same values as the first channel of two.
    @Test func singleOutputChannelMatchesTheGeneralPath() {
        let x = R.pattern([2, 5, 6, 2], seed: 3), w = R.pattern([3, 3, 2, 2], seed: 4)
        let first = w.reshaped(to: [18, 2]).gathering(atIndices: [0], alongAxis: 1).reshaped(to: [3, 3, 2, 1])
        let both = Tensor.conv2d(x, filter: w, strides: 2, padding: .same)
        let one = Tensor.conv2d(x, filter: first, strides: 2, padding: .same)
        expectClose(one, both.reshaped(to: [18, 2]).gathering(atIndices: [0], alongAxis: 1).scalars, shape: [2, 3, 3, 1])
        let dy = randomTensor([2, 3, 3, 1], seed: 20)
        let dx = Tensor.conv2dBackpropInput(dy, filter: first, inputShape: x.shape, strides: 2, padding: .same)
        let padded = Tensor(concatenating: [dy, Tensor(zeros: [2, 3, 3, 1])], alongAxis: 3)
        let reference = Tensor.conv2dBackpropInput(padded, filter: w, inputShape: x.shape, strides: 2, padding: .same)
        expectClose(dx, reference.scalars, shape: x.shape)
    }

    /// By hand: a 1x1 filter is a matrix product per pixel; bias and ReLU are applied in the same pass.
    @Test func pointwiseFilterWithBiasAndRelu() {
        let x = Tensor(shape: [1, 1, 2, 2], scalars: [1, 2, 3, 4])
        let w = Tensor(shape: [1, 1, 2, 3], scalars: [1, 0, -1, 0, 1, -1])
        let y = Tensor.conv2d(x, filter: w, bias: Tensor([0.5, -10, 0]), activation: .relu)
        // pixel (1, 2): [1, 2, -3] + bias → relu [1.5, 0, 0]; pixel (3, 4): [3, 4, -7] → [3.5, 0, 0].
        expectClose(y, [1.5, 0, 0, 3.5, 0, 0], shape: [1, 1, 2, 3])
    }

    /// By hand: ones through a 3x3 ones kernel, stride 2, `same`, from 2x2 to 4x4. TensorFlow pads
    /// the forward 4x4 → 2x2 convolution by 0 above and 1 below, so row 2 gets both inputs.
    @Test func transposedOnesByHand() {
        let y = Tensor.conv2dTranspose(Tensor(ones: [1, 2, 2, 1]), filter: Tensor(ones: [3, 3, 1, 1]),
                                       strides: 2, padding: .same)
        expectClose(y, [1, 1, 2, 1, 1, 1, 2, 1, 2, 2, 4, 2, 1, 1, 2, 1], shape: [1, 4, 4, 1])
    }

    @Test func outputSizesAndPaddingFollowTensorFlow() throws {
        // (input, kernel, stride, dilation, padding) → (output, padding before)
        let cases: [(Int, Int, Int, Int, Padding, Int, Int)] = [
            (28, 3, 1, 1, .valid, 26, 0), (28, 3, 1, 1, .same, 28, 1), (28, 3, 2, 1, .same, 14, 0),
            (7, 3, 2, 1, .same, 4, 1), (6, 3, 2, 1, .same, 3, 0), (5, 3, 2, 1, .same, 3, 1),
            (7, 3, 2, 1, .valid, 3, 0), (5, 3, 1, 2, .valid, 1, 0), (5, 3, 1, 2, .same, 5, 2),
            (4, 4, 2, 1, .same, 2, 1), (11, 2, 2, 1, .valid, 5, 0), (1, 5, 3, 1, .same, 1, 2),
        ]
        for (input, kernel, stride, dilation, padding, output, before) in cases {
            let g = try Conv2DGeometry(inputShape: [1, input, input, 1], kernel: Size2D(kernel), strides: Size2D(stride),
                                       dilations: Size2D(dilation), padding: padding, op: "test")
            #expect(g.outputHeight == output && g.outputWidth == output, "\(input) k\(kernel) s\(stride) d\(dilation) \(padding)")
            #expect(g.padTop == before && g.padLeft == before, "\(input) k\(kernel) s\(stride) d\(dilation) \(padding)")
        }
        #expect(Conv2DGeometry.transposedOutputSize(inputSize: 7, kernel: 4, stride: 2, padding: .same) == 14)
        #expect(Conv2DGeometry.transposedOutputSize(inputSize: 7, kernel: 4, stride: 2, padding: .valid) == 16)
        #expect(Conv2DGeometry.transposedOutputSize(inputSize: 3, kernel: 1, stride: 2, padding: .valid) == 6)
        #expect(Tensor.conv2d(Tensor(zeros: [2, 28, 28, 1]), filter: Tensor(zeros: [3, 3, 1, 4]), strides: 2,
                              padding: .same).shape == [2, 14, 14, 4])
        #expect(Tensor.conv2dTranspose(Tensor(zeros: [2, 7, 7, 3]), filter: Tensor(zeros: [4, 4, 5, 3]), strides: 2,
                                       padding: .valid).shape == [2, 16, 16, 5])
    }

    @Test func windowLargerThanInputIsRejected() {
        #expect(throws: TensorError.self) {
            try Conv2DGeometry(inputShape: [1, 2, 5, 1], kernel: 3, strides: 1, padding: .valid, op: "conv2d")
        }
        #expect(throws: TensorError.self) {
            try Conv2DGeometry(inputShape: [1, 5, 5], kernel: 3, strides: 1, padding: .valid, op: "conv2d")
        }
        #expect(throws: TensorError.self) {
            try Conv2DGeometry(inputShape: [1, 5, 5, 1], kernel: 3, strides: 0, padding: .same, op: "conv2d")
        }
    }

    @Test func conv2dGradients() {
        let x = randomTensor([2, 5, 4, 2], seed: 3), w = randomTensor([3, 2, 2, 3], seed: 4), b = randomTensor([3], seed: 5)
        checkGradients([x, w, b]) { Tensor.conv2d($0[0], filter: $0[1], bias: $0[2]) }
        checkGradients([x, w, b]) { Tensor.conv2d($0[0], filter: $0[1], bias: $0[2], strides: 2, padding: .same, activation: .tanh) }
        checkGradients([x, w]) { Tensor.conv2d($0[0], filter: $0[1], strides: [1, 2], padding: .same, dilations: [2, 1]) }
        checkGradients([x, w, b]) { Tensor.conv2d($0[0], filter: $0[1], bias: $0[2], padding: .same, activation: .sigmoid) }
        // One output channel takes matrix-vector paths (and a direct scatter for the input gradient).
        let single = randomTensor([3, 3, 2, 1], seed: 19)
        checkGradients([x, single, Tensor([0.3])]) {
            Tensor.conv2d($0[0], filter: $0[1], bias: $0[2], strides: 2, padding: .same, activation: .sigmoid)
        }
        checkGradients([x, single]) {
            Tensor.conv2dBackpropFilter($0[0], upstream: Tensor.conv2d($0[0], filter: $0[1], padding: .same),
                                        filterShape: [3, 3, 2, 1], padding: .same)
        }
        let pointwise = randomTensor([1, 1, 2, 3], seed: 6)
        checkGradients([x, pointwise]) { Tensor.conv2d($0[0], filter: $0[1]) }
    }

    @Test func backpropHelperGradients() {
        let x = randomTensor([1, 5, 5, 2], seed: 7), w = randomTensor([3, 3, 2, 2], seed: 8)
        let dy = randomTensor([1, 3, 3, 2], seed: 9)
        checkGradients([dy, w]) {
            Tensor.conv2dBackpropInput($0[0], filter: $0[1], inputShape: [1, 5, 5, 2], strides: 2, padding: .same)
        }
        checkGradients([x, dy]) {
            Tensor.conv2dBackpropFilter($0[0], upstream: $0[1], filterShape: [3, 3, 2, 2], strides: 2, padding: .same)
        }
    }

    @Test func transposeGradients() {
        let x = randomTensor([2, 3, 2, 2], seed: 10), w = randomTensor([4, 3, 3, 2], seed: 11), b = randomTensor([3], seed: 12)
        checkGradients([x, w, b]) { Tensor.conv2dTranspose($0[0], filter: $0[1], bias: $0[2], strides: 2, padding: .same) }
        checkGradients([x, w]) { Tensor.conv2dTranspose($0[0], filter: $0[1], strides: [2, 1], padding: .valid) }
    }

    /// Second derivatives through a convolution: the helpers record each other, so an outer tape sees
    /// the inner tape's gradient computation. d/dw of sum((dL/dx)²) for L = sum(conv(x, w) · v),
    /// compared with central differences of the (first-order, tape-computed) value.
    @Test func secondOrderThroughConv() throws {
        let x = randomTensor([1, 4, 4, 1], seed: 13), v = randomTensor([1, 2, 2, 2], seed: 14)
        let w0 = randomTensor([3, 3, 1, 2], seed: 15)
        func inputGradientNorm(_ w: Tensor) throws -> Tensor {
            let inner = GradientTape()
            inner.watch(x)
            let y = inner.record { (Tensor.conv2d(x, filter: w) * v).sum() }
            let dx = try #require(try inner.gradient(of: y, wrt: x))
            return dx.squared().sum()
        }
        let outer = GradientTape()
        outer.watch(w0)
        let value = try outer.record { try inputGradientNorm(w0) }
        let analytic = try #require(try outer.gradient(of: value, wrt: w0))
        let epsilon: Float = 1e-2
        for element in 0..<w0.scalarCount {
            var plus = w0.scalars, minus = w0.scalars
            plus[element] += epsilon
            minus[element] -= epsilon
            let up = try inputGradientNorm(Tensor(shape: w0.shape, scalars: plus)).scalar
            let down = try inputGradientNorm(Tensor(shape: w0.shape, scalars: minus)).scalar
            let numeric = (up - down) / (2 * epsilon)
            #expect(Swift.abs(analytic.scalars[element] - numeric) <= 2e-2 * (1 + Swift.abs(numeric)),
                    "element \(element): tape \(analytic.scalars[element]), finite difference \(numeric)")
        }
    }

    /// Large im2col matrices are built in blocks; the blocked result equals the per-sample results.
    @Test func blockedIm2colMatchesPerSample() {
        let x = randomTensor([5, 48, 48, 64], seed: 16), w = randomTensor([5, 5, 64, 2], seed: 17)
        let whole = Tensor.conv2d(x, filter: w, padding: .same)
        for sample in 0..<5 {
            let single = Tensor.conv2d(x.gathering(atIndices: [sample]), filter: w, padding: .same)
            let part = whole.gathering(atIndices: [sample])
            let difference = (single - part).abs().max(alongAxes: nil).scalar
            #expect(difference < 1e-3, "sample \(sample): \(difference)")
        }
        let dy = randomTensor([5, 48, 48, 2], seed: 18)
        let dx = Tensor.conv2dBackpropInput(dy, filter: w, inputShape: x.shape, padding: .same)
        let dx0 = Tensor.conv2dBackpropInput(dy.gathering(atIndices: [4]), filter: w, inputShape: [1, 48, 48, 64], padding: .same)
        #expect((dx.gathering(atIndices: [4]) - dx0).abs().max(alongAxes: nil).scalar < 1e-3)
    }
}
