import Neural

/// The convolution and pooling ops of the CNN epoch (``CNNEpochBenchmark``) one at a time, on its
/// shapes at batch 32 and one BLAS thread: conv 1 → 32 channels 3×3 on 28×28, 2×2 max pooling of
/// 26×26×32, conv 32 → 64 channels 3×3 on 13×13, 2×2 max pooling of 11×11×64 (and average pooling
/// of the same shapes); and the GAN's
/// transposed convolution (7×7×128 → 14×14×128, 4×4, stride 2) with its gradients. Each figure is the
/// median milliseconds of one call over 41 calls (after 5 warm-up calls). Backward figures are the
/// public gradient ops (`conv2dBackpropInput`, `conv2dBackpropFilter`); pooling's backward is its
/// gradient through a tape, less the forward pass. Every figure is measured on both
/// ``ConvolutionKernels``, in the same run: `<name>` on the default `.fast` kernels and
/// `<name>_reference` on the `.reference` ones (im2col + sgemm, the path before issue 16). Pooling
/// figures (max and average) compare ``PoolingKernels`` the same way (see ``runPooling(report:)``).
struct ConvOpBenchmarks {
    static func run(report: (String, Double, String) -> Void) throws {
        for kernels in [ConvolutionKernels.reference, .fast] {
            let suffix = kernels == .fast ? "" : "_reference"
            try ConvolutionKernels.with(kernels) {
                try run(measuring: { name, value, unit in report(name + suffix, value, unit) })
            }
        }
        try runPooling(report: report)
    }

    /// 2×2 max and average pooling of both conv outputs, on ``PoolingKernels/fast`` (`<name>`) and
    /// `.reference` (`<name>_reference`, the loops before issue 16). The two kernels alternate call by
    /// call, so that both see the same machine (pooling figures move with what ran just before).
    /// `forward` is a call outside any tape (no positions kept), `forward_backward` the forward pass
    /// recorded on a tape plus the gradient of the pooled tensor (the tape seeds it with ones), and
    /// `backward` the backward pass alone: the gradient of one recorded forward pass (a persistent
    /// tape) for a random upstream gradient, asked again and again, so that neither the recording nor
    /// the positions the recorded forward pass keeps are counted in it.
    static func runPooling(report: (String, Double, String) -> Void) throws {
        var generator = SeededGenerator(seed: 11)
        var sink: Float = 0
        /// Median milliseconds of `body` on each kernel over 41 alternating calls (after 5 warm-up calls each).
        func medians(_ body: () throws -> Void) rethrows -> (fast: Double, reference: Double) {
            var fast: [Double] = [], reference: [Double] = []
            for round in 0..<46 {
                let r = try PoolingKernels.with(.reference) { try milliseconds(body) }
                let f = try PoolingKernels.with(.fast) { try milliseconds(body) }
                if round >= 5 { reference.append(r); fast.append(f) }
            }
            return (fast.sorted()[fast.count / 2], reference.sorted()[reference.count / 2])
        }
        let inputs = [[32, 26, 26, 32], [32, 11, 11, 64]].map { randomTensor($0, using: &generator) }
        /// `pool` of `x` recorded on a tape, then its gradient (the tape seeds it with ones).
        func forwardBackward(_ x: Tensor, _ pool: (Tensor) -> Tensor) throws {
            let tape = GradientTape()
            tape.watch(x)
            let y = tape.record { pool(x) }
            sink += try tape.gradient(of: y, wrt: x)?.scalars[0] ?? 0
        }
        // Warm up the allocator first: until the process has freed buffers of these sizes, malloc maps
        // fresh pages for them (slower by 0.2 ms here), which would tax whichever figure comes first.
        for x in inputs {
            for kernels in PoolingKernels.allCases {
                try PoolingKernels.with(kernels) {
                    for _ in 0..<5 { try forwardBackward(x) { Tensor.maxPool2d($0, poolSize: 2) } }
                }
            }
        }
        for x in inputs {
            let shape = x.shape
            let name = "\(shape[1])x\(shape[2])x\(shape[3])"
            for (op, pool) in [("maxpool", { Tensor.maxPool2d($0, poolSize: 2) }),
                               ("avgpool", { (t: Tensor) in Tensor.avgPool2d(t, poolSize: 2) })] as [(String, (Tensor) -> Tensor)] {
                let forward = medians { sink += pool(x).scalars[0] }
                let both = try medians { try forwardBackward(x, pool) }
                let upstream = randomTensor(pool(x).shape, using: &generator)
                // One recorded forward pass per kernel, each on its own persistent tape.
                var recorded: [PoolingKernels: (tape: GradientTape, pooled: Tensor)] = [:]
                for kernels in PoolingKernels.allCases {
                    let tape = GradientTape(persistent: true)
                    tape.watch(x)
                    recorded[kernels] = (tape, PoolingKernels.with(kernels) { tape.record { pool(x) } })
                }
                let backward = try medians {
                    guard let (tape, pooled) = recorded[PoolingKernels.current] else { return }
                    sink += try tape.gradient(of: pooled, wrt: [x], outputGradient: upstream)[0]?.scalars[0] ?? 0
                }
                for (suffix, f, b, both) in [("", forward.fast, backward.fast, both.fast),
                                             ("_reference", forward.reference, backward.reference, both.reference)] {
                    report("\(op)_forward_\(name)\(suffix)", f, "ms")
                    report("\(op)_backward_\(name)\(suffix)", b, "ms")
                    report("\(op)_forward_backward_\(name)\(suffix)", both, "ms")
                }
            }
        }
        if sink.isNaN { print("(sink \(sink))") }
    }

