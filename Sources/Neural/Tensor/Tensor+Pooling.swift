import CPooling

/// Pooling over 2-D windows of channels-last (NHWC) tensors: max and average pooling with
/// TensorFlow's window arithmetic (``Conv2DGeometry``), and global pooling over all positions.
///
/// With `.same` padding, padded positions never win a max and are not counted in an average
/// (TensorFlow's behavior).
extension Tensor {
    /// The maximum of each `poolSize` window of `input` `[N, H, W, C]`, channel by channel, windows
    /// `strides` apart (default: `poolSize`, as in Keras), giving `[N, Ho, Wo, C]` (TensorFlow's
    /// `max_pool2d`). Traps when the input is not rank 4 or a `.valid` window exceeds it.
    /// Differentiable: the gradient goes to the position that held each maximum (the first on ties).
    public static func maxPool2d(
        _ input: Tensor, poolSize: Size2D, strides: Size2D? = nil, padding: Padding = .valid
    ) -> Tensor {
        let g = poolGeometry(op: "maxPool2d", input.shape, poolSize, strides ?? poolSize, padding)
        if g.usesPairPooling { return pairMaxPool(input, g) }
        let channels = g.channels
        let outputCount = g.outputPositions * channels
        // Each output's source: the flat index of the input element that held the maximum.
        var sources = [Int32](repeating: 0, count: outputCount)
        guard input.scalarCount < Int(Int32.max) else {
            trap(.invalidArgument(op: "maxPool2d", message: "input of \(input.scalarCount) elements is too large"))
        }
        let result = input.withUnsafeBufferPointer { px in
            sources.withUnsafeMutableBufferPointer { ps in
                Tensor.make(shape: g.outputShape(channels: channels), count: outputCount) { out in
                    guard let x = px.baseAddress, let best = ps.baseAddress, let o = out.baseAddress else { return }
                    maxPoolKernel(x, g, values: o, sources: best)
                }
            }
        }
        if isRecording {
            let inputShape = input.shape
            result.record(inputs: [input]) { upstream, _ in
                [routeToSources(upstream, sources: .flat(sources), shape: inputShape)]
            }
        }
        return result
    }

    /// ``maxPool2d(_:poolSize:strides:padding:)`` on the 2×2 stride-2 loops (`CPooling`): the
    /// winning window positions are kept, one byte per output, only when a tape records.
    private static func pairMaxPool(_ input: Tensor, _ g: Conv2DGeometry) -> Tensor {
        let count = g.outputPositions * g.channels
        var geometry = g.pairPooling
        let recording = isRecording
        // Uninitialized: the kernel writes every entry.
        var positions = recording ? [UInt8](unsafeUninitializedCapacity: count) { _, initialized in initialized = count } : []
        let result = input.withUnsafeBufferPointer { px in
            positions.withUnsafeMutableBufferPointer { pp in
                Tensor.make(shape: g.outputShape(channels: g.channels), count: count) { out in
                    guard let x = px.baseAddress, let o = out.baseAddress else { return }
                    tuner_max_pool2_forward(&geometry, x, o, recording ? pp.baseAddress : nil)
                }
            }
        }
        if recording {
            let inputShape = input.shape, inputID = input.id
            let context = TapeContext.current
            // The input came from a convolution with ReLU fused: see ReLUMaskLink.
            let link = context.latestReLUOutput.flatMap { $0.id == inputID ? $0.link : nil }
            result.record(inputs: [input]) { upstream, _ in
                if let link, !isRecording, !TapeContext.current.backwardSources.contains(inputID) {
                    let masked = routeToWinnersMaskedByPositive(
                        upstream, positions: positions, g, pooled: result, shape: inputShape)
                    link.maskedGradient = masked.id
                    return [masked]
                }
                return [routeToSources(upstream, sources: .pairWindows(positions, g), shape: inputShape)]
            }
        }
        return result
    }

