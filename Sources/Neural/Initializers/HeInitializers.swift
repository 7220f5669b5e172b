/// He uniform initial weights (Keras's `HeUniform(seed=None)`, `"he_uniform"`): uniform in `[-limit, limit)`
/// with `limit = sqrt(6 / fan_in)`; for ReLU layers.
/// The same as `VarianceScaling(scale: 2, mode: .fanIn, distribution: .uniform)`.
public struct HeUniform: Initializer, Equatable {
    /// `"HeUniform"`.
    public static let typeName = "HeUniform"

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
        VarianceScaling(scale: 2, mode: .fanIn, distribution: .uniform, seed: seed)
    }

    /// Samples as ``varianceScaling`` does. Traps on a negative dimension.
    public func callAsFunction(shape: [Int], generator: inout SeededGenerator) -> Tensor {
        varianceScaling(shape: shape, generator: &generator)
    }
}

/// He normal initial weights (Keras's `HeNormal(seed=None)`, `"he_normal"`): truncated normal with standard
/// deviation `sqrt(2 / fan_in)` after truncation; for ReLU layers.
/// The same as `VarianceScaling(scale: 2, mode: .fanIn, distribution: .truncatedNormal)`.
public struct HeNormal: Initializer, Equatable {
    /// `"HeNormal"`.
    public static let typeName = "HeNormal"

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
        VarianceScaling(scale: 2, mode: .fanIn, distribution: .truncatedNormal, seed: seed)
    }

    /// Samples as ``varianceScaling`` does. Traps on a negative dimension.
    public func callAsFunction(shape: [Int], generator: inout SeededGenerator) -> Tensor {
        varianceScaling(shape: shape, generator: &generator)
    }
}
