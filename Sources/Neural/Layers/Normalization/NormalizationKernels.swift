/// The forward sweeps the normalization layers share. Each is one pass over the input, with the
/// per-channel (or per-row) factors computed beforehand from small arrays; backward passes stay
/// tensor ops in the layers, so that gradients of any order are recorded.
enum NormalizationKernels {
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
            scale.withUnsafeBufferPointer { ps in
                shift.withUnsafeBufferPointer { pb in
                    Tensor.make(shape: x.shape, count: count) { out in
                        if let normalized {
                            normalizedStorage = [Float](unsafeUninitializedCapacity: count) { xhat, initialized in
                                normalized.scale.withUnsafeBufferPointer { ns in
                                    normalized.shift.withUnsafeBufferPointer { nb in
                                        affineWithNormalized(px, out, xhat, layout, ps, pb, ns, nb)
                                    }
                                }
                                initialized = count
                            }
                        } else {
                            affine(px, out, layout, ps, pb)
                        }
                    }
                }
            }
        }
        return (output, normalizedStorage.map { Tensor(uncheckedShape: x.shape, storage: $0) })
    }

    @inline(__always)
    private static func affine(
        _ x: UnsafeBufferPointer<Float>, _ out: UnsafeMutableBufferPointer<Float>, _ layout: ChannelLayout,
        _ scale: UnsafeBufferPointer<Float>, _ shift: UnsafeBufferPointer<Float>
    ) {
        let (outer, channels, inner) = (layout.outer, layout.channels, layout.inner)
        if inner == 1 {
            for o in 0..<outer {
                let base = o * channels
                for c in 0..<channels { out[base + c] = x[base + c] * scale[c] + shift[c] }
            }
            return
        }
        for o in 0..<outer {
            for c in 0..<channels {
                let base = (o * channels + c) * inner
                let s = scale[c], b = shift[c]
                for i in 0..<inner { out[base + i] = x[base + i] * s + b }
            }
        }
    }

    @inline(__always)
    private static func affineWithNormalized(
        _ x: UnsafeBufferPointer<Float>, _ out: UnsafeMutableBufferPointer<Float>,
        _ xhat: UnsafeMutableBufferPointer<Float>, _ layout: ChannelLayout,
        _ scale: UnsafeBufferPointer<Float>, _ shift: UnsafeBufferPointer<Float>,
        _ normalizedScale: UnsafeBufferPointer<Float>, _ normalizedShift: UnsafeBufferPointer<Float>
    ) {
        let (outer, channels, inner) = (layout.outer, layout.channels, layout.inner)
        if inner == 1 {
            for o in 0..<outer {
                let base = o * channels
                for c in 0..<channels {
                    let v = x[base + c]
                    out[base + c] = v * scale[c] + shift[c]
                    xhat[base + c] = v * normalizedScale[c] + normalizedShift[c]
                }
            }
            return
        }
        for o in 0..<outer {
            for c in 0..<channels {
                let base = (o * channels + c) * inner
                let s = scale[c], b = shift[c], ns = normalizedScale[c], nb = normalizedShift[c]
                for i in 0..<inner {
                    let v = x[base + i]
                    out[base + i] = v * s + b
                    xhat[base + i] = v * ns + nb
                }
            }
        }
    }

    /// Layer normalization of `rows` rows of `width` elements: `(x - mean[r]) * inverseDeviation[r]`,
    /// then times `gamma[j]` and plus `beta[j]` when given. Also returns the normalized rows (before
    /// gamma and beta) when `keepNormalized`.
    static func rowNormalize(
        _ x: Tensor, rows: Int, width: Int, mean: [Float], inverseDeviation: [Float],
        gamma: Tensor?, beta: Tensor?, keepNormalized: Bool
    ) -> (output: Tensor, normalized: Tensor?) {
        let count = x.scalarCount
        let ones = gamma == nil ? [Float](repeating: 1, count: width) : []
        let zeros = beta == nil ? [Float](repeating: 0, count: width) : []
        let gammaValues = gamma?.scalars ?? ones
        let betaValues = beta?.scalars ?? zeros
        var normalizedStorage: [Float]? = nil
        let output = x.withUnsafeBufferPointer { px in
            gammaValues.withUnsafeBufferPointer { pg in
                betaValues.withUnsafeBufferPointer { pb in
                    Tensor.make(shape: x.shape, count: count) { out in
                        if keepNormalized {
                            normalizedStorage = [Float](unsafeUninitializedCapacity: count) { xhat, initialized in
                                for r in 0..<rows {
                                    let base = r * width, m = mean[r], s = inverseDeviation[r]
                                    for j in 0..<width {
                                        let h = (px[base + j] - m) * s
                                        xhat[base + j] = h
                                        out[base + j] = h * pg[j] + pb[j]
                                    }
                                }
                                initialized = count
                            }
                        } else {
                            for r in 0..<rows {
                                let base = r * width, m = mean[r], s = inverseDeviation[r]
                                for j in 0..<width { out[base + j] = (px[base + j] - m) * s * pg[j] + pb[j] }
                            }
                        }
                    }
                }
            }
        }
        return (output, normalizedStorage.map { Tensor(uncheckedShape: x.shape, storage: $0) })
    }
}
