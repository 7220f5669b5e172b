import CDNNL
import CLinearAlgebra

/// 2-D convolutions on channels-last (NHWC) tensors. By default (``ConvolutionKernels/fast``) each
/// op is one oneDNN primitive (forward with bias and ReLU fused, backward data, backward weights).
/// The reference path (``ConvolutionKernels/reference``, and the fallback when oneDNN declines a
/// shape) is im2col and one `cblas_sgemm` over the whole batch: each output position's window
/// becomes a row of a `[N·Ho·Wo, kh·kw·Cin]` matrix that multiplies the filter seen as
/// `[kh·kw·Cin, Cout]`. Very large im2col matrices are processed in blocks of rows so memory stays
/// bounded.
///
/// The three operations close under differentiation: the gradient of ``conv2d(_:filter:bias:strides:padding:dilations:activation:)``
/// with respect to its input is ``conv2dBackpropInput(_:filter:inputShape:strides:padding:dilations:)``
/// (col2im), with respect to its filter ``conv2dBackpropFilter(_:upstream:filterShape:strides:padding:dilations:)``,
/// and each of those is recorded with the others as its gradient, so nested tapes work.
extension Tensor {
    /// The im2col matrix is built in blocks of at most this many elements (64 MB).
    static let im2colBlockElements = 1 << 24

