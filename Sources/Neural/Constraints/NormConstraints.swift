/// Caps the ℓ2 norm of each slice along `axes` at `maxValue` (Keras's `MaxNorm(max_value=2, axis=0)`,
/// `"max_norm"`): `w · clip(norm, 0, maxValue) / (1e-7 + norm)`.
///
/// For a Dense kernel `[in, out]`, axis 0 bounds each unit's incoming weight vector; for a
/// convolution kernel `[kh, kw, in, out]` use axes `[0, 1, 2]`.
public struct MaxNorm: Constraint, InPlaceConstraint, Equatable {
    /// `"MaxNorm"`.
    public static let typeName = "MaxNorm"

    /// The largest norm allowed.
    public var maxValue: Float
    /// The axes along which norms are taken (negative counts from the end).
    public var axes: [Int]

    /// Keras's defaults: 2 and axis 0. Traps when `maxValue` is negative or not finite.
    public init(maxValue: Float = 2, axis: Int = 0) { self.init(maxValue: maxValue, axes: [axis]) }

    /// Norms along several axes. Traps when `maxValue` is negative or not finite or `axes` is empty.
    public init(maxValue: Float, axes: [Int]) {
        guard maxValue.isFinite, maxValue >= 0 else {
            trap(.invalidArgument(op: Self.typeName, message: "max_value must be a finite non-negative number, got \(maxValue)"))
        }
        guard !axes.isEmpty else { trap(.invalidArgument(op: Self.typeName, message: "axes must not be empty")) }
        self.maxValue = maxValue
        self.axes = axes
    }

    /// Reads Keras's `max_value` (default 2) and `axis` (an integer or a list; default 0).
    /// - Throws: ``ConfigurationError`` naming the key at fault.
    public init(configuration: Configuration) throws {
        maxValue = try configuration.float("max_value", in: Self.typeName, default: 2)
        guard maxValue >= 0 else {
            throw configuration.invalid("max_value", in: Self.typeName, expected: "a non-negative number")
        }
        axes = try configuration.axes(in: Self.typeName, default: [0])
    }

    /// `{"max_value", "axis"}`, as Keras saves it (`axis` an integer when there is one).
    public var configuration: Configuration { ["max_value": JSONValue(maxValue), "axis": axisConfigValue(axes)] }

    func constrain(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, shape: [Int]) {
        let cap = maxValue
        NormSlices(shape: shape, axes: axes, op: Self.typeName).scale(input, into: output) { norm in
            Swift.min(Swift.max(norm, 0), cap) / (constraintEpsilon + norm)
        }
    }
}

/// Scales each slice along `axes` to unit ℓ2 norm (Keras's `UnitNorm(axis=0)`, `"unit_norm"`):
/// `w / (1e-7 + norm)`.
public struct UnitNorm: Constraint, InPlaceConstraint, Equatable {
    /// `"UnitNorm"`.
    public static let typeName = "UnitNorm"

    /// The axes along which norms are taken (negative counts from the end).
    public var axes: [Int]

    /// Keras's default axis is 0.
    public init(axis: Int = 0) { self.axes = [axis] }

    /// Norms along several axes. Traps when `axes` is empty.
    public init(axes: [Int]) {
        guard !axes.isEmpty else { trap(.invalidArgument(op: Self.typeName, message: "axes must not be empty")) }
        self.axes = axes
    }

    /// Reads Keras's `axis` (an integer or a list; default 0).
    /// - Throws: ``ConfigurationError`` when it is neither.
    public init(configuration: Configuration) throws {
        axes = try configuration.axes(in: Self.typeName, default: [0])
    }

    /// `{"axis"}`, as Keras saves it.
    public var configuration: Configuration { ["axis": axisConfigValue(axes)] }

    func constrain(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, shape: [Int]) {
        NormSlices(shape: shape, axes: axes, op: Self.typeName).scale(input, into: output) { norm in
            1 / (constraintEpsilon + norm)
        }
    }
}

/// Keeps the ℓ2 norm of each slice along `axes` between `minValue` and `maxValue`, moving it there at
/// `rate` (Keras's `MinMaxNorm(min_value=0.0, max_value=1.0, rate=1.0, axis=0)`, `"min_max_norm"`):
/// `w · (rate · clip(norm, min, max) + (1 - rate) · norm) / (1e-7 + norm)`.
public struct MinMaxNorm: Constraint, InPlaceConstraint, Equatable {
    /// `"MinMaxNorm"`.
    public static let typeName = "MinMaxNorm"

    /// The smallest norm allowed.
    public var minValue: Float
    /// The largest norm allowed.
    public var maxValue: Float
    /// How far toward the allowed interval each application moves the norm: 1 projects onto it.
    public var rate: Float
    /// The axes along which norms are taken (negative counts from the end).
    public var axes: [Int]

    /// Keras's defaults: 0, 1, rate 1, axis 0. Traps unless `0 <= minValue <= maxValue` and all are
    /// finite.
    public init(minValue: Float = 0, maxValue: Float = 1, rate: Float = 1, axis: Int = 0) {
        self.init(minValue: minValue, maxValue: maxValue, rate: rate, axes: [axis])
    }

    /// Norms along several axes. Traps as ``init(minValue:maxValue:rate:axis:)`` does, or when `axes`
    /// is empty.
    public init(minValue: Float, maxValue: Float, rate: Float, axes: [Int]) {
        guard minValue.isFinite, maxValue.isFinite, rate.isFinite, minValue >= 0, minValue <= maxValue else {
            let message = "need finite 0 <= min_value (\(minValue)) <= max_value (\(maxValue)) and a finite rate (\(rate))"
            trap(.invalidArgument(op: Self.typeName, message: message))
        }
        guard !axes.isEmpty else { trap(.invalidArgument(op: Self.typeName, message: "axes must not be empty")) }
        self.minValue = minValue
        self.maxValue = maxValue
        self.rate = rate
        self.axes = axes
    }

    /// Reads Keras's `min_value`, `max_value`, `rate` and `axis` (missing keys take the defaults).
    /// - Throws: ``ConfigurationError`` naming the key at fault.
    public init(configuration: Configuration) throws {
        let type = Self.typeName
        minValue = try configuration.float("min_value", in: type, default: 0)
        maxValue = try configuration.float("max_value", in: type, default: 1)
        rate = try configuration.float("rate", in: type, default: 1)
        guard minValue >= 0 else {
            throw configuration.invalid("min_value", in: type, expected: "a non-negative number")
        }
        guard minValue <= maxValue else {
            throw configuration.invalid("max_value", in: type, expected: "a number >= min_value \(minValue)")
        }
        axes = try configuration.axes(in: type, default: [0])
    }

    /// `{"min_value", "max_value", "rate", "axis"}`, as Keras saves it.
    public var configuration: Configuration {
        ["min_value": JSONValue(minValue), "max_value": JSONValue(maxValue), "rate": JSONValue(rate),
         "axis": axisConfigValue(axes)]
    }

    func constrain(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, shape: [Int]) {
        let (low, high, rate) = (minValue, maxValue, rate)
        NormSlices(shape: shape, axes: axes, op: Self.typeName).scale(input, into: output) { norm in
            let desired = rate * Swift.min(Swift.max(norm, low), high) + (1 - rate) * norm
            return desired / (constraintEpsilon + norm)
        }
    }
}

/// An `axis` as Keras saves it: an integer for one axis, a list for several.
internal func axisConfigValue(_ axes: [Int]) -> JSONValue {
    axes.count == 1 ? .int(axes[0]) : .array(axes.map { .int($0) })
}
