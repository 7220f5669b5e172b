/// Initial weights whose variance is `scale / n`, with `n` the fan-in, the fan-out or their average:
/// Keras's `VarianceScaling(scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None)`,
/// the initializer underneath Glorot, He and LeCun.
///
/// - `truncatedNormal`: normal with standard deviation `sqrt(scale / n) / 0.87962566103423978`,
///   truncated at two standard deviations; the division makes the truncated samples' standard
///   deviation `sqrt(scale / n)` (0.8796... is the standard deviation of a standard normal truncated
///   to [-2, 2]).
/// - `untruncatedNormal`: normal with standard deviation `sqrt(scale / n)`.
/// - `uniform`: uniform in `[-limit, limit)` with `limit = sqrt(3 · scale / n)`.
public struct VarianceScaling: Initializer, Equatable {
    /// `"VarianceScaling"`.
    public static let typeName = "VarianceScaling"

    /// Which fan divides the scale.
    public enum Mode: String, Sendable, CaseIterable {
        /// The number of inputs per output unit.
        case fanIn = "fan_in"
        /// The number of outputs per input unit.
        case fanOut = "fan_out"
        /// `(fanIn + fanOut) / 2`.
        case fanAverage = "fan_avg"
    }

    /// The distribution the samples come from.
    public enum Distribution: String, Sendable, CaseIterable {
        /// Normal truncated at two standard deviations (Keras also reads `"normal"` as this).
        case truncatedNormal = "truncated_normal"
        /// Plain normal.
        case untruncatedNormal = "untruncated_normal"
        /// Uniform in `[-limit, limit)`.
        case uniform

        /// Reads Keras's names, including `"normal"` (which Keras maps to `truncated_normal`) and any
        /// letter case (Keras lowercases the argument).
        public init?(kerasName: String) {
            let lowered = kerasName.lowercased()
            if lowered == "normal" {
                self = .truncatedNormal
            } else if let value = Self(rawValue: lowered) {
                self = value
            } else {
                return nil
            }
        }
    }

    /// The standard deviation of a standard normal truncated to [-2, 2] (Keras's constant).
    public static let truncationCorrection = 0.87962566103423978

    /// The variance numerator; positive.
    public var scale: Float
    /// Which fan divides ``scale``.
    public var mode: Mode
    /// The distribution of the samples.
    public var distribution: Distribution
    /// When set, every call draws from this seed (same values each time); see ``Initializer``.
    public var seed: UInt64?

    /// Keras's defaults: scale 1, fan-in, truncated normal. Traps when `scale` is not positive and
    /// finite.
    public init(scale: Float = 1, mode: Mode = .fanIn, distribution: Distribution = .truncatedNormal, seed: UInt64? = nil) {
        guard scale > 0, scale.isFinite else {
            trap(.invalidArgument(op: Self.typeName, message: "scale must be a positive number, got \(scale)"))
        }
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.seed = seed
    }

    /// Reads Keras's `scale`, `mode`, `distribution` and `seed` (missing keys take the defaults).
    /// - Throws: ``ConfigurationError`` naming the key when the scale is not positive or the mode or
    ///   distribution is not one of Keras's names.
    public init(configuration: Configuration) throws {
        let type = Self.typeName
        scale = try configuration.float("scale", in: type, default: 1)
        guard scale > 0 else {
            throw configuration.invalid("scale", in: type, expected: "a positive number")
        }
        if let value = configuration["mode"], value != .null {
            guard let name = value.stringValue, let parsed = Mode(rawValue: name) else {
                throw ConfigurationError.invalidValue(type: type, key: "mode", expected: "one of fan_in, fan_out, fan_avg", found: value)
            }
            mode = parsed
        } else {
            mode = .fanIn
        }
        if let value = configuration["distribution"], value != .null {
            guard let name = value.stringValue, let parsed = Distribution(kerasName: name) else {
                throw ConfigurationError.invalidValue(
                    type: type, key: "distribution", expected: "one of truncated_normal, untruncated_normal, uniform, normal",
                    found: value)
            }
            distribution = parsed
        } else {
            distribution = .truncatedNormal
        }
        seed = try configuration.seed(in: type)
    }

    /// `{"scale", "mode", "distribution", "seed"}`, as Keras saves it.
    public var configuration: Configuration {
        ["scale": JSONValue(scale), "mode": .string(mode.rawValue), "distribution": .string(distribution.rawValue),
         "seed": JSONValue(seed: seed)]
    }

    /// Keras's `compute_fans`: for a scalar 1 and 1; a vector `[n]` gives `n` and `n`; a matrix
    /// `[in, out]` gives `in` and `out`; a convolution kernel `[..., in, out]` (e.g. `[kh, kw, in, out]`)
    /// multiplies both by the receptive field size, the product of the leading dimensions.
    public static func fans(for shape: [Int]) -> (fanIn: Int, fanOut: Int) {
        switch shape.count {
        case 0: return (1, 1)
        case 1: return (shape[0], shape[0])
        case 2: return (shape[0], shape[1])
        default:
            let receptiveField = shape.dropLast(2).reduce(1, *)
            return (shape[shape.count - 2] * receptiveField, shape[shape.count - 1] * receptiveField)
        }
    }

    /// `scale / max(1, n)` for this mode: the variance the samples get (before any truncation
    /// correction), as Keras computes it.
    public func variance(for shape: [Int]) -> Double {
        let (fanIn, fanOut) = Self.fans(for: shape)
        let n: Double
        switch mode {
        case .fanIn: n = Double(fanIn)
        case .fanOut: n = Double(fanOut)
        case .fanAverage: n = Double(fanIn + fanOut) / 2
        }
        return Double(scale) / Swift.max(1, n)
    }

    /// Samples with the variance ``variance(for:)``. Traps on a negative dimension.
    public func callAsFunction(shape: [Int], generator: inout SeededGenerator) -> Tensor {
        checkInitializerShape(shape, Self.typeName)
        let variance = variance(for: shape)
        return drawing(seed: seed, from: &generator) { generator in
            switch distribution {
            case .truncatedNormal:
                let deviation = Float(variance.squareRoot() / Self.truncationCorrection)
                return Tensor(randomTruncatedNormal: shape, standardDeviation: deviation, generator: &generator)
            case .untruncatedNormal:
                return Tensor(randomNormal: shape, standardDeviation: Float(variance.squareRoot()), generator: &generator)
            case .uniform:
                let limit = Float((3 * variance).squareRoot())
                return Tensor(randomUniform: shape, lower: -limit, upper: limit, generator: &generator)
            }
        }
    }
}
