/// Initial weights drawn from a normal distribution (Keras's `RandomNormal(mean=0.0, stddev=0.05,
/// seed=None)`, `"random_normal"`, `"normal"`).
public struct RandomNormal: Initializer, Equatable {
    /// `"RandomNormal"`.
    public static let typeName = "RandomNormal"

    /// The distribution's mean.
    public var mean: Float
    /// The distribution's standard deviation.
    public var standardDeviation: Float
    /// When set, every call draws from this seed (same values each time); see ``Initializer``.
    public var seed: UInt64?

    /// Samples `N(mean, standardDeviation²)`; Keras's defaults are 0 and 0.05. Traps when
    /// `standardDeviation` is negative or either is not finite.
    public init(mean: Float = 0, standardDeviation: Float = 0.05, seed: UInt64? = nil) {
        checkNormalArguments(mean: mean, standardDeviation: standardDeviation, op: Self.typeName)
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.seed = seed
    }

    /// Reads Keras's `mean`, `stddev` and `seed` (missing keys take the defaults).
    /// - Throws: ``ConfigurationError`` on a non-numeric value or a negative `stddev`.
    public init(configuration: Configuration) throws {
        (mean, standardDeviation, seed) = try configuration.normalArguments(in: Self.typeName)
    }

    /// `{"mean", "stddev", "seed"}`, as Keras saves it.
    public var configuration: Configuration {
        normalConfiguration(mean: mean, standardDeviation: standardDeviation, seed: seed)
    }

    /// Normal samples. Traps on a negative dimension.
    public func callAsFunction(shape: [Int], generator: inout SeededGenerator) -> Tensor {
        checkInitializerShape(shape, Self.typeName)
        return drawing(seed: seed, from: &generator) {
            Tensor(randomNormal: shape, mean: mean, standardDeviation: standardDeviation, generator: &$0)
        }
    }
}

/// Initial weights drawn uniformly from `[minval, maxval)` (Keras's `RandomUniform(minval=-0.05,
/// maxval=0.05, seed=None)`, `"random_uniform"`, `"uniform"`).
public struct RandomUniform: Initializer, Equatable {
    /// `"RandomUniform"`.
    public static let typeName = "RandomUniform"

    /// The lower bound (included).
    public var minimum: Float
    /// The upper bound (excluded).
    public var maximum: Float
    /// When set, every call draws from this seed (same values each time); see ``Initializer``.
    public var seed: UInt64?

    /// Samples `U[minimum, maximum)`; Keras's defaults are -0.05 and 0.05. Traps when
    /// `minimum > maximum` or either is not finite.
    public init(minimum: Float = -0.05, maximum: Float = 0.05, seed: UInt64? = nil) {
        guard minimum.isFinite, maximum.isFinite, minimum <= maximum else {
            let message = "minval \(minimum) and maxval \(maximum) must be finite with minval <= maxval"
            trap(.invalidArgument(op: Self.typeName, message: message))
        }
        self.minimum = minimum
        self.maximum = maximum
        self.seed = seed
    }

    /// Reads Keras's `minval`, `maxval` and `seed` (missing keys take the defaults).
    /// - Throws: ``ConfigurationError`` on a non-numeric value or `minval > maxval`.
    public init(configuration: Configuration) throws {
        minimum = try configuration.float("minval", in: Self.typeName, default: -0.05)
        maximum = try configuration.float("maxval", in: Self.typeName, default: 0.05)
        guard minimum <= maximum else {
            throw configuration.invalid("maxval", in: Self.typeName, expected: "a number >= minval \(minimum)")
        }
        seed = try configuration.seed(in: Self.typeName)
    }

    /// `{"minval", "maxval", "seed"}`, as Keras saves it.
    public var configuration: Configuration {
        ["minval": JSONValue(minimum), "maxval": JSONValue(maximum), "seed": JSONValue(seed: seed)]
    }

