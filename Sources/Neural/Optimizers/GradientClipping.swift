/// How an optimizer clips gradients before each update (Keras's `clipnorm`, `clipvalue` and
/// `global_clipnorm`; at most one may be set).
///
/// Clipping runs on raw buffers and is never recorded on a tape. When it is on, each step makes one
/// clipped copy of each gradient (one allocation per variable, not per element).
public enum GradientClipping: Equatable, Sendable {
    /// Gradients are used as they are.
    case none
    /// `clipnorm`: each gradient is rescaled on its own so its L2 norm is at most the value:
    /// `g * c / max(‖g‖, c)`.
    case byNorm(Double)
    /// `clipvalue`: each element is clamped to `[-value, value]`.
    case byValue(Double)
    /// `global_clipnorm`: all gradients are rescaled together so the L2 norm of their concatenation is
    /// at most the value: `g * c * min(1 / ‖all‖, 1 / c)`.
    case byGlobalNorm(Double)

    /// The clipping Keras's three arguments ask for.
    ///
    /// - Throws: ``OptimizerError/conflictingClipping(clipnorm:clipvalue:globalClipnorm:)`` when more
    ///   than one is set, and ``OptimizerError/invalidHyperparameter(owner:name:value:requirement:)`` when
    ///   the one set is not finite and positive (pass `nil` for no clipping: Keras's `0` meaning "off"
    ///   is refused as ambiguous).
    public init(clipnorm: Double? = nil, clipvalue: Double? = nil, globalClipnorm: Double? = nil) throws(OptimizerError) {
        let setCount = [clipnorm, clipvalue, globalClipnorm].filter { $0 != nil }.count
        guard setCount <= 1 else {
            throw .conflictingClipping(clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
        }
        func check(_ value: Double, _ name: String) throws(OptimizerError) {
            guard value.isFinite, value > 0 else {
                throw .invalidHyperparameter(
                    owner: "gradient clipping", name: name, value: "\(value)",
                    requirement: "finite and > 0 (pass nil for no clipping)")
            }
        }
        if let clipnorm {
            try check(clipnorm, "clipnorm")
            self = .byNorm(clipnorm)
        } else if let clipvalue {
            try check(clipvalue, "clipvalue")
            self = .byValue(clipvalue)
        } else if let globalClipnorm {
            try check(globalClipnorm, "globalClipnorm")
            self = .byGlobalNorm(globalClipnorm)
        } else {
            self = .none
        }
    }

    /// The `clipnorm` value, if that is the clipping.
    public var clipnorm: Double? { if case let .byNorm(value) = self { return value } else { return nil } }
    /// The `clipvalue` value, if that is the clipping.
    public var clipvalue: Double? { if case let .byValue(value) = self { return value } else { return nil } }
    /// The `global_clipnorm` value, if that is the clipping.
    public var globalClipnorm: Double? { if case let .byGlobalNorm(value) = self { return value } else { return nil } }

    /// The clipped gradients, `nil` where the input is `nil` (Keras's `_clip_gradients`).
    ///
    /// Computed in Float32 like Keras: norms are square roots of sums of squares (see `sumOfSquares`),
    /// `byNorm` scales each element as `(g * c) / max(norm, c)`, `byGlobalNorm` multiplies by
    /// `c * min(1 / norm, 1 / c)` (NaN everywhere when the global norm is not finite, as in Keras), and
    /// `byValue` keeps NaN elements as they are.
    public func clip(_ gradients: [Tensor?]) -> [Tensor?] {
        switch self {
        case .none:
            return gradients
        case let .byNorm(limit):
            let c = Float(limit)
            return gradients.map { gradient in
                guard let gradient else { return nil }
                let norm = Float(sumOfSquares(gradient)).squareRoot()
                let denominator = Swift.max(norm, c)
                return gradient.mapUnrecorded { ($0 * c) / denominator }
            }
        case let .byValue(limit):
            let c = Float(limit)
            return gradients.map { gradient in
                gradient?.mapUnrecorded { $0 > c ? c : ($0 < -c ? -c : $0) }
            }
        case let .byGlobalNorm(limit):
            var squared: Float = 0
            for gradient in gradients { if let gradient { squared += Float(sumOfSquares(gradient)) } }
            let norm = squared.squareRoot()
            let c = Float(limit)
            // Keras adds (norm - norm) so that an infinite or NaN norm poisons the scale with NaN.
            let scale = c * Swift.min(1 / norm, Float(1 / limit)) + (norm - norm)
            return gradients.map { gradient in gradient?.mapUnrecorded { $0 * scale } }
        }
    }

    /// The Keras keys and values of this clipping, for an optimizer's configuration.
    var configuration: Configuration {
        ["clipnorm": .optional(clipnorm), "clipvalue": .optional(clipvalue), "global_clipnorm": .optional(globalClipnorm)]
    }
}

/// The sum of squared elements. Fewer than 8 elements are summed in order in Float32, as TensorFlow's
/// reduction does below its vector width (so small cases match Keras bit for bit); longer tensors use 8
/// Float32 lanes (vectorizable) whose partial sums are added in Double every 1024 elements, which keeps
/// long gradients accurate.
private func sumOfSquares(_ tensor: Tensor) -> Double {
    tensor.withUnsafeBufferPointer { values in
        guard let base = values.baseAddress else { return 0 }
        let count = values.count
        let vectorCount = count & ~7
        var total: Double = 0
        var start = 0
        while start < vectorCount {
            let end = Swift.min(start + 1024, vectorCount)
            var lanes = SIMD8<Float>()
            var index = start
            while index < end {
                let chunk = UnsafeRawPointer(base + index).loadUnaligned(as: SIMD8<Float>.self)
                lanes += chunk * chunk
                index += 8
            }
            total += Double(lanes.sum())
            start = end
        }
        var tail: Float = 0
        for index in vectorCount..<count { tail += base[index] * base[index] }
        return total + Double(tail)
    }
}
