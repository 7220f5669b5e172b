import Foundation
import Neural
import TestSupport
import Testing

/// The two convolution kernels (``ConvolutionKernels``: oneDNN and im2col + sgemm) against a naive
/// loop in Double on odd shapes: strides, dilations, `same` and `valid` padding, channel counts that
/// are not multiples of 8 or 16, batch 1, 1×1 filters, windows larger than the input, and the CNN
/// benchmark's own layers at a small batch.
@Suite struct ConvolutionKernelTests {
    /// One convolution: input shape, filter `[kh, kw, Cin, Cout]`, strides, dilations, padding.
    struct Case: CustomStringConvertible {
        var input: [Int], filter: [Int], strides: Size2D = 1, dilations: Size2D = 1, padding: Padding = .valid
        var description: String {
            "input \(input) filter \(filter) strides \(strides) dilations \(dilations) \(padding)"
        }
    }

    static let cases: [Case] = [
        Case(input: [2, 7, 9, 3], filter: [3, 3, 3, 5]),
        Case(input: [1, 7, 9, 3], filter: [3, 3, 3, 5], strides: 2, padding: .same),
        Case(input: [3, 8, 6, 5], filter: [3, 2, 5, 7], strides: [2, 1], padding: .same),
        Case(input: [2, 9, 9, 4], filter: [3, 3, 4, 3], dilations: 2, padding: .same),
        Case(input: [1, 10, 11, 16], filter: [5, 5, 16, 20], strides: [3, 2], dilations: [1, 2]),
        Case(input: [1, 5, 5, 1], filter: [2, 2, 1, 1], strides: 2),
        Case(input: [2, 6, 7, 17], filter: [1, 1, 17, 33]),
        Case(input: [1, 6, 7, 17], filter: [1, 1, 17, 9], strides: 2, padding: .same),
        Case(input: [2, 4, 4, 2], filter: [5, 5, 2, 3], padding: .same),
        Case(input: [1, 12, 12, 33], filter: [3, 3, 33, 18], strides: 2),
        // 3×3, stride 1, channels multiples of 16: oneDNN's Winograd path (forward, filter gradient).
        Case(input: [1, 9, 7, 16], filter: [3, 3, 16, 32], padding: .same),
        Case(input: [3, 5, 4, 48], filter: [3, 3, 48, 32], padding: .same),
        // One input channel, as the CNN's first layer: oneDNN's filter gradient reads the output
        // gradient in its blocked layout (reordered from NHWC inside the call), the input as it is.
        Case(input: [3, 11, 10, 1], filter: [3, 3, 1, 17], padding: .same),
        Case(input: [2, 12, 9, 1], filter: [5, 3, 1, 48], strides: [2, 1], padding: .same),
        Case(input: [1, 9, 9, 1], filter: [3, 3, 1, 16], dilations: 2),
        // The CNN benchmark's two layers (batch 2 instead of 32).
        Case(input: [2, 28, 28, 1], filter: [3, 3, 1, 32]),
        Case(input: [2, 13, 13, 32], filter: [3, 3, 32, 64]),
    ]

    /// Values whose sums are not exact in Float, so the kernels' orders of summation differ.
    static func values(_ shape: [Int], seed: UInt64) -> Tensor { randomTensor(shape, seed: seed) }

    @Test(arguments: ConvolutionKernels.allCases)
    func forwardMatchesNaiveLoops(kernels: ConvolutionKernels) {
        for (index, c) in Self.cases.enumerated() {
            let x = Self.values(c.input, seed: UInt64(index * 3 + 1))
            let w = Self.values(c.filter, seed: UInt64(index * 3 + 2))
            let b = Self.values([c.filter[3]], seed: UInt64(index * 3 + 3))
            let naive = NaiveConvolution(c)
            let expected = naive.forward(x, w, b)
            for activation in [FusedActivation.identity, .relu, .tanh] {
                let y = ConvolutionKernels.with(kernels) {
                    Tensor.conv2d(x, filter: w, bias: b, strides: c.strides, padding: c.padding,
                                  dilations: c.dilations, activation: activation)
                }
                let activated: [Double] = expected.map { (z: Double) -> Double in
                    switch activation {
                    case .identity: z
                    case .relu: Swift.max(z, 0)
                    case .sigmoid: 1 / (1 + exp(-z))
                    case .tanh: tanh(z)
                    }
                }
                expectNear(y, activated, shape: naive.outputShape, "\(kernels) forward \(activation) \(c)")
            }
            let unbiased = ConvolutionKernels.with(kernels) {
                Tensor.conv2d(x, filter: w, strides: c.strides, padding: c.padding, dilations: c.dilations)
            }
            expectNear(unbiased, naive.forward(x, w, nil), shape: naive.outputShape, "\(kernels) no bias \(c)")
        }
    }

