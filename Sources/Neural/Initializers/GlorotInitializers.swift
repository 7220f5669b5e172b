/// Glorot (Xavier) uniform initial weights (Keras's `GlorotUniform(seed=None)`, `"glorot_uniform"`): the
/// default kernel initializer of Keras's Dense and convolution layers: uniform in `[-limit, limit)` with
/// `limit = sqrt(6 / (fan_in + fan_out))`.
/// The same as `VarianceScaling(scale: 1, mode: .fanAverage, distribution: .uniform)`.
public struct GlorotUniform: Initializer, Equatable {
    /// `"GlorotUniform"`.
    public static let typeName = "GlorotUniform"

    /// When set, every call draws from this seed (same values each time); see ``Initializer``.
    public var seed: UInt64?

    /// The initializer, unseeded by default.
    public init(seed: UInt64? = nil) { self.seed = seed }

    /// Reads Keras's `seed` (absent or null: unseeded).
    /// - Throws: ``ConfigurationError`` when `seed` is not an integer.
    public init(configuration: Configuration) throws { seed = try configuration.seed(in: Self.typeName) }

    /// `{"seed": seed}`, as Keras saves it.
    public var configuration: Configuration { ["seed": JSONValue(seed: seed)] }

    /// The ``VarianceScaling`` this initializer is.
    public var varianceScaling: VarianceScaling {
        VarianceScaling(scale: 1, mode: .fanAverage, distribution: .uniform, seed: seed)
    }

    /// Samples as ``varianceScaling`` does. Traps on a negative dimension.
    public func callAsFunction(shape: [Int], generator: inout SeededGenerator) -> Tensor {
        varianceScaling(shape: shape, generator: &generator)
    }
}

/// Glorot (Xavier) normal initial weights (Keras's `GlorotNormal(seed=None)`, `"glorot_normal"`): truncated
/// normal with standard deviation `sqrt(2 / (fan_in + fan_out))` after truncation.
/// The same as `VarianceScaling(scale: 1, mode: .fanAverage, distribution: .truncatedNormal)`.
public struct GlorotNormal: Initializer, Equatable {
    /// `"GlorotNormal"`.
    public static let typeName = "GlorotNormal"

    /// When set, every call draws from this seed (same values each time); see ``Initializer``.
    public var seed: UInt64?

    /// The initializer, unseeded by default.
    public init(seed: UInt64? = nil) { self.seed = seed }

    /// Reads Keras's `seed` (absent or null: unseeded).
    /// - Throws: ``ConfigurationError`` when `seed` is not an integer.
    public init(configuration: Configuration) throws { seed = try configuration.seed(in: Self.typeName) }

    /// `{"seed": seed}`, as Keras saves it.
    public var configuration: Configuration { ["seed": JSONValue(seed: seed)] }

    /// The ``VarianceScaling`` this initializer is.
    public var varianceScaling: VarianceScaling {
        VarianceScaling(scale: 1, mode: .fanAverage, distribution: .truncatedNormal, seed: seed)
    }

    /// Samples as ``varianceScaling`` does. Traps on a negative dimension.
    public func callAsFunction(shape: [Int], generator: inout SeededGenerator) -> Tensor {
        varianceScaling(shape: shape, generator: &generator)
    }
}
