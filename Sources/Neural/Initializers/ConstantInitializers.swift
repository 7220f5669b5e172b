/// Initial weights that are all zero (Keras's `Zeros`, `"zeros"`): the default for biases.
public struct Zeros: Initializer, Equatable {
    /// `"Zeros"`.
    public static let typeName = "Zeros"

    /// The zeros initializer.
    public init() {}

    /// Ignores the configuration (Keras's `Zeros` has none).
    public init(configuration: Configuration) throws {}

    /// `{}`.
    public var configuration: Configuration { [:] }

    /// A tensor of zeros; the generator is not used. Traps on a negative dimension.
    public func callAsFunction(shape: [Int], generator: inout SeededGenerator) -> Tensor {
        checkInitializerShape(shape, Self.typeName)
        return Tensor(zeros: shape)
    }
}

/// Initial weights that are all one (Keras's `Ones`, `"ones"`): the default for normalization scales.
public struct Ones: Initializer, Equatable {
    /// `"Ones"`.
    public static let typeName = "Ones"

    /// The ones initializer.
    public init() {}

    /// Ignores the configuration (Keras's `Ones` has none).
    public init(configuration: Configuration) throws {}

    /// `{}`.
    public var configuration: Configuration { [:] }

    /// A tensor of ones; the generator is not used. Traps on a negative dimension.
    public func callAsFunction(shape: [Int], generator: inout SeededGenerator) -> Tensor {
        checkInitializerShape(shape, Self.typeName)
        return Tensor(ones: shape)
    }
}

/// Initial weights all equal to one value (Keras's `Constant(value=0.0)`, `"constant"`).
public struct Constant: Initializer, Equatable {
    /// `"Constant"`.
    public static let typeName = "Constant"

    /// The value every element takes.
    public var value: Float

    /// Fills with `value` (Keras's default: 0).
    public init(_ value: Float = 0) { self.value = value }

    /// Reads `value` (default 0).
    /// - Throws: ``ConfigurationError`` when `value` is not a finite number.
    public init(configuration: Configuration) throws {
        value = try configuration.float("value", in: Self.typeName, default: 0)
    }

    /// `{"value": value}`.
    public var configuration: Configuration { ["value": JSONValue(value)] }

    /// A tensor filled with ``value``; the generator is not used. Traps on a negative dimension.
    public func callAsFunction(shape: [Int], generator: inout SeededGenerator) -> Tensor {
        checkInitializerShape(shape, Self.typeName)
        return Tensor(repeating: value, shape: shape)
    }
}