    /// `activation(conv(input, filter) + bias)`: a 2-D convolution of `input` `[N, H, W, Cin]` with
    /// `filter` `[kh, kw, Cin, Cout]`, giving `[N, Ho, Wo, Cout]` (TensorFlow's `conv2d` with
    /// channels-last data). Bias (`[Cout]`) and activation are applied in the product's output pass.
    /// Traps (naming the shapes) when the shapes do not fit or a `.valid` window exceeds the input.
    /// Differentiable in the input, the filter and the bias.
    public static func conv2d(
        _ input: Tensor, filter: Tensor, bias: Tensor? = nil, strides: Size2D = 1, padding: Padding = .valid,
        dilations: Size2D = 1, activation: FusedActivation = .identity
    ) -> Tensor {
        let op = "conv2d"
        guard filter.rank == 4, input.rank == 4, input.shape[3] == filter.shape[2] else {
            trap(.incompatibleShapes(op: "\(op) (input [N, H, W, Cin] and filter [kh, kw, Cin, Cout])",
                                     lhs: input.shape, rhs: filter.shape))
        }
        let outChannels = filter.shape[3]
        if let bias, bias.shape != [outChannels] {
            trap(.incompatibleShapes(op: "\(op) (bias must be [Cout])", lhs: filter.shape, rhs: bias.shape))
        }
        let geometry: Conv2DGeometry
        do {
            geometry = try Conv2DGeometry(
                inputShape: input.shape, kernel: Size2D(filter.shape[0], filter.shape[1]), strides: strides,
                dilations: dilations, padding: padding, op: op)
        } catch { trap(error) }

        let rows = geometry.outputPositions, window = geometry.windowSize
        let recording = isRecording
        // oneDNN writes bias, product and ReLU in one pass; the reference path below does the rest.
        var byOneDNN = false
        // When a tape records, oneDNN keeps the input's copy in Winograd's blocked layout (if it made
        // one) for the filter gradient of the backward pass, which reads the same input in the same
        // layout; the ticket names that copy (0: none). It is handed on only with this `input`, which
        // the backward closure holds unchanged.
        var keptSource: UInt64 = 0
        var storage = [Float](unsafeUninitializedCapacity: rows * outChannels) { out, initialized in
            if geometry.usesOneDNN(outputChannels: outChannels), let o = out.baseAddress {
                var shape = geometry.oneDNN(outputChannels: outChannels)
                let fused: Int32 = activation == .relu ? Int32(TUNER_DNNL_RELU) : Int32(TUNER_DNNL_IDENTITY)
                let status = withUnsafeMutablePointer(to: &keptSource) { kept in
                    let keep = recording ? kept : nil
                    return input.withUnsafeBufferPointer { px in
                        filter.withUnsafeBufferPointer { pw in
                            if let bias {
                                bias.withUnsafeBufferPointer { pb in
                                    tuner_dnnl_conv2d_forward(&shape, px.baseAddress, pw.baseAddress, pb.baseAddress,
                                                              fused, o, oneDNNThreads, keep)
                                }
                            } else {
                                tuner_dnnl_conv2d_forward(&shape, px.baseAddress, pw.baseAddress, nil, fused, o,
                                                          oneDNNThreads, keep)
                            }
                        }
                    }
                }
                if status == 0 {
                    byOneDNN = true
                    initialized = rows * outChannels
                    return
                }
            }
            if let bias {
                bias.withUnsafeBufferPointer { pb in
                    for row in 0..<rows {
                        (out.baseAddress! + row * outChannels).update(from: pb.baseAddress!, count: outChannels)
                    }
                }
            } else {
                out.initialize(repeating: 0)
            }
            initialized = rows * outChannels
        }
        // The im2col matrix is kept for the filter gradient when it was built in one block.
        var keptColumns: [Float]?
        if !byOneDNN && rows > 0 && outChannels > 0 && window > 0 {
            input.withUnsafeBufferPointer { px in
                filter.withUnsafeBufferPointer { pw in
                    storage.withUnsafeMutableBufferPointer { out in
                        keptColumns = forEachColumnBlock(px.baseAddress!, geometry, keep: recording) { columns, first, count in
                            if outChannels == 1 {
                                // One filter: a matrix-vector product (sgemm would spend its time packing).
                                cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(count), Int32(window), 1, columns,
                                            Int32(window), pw.baseAddress!, 1, 1, out.baseAddress! + first, 1)
                            } else {
                                sgemm(columns, pw.baseAddress!, out.baseAddress! + first * outChannels,
                                      m: count, n: outChannels, k: window, lda: window, ldb: outChannels,
                                      transposeA: false, transposeB: false, beta: 1)
                            }
                        }
                    }
                }
            }
        }
        if !(byOneDNN && activation == .relu) { applyInPlace(activation, &storage) }
        let result = Tensor(uncheckedShape: geometry.outputShape(channels: outChannels), storage: storage)
        if recording {
            let recordedInputs = bias.map { [input, filter, $0] } ?? [input, filter]
            let inputShape = input.shape, filterShape = filter.shape
            // A 2×2 max pooling of this output may hand back its gradient already ReLU-masked.
            let link: ReLUMaskLink? = activation == .relu ? ReLUMaskLink() : nil
            if let link { TapeContext.current.latestReLUOutput = (result.id, link) }
            result.record(inputs: recordedInputs) { g, needed in
                let dz = link?.maskedGradient == g.id
                    ? g : activationBackward(activation, upstream: g, output: result)
                var gradients: [Tensor?] = [
                    needed[0]
                        ? conv2dBackpropInput(dz, filter: filter, inputShape: inputShape, strides: strides,
                                              padding: padding, dilations: dilations)
                        : nil,
                    nil,
                ]
                let wantsBias = bias != nil && needed[2]
                // oneDNN's backward weights writes the bias gradient in the same pass over `dz` (no
                // tape records through it, so only when no tape is recording this backward pass).
                if needed[1] && wantsBias && byOneDNN && !isRecording,
                   let (filterGradient, biasGradient) = oneDNNFilterAndBiasGradient(
                       input, upstream: dz, filterShape: filterShape, geometry: geometry, keptSource: keptSource) {
                    gradients[1] = filterGradient
                    gradients.append(biasGradient)
                    return gradients
                }
                if needed[1] {
                    if let keptColumns, !isRecording {
                        gradients[1] = filterGradient(columns: keptColumns, upstream: dz, filterShape: filterShape)
                    } else {
                        gradients[1] = conv2dBackpropFilter(input, upstream: dz, filterShape: filterShape,
                                                            strides: strides, padding: padding, dilations: dilations)
                    }
                }
                if bias != nil { gradients.append(wantsBias ? dz.sum(toShape: [outChannels]) : nil) }
                return gradients
            }
        }
        return result
    }

    /// The gradient of ``conv2d(_:filter:bias:strides:padding:dilations:activation:)`` with respect to
    /// its input: `upstream` `[N, Ho, Wo, Cout]` times the transposed filter, folded back onto an input
    /// of `inputShape` `[N, H, W, Cin]` (col2im; TensorFlow's `conv2d_backprop_input`). It is also the
    /// transposed convolution. Traps when the shapes do not fit. Differentiable in `upstream` and
    /// `filter` (it is linear in each).
    public static func conv2dBackpropInput(
        _ upstream: Tensor, filter: Tensor, inputShape: [Int], strides: Size2D = 1, padding: Padding = .valid,
        dilations: Size2D = 1
    ) -> Tensor {
        let op = "conv2dBackpropInput"
        let geometry = checkedGeometry(
            op: op, inputShape: inputShape, filter: filter.shape, upstream: upstream.shape, strides: strides,
            padding: padding, dilations: dilations)
        let outChannels = filter.shape[3], window = geometry.windowSize
        let count = inputShape.reduce(1, *)
        let result = upstream.withUnsafeBufferPointer { pg in
            filter.withUnsafeBufferPointer { pw in
                Tensor.make(shape: inputShape, count: count) { out in
                    if geometry.usesOneDNN(outputChannels: outChannels), let o = out.baseAddress {
                        // oneDNN writes every element of the input gradient.
                        var shape = geometry.oneDNN(outputChannels: outChannels)
                        if tuner_dnnl_conv2d_backward_data(&shape, pg.baseAddress, pw.baseAddress, o, oneDNNThreads) == 0 {
                            return
                        }
                    }
                    out.initialize(repeating: 0)
                    guard let g = pg.baseAddress, let w = pw.baseAddress, let o = out.baseAddress,
                          geometry.outputPositions > 0, window > 0, outChannels > 0 else { return }
                    if outChannels == 1 && !geometry.isPointwise {
                        // One filter: each window gets the filter scaled by its upstream value, added
                        // straight into the input gradient (no im2col-sized intermediate).
                        scatterWindows(g, filter: w, geometry, into: o)
                        return
                    }
                    if geometry.isPointwise {
                        sgemm(g, w, o, m: geometry.outputPositions, n: window, k: outChannels, lda: outChannels,
                              ldb: outChannels, transposeA: false, transposeB: true, beta: 0)
                        return
                    }
                    let blockRows = rowsPerBlock(geometry)
                    // Every element is written by the product before col2im reads it.
                    var columns = [Float](unsafeUninitializedCapacity: blockRows * window) { _, initialized in
                        initialized = blockRows * window
                    }
                    columns.withUnsafeMutableBufferPointer { pc in
                        guard let c = pc.baseAddress else { return }
                        var first = 0
                        while first < geometry.outputPositions {
                            let rows = Swift.min(blockRows, geometry.outputPositions - first)
                            sgemm(g + first * outChannels, w, c, m: rows, n: window, k: outChannels,
                                  lda: outChannels, ldb: outChannels, transposeA: false, transposeB: true, beta: 0)
                            col2im(c, geometry, rows: first..<(first + rows), into: o)
                            first += rows
                        }
                    }
                }
            }
        }
        if isRecording {
            let filterShape = filter.shape
            result.record(inputs: [upstream, filter]) { g, needed in
                [
                    needed[0] ? conv2d(g, filter: filter, strides: strides, padding: padding, dilations: dilations) : nil,
                    needed[1]
                        ? conv2dBackpropFilter(g, upstream: upstream, filterShape: filterShape, strides: strides,
                                               padding: padding, dilations: dilations)
                        : nil,
                ]
            }
        }
        return result
    }

    /// The gradient of ``conv2d(_:filter:bias:strides:padding:dilations:activation:)`` with respect to
    /// its filter: the im2col matrix of `input` transposed times `upstream`, giving `filterShape`
    /// `[kh, kw, Cin, Cout]` (TensorFlow's `conv2d_backprop_filter`). Traps when the shapes do not fit.
    /// Differentiable in `input` and `upstream` (it is linear in each).
    public static func conv2dBackpropFilter(
        _ input: Tensor, upstream: Tensor, filterShape: [Int], strides: Size2D = 1, padding: Padding = .valid,
        dilations: Size2D = 1
    ) -> Tensor {
        let op = "conv2dBackpropFilter"
        let geometry = checkedGeometry(
            op: op, inputShape: input.shape, filter: filterShape, upstream: upstream.shape, strides: strides,
            padding: padding, dilations: dilations)
        let outChannels = filterShape[3], window = geometry.windowSize
        let byOneDNN = oneDNNBackwardWeights(input, upstream: upstream, geometry: geometry, outChannels: outChannels, bias: false)
        var storage = byOneDNN?.filter ?? [Float](repeating: 0, count: window * outChannels)
        if byOneDNN == nil && geometry.outputPositions > 0 && window > 0 && outChannels > 0 {
            input.withUnsafeBufferPointer { px in
                upstream.withUnsafeBufferPointer { pg in
                    storage.withUnsafeMutableBufferPointer { out in
                        _ = forEachColumnBlock(px.baseAddress!, geometry, keep: false) { columns, first, count in
                            if outChannels == 1 {
                                cblas_sgemv(CblasRowMajor, CblasTrans, Int32(count), Int32(window), 1, columns,
                                            Int32(window), pg.baseAddress! + first, 1, 1, out.baseAddress!, 1)
                            } else {
                                sgemm(columns, pg.baseAddress! + first * outChannels, out.baseAddress!,
                                      m: window, n: outChannels, k: count, lda: window, ldb: outChannels,
                                      transposeA: true, transposeB: false, beta: 1)
                            }
                        }
                    }
                }
            }
        }
        let result = Tensor(uncheckedShape: filterShape, storage: storage)
        if isRecording {
            let inputShape = input.shape
            result.record(inputs: [input, upstream]) { g, needed in
                [
                    needed[0]
                        ? conv2dBackpropInput(upstream, filter: g, inputShape: inputShape, strides: strides,
                                              padding: padding, dilations: dilations)
                        : nil,
                    needed[1] ? conv2d(input, filter: g, strides: strides, padding: padding, dilations: dilations) : nil,
                ]
            }
        }
        return result
    }

    /// The transposed convolution ("deconvolution"): `input` `[N, H, W, Cin]` spread by `filter`
    /// `[kh, kw, Cout, Cin]` (Keras's `Conv2DTranspose` kernel layout) to `[N, H', W', Cout]` with
    /// TensorFlow's output sizes: `H · stride` for `.same`, `H · stride + max(kh_eff - stride, 0)` for
    /// `.valid` (see ``Conv2DGeometry/transposedOutputSize(inputSize:kernel:stride:dilation:padding:)``).
    /// It is the gradient of a convolution with respect to its input. Traps when the shapes do not
    /// fit. Differentiable in the input, the filter and the bias (`[Cout]`).
    public static func conv2dTranspose(
        _ input: Tensor, filter: Tensor, bias: Tensor? = nil, strides: Size2D = 1, padding: Padding = .valid,
        dilations: Size2D = 1, activation: FusedActivation = .identity
    ) -> Tensor {
        guard input.rank == 4, filter.rank == 4, input.shape[3] == filter.shape[3] else {
            trap(.incompatibleShapes(op: "conv2dTranspose (input [N, H, W, Cin] and filter [kh, kw, Cout, Cin])",
                                     lhs: input.shape, rhs: filter.shape))
        }
        let outputShape = [
            input.shape[0],
            Conv2DGeometry.transposedOutputSize(
                inputSize: input.shape[1], kernel: filter.shape[0], stride: strides.height,
                dilation: dilations.height, padding: padding),
            Conv2DGeometry.transposedOutputSize(
                inputSize: input.shape[2], kernel: filter.shape[1], stride: strides.width,
                dilation: dilations.width, padding: padding),
            filter.shape[2],
        ]
        var result = conv2dBackpropInput(
            input, filter: filter, inputShape: outputShape, strides: strides, padding: padding, dilations: dilations)
        if let bias {
            if bias.shape != [filter.shape[2]] {
                trap(.incompatibleShapes(op: "conv2dTranspose (bias must be [Cout])", lhs: filter.shape, rhs: bias.shape))
            }
            result = result + bias
        }
        switch activation {
        case .identity: return result
        case .relu: return result.relu()
        case .sigmoid: return result.sigmoid()
        case .tanh: return result.tanh()
        }
    }

    // MARK: - Kernels

    /// Checks the three shapes of a convolution's gradient and returns its geometry; traps otherwise.
    private static func checkedGeometry(
        op: String, inputShape: [Int], filter: [Int], upstream: [Int], strides: Size2D, padding: Padding,
        dilations: Size2D
    ) -> Conv2DGeometry {
        guard filter.count == 4, inputShape.count == 4, inputShape[3] == filter[2] else {
            trap(.incompatibleShapes(op: "\(op) (input [N, H, W, Cin] and filter [kh, kw, Cin, Cout])",
                                     lhs: inputShape, rhs: filter))
        }
        let geometry: Conv2DGeometry
        do {
            geometry = try Conv2DGeometry(
                inputShape: inputShape, kernel: Size2D(filter[0], filter[1]), strides: strides,
                dilations: dilations, padding: padding, op: op)
        } catch { trap(error) }
        let expected = geometry.outputShape(channels: filter[3])
        guard upstream == expected else {
            trap(.incompatibleShapes(op: "\(op) (upstream must be the convolution's output shape \(expected))",
                                     lhs: upstream, rhs: inputShape))
        }
        return geometry
    }

    /// The filter and bias gradients of a convolution in one oneDNN backward-weights call, unrecorded;
    /// nil when oneDNN declines the shape (the caller then takes the separate paths). The bias
    /// gradient is the sum of `upstream` over every position, as `upstream.sum(toShape: [Cout])`, but
    /// added in oneDNN's order. `keptSource` is the ticket of the forward pass's blocked copy of this
    /// same `input` (see `tuner_dnnl_conv2d_forward`), or 0.
    private static func oneDNNFilterAndBiasGradient(
        _ input: Tensor, upstream: Tensor, filterShape: [Int], geometry: Conv2DGeometry, keptSource: UInt64
    ) -> (Tensor, Tensor)? {
        let outChannels = filterShape[3]
        guard let gradients = oneDNNBackwardWeights(input, upstream: upstream, geometry: geometry, outChannels: outChannels,
                                                    bias: true, keptSource: keptSource),
              let bias = gradients.bias
        else { return nil }
        return (Tensor(uncheckedShape: filterShape, storage: gradients.filter), Tensor(uncheckedShape: [outChannels], storage: bias))
    }

    /// oneDNN's backward-weights call: the filter gradient in HWIO order and, with `bias`, the bias
    /// gradient in the same pass over `upstream`; nil when oneDNN declines the shape. `keptSource`: a
    /// ticket for a blocked copy of this same `input` kept by its forward pass, or 0.
    private static func oneDNNBackwardWeights(
        _ input: Tensor, upstream: Tensor, geometry: Conv2DGeometry, outChannels: Int, bias: Bool, keptSource: UInt64 = 0
    ) -> (filter: [Float], bias: [Float]?)? {
        guard geometry.usesOneDNN(outputChannels: outChannels) else { return nil }
        var filter = [Float](repeating: 0, count: geometry.windowSize * outChannels)
        var biasStorage = [Float](repeating: 0, count: bias ? outChannels : 0)
        var shape = geometry.oneDNN(outputChannels: outChannels)
        let status = input.withUnsafeBufferPointer { px in
            upstream.withUnsafeBufferPointer { pg in
                filter.withUnsafeMutableBufferPointer { pw in
                    biasStorage.withUnsafeMutableBufferPointer { pb in
                        tuner_dnnl_conv2d_backward_weights(&shape, px.baseAddress, pg.baseAddress, pw.baseAddress,
                                                           bias ? pb.baseAddress : nil, oneDNNThreads, keptSource)
                    }
                }
            }
        }
        guard status == 0 else { return nil }
        return (filter, bias ? biasStorage : nil)
    }

    /// The filter gradient from a kept im2col matrix: `columnsᵀ · upstream`.
    private static func filterGradient(columns: [Float], upstream: Tensor, filterShape: [Int]) -> Tensor {
        let outChannels = filterShape[3], window = filterShape[0] * filterShape[1] * filterShape[2]
        let rows = upstream.scalarCount / Swift.max(outChannels, 1)
        var storage = [Float](repeating: 0, count: window * outChannels)
        columns.withUnsafeBufferPointer { pc in
            upstream.withUnsafeBufferPointer { pg in
                storage.withUnsafeMutableBufferPointer { out in
                    guard let c = pc.baseAddress, let g = pg.baseAddress, let o = out.baseAddress, rows > 0 else { return }
                    sgemm(c, g, o, m: window, n: outChannels, k: rows, lda: window, ldb: outChannels,
                          transposeA: true, transposeB: false, beta: 0)
                }
            }
        }
        return Tensor(uncheckedShape: filterShape, storage: storage)
    }

    /// Output positions per im2col block.
    private static func rowsPerBlock(_ geometry: Conv2DGeometry) -> Int {
        Swift.max(1, Swift.min(geometry.outputPositions, im2colBlockElements / Swift.max(geometry.windowSize, 1)))
    }

    /// Calls `body(columns, firstRow, rowCount)` for consecutive blocks of the im2col matrix of `x`
    /// (`rowCount` rows of `windowSize` values each). Returns the whole matrix when `keep` is set and
    /// it fitted in one block.
    private static func forEachColumnBlock(
        _ x: UnsafePointer<Float>, _ geometry: Conv2DGeometry, keep: Bool,
        _ body: (UnsafePointer<Float>, Int, Int) -> Void
    ) -> [Float]? {
        let total = geometry.outputPositions
        if geometry.isPointwise {
            body(x, 0, total)
            return nil
        }
        let blockRows = rowsPerBlock(geometry)
        var columns = [Float](unsafeUninitializedCapacity: blockRows * geometry.windowSize) { _, initialized in
            initialized = blockRows * geometry.windowSize
        }
        columns.withUnsafeMutableBufferPointer { pc in
            guard let c = pc.baseAddress else { return }
            var first = 0
            while first < total {
                let rows = Swift.min(blockRows, total - first)
                im2col(x, geometry, rows: first..<(first + rows), into: c)
                body(c, first, rows)
                first += rows
            }
        }
        return keep && blockRows == total ? columns : nil
    }

    /// Writes the windows of output positions `rows` (counted over the whole batch) as rows of
    /// `windowSize` values, zeros where a window reaches into the padding.
    static func im2col(
        _ x: UnsafePointer<Float>, _ g: Conv2DGeometry, rows: Range<Int>, into columns: UnsafeMutablePointer<Float>
    ) {
        let channels = g.channels, window = g.windowSize
        let perImage = g.outputHeight * g.outputWidth
        var destination = columns
        for row in rows {
            let n = row / perImage, position = row % perImage
            let oh = position / g.outputWidth, ow = position % g.outputWidth
            let image = x + n * g.inputHeight * g.inputWidth * channels
            for ki in 0..<g.kernelHeight {
                let ih = oh * g.strides.height - g.padTop + ki * g.dilations.height
                let target = destination + ki * g.kernelWidth * channels
                guard ih >= 0 && ih < g.inputHeight else {
                    target.update(repeating: 0, count: g.kernelWidth * channels)
                    continue
                }
                let inputRow = image + ih * g.inputWidth * channels
                for kj in 0..<g.kernelWidth {
                    let iw = ow * g.strides.width - g.padLeft + kj * g.dilations.width
                    let tap = target + kj * channels
                    if iw >= 0 && iw < g.inputWidth {
                        if channels == 1 {
                            tap.pointee = inputRow[iw]
                        } else {
                            tap.update(from: inputRow + iw * channels, count: channels)
                        }
                    } else {
                        tap.update(repeating: 0, count: channels)
                    }
                }
            }
            destination += window
        }
    }

    /// `col2im` of the rank-one matrix `upstream · filterᵀ` for a single output channel: adds
    /// `upstream[p] · filter[tap]` onto every input position of window `p`.
    static func scatterWindows(
        _ upstream: UnsafePointer<Float>, filter: UnsafePointer<Float>, _ g: Conv2DGeometry,
        into x: UnsafeMutablePointer<Float>
    ) {
        let channels = g.channels
        let perImage = g.outputHeight * g.outputWidth
        for row in 0..<g.outputPositions {
            let scale = upstream[row]
            if scale == 0 { continue }
            let n = row / perImage, position = row % perImage
            let oh = position / g.outputWidth, ow = position % g.outputWidth
            let image = x + n * g.inputHeight * g.inputWidth * channels
            for ki in 0..<g.kernelHeight {
                let ih = oh * g.strides.height - g.padTop + ki * g.dilations.height
                guard ih >= 0 && ih < g.inputHeight else { continue }
                let inputRow = image + ih * g.inputWidth * channels
                let tapRow = filter + ki * g.kernelWidth * channels
                for kj in 0..<g.kernelWidth {
                    let iw = ow * g.strides.width - g.padLeft + kj * g.dilations.width
                    guard iw >= 0 && iw < g.inputWidth else { continue }
                    let target = inputRow + iw * channels, tap = tapRow + kj * channels
                    for c in 0..<channels { target[c] += scale * tap[c] }
                }
            }
        }
    }

    /// The adjoint of ``im2col(_:_:rows:into:)``: adds each window value back onto the input position
    /// it was read from (padding positions are dropped).
    static func col2im(
        _ columns: UnsafePointer<Float>, _ g: Conv2DGeometry, rows: Range<Int>, into x: UnsafeMutablePointer<Float>
    ) {
        let channels = g.channels, window = g.windowSize
        let perImage = g.outputHeight * g.outputWidth
        var source = columns
        for row in rows {
            let n = row / perImage, position = row % perImage
            let oh = position / g.outputWidth, ow = position % g.outputWidth
            let image = x + n * g.inputHeight * g.inputWidth * channels
            for ki in 0..<g.kernelHeight {
                let ih = oh * g.strides.height - g.padTop + ki * g.dilations.height
                guard ih >= 0 && ih < g.inputHeight else { continue }
                let inputRow = image + ih * g.inputWidth * channels
                let tapRow = source + ki * g.kernelWidth * channels
                for kj in 0..<g.kernelWidth {
                    let iw = ow * g.strides.width - g.padLeft + kj * g.dilations.width
                    guard iw >= 0 && iw < g.inputWidth else { continue }
                    let target = inputRow + iw * channels, tap = tapRow + kj * channels
                    for c in 0..<channels { target[c] += tap[c] }
                }
            }
            source += window
        }
    }
}
