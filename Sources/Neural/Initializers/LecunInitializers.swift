/// LeCun uniform initial weights (Keras's `LecunUniform(seed=None)`, `"lecun_uniform"`): uniform in `[-limit,
/// limit)` with `limit = sqrt(3 / fan_in)`.
/// The same as `VarianceScaling(scale: 1, mode: .fanIn, distribution: .uniform)`.
public struct LecunUniform: Initializer, Equatable {
    /// `"LecunUniform"`.
    public static let typeName = "LecunUniform"

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
        VarianceScaling(scale: 1, mode: .fanIn, distribution: .uniform, seed: seed)
    }

    /// Samples as ``varianceScaling`` does. Traps on a negative dimension.
    public func callAsFunction(shape: [Int], generator: inout SeededGenerator) -> Tensor {
        varianceScaling(shape: shape, generator: &generator)
    }
}

/// LeCun normal initial weights (Keras's `LecunNormal(seed=None)`, `"lecun_normal"`): truncated normal with
/// standard deviation `sqrt(1 / fan_in)` after truncation; for SELU networks.
/// The same as `VarianceScaling(scale: 1, mode: .fanIn, distribution: .truncatedNormal)`.
public struct LecunNormal: Initializer, Equatable {
    /// `"LecunNormal"`.
    public static let typeName = "LecunNormal"

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
        VarianceScaling(scale: 1, mode: .fanIn, distribution: .truncatedNormal, seed: seed)
    }

    /// Samples as ``varianceScaling`` does. Traps on a negative dimension.
    public func callAsFunction(shape: [Int], generator: inout SeededGenerator) -> Tensor {
        varianceScaling(shape: shape, generator: &generator)
    }
}
