#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension HyperParameterSpec {
    /// The most values a stepped float range may hold; beyond it a step is surely a typo.
    static let maximumSteppedFloatCount = 1_000_000_000

    /// Defines an integer hyperparameter in `min...max` (both inclusive).
    ///
    /// - Parameters:
    ///   - step: With linear sampling the distance between values (`0...13` step 3 gives 0, 3, 6, 9, 12).
    ///     With log sampling, 1 means every integer (log-uniformly) and a larger step multiplies
    ///     (`2...32` step 2 gives 2, 4, 8, 16, 32), as in Keras Tuner.
    ///   - defaultValue: The value returned when first defined; `min` when `nil`.
    /// - Throws: `HyperParameterError` when the name is empty, `min > max`, the step is below 1,
    ///   the sampling is reverse log, log sampling has `min <= 0`, or the default is out of range or off the step.
    public static func int(
        _ name: String, min: Int, max: Int, step: Int = 1, sampling: Sampling = .linear,
        default defaultValue: Int? = nil, conditions: [Condition] = []
    ) throws(HyperParameterError) -> HyperParameterSpec {
        try checkName(name)
        guard min <= max else { throw .minAboveMax(name: name, min: String(min), max: String(max)) }
        guard sampling != .reverseLog else { throw .reverseLogForInt(name: name) }
        guard step >= 1 else { throw .stepNotPositive(name: name, step: String(step)) }
        if sampling == .log && min <= 0 {
            throw .nonPositiveLogBound(name: name, sampling: sampling, min: String(min))
        }
        // The count of values must fit in an Int so values can be indexed.
        let width = UInt(bitPattern: max &- min)
        if width / UInt(step) >= UInt(Int.max) {
            throw .stepTooSmall(name: name, step: Double(step), range: Double(max) - Double(min))
        }
        let domain = IntDomain(min: min, max: max, step: step, sampling: sampling, defaultValue: defaultValue ?? min)
        if let chosen = defaultValue {
            guard chosen >= min && chosen <= max else {
                throw .defaultOutOfRange(name: name, default: String(chosen), min: String(min), max: String(max))
            }
            guard domain.index(of: chosen) != nil else {
                throw .defaultNotOnStep(name: name, default: String(chosen), allowed: domain.allowedValuesText)
            }
        }
        return HyperParameterSpec(name: name, kind: .int(domain), conditions: conditions)
    }

    /// Defines a floating-point hyperparameter in `min...max`.
    ///
    /// - Parameters:
    ///   - step: `nil` for a continuous range. With linear sampling the distance between values
    ///     (`0...1` step 0.25 gives 0, 0.25, 0.5, 0.75, 1); with log or reverse-log sampling the
    ///     factor between values (`0.001...10` step 10 gives 0.001, 0.01, 0.1, 1, 10).
    ///   - sampling: `.log` for scale-like values such as learning rates; `.reverseLog` for values
    ///     crowding below an upper bound such as momentum.
    ///   - defaultValue: The value returned when first defined; `min` when `nil`. With a step, a
    ///     default within 1e-9 of an allowed value is snapped onto it.
    /// - Throws: `HyperParameterError` when the name is empty, a number is not finite, `min > max`,
    ///   log sampling has `min <= 0`, the step is not positive (not above 1 for log sampling) or
    ///   makes more than a billion values, or the default is out of range or off the step.
    public static func float(
        _ name: String, min: Double, max: Double, step: Double? = nil, sampling: Sampling = .linear,
        default defaultValue: Double? = nil, conditions: [Condition] = []
    ) throws(HyperParameterError) -> HyperParameterSpec {
        try checkName(name)
        try checkFinite(name, "min", min)
        try checkFinite(name, "max", max)
        if let step { try checkFinite(name, "step", step) }
        if let defaultValue { try checkFinite(name, "default", defaultValue) }
        guard min <= max else { throw .minAboveMax(name: name, min: String(min), max: String(max)) }
        if sampling != .linear && min <= 0 {
            throw .nonPositiveLogBound(name: name, sampling: sampling, min: String(min))
        }
        if let step {
            guard step > 0 else { throw .stepNotPositive(name: name, step: String(step)) }
            if sampling != .linear && step <= 1 { throw .logStepNotAboveOne(name: name, step: String(step)) }
            let intervals = sampling == .linear ? (max - min) / step : log(max / min) / log(step)
            guard intervals < Double(maximumSteppedFloatCount) else {
                throw .stepTooSmall(name: name, step: step, range: max - min)
            }
        }
        var domain = FloatDomain(min: min, max: max, step: step, sampling: sampling, defaultValue: defaultValue ?? min)
        if let chosen = defaultValue {
            guard chosen >= min && chosen <= max else {
                throw .defaultOutOfRange(name: name, default: String(chosen), min: String(min), max: String(max))
            }
            if step != nil {
                guard let index = domain.nearestIndex(of: chosen) else {
                    throw .defaultNotOnStep(name: name, default: String(chosen), allowed: domain.allowedValuesText)
                }
                domain = FloatDomain(
                    min: min, max: max, step: step, sampling: sampling, defaultValue: domain.value(atIndex: index))
            }
        }
        return HyperParameterSpec(name: name, kind: .float(domain), conditions: conditions)
    }

    /// Defines a choice among `values`, which must all be of one type (ints, floats, strings or booleans).
    ///
    /// - Parameters:
    ///   - ordered: Whether the order of the values means something. `nil` means true for numbers and
    ///     false otherwise; unordered choices are treated as categories, never as numbers.
    ///   - defaultValue: The value returned when first defined; the first value when `nil`.
    /// - Throws: `HyperParameterError` when the name is empty, the list is empty, mixes types,
    ///   repeats a value or holds a non-finite float, `ordered` is true for non-numbers, or the
    ///   default is not among the values.
    public static func choice(
        _ name: String, values: [HyperParameterValue], ordered: Bool? = nil,
        default defaultValue: HyperParameterValue? = nil, conditions: [Condition] = []
    ) throws(HyperParameterError) -> HyperParameterSpec {
        try checkName(name)
        guard let first = values.first else { throw .emptyChoice(name: name) }
        var typeNames: [String] = []
        for value in values where !typeNames.contains(value.typeName) { typeNames.append(value.typeName) }
        guard typeNames.count == 1 else { throw .mixedChoiceTypes(name: name, types: typeNames) }
        var seen = Set<HyperParameterValue>()
        for value in values {
            if case .float(let number) = value { try checkFinite(name, "choice value", number) }
            guard seen.insert(value).inserted else { throw .duplicateChoice(name: name, value: value) }
        }
        let isNumeric = first.isNumeric
        if ordered == true && !isNumeric { throw .orderedNonNumericChoice(name: name) }
        if let defaultValue, !values.contains(defaultValue) {
            throw .defaultNotAChoice(name: name, default: defaultValue, values: values)
        }
        let domain = ChoiceDomain(values: values, ordered: ordered ?? isNumeric, defaultValue: defaultValue ?? first)
        return HyperParameterSpec(name: name, kind: .choice(domain), conditions: conditions)
    }

    /// Defines a boolean hyperparameter (`false` or `true`).
    ///
    /// - Throws: `HyperParameterError.emptyName` when the name is empty.
    public static func boolean(
        _ name: String, default defaultValue: Bool = false, conditions: [Condition] = []
    ) throws(HyperParameterError) -> HyperParameterSpec {
        try checkName(name)
        return HyperParameterSpec(name: name, kind: .boolean(default: defaultValue), conditions: conditions)
    }

    /// Defines a fixed value: recorded with every trial, never tuned.
    ///
    /// - Throws: `HyperParameterError` when the name is empty or the value is a non-finite float.
    public static func fixed(
        _ name: String, value: HyperParameterValue, conditions: [Condition] = []
    ) throws(HyperParameterError) -> HyperParameterSpec {
        try checkName(name)
        if case .float(let number) = value { try checkFinite(name, "value", number) }
        return HyperParameterSpec(name: name, kind: .fixed(value), conditions: conditions)
    }

    private static func checkName(_ name: String) throws(HyperParameterError) {
        if name.allSatisfy(\.isWhitespace) { throw .emptyName }
    }

    private static func checkFinite(_ name: String, _ argument: String, _ value: Double) throws(HyperParameterError) {
        if !value.isFinite { throw .nonFiniteNumber(name: name, argument: argument, value: value) }
    }
}