    static func run(measuring report: (String, Double, String) -> Void) throws {
        BLAS.setThreadCount(1)
        var generator = SeededGenerator(seed: 7)
        func random(_ shape: [Int]) -> Tensor { randomTensor(shape, using: &generator) }
        func median(_ body: () throws -> Void) rethrows -> Double {
            for _ in 0..<5 { try body() }
            var times: [Double] = []
            for _ in 0..<41 { times.append(try milliseconds(body)) }
            return times.sorted()[times.count / 2]
        }
        var sink: Float = 0

        // conv 1 → 32 (the first layer: its input gradient is never needed in training).
        let x1 = random([32, 28, 28, 1]), w1 = random([3, 3, 1, 32]), b1 = random([32])
        let g1 = random([32, 26, 26, 32])
        report("conv2d_forward_1to32", median {
            sink += Tensor.conv2d(x1, filter: w1, bias: b1, activation: .relu).scalars[0]
        }, "ms")
        report("conv2d_backprop_filter_1to32", median {
            sink += Tensor.conv2dBackpropFilter(x1, upstream: g1, filterShape: w1.shape).scalars[0]
        }, "ms")

        // conv 32 → 64.
        let x2 = random([32, 13, 13, 32]), w2 = random([3, 3, 32, 64]), b2 = random([64])
        let g2 = random([32, 11, 11, 64])
        report("conv2d_forward_32to64", median {
            sink += Tensor.conv2d(x2, filter: w2, bias: b2, activation: .relu).scalars[0]
        }, "ms")
        report("conv2d_backprop_input_32to64", median {
            sink += Tensor.conv2dBackpropInput(g2, filter: w2, inputShape: x2.shape).scalars[0]
        }, "ms")
        report("conv2d_backprop_filter_32to64", median {
            sink += Tensor.conv2dBackpropFilter(x2, upstream: g2, filterShape: w2.shape).scalars[0]
        }, "ms")

        // The GAN generator's transposed convolution (docs/convolutions.md): 7×7×128 → 14×14×128, 4×4,
        // stride 2, `same`, and its two gradients (a strided convolution and a filter gradient).
        let xt = random([32, 7, 7, 128]), wt = random([4, 4, 128, 128]), gt = random([32, 14, 14, 128])
        report("conv2d_transpose_forward_7to14x128", median {
            sink += Tensor.conv2dTranspose(xt, filter: wt, strides: 2, padding: .same).scalars[0]
        }, "ms")
        report("conv2d_transpose_backprop_input_7to14x128", median {
            sink += Tensor.conv2d(gt, filter: wt, strides: 2, padding: .same).scalars[0]
        }, "ms")
        report("conv2d_transpose_backprop_filter_7to14x128", median {
            sink += Tensor.conv2dBackpropFilter(gt, upstream: xt, filterShape: wt.shape, strides: 2, padding: .same)
                .scalars[0]
        }, "ms")

        if sink.isNaN { print("(sink \(sink))") }
    }

    /// The wall time of one call of `body`, in milliseconds.
    private static func milliseconds(_ body: () throws -> Void) rethrows -> Double {
        let elapsed = try ContinuousClock().measure(body)
        return Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) * 1e-15
    }

    /// A tensor of `shape` with values uniform in -1...1 from `generator`.
    private static func randomTensor(_ shape: [Int], using generator: inout SeededGenerator) -> Tensor {
        Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in Float.random(in: -1...1, using: &generator) })
    }
}