    /// Uniform samples. Traps on a negative dimension.
    public func callAsFunction(shape: [Int], generator: inout SeededGenerator) -> Tensor {
        checkInitializerShape(shape, Self.typeName)
        return drawing(seed: seed, from: &generator) {
            Tensor(randomUniform: shape, lower: minimum, upper: maximum, generator: &$0)
        }
    }
}

/// Initial weights drawn from a normal distribution truncated at two standard deviations, values
/// beyond redrawn (Keras's `TruncatedNormal(mean=0.0, stddev=0.05, seed=None)`, `"truncated_normal"`).
/// The samples' actual standard deviation is about `0.88 · stddev`.
public struct TruncatedNormal: Initializer, Equatable {
    /// `"TruncatedNormal"`.
    public static let typeName = "TruncatedNormal"

    /// The distribution's mean.
    public var mean: Float
    /// The standard deviation of the normal distribution before truncation.
    public var standardDeviation: Float
    /// When set, every call draws from this seed (same values each time); see ``Initializer``.
    public var seed: UInt64?

    /// Samples `N(mean, standardDeviation²)` restricted to `mean ± 2·standardDeviation`; Keras's
    /// defaults are 0 and 0.05. Traps when `standardDeviation` is negative or either is not finite.
    public init(mean: Float = 0, standardDeviation: Float = 0.05, seed: UInt64? = nil) {
        checkNormalArguments(mean: mean, standardDeviation: standardDeviation, op: Self.typeName)
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.seed = seed
    }

    /// Reads Keras's `mean`, `stddev` and `seed` (missing keys take the defaults).
    /// - Throws: ``ConfigurationError`` on a non-numeric value or a negative `stddev`.
    public init(configuration: Configuration) throws {
        (mean, standardDeviation, seed) = try configuration.normalArguments(in: Self.typeName)
    }

    /// `{"mean", "stddev", "seed"}`, as Keras saves it.
    public var configuration: Configuration {
        normalConfiguration(mean: mean, standardDeviation: standardDeviation, seed: seed)
    }

    /// Truncated normal samples. Traps on a negative dimension.
    public func callAsFunction(shape: [Int], generator: inout SeededGenerator) -> Tensor {
        checkInitializerShape(shape, Self.typeName)
        return drawing(seed: seed, from: &generator) {
            Tensor(randomTruncatedNormal: shape, mean: mean, standardDeviation: standardDeviation, generator: &$0)
        }
    }
}

/// Traps, naming `op`, unless `mean` is finite and `standardDeviation` finite and non-negative: the
/// check ``RandomNormal`` and ``TruncatedNormal`` share.
private func checkNormalArguments(mean: Float, standardDeviation: Float, op: String) {
    guard mean.isFinite, standardDeviation.isFinite, standardDeviation >= 0 else {
        let message = "mean \(mean) must be finite and stddev \(standardDeviation) finite and non-negative"
        trap(.invalidArgument(op: op, message: message))
    }
}

/// `{"mean", "stddev", "seed"}`, as Keras saves ``RandomNormal`` and ``TruncatedNormal``.
private func normalConfiguration(mean: Float, standardDeviation: Float, seed: UInt64?) -> Configuration {
    ["mean": JSONValue(mean), "stddev": JSONValue(standardDeviation), "seed": JSONValue(seed: seed)]
}

extension Dictionary where Key == String, Value == JSONValue {
    /// Keras's `mean` (default 0), `stddev` (default 0.05, non-negative) and `seed` of ``RandomNormal``
    /// and ``TruncatedNormal``, read in that order.
    /// - Throws: ``ConfigurationError`` naming `type` on a non-numeric value or a negative `stddev`.
    fileprivate func normalArguments(
        in type: String
    ) throws(ConfigurationError) -> (mean: Float, standardDeviation: Float, seed: UInt64?) {
        let mean = try float("mean", in: type, default: 0)
        let standardDeviation = try float("stddev", in: type, default: 0.05)
        guard standardDeviation >= 0 else { throw invalid("stddev", in: type, expected: "a non-negative number") }
        return (mean, standardDeviation, try seed(in: type))
    }
}