    /// 2×2 max pooling's gradient masked as the preceding ReLU's backward pass would mask it:
    /// `reluBackward(routeToSources(upstream), output: input)` in one pass, where `pooled` is the
    /// pooling's output (the winner's value, so the mask at a winner is `pooled > 0`). Unrecorded:
    /// only for a backward pass no tape records.
    private static func routeToWinnersMaskedByPositive(
        _ upstream: Tensor, positions: [UInt8], _ g: Conv2DGeometry, pooled: Tensor, shape: [Int]
    ) -> Tensor {
        upstream.withUnsafeBufferPointer { pg in
            positions.withUnsafeBufferPointer { pp in
                pooled.withUnsafeBufferPointer { py in
                    Tensor.make(shape: shape, count: shape.reduce(1, *)) { out in
                        guard let u = pg.baseAddress, let p = pp.baseAddress, let y = py.baseAddress,
                              let o = out.baseAddress else {
                            return out.initialize(repeating: 0)
                        }
                        var pair = g.pairPooling
                        tuner_max_pool2_backward_relu(&pair, u, p, y, o)
                    }
                }
            }
        }
    }

    /// Writes each window's maximum per channel and the flat input index it came from.
    private static func maxPoolKernel(
        _ x: UnsafePointer<Float>, _ g: Conv2DGeometry, values: UnsafeMutablePointer<Float>,
        sources: UnsafeMutablePointer<Int32>
    ) {
        let channels = g.channels
        var output = 0
        for n in 0..<g.batch {
            for oh in 0..<g.outputHeight {
                let rowStart = oh * g.strides.height - g.padTop
                let rows = Swift.max(rowStart, 0)..<Swift.min(rowStart + g.kernelHeight, g.inputHeight)
                for ow in 0..<g.outputWidth {
                    let columnStart = ow * g.strides.width - g.padLeft
                    let columns = Swift.max(columnStart, 0)..<Swift.min(columnStart + g.kernelWidth, g.inputWidth)
                    let m = values + output * channels, best = sources + output * channels
                    var first = true
                    for ih in rows {
                        for iw in columns {
                            let base = ((n * g.inputHeight + ih) * g.inputWidth + iw) * channels
                            let tap = x + base
                            if first {
                                for c in 0..<channels { m[c] = tap[c]; best[c] = Int32(truncatingIfNeeded: base + c) }
                                first = false
                            } else {
                                // A NaN wins (as in TensorFlow): `!(v <= current)`.
                                let index = Int32(truncatingIfNeeded: base)
                                var c = 0
                                while c + 8 <= channels {
                                    let v = UnsafeRawPointer(tap + c).loadUnaligned(as: SIMD8<Float>.self)
                                    let current = UnsafeRawPointer(m + c).loadUnaligned(as: SIMD8<Float>.self)
                                    let better = .!(v .<= current)
                                    let oldIndex = UnsafeRawPointer(best + c).loadUnaligned(as: SIMD8<Int32>.self)
                                    let newIndex = SIMD8<Int32>(repeating: index &+ Int32(truncatingIfNeeded: c))
                                        &+ SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)
                                    UnsafeMutableRawPointer(m + c).storeBytes(
                                        of: current.replacing(with: v, where: better), as: SIMD8<Float>.self)
                                    UnsafeMutableRawPointer(best + c).storeBytes(
                                        of: oldIndex.replacing(with: newIndex, where: better),
                                        as: SIMD8<Int32>.self)
                                    c += 8
                                }
                                for c in c..<channels {
                                    let v = tap[c], current = m[c]
                                    let better = !(v <= current)
                                    m[c] = better ? v : current
                                    best[c] = better ? index &+ Int32(truncatingIfNeeded: c) : best[c]
                                }
                            }
                        }
                    }
                    output += 1
                }
            }
        }
    }

    /// Where each max-pooling output came from, for its gradient.
    enum MaxPoolSources: Sendable {
        /// The flat index of the input element behind each output (the general loops).
        case flat([Int32])
        /// The tap (0...3, row by row) behind each output in its 2×2 window of geometry `g`
        /// (`CPooling`).
        case pairWindows([UInt8], Conv2DGeometry)
    }

    /// Max pooling's gradient: each upstream element added at the input position it came from.
    /// Linear in `upstream`; its gradient gathers at the same positions.
    static func routeToSources(_ upstream: Tensor, sources: MaxPoolSources, shape: [Int]) -> Tensor {
        let result = upstream.withUnsafeBufferPointer { pg in
            Tensor.make(shape: shape, count: shape.reduce(1, *)) { out in
                switch sources {
                case .flat(let indices):
                    out.initialize(repeating: 0)
                    guard let g = pg.baseAddress, let o = out.baseAddress else { return }
                    indices.withUnsafeBufferPointer { ps in
                        for i in 0..<ps.count { o[Int(ps[i])] += g[i] }
                    }
                case .pairWindows(let positions, let geometry):
                    positions.withUnsafeBufferPointer { pp in
                        guard let g = pg.baseAddress, let p = pp.baseAddress, let o = out.baseAddress else {
                            return out.initialize(repeating: 0)
                        }
                        var pair = geometry.pairPooling
                        tuner_max_pool2_backward(&pair, g, p, o)
                    }
                }
            }
        }
        if isRecording {
            let upstreamShape = upstream.shape
            result.record(inputs: [upstream]) { g2, _ in [gatherFromSources(g2, sources: sources, shape: upstreamShape)] }
        }
        return result
    }

    /// The elements of `x` at `sources`, shaped `shape`: the adjoint of ``routeToSources(_:sources:shape:)``.
    static func gatherFromSources(_ x: Tensor, sources: MaxPoolSources, shape: [Int]) -> Tensor {
        let result = x.withUnsafeBufferPointer { px in
            Tensor.make(shape: shape, count: shape.reduce(1, *)) { out in
                guard let v = px.baseAddress, let o = out.baseAddress else { return }
                switch sources {
                case .flat(let indices):
                    indices.withUnsafeBufferPointer { ps in
                        for i in 0..<ps.count { o[i] = v[Int(ps[i])] }
                    }
                case .pairWindows(let positions, let geometry):
                    positions.withUnsafeBufferPointer { pp in
                        guard let p = pp.baseAddress else { return }
                        var pair = geometry.pairPooling
                        tuner_max_pool2_gather(&pair, v, p, o)
                    }
                }
            }
        }
        if isRecording {
            let sourceShape = x.shape
            result.record(inputs: [x]) { g2, _ in [routeToSources(g2, sources: sources, shape: sourceShape)] }
        }
        return result
    }

    /// The mean of each `poolSize` window of `input` `[N, H, W, C]`, channel by channel, windows
    /// `strides` apart (default: `poolSize`), giving `[N, Ho, Wo, C]` (TensorFlow's `avg_pool2d`; with
    /// `.same` only the positions inside the input are averaged). Traps when the input is not rank 4 or
    /// a `.valid` window exceeds it. Differentiable.
    public static func avgPool2d(
        _ input: Tensor, poolSize: Size2D, strides: Size2D? = nil, padding: Padding = .valid
    ) -> Tensor {
        let g = poolGeometry(op: "avgPool2d", input.shape, poolSize, strides ?? poolSize, padding)
        return averagePooling(input, g)
    }

    /// The maximum over all positions of `input` `[N, H, W, C]`, per channel: `[N, C]`, or
    /// `[N, 1, 1, C]` with `keepDims` (Keras's `GlobalMaxPooling2D`). Traps unless the input has rank 4.
    /// Differentiable.
    public static func globalMaxPool2d(_ input: Tensor, keepDims: Bool = false) -> Tensor {
        guard input.rank == 4 else {
            trap(.invalidShape(op: "globalMaxPool2d (input must be [N, H, W, C])", shape: input.shape))
        }
        return input.max(alongAxes: [1, 2], keepDims: keepDims)
    }

    /// The mean over all positions of `input` `[N, H, W, C]`, per channel: `[N, C]`, or
    /// `[N, 1, 1, C]` with `keepDims` (Keras's `GlobalAveragePooling2D`). Traps unless the input has
    /// rank 4. Differentiable.
    public static func globalAvgPool2d(_ input: Tensor, keepDims: Bool = false) -> Tensor {
        guard input.rank == 4 else {
            trap(.invalidShape(op: "globalAvgPool2d (input must be [N, H, W, C])", shape: input.shape))
        }
        return input.mean(alongAxes: [1, 2], keepDims: keepDims)
    }

    // MARK: - Kernels

    private static func poolGeometry(
        op: String, _ shape: [Int], _ poolSize: Size2D, _ strides: Size2D, _ padding: Padding
    ) -> Conv2DGeometry {
        do {
            return try Conv2DGeometry(inputShape: shape, kernel: poolSize, strides: strides, padding: padding, op: op)
        } catch { trap(error) }
    }

    /// Calls `body(outputPosition, inputPositions)` for every output position over the batch, with
    /// the positions (pixel indices over the batch, `(n·H + h)·W + w`) of its window inside the input.
    private static func forEachWindow(_ g: Conv2DGeometry, _ body: (Int, ArraySlice<Int>) -> Void) {
        var taps = [Int](repeating: 0, count: g.kernelHeight * g.kernelWidth)
        for n in 0..<g.batch {
            for oh in 0..<g.outputHeight {
                for ow in 0..<g.outputWidth {
                    var count = 0
                    for ki in 0..<g.kernelHeight {
                        let ih = oh * g.strides.height - g.padTop + ki
                        guard ih >= 0 && ih < g.inputHeight else { continue }
                        for kj in 0..<g.kernelWidth {
                            let iw = ow * g.strides.width - g.padLeft + kj
                            guard iw >= 0 && iw < g.inputWidth else { continue }
                            taps[count] = (n * g.inputHeight + ih) * g.inputWidth + iw
                            count += 1
                        }
                    }
                    body((n * g.outputHeight + oh) * g.outputWidth + ow, taps[0..<count])
                }
            }
        }
    }

    /// Average pooling with geometry `g`; its gradient is ``averagePoolingAdjoint(_:_:)``.
    static func averagePooling(_ x: Tensor, _ g: Conv2DGeometry) -> Tensor {
        let channels = g.channels
        let pairs = g.usesPairPooling
        let result = x.withUnsafeBufferPointer { px in
            Tensor.make(shape: g.outputShape(channels: channels), count: g.outputPositions * channels) { out in
                if pairs, let input = px.baseAddress, let o = out.baseAddress {
                    var pair = g.pairPooling
                    return tuner_avg_pool2_forward(&pair, input, o)
                }
                out.initialize(repeating: 0)
                guard let input = px.baseAddress, let o = out.baseAddress else { return }
                forEachWindow(g) { position, taps in
                    let target = o + position * channels
                    for tap in taps {
                        let source = input + tap * channels
                        for c in 0..<channels { target[c] += source[c] }
                    }
                    let scale = 1 / Float(Swift.max(taps.count, 1))
                    for c in 0..<channels { target[c] *= scale }
                }
            }
        }
        if isRecording {
            result.record(inputs: [x]) { upstream, _ in [averagePoolingAdjoint(upstream, g)] }
        }
        return result
    }

    /// The adjoint of average pooling: each output's value divided among its window's positions.
    /// Linear; its gradient is average pooling again.
    static func averagePoolingAdjoint(_ upstream: Tensor, _ g: Conv2DGeometry) -> Tensor {
        let channels = g.channels
        let pairs = g.usesPairPooling
        let result = upstream.withUnsafeBufferPointer { pg in
            Tensor.make(shape: g.inputShape, count: g.inputShape.reduce(1, *)) { out in
                if pairs, let gradient = pg.baseAddress, let o = out.baseAddress {
                    var pair = g.pairPooling
                    return tuner_avg_pool2_backward(&pair, gradient, o)
                }
                out.initialize(repeating: 0)
                guard let gradient = pg.baseAddress, let o = out.baseAddress else { return }
                forEachWindow(g) { position, taps in
                    let source = gradient + position * channels
                    let scale = 1 / Float(Swift.max(taps.count, 1))
                    for tap in taps {
                        let target = o + tap * channels
                        for c in 0..<channels { target[c] += source[c] * scale }
                    }
                }
            }
        }
        if isRecording {
            result.record(inputs: [upstream]) { g2, _ in [averagePooling(g2, g)] }
        }
        return result
    }
}