    @Test(arguments: ConvolutionKernels.allCases)
    func gradientsMatchNaiveLoops(kernels: ConvolutionKernels) {
        for (index, c) in Self.cases.enumerated() {
            let naive = NaiveConvolution(c)
            let x = Self.values(c.input, seed: UInt64(index * 3 + 1))
            let w = Self.values(c.filter, seed: UInt64(index * 3 + 2))
            let dy = Self.values(naive.outputShape, seed: UInt64(index * 3 + 3))
            let (dx, dw) = ConvolutionKernels.with(kernels) {
                (Tensor.conv2dBackpropInput(dy, filter: w, inputShape: c.input, strides: c.strides, padding: c.padding,
                                            dilations: c.dilations),
                 Tensor.conv2dBackpropFilter(x, upstream: dy, filterShape: c.filter, strides: c.strides,
                                             padding: c.padding, dilations: c.dilations))
            }
            let (expectedInput, expectedFilter) = naive.gradients(x, w, dy)
            expectNear(dx, expectedInput, shape: c.input, "\(kernels) input gradient \(c)")
            expectNear(dw, expectedFilter, shape: c.filter, "\(kernels) filter gradient \(c)")
        }
    }

    /// Through the tape, a `Conv2D` with bias and ReLU gets the same gradients on both kernels.
    @Test func tapeGradientsAgreeBetweenKernels() throws {
        for (index, c) in Self.cases.enumerated() {
            let x = Self.values(c.input, seed: UInt64(index + 50))
            let w = Self.values(c.filter, seed: UInt64(index + 60))
            let b = Self.values([c.filter[3]], seed: UInt64(index + 70))
            func gradients(_ kernels: ConvolutionKernels) throws -> [Tensor?] {
                try ConvolutionKernels.with(kernels) {
                    let tape = GradientTape()
                    for t in [x, w, b] { tape.watch(t) }
                    let y = tape.record {
                        (Tensor.conv2d(x, filter: w, bias: b, strides: c.strides, padding: c.padding,
                                       dilations: c.dilations, activation: .relu) * 0.5).sum()
                    }
                    return try tape.gradient(of: y, wrt: [x, w, b])
                }
            }
            let fast = try gradients(.fast), reference = try gradients(.reference)
            for (f, r) in zip(fast, reference) {
                guard let f, let r else {
                    Issue.record("missing gradient for \(c)")
                    continue
                }
                expectNear(f, r.scalars.map(Double.init), shape: r.shape, "tape gradient \(c)")
            }
        }
    }

    /// Many threads convolving at once (parallel trials) get the values one thread gets.
    @Test func concurrentCallsGiveTheSerialValues() {
        let c = Self.cases[3], naive = NaiveConvolution(c)
        let x = Self.values(c.input, seed: 90), w = Self.values(c.filter, seed: 91)
        let expected = naive.forward(x, w, nil)
        let results = Locked<[Int: [Float]]>([:])
        runOnThreads(4) { thread in
            var last: [Float] = []
            for _ in 0..<25 {
                last = Tensor.conv2d(x, filter: w, strides: c.strides, padding: c.padding, dilations: c.dilations).scalars
            }
            results.withLock { $0[thread] = last }
        }
        let all = results.withLock { $0 }
        #expect(all.count == 4)
        for (_, values) in all.sorted(by: { $0.key < $1.key }) {
            expectNear(Tensor(shape: naive.outputShape, scalars: values), expected, shape: naive.outputShape, "thread")
        }
    }

