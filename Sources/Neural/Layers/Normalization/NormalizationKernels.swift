/// The sweeps the normalization layers share: statistics, the fused normalize-scale-shift, and the
/// first-order backward passes used when no outer tape records them. Loops run over raw pointers so
/// that they vectorize; sums go through Float partials flushed into Double every `blockRows` rows.
///
/// When an outer tape records a backward pass (second derivatives), the layers use tensor ops
/// instead of the backward kernels here, so that the tape sees every dependence.
enum NormalizationKernels {
    /// Rows summed in Float before being added to the Double totals.
    static let blockRows = 32

    /// How an input is seen by a per-channel op: `[outer, channels, inner]`, with `channels` the
    /// normalized axis (`inner == 1` when it is the last axis).
    struct ChannelLayout: Equatable {
        let outer: Int
        let channels: Int
        let inner: Int

        init(shape: [Int], axis: Int) {
            outer = shape[..<axis].reduce(1, *)
            channels = shape[axis]
            inner = shape[(axis + 1)...].reduce(1, *)
        }
    }

    // MARK: - Per-channel (batch normalization, Normalization)

    /// Calls `body(channel, offset)` for each contiguous run of `inner` elements of one channel.
    @inline(__always)
    private static func forEachRun(_ layout: ChannelLayout, _ body: (Int, Int) -> Void) {
        for o in 0..<layout.outer {
            for c in 0..<layout.channels { body(c, (o * layout.channels + c) * layout.inner) }
        }
    }

