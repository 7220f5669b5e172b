/// TensorFlow's element types (`tf.dtypes`) that ``TypedTensor`` holds, named as TensorFlow prints them.
public enum DType: String, Sendable, Equatable, CustomStringConvertible {
    /// `tf.float32`: Swift's `Float`, the only element type of ``Tensor``.
    case float32
    /// `tf.float64`: `Double`.
    case float64
    /// `tf.int32`: `Int32` (what `tf.constant(42)` makes).
    case int32
    /// `tf.int64`: `Int64`.
    case int64
    /// `tf.bool`: `Bool`.
    case bool
    /// `tf.string`: byte strings, `[UInt8]` (one string is one element: its length is not part of the shape).
    case string

    /// The name TensorFlow prints (`"int32"`).
    public var description: String { rawValue }
}

/// An element type a ``TypedTensor`` can hold.
public protocol TensorScalar: Sendable, Equatable {
    /// Its TensorFlow name.
    static var dtype: DType { get }
}

/// What a cast reads from an element: an exact integer, a floating-point number or a truth value.
public enum CastSource: Sendable, Equatable {
    /// An integer element (`Int32`, `Int64`), exactly.
    case integer(Int64)
    /// A floating-point element (`Float`, `Double`), widened to `Double` exactly.
    case floating(Double)
    /// A `Bool` element.
    case boolean(Bool)
}

/// An element type that ``TypedTensor/cast(to:)`` converts to and from (tf.cast), with TensorFlow's
/// rules: integers wrap when narrowed (Int64 → Int32 keeps the low 32 bits), floating-point values round
/// to nearest when narrowed (Double → Float), floating-point → integer truncates toward zero, anything
/// nonzero is `true` and `true` is 1.
///
/// Where TensorFlow's result is undefined (NaN or an out-of-range value cast to an integer) the cast
/// saturates instead of trapping: NaN gives 0, values beyond the range give its nearest end.
public protocol CastableScalar: TensorScalar {
    /// This element as a cast reads it.
    var castSource: CastSource { get }
    /// The element a cast of `source` gives.
    init(casting source: CastSource)
}

/// An element type with `+`, `-` and `*` elementwise (TensorFlow's numeric dtypes): integer arithmetic
/// wraps on overflow, as TensorFlow's does, instead of trapping.
public protocol ArithmeticScalar: CastableScalar {
    /// `lhs + rhs` (wrapping for integers).
    static func tensorAdd(_ lhs: Self, _ rhs: Self) -> Self
    /// `lhs - rhs` (wrapping for integers).
    static func tensorSubtract(_ lhs: Self, _ rhs: Self) -> Self
    /// `lhs * rhs` (wrapping for integers).
    static func tensorMultiply(_ lhs: Self, _ rhs: Self) -> Self
}

/// Saturating floating-point → integer conversion: NaN is 0, out-of-range values clamp, the rest truncate.
private func saturatingInteger<I: FixedWidthInteger>(_ value: Double, as: I.Type) -> I {
    if value.isNaN { return 0 }
    if value <= Double(I.min) { return I.min }
    // Double(I.max) may round up to 2^bits, which is already out of range.
    if value >= Double(I.max) { return I.max }
    return I(value.rounded(.towardZero))
}

extension Float: ArithmeticScalar {
    /// `.float32`.
    public static var dtype: DType { .float32 }
    /// `.floating(Double(self))`.
    public var castSource: CastSource { .floating(Double(self)) }
    /// Rounds to the nearest `Float`; `true` is 1.
    public init(casting source: CastSource) {
        switch source {
        case .integer(let value): self = Float(value)
        case .floating(let value): self = Float(value)
        case .boolean(let value): self = value ? 1 : 0
        }
    }
    /// `lhs + rhs`.
    public static func tensorAdd(_ lhs: Float, _ rhs: Float) -> Float { lhs + rhs }
    /// `lhs - rhs`.
    public static func tensorSubtract(_ lhs: Float, _ rhs: Float) -> Float { lhs - rhs }
    /// `lhs * rhs`.
    public static func tensorMultiply(_ lhs: Float, _ rhs: Float) -> Float { lhs * rhs }
}

extension Double: ArithmeticScalar {
    /// `.float64`.
    public static var dtype: DType { .float64 }
    /// `.floating(self)`.
    public var castSource: CastSource { .floating(self) }
    /// Exact for floats and bools, nearest for integers beyond 2^53.
    public init(casting source: CastSource) {
        switch source {
        case .integer(let value): self = Double(value)
        case .floating(let value): self = value
        case .boolean(let value): self = value ? 1 : 0
        }
    }
    /// `lhs + rhs`.
    public static func tensorAdd(_ lhs: Double, _ rhs: Double) -> Double { lhs + rhs }
    /// `lhs - rhs`.
    public static func tensorSubtract(_ lhs: Double, _ rhs: Double) -> Double { lhs - rhs }
    /// `lhs * rhs`.
    public static func tensorMultiply(_ lhs: Double, _ rhs: Double) -> Double { lhs * rhs }
}

extension Int32: ArithmeticScalar {
    /// `.int32`.
    public static var dtype: DType { .int32 }
    /// `.integer(Int64(self))`.
    public var castSource: CastSource { .integer(Int64(self)) }
    /// Wraps wider integers, truncates floating-point values toward zero (saturating NaN and out-of-range values).
    public init(casting source: CastSource) {
        switch source {
        case .integer(let value): self = Int32(truncatingIfNeeded: value)
        case .floating(let value): self = saturatingInteger(value, as: Int32.self)
        case .boolean(let value): self = value ? 1 : 0
        }
    }
    /// `lhs &+ rhs`.
    public static func tensorAdd(_ lhs: Int32, _ rhs: Int32) -> Int32 { lhs &+ rhs }
    /// `lhs &- rhs`.
    public static func tensorSubtract(_ lhs: Int32, _ rhs: Int32) -> Int32 { lhs &- rhs }
    /// `lhs &* rhs`.
    public static func tensorMultiply(_ lhs: Int32, _ rhs: Int32) -> Int32 { lhs &* rhs }
}

extension Int64: ArithmeticScalar {
    /// `.int64`.
    public static var dtype: DType { .int64 }
    /// `.integer(self)`.
    public var castSource: CastSource { .integer(self) }
    /// Exact for integers, truncates floating-point values toward zero (saturating NaN and out-of-range values).
    public init(casting source: CastSource) {
        switch source {
        case .integer(let value): self = value
        case .floating(let value): self = saturatingInteger(value, as: Int64.self)
        case .boolean(let value): self = value ? 1 : 0
        }
    }
    /// `lhs &+ rhs`.
    public static func tensorAdd(_ lhs: Int64, _ rhs: Int64) -> Int64 { lhs &+ rhs }
    /// `lhs &- rhs`.
    public static func tensorSubtract(_ lhs: Int64, _ rhs: Int64) -> Int64 { lhs &- rhs }
    /// `lhs &* rhs`.
    public static func tensorMultiply(_ lhs: Int64, _ rhs: Int64) -> Int64 { lhs &* rhs }
}

extension Bool: CastableScalar {
    /// `.bool`.
    public static var dtype: DType { .bool }
    /// `.boolean(self)`.
    public var castSource: CastSource { .boolean(self) }
    /// `true` for anything nonzero (NaN included, as in C).
    public init(casting source: CastSource) {
        switch source {
        case .integer(let value): self = value != 0
        case .floating(let value): self = value != 0
        case .boolean(let value): self = value
        }
    }
}

extension Array: TensorScalar where Element == UInt8 {
    /// `.string`: a byte string is one element.
    public static var dtype: DType { .string }
}