    /// Expects every element within a relative 1e-4 of the Double reference.
    func expectNear(
        _ actual: Tensor, _ expected: [Double], shape: [Int], _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(actual.shape == shape, "\(what)", sourceLocation: sourceLocation)
        guard actual.scalarCount == expected.count else {
            Issue.record("\(what): \(actual.scalarCount) elements, expected \(expected.count)", sourceLocation: sourceLocation)
            return
        }
        var worst = 0.0, worstIndex = 0
        for (index, (a, e)) in zip(actual.scalars, expected).enumerated() {
            let error = abs(Double(a) - e) / Swift.max(1, abs(e))
            if !(error <= worst) { worst = error; worstIndex = index }
        }
        #expect(worst <= 1e-4, "\(what): element \(worstIndex) off by \(worst)", sourceLocation: sourceLocation)
    }

    func expectNear(
        _ actual: Tensor, _ expected: [Float], shape: [Int], _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        expectNear(actual, expected.map(Double.init), shape: shape, what, sourceLocation: sourceLocation)
    }
}

/// A convolution in plain loops and Double, with TensorFlow's padding arithmetic.
struct NaiveConvolution {
    let c: ConvolutionKernelTests.Case
    let outputHeight: Int, outputWidth: Int, padTop: Int, padLeft: Int

    init(_ c: ConvolutionKernelTests.Case) {
        self.c = c
        func axis(_ size: Int, _ kernel: Int, _ stride: Int, _ dilation: Int) -> (Int, Int) {
            let effective = (kernel - 1) * dilation + 1
            switch c.padding {
            case .valid: return ((size - effective) / stride + 1, 0)
            case .same:
                let output = (size + stride - 1) / stride
                return (output, Swift.max((output - 1) * stride + effective - size, 0) / 2)
            }
        }
        (outputHeight, padTop) = axis(c.input[1], c.filter[0], c.strides.height, c.dilations.height)
        (outputWidth, padLeft) = axis(c.input[2], c.filter[1], c.strides.width, c.dilations.width)
    }

    var outputShape: [Int] { [c.input[0], outputHeight, outputWidth, c.filter[3]] }

    /// Calls `body(outputIndex, inputIndex, filterIndex)` for every product of the convolution.
    func forEachProduct(_ body: (Int, Int, Int) -> Void) {
        let (n, h, w, cin) = (c.input[0], c.input[1], c.input[2], c.input[3])
        let (kh, kw, cout) = (c.filter[0], c.filter[1], c.filter[3])
        for b in 0..<n {
            for oh in 0..<outputHeight {
                for ow in 0..<outputWidth {
                    for i in 0..<kh {
                        let ih = oh * c.strides.height - padTop + i * c.dilations.height
                        guard ih >= 0 && ih < h else { continue }
                        for j in 0..<kw {
                            let iw = ow * c.strides.width - padLeft + j * c.dilations.width
                            guard iw >= 0 && iw < w else { continue }
                            for ci in 0..<cin {
                                let input = ((b * h + ih) * w + iw) * cin + ci
                                for co in 0..<cout {
                                    body(((b * outputHeight + oh) * outputWidth + ow) * cout + co, input,
                                         ((i * kw + j) * cin + ci) * cout + co)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    func forward(_ x: Tensor, _ w: Tensor, _ bias: Tensor?) -> [Double] {
        let xs = x.scalars, ws = w.scalars, cout = c.filter[3]
        var y = [Double](repeating: 0, count: outputShape.reduce(1, *))
        if let bias {
            let bs = bias.scalars
            for i in y.indices { y[i] = Double(bs[i % cout]) }
        }
        forEachProduct { o, i, f in y[o] += Double(xs[i]) * Double(ws[f]) }
        return y
    }

    func gradients(_ x: Tensor, _ w: Tensor, _ dy: Tensor) -> (input: [Double], filter: [Double]) {
        let xs = x.scalars, ws = w.scalars, gs = dy.scalars
        var dx = [Double](repeating: 0, count: xs.count), dw = [Double](repeating: 0, count: ws.count)
        forEachProduct { o, i, f in
            dx[i] += Double(gs[o]) * Double(ws[f])
            dw[f] += Double(gs[o]) * Double(xs[i])
        }
        return (dx, dw)
    }
}