    /// The mean and population variance of each channel (two passes: the mean, then the squared
    /// deviations from it, for accuracy).
    static func channelMoments(_ x: Tensor, layout: ChannelLayout) -> (mean: [Float], variance: [Float]) {
        let channels = layout.channels
        let count = Double(layout.outer * layout.inner)
        var mean = [Float](repeating: 0, count: channels), variance = mean
        guard count > 0 else { return (mean, variance) }
        x.withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress else { return }
            let sums = columnSums(p, layout) { v, _ in v }
            for c in 0..<channels { mean[c] = Float(sums[c] / count) }
            let squares = mean.withUnsafeBufferPointer { m in
                columnSums(p, layout) { v, c in let d = v - m[c]; return d * d }
            }
            for c in 0..<channels { variance[c] = Float(squares[c] / count) }
        }
        return (mean, variance)
    }

    /// `Σ term(x, channel)` per channel over the `[outer, channels, inner]` layout.
    @inline(__always)
    private static func columnSums(
        _ p: UnsafePointer<Float>, _ layout: ChannelLayout, _ term: (Float, Int) -> Float
    ) -> [Double] {
        let channels = layout.channels
        var totals = [Double](repeating: 0, count: channels)
        if layout.inner == 1 {
            var partial = [Float](repeating: 0, count: channels)
            partial.withUnsafeMutableBufferPointer { partialBuffer in
                guard let s = partialBuffer.baseAddress else { return }
                var start = 0
                while start < layout.outer {
                    let end = Swift.min(start + blockRows, layout.outer)
                    for row in start..<end {
                        let base = p + row * channels
                        for c in 0..<channels { s[c] += term(base[c], c) }
                    }
                    for c in 0..<channels { totals[c] += Double(s[c]); s[c] = 0 }
                    start = end
                }
            }
            return totals
        }
        let inner = layout.inner
        forEachRun(layout) { c, offset in
            var a0: Float = 0, a1: Float = 0, a2: Float = 0, a3: Float = 0
            var i = 0
            while i + 4 <= inner {
                a0 += term(p[offset + i], c); a1 += term(p[offset + i + 1], c)
                a2 += term(p[offset + i + 2], c); a3 += term(p[offset + i + 3], c)
                i += 4
            }
            while i < inner { a0 += term(p[offset + i], c); i += 1 }
            totals[c] += Double((a0 + a1) + (a2 + a3))
        }
        return totals
    }

    /// `x * scale[c] + shift[c]` for every element of channel `c`; also writes
    /// `x * normalizedScale[c] + normalizedShift[c]` (the normalized input a backward pass reuses)
    /// when `normalized` is given.
    static func channelAffine(
        _ x: Tensor, layout: ChannelLayout, scale: [Float], shift: [Float],
        normalized: (scale: [Float], shift: [Float])? = nil
    ) -> (output: Tensor, normalized: Tensor?) {
        let count = x.scalarCount
        var normalizedStorage: [Float]? = nil
        let output = x.withUnsafeBufferPointer { px in
            Tensor.make(shape: x.shape, count: count) { out in
                guard let xp = px.baseAddress, let op = out.baseAddress else { return }
                if let normalized {
                    normalizedStorage = [Float](unsafeUninitializedCapacity: count) { xhat, initialized in
                        if let hp = xhat.baseAddress {
                            affine(xp, op, layout, scale, shift)
                            affine(xp, hp, layout, normalized.scale, normalized.shift)
                        }
                        initialized = count
                    }
                } else {
                    affine(xp, op, layout, scale, shift)
                }
            }
        }
        return (output, normalizedStorage.map { Tensor(uncheckedShape: x.shape, storage: $0) })
    }

    @inline(__always)
    private static func affine(
        _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ layout: ChannelLayout,
        _ scale: [Float], _ shift: [Float]
    ) {
        scale.withUnsafeBufferPointer { scaleBuffer in
            shift.withUnsafeBufferPointer { shiftBuffer in
                guard let s = scaleBuffer.baseAddress, let b = shiftBuffer.baseAddress else { return }
                let channels = layout.channels, inner = layout.inner
                if inner == 1 {
                    for row in 0..<layout.outer {
                        let base = row * channels
                        for c in 0..<channels { out[base + c] = x[base + c] * s[c] + b[c] }
                    }
                    return
                }
                forEachRun(layout) { c, offset in
                    let sc = s[c], bc = b[c]
                    for i in 0..<inner { out[offset + i] = x[offset + i] * sc + bc }
                }
            }
        }
    }

    /// Batch normalization's first-order backward pass in two sweeps, from the upstream gradient,
    /// the normalized input and `factor[c] = gamma[c] / sqrt(variance[c] + epsilon)`:
    /// `dx = factor · (g - mean(g) - x̂ · mean(g · x̂))`, `dgamma = Σ g · x̂`, `dbeta = Σ g`.
    static func channelBackward(
        upstream: Tensor, normalized: Tensor, layout: ChannelLayout, factor: [Float]
    ) -> (input: Tensor, sumUpstream: [Float], sumProjection: [Float]) {
        let channels = layout.channels
        let count = Float(layout.outer * layout.inner)
        var sumG = [Float](repeating: 0, count: channels), sumGX = sumG
        var gradientScale = sumG, gradientShift = sumG
        let input = upstream.withUnsafeBufferPointer { gBuffer in
            normalized.withUnsafeBufferPointer { hBuffer in
                Tensor.make(shape: upstream.shape, count: upstream.scalarCount) { out in
                    guard let g = gBuffer.baseAddress, let h = hBuffer.baseAddress, let o = out.baseAddress else { return }
                    let (totalsG, totalsGX) = upstreamColumnSums(g, h, layout)
                    for c in 0..<channels {
                        sumG[c] = Float(totalsG[c])
                        sumGX[c] = Float(totalsGX[c])
                        // dx = g · factor + x̂ · (-factor · mean(g x̂)) + (-factor · mean(g)).
                        gradientScale[c] = -factor[c] * sumGX[c] / count
                        gradientShift[c] = -factor[c] * sumG[c] / count
                    }
                    factor.withUnsafeBufferPointer { fBuffer in
                        gradientScale.withUnsafeBufferPointer { sBuffer in
                            gradientShift.withUnsafeBufferPointer { bBuffer in
                                guard let f = fBuffer.baseAddress, let s = sBuffer.baseAddress,
                                      let b = bBuffer.baseAddress else { return }
                                let inner = layout.inner
                                if inner == 1 {
                                    for row in 0..<layout.outer {
                                        let base = row * channels
                                        for c in 0..<channels {
                                            o[base + c] = g[base + c] * f[c] + h[base + c] * s[c] + b[c]
                                        }
                                    }
                                    return
                                }
                                forEachRun(layout) { c, offset in
                                    let fc = f[c], sc = s[c], bc = b[c]
                                    for i in 0..<inner { o[offset + i] = g[offset + i] * fc + h[offset + i] * sc + bc }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (input, sumG, sumGX)
    }

    /// `Σ g` and `Σ g · x̂` per channel, in one walk over both buffers.
    private static func upstreamColumnSums(
        _ g: UnsafePointer<Float>, _ h: UnsafePointer<Float>, _ layout: ChannelLayout
    ) -> (plain: [Double], projection: [Double]) {
        let channels = layout.channels
        var plain = [Double](repeating: 0, count: channels), projection = plain
        if layout.inner == 1 {
            var partialPlain = [Float](repeating: 0, count: channels), partialProjection = partialPlain
            partialPlain.withUnsafeMutableBufferPointer { plBuffer in
                partialProjection.withUnsafeMutableBufferPointer { ppBuffer in
                    guard let pl = plBuffer.baseAddress, let pp = ppBuffer.baseAddress else { return }
                    var start = 0
                    while start < layout.outer {
                        let end = Swift.min(start + blockRows, layout.outer)
                        for row in start..<end {
                            let base = row * channels
                            for c in 0..<channels {
                                pl[c] += g[base + c]
                                pp[c] += g[base + c] * h[base + c]
                            }
                        }
                        for c in 0..<channels {
                            plain[c] += Double(pl[c]); projection[c] += Double(pp[c])
                            pl[c] = 0; pp[c] = 0
                        }
                        start = end
                    }
                }
            }
            return (plain, projection)
        }
        let inner = layout.inner
        forEachRun(layout) { c, offset in
            var sumG: Float = 0, sumGX: Float = 0
            for i in 0..<inner {
                sumG += g[offset + i]
                sumGX += g[offset + i] * h[offset + i]
            }
            plain[c] += Double(sumG)
            projection[c] += Double(sumGX)
        }
        return (plain, projection)
    }

    // MARK: - Per-row (layer normalization)

    /// Layer normalization of `rows` rows of `width` elements, each row in one pass while it is in
    /// cache: its mean and variance, then `(x - mean) / sqrt(variance + epsilon) · gamma + beta`.
    /// Returns the per-row `1 / sqrt(variance + epsilon)`, and the normalized rows (before gamma and
    /// beta) when `keepNormalized`.
    static func rowNormalize(
        _ x: Tensor, rows: Int, width: Int, epsilon: Float, gamma: Tensor?, beta: Tensor?, keepNormalized: Bool
    ) -> (output: Tensor, normalized: Tensor?, inverseDeviation: [Float]) {
        let count = x.scalarCount
        let gammaValues = gamma?.scalars ?? [Float](repeating: 1, count: width)
        let betaValues = beta?.scalars ?? [Float](repeating: 0, count: width)
        var inverseDeviation = [Float](repeating: 0, count: rows)
        var normalizedStorage = keepNormalized ? [Float](repeating: 0, count: count) : []
        let output = x.withUnsafeBufferPointer { px in
            Tensor.make(shape: x.shape, count: count) { out in
                gammaValues.withUnsafeBufferPointer { pg in
                    betaValues.withUnsafeBufferPointer { pb in
                        normalizedStorage.withUnsafeMutableBufferPointer { ph in
                            guard let xp = px.baseAddress, let op = out.baseAddress,
                                  let gp = pg.baseAddress, let bp = pb.baseAddress else { return }
                            // An empty array may still have a base address: decide by the flag.
                            let hp = keepNormalized ? ph.baseAddress : nil
                            let w = Float(width)
                            for r in 0..<rows {
                                let row = xp + r * width, target = op + r * width
                                let mean = rowSum(width) { row[$0] } / w
                                let variance = rowSum(width) { let d = row[$0] - mean; return d * d } / w
                                let inverse = 1 / (variance + epsilon).squareRoot()
                                inverseDeviation[r] = inverse
                                if let hp {
                                    let normalizedRow = hp + r * width
                                    for j in 0..<width {
                                        let h = (row[j] - mean) * inverse
                                        normalizedRow[j] = h
                                        target[j] = h * gp[j] + bp[j]
                                    }
                                } else {
                                    for j in 0..<width { target[j] = (row[j] - mean) * inverse * gp[j] + bp[j] }
                                }
                            }
                        }
                    }
                }
            }
        }
        let normalized = keepNormalized ? Tensor(uncheckedShape: x.shape, storage: normalizedStorage) : nil
        return (output, normalized, inverseDeviation)
    }

    /// `Σ term(j)` for `j` in `0..<width`, with four Float lanes, totalled in Double every 256 terms.
    @inline(__always)
    private static func rowSum(_ width: Int, _ term: (Int) -> Float) -> Float {
        var total: Double = 0
        var start = 0
        while start < width {
            let end = Swift.min(start + 256, width)
            var a0: Float = 0, a1: Float = 0, a2: Float = 0, a3: Float = 0
            var j = start
            while j + 4 <= end {
                a0 += term(j); a1 += term(j + 1); a2 += term(j + 2); a3 += term(j + 3)
                j += 4
            }
            while j < end { a0 += term(j); j += 1 }
            total += Double((a0 + a1) + (a2 + a3))
            start = end
        }
        return Float(total)
    }

    /// Layer normalization's first-order backward pass, row by row: with `d = g · gamma`,
    /// `dx = inverse · (d - mean(d) - x̂ · mean(d · x̂))`, and the column sums `Σ g · x̂` (for gamma)
    /// and `Σ g` (for beta).
    static func rowBackward(
        upstream: Tensor, normalized: Tensor, rows: Int, width: Int, gamma: Tensor?, inverseDeviation: [Float]
    ) -> (input: Tensor, sumProjection: [Float], sumUpstream: [Float]) {
        let gammaValues = gamma?.scalars ?? [Float](repeating: 1, count: width)
        var projection = [Double](repeating: 0, count: width), plain = projection
        var partialProjection = [Float](repeating: 0, count: width), partialPlain = partialProjection
        let w = Float(width)
        let input = upstream.withUnsafeBufferPointer { gBuffer in
            normalized.withUnsafeBufferPointer { hBuffer in
                Tensor.make(shape: upstream.shape, count: upstream.scalarCount) { out in
                    gammaValues.withUnsafeBufferPointer { gammaBuffer in
                        partialProjection.withUnsafeMutableBufferPointer { ppBuffer in
                            partialPlain.withUnsafeMutableBufferPointer { plBuffer in
                                guard let g = gBuffer.baseAddress, let h = hBuffer.baseAddress, let o = out.baseAddress,
                                      let gm = gammaBuffer.baseAddress, let pp = ppBuffer.baseAddress,
                                      let pl = plBuffer.baseAddress else { return }
                                for r in 0..<rows {
                                    let gr = g + r * width, hr = h + r * width, or = o + r * width
                                    let sumD = rowSum(width) { gr[$0] * gm[$0] }
                                    let sumDH = rowSum(width) { gr[$0] * gm[$0] * hr[$0] }
                                    for j in 0..<width {
                                        pp[j] += gr[j] * hr[j]
                                        pl[j] += gr[j]
                                    }
                                    let meanD = sumD / w, meanDH = sumDH / w, inverse = inverseDeviation[r]
                                    for j in 0..<width { or[j] = (gr[j] * gm[j] - meanD - hr[j] * meanDH) * inverse }
                                    if r % blockRows == blockRows - 1 || r == rows - 1 {
                                        for j in 0..<width {
                                            projection[j] += Double(pp[j]); plain[j] += Double(pl[j])
                                            pp[j] = 0; pl[j] = 0
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (input, projection.map { Float($0) }, plain.map { Float($0) })
    }
}
