/// The ℓ1 penalty `l1 · Σ|x|` (Keras's `L1(l1=0.01)`, `"l1"`): pushes weights to exactly zero.
/// Its gradient is `l1 · sign(x)`, 0 at 0.
public struct L1: Regularizer, Equatable {
    /// `"L1"`.
    public static let typeName = "L1"

    /// The factor.
    public var l1: Float

    /// Keras's default factor is 0.01. Traps when `l1` is negative or not finite.
    public init(_ l1: Float = 0.01) {
        checkRegularizationFactor(l1, "l1", Self.typeName)
        self.l1 = l1
    }

    /// Reads Keras's `l1` (default 0.01).
    /// - Throws: ``ConfigurationError`` when it is not a non-negative number.
    public init(configuration: Configuration) throws {
        l1 = try configuration.regularizationFactor("l1", in: Self.typeName, default: 0.01)
    }

    /// `{"l1": l1}`, as Keras saves it.
    public var configuration: Configuration { ["l1": JSONValue(l1)] }

    /// `l1 · Σ|weights|`, a scalar.
    public func callAsFunction(_ weights: Tensor) -> Tensor { weights.abs().sum() * l1 }
}

/// The ℓ2 penalty `l2 · Σx²` (Keras 3's `L2(l2=0.01)`, `"l2"`; no factor ½). Its gradient is
/// `2 · l2 · x`.
public struct L2: Regularizer, Equatable {
    /// `"L2"`.
    public static let typeName = "L2"

    /// The factor.
    public var l2: Float

    /// Keras's default factor is 0.01. Traps when `l2` is negative or not finite.
    public init(_ l2: Float = 0.01) {
        checkRegularizationFactor(l2, "l2", Self.typeName)
        self.l2 = l2
    }

    /// Reads Keras's `l2` (default 0.01).
    /// - Throws: ``ConfigurationError`` when it is not a non-negative number.
    public init(configuration: Configuration) throws {
        l2 = try configuration.regularizationFactor("l2", in: Self.typeName, default: 0.01)
    }

    /// `{"l2": l2}`, as Keras saves it.
    public var configuration: Configuration { ["l2": JSONValue(l2)] }

    /// `l2 · Σ weights²`, a scalar.
    public func callAsFunction(_ weights: Tensor) -> Tensor { weights.squared().sum() * l2 }
}

/// Both penalties, `l1 · Σ|x| + l2 · Σx²` (Keras's `L1L2(l1=0.0, l2=0.0)`, `"l1_l2"`). A zero factor's
/// term is left out, as in Keras.
public struct L1L2: Regularizer, Equatable {
    /// `"L1L2"`.
    public static let typeName = "L1L2"

    /// The ℓ1 factor.
    public var l1: Float
    /// The ℓ2 factor.
    public var l2: Float

    /// Keras's defaults are 0 and 0 (note: not 0.01 as for ``L1`` and ``L2``). Traps when a factor is
    /// negative or not finite.
    public init(l1: Float = 0, l2: Float = 0) {
        checkRegularizationFactor(l1, "l1", Self.typeName)
        checkRegularizationFactor(l2, "l2", Self.typeName)
        self.l1 = l1
        self.l2 = l2
    }

    /// Reads Keras's `l1` and `l2` (default 0 each).
    /// - Throws: ``ConfigurationError`` when one is not a non-negative number.
    public init(configuration: Configuration) throws {
        l1 = try configuration.regularizationFactor("l1", in: Self.typeName, default: 0)
        l2 = try configuration.regularizationFactor("l2", in: Self.typeName, default: 0)
    }

    /// `{"l1": l1, "l2": l2}`, as Keras saves it.
    public var configuration: Configuration { ["l1": JSONValue(l1), "l2": JSONValue(l2)] }

    /// `l1 · Σ|weights| + l2 · Σ weights²`, a scalar (0 when both factors are 0).
    public func callAsFunction(_ weights: Tensor) -> Tensor {
        var penalty = Tensor(0)
        if l1 != 0 { penalty = penalty + weights.abs().sum() * l1 }
        if l2 != 0 { penalty = penalty + weights.squared().sum() * l2 }
        return penalty
    }
}
