#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Value indexing and unit-interval mapping for each domain. Discrete domains number their values
// 0..<count in increasing order; the unit interval is split into `count` equal buckets and a value
// maps to the middle of its bucket, so `fromUnit(toUnit(v)) == v` exactly.

extension HyperParameterSpec.IntDomain {
    /// Whether the step multiplies (log sampling with a step above 1) rather than adds.
    var isMultiplicative: Bool { sampling == .log && step > 1 }

    /// The number of values the parameter can take.
    public var valueCount: Int {
        if isMultiplicative {
            var count = 1
            var current = min
            while true {
                let (next, overflow) = current.multipliedReportingOverflow(by: step)
                if overflow || next > max { return count }
                count += 1
                current = next
            }
        }
        // The factory checked that this quotient fits in an Int.
        return Int(UInt(bitPattern: max &- min) / UInt(step)) + 1
    }

    /// The value at `index` in increasing order; `index` must be in `0..<valueCount`.
    public func value(atIndex index: Int) -> Int {
        if isMultiplicative {
            var current = min
            for _ in 0..<index { current *= step }
            return current
        }
        return min + index * step
    }

    /// The position of `value` among the allowed values, or `nil` if it is not allowed.
    public func index(of value: Int) -> Int? {
        guard value >= min && value <= max else { return nil }
        if isMultiplicative {
            var current = min
            var index = 0
            while current < value {
                let (next, overflow) = current.multipliedReportingOverflow(by: step)
                if overflow { return nil }
                current = next
                index += 1
            }
            return current == value ? index : nil
        }
        let offset = UInt(bitPattern: value &- min)
        return offset % UInt(step) == 0 ? Int(offset / UInt(step)) : nil
    }

    /// Maps `value` into `[0, 1]` in the parameter's own scale.
    public func toUnit(_ value: Int) -> Double {
        let count = valueCount
        if count == 1 { return 0.5 }
        if sampling == .log && step == 1 {
            // Every integer v owns [v, v + 1) of a log-uniform range over [min, max + 1); its
            // geometric middle sits safely inside, so fromUnit recovers v exactly.
            let lower = Double(min)
            let upper = Double(max) + 1
            let middle = (Double(value) * (Double(value) + 1)).squareRoot()
            return log(middle / lower) / log(upper / lower)
        }
        guard let index = index(of: value) else {
            return Swift.min(Swift.max((Double(value) - Double(min)) / (Double(max) - Double(min)), 0), 1)
        }
        return (Double(index) + 0.5) / Double(count)
    }

    /// Maps `unit` (clamped to `[0, 1]`) to an allowed value in the parameter's own scale.
    public func fromUnit(_ unit: Double) -> Int {
        let unit = unit.isNaN ? 0.5 : Swift.min(Swift.max(unit, 0), 1)
        let count = valueCount
        if count == 1 { return min }
        if sampling == .log && step == 1 {
            let lower = Double(min)
            let upper = Double(max) + 1
            let position = (lower * pow(upper / lower, unit)).rounded(.down)
            if position <= lower { return min }
            if position >= Double(max) { return max }
            return Int(position)
        }
        return value(atIndex: bucket(of: unit, count: count))
    }

    /// A short listing of the allowed values for error messages.
    var allowedValuesText: String {
        let count = valueCount
        if count <= 6 { return (0..<count).map { String(value(atIndex: $0)) }.joined(separator: ", ") }
        let head = (0..<3).map { String(value(atIndex: $0)) }.joined(separator: ", ")
        return "\(head), ..., \(value(atIndex: count - 1))"
    }
}

extension HyperParameterSpec.FloatDomain {
    /// The number of values with a step; `nil` for a continuous range.
    public var valueCount: Int? {
        guard let step else { return nil }
        // The small allowance keeps the top value when (max - min) / step is 4.999999999999999.
        let intervals = sampling == .linear ? (max - min) / step : log(max / min) / log(step)
        return Int((intervals + 1e-9).rounded(.down)) + 1
    }

    /// The value at `index` in increasing order for a stepped range; `index` must be in `0..<valueCount`.
    public func value(atIndex index: Int) -> Double {
        guard let step, let count = valueCount else { return min }
        switch sampling {
        case .linear:
            // 0.1 * 3 is 0.30000000000000004 in binary; 15 significant digits print (and store) 0.3.
            return Swift.min(Self.trimmed(min + Double(index) * step), max)
        case .log:
            return Swift.min(min * pow(step, Double(index)), max)
        case .reverseLog:
            // Keras Tuner's reverse-log grid steps down from max; stored in increasing order here.
            let fromTop = count - 1 - index
            return Swift.max(max + min - min * pow(step, Double(fromTop)), min)
        }
    }

    /// `value` rounded to 15 significant digits, which removes the binary noise of `min + k * step`.
    static func trimmed(_ value: Double) -> Double {
        guard value != 0, value.isFinite else { return value }
        let digits = 14 - Int(log10(Swift.abs(value)).rounded(.down))
        let scale = pow(10, Double(Swift.min(Swift.max(digits, 0), 300)))
        return (value * scale).rounded() / scale
    }

    /// The index of the allowed value within 1e-9 (relative to the step) of `value`, or `nil`.
    func nearestIndex(of value: Double) -> Int? {
        guard let step, let count = valueCount, value >= min, value <= max else { return nil }
        let candidate: Int
        switch sampling {
        case .linear:
            candidate = Int(((value - min) / step).rounded())
        case .log:
            candidate = Int((log(value / min) / log(step)).rounded())
        case .reverseLog:
            candidate = count - 1 - Int((log((max + min - value) / min) / log(step)).rounded())
        }
        let index = Swift.min(Swift.max(candidate, 0), count - 1)
        let allowed = self.value(atIndex: index)
        let close: Bool
        switch sampling {
        case .linear: close = abs(allowed - value) <= 1e-9 * step
        case .log: close = abs(log(allowed / value)) <= 1e-9
        case .reverseLog: close = abs(log((max + min - allowed) / (max + min - value))) <= 1e-9
        }
        return close ? index : nil
    }

    /// Maps `value` into `[0, 1]` in the parameter's own scale (log space for log sampling).
    public func toUnit(_ value: Double) -> Double {
        if min == max { return 0.5 }
        if let count = valueCount, let index = nearestIndex(of: value) {
            return (Double(index) + 0.5) / Double(count)
        }
        let value = Swift.min(Swift.max(value, min), max)
        switch sampling {
        case .linear: return (value - min) / (max - min)
        case .log: return log(value / min) / log(max / min)
        case .reverseLog: return 1 - log((max + min - value) / min) / log(max / min)
        }
    }

    /// Maps `unit` (clamped to `[0, 1]`) to a value in the parameter's own scale (onto the step grid if any).
    public func fromUnit(_ unit: Double) -> Double {
        let unit = unit.isNaN ? 0.5 : Swift.min(Swift.max(unit, 0), 1)
        if min == max { return min }
        if let count = valueCount { return value(atIndex: bucket(of: unit, count: count)) }
        let value: Double
        switch sampling {
        case .linear: value = min + unit * (max - min)
        case .log: value = min * pow(max / min, unit)
        case .reverseLog: value = max + min - min * pow(max / min, 1 - unit)
        }
        return Swift.min(Swift.max(value, min), max)
    }

    /// A short listing of the allowed values for error messages.
    var allowedValuesText: String {
        guard let count = valueCount else { return "\(min)...\(max)" }
        if count <= 6 { return (0..<count).map { String(value(atIndex: $0)) }.joined(separator: ", ") }
        let head = (0..<3).map { String(value(atIndex: $0)) }.joined(separator: ", ")
        return "\(head), ..., \(value(atIndex: count - 1))"
    }
}

/// The bucket of `unit` when `[0, 1]` is cut into `count` equal parts (1 falls in the last one).
func bucket(of unit: Double, count: Int) -> Int {
    let position = unit * Double(count)
    if position >= Double(count - 1) { return count - 1 }
    return Swift.max(Int(position), 0)
}

/// How a parameter is represented in the unit cube by model-based oracles such as Bayesian optimization.
public enum UnitEncoding: Hashable, Sendable {
    /// A continuous float: one coordinate, any value in `[0, 1]`.
    case continuous
    /// `count` ordered values (integers, stepped floats, ordered choices): one coordinate, rounded
    /// into `count` equal buckets by `fromUnit`.
    case discrete(count: Int)
    /// `count` unordered categories (string or boolean choices): one-hot over `count` coordinates,
    /// using `index(of:)` and `value(atIndex:)`; never treated as an ordered number.
    case categorical(count: Int)
    /// A fixed value: no coordinate.
    case constant
}

extension HyperParameterSpec {
    /// How model-based oracles should represent this parameter in the unit cube.
    public var unitEncoding: UnitEncoding {
        switch kind {
        case .int(let domain): return .discrete(count: domain.valueCount)
        case .float(let domain): return domain.valueCount.map { .discrete(count: $0) } ?? .continuous
        case .choice(let domain):
            return domain.ordered ? .discrete(count: domain.values.count) : .categorical(count: domain.values.count)
        case .boolean: return .categorical(count: 2)
        case .fixed: return .constant
        }
    }

    /// The number of values the parameter can take, or `nil` for a continuous float range.
    public var valueCount: Int? {
        switch kind {
        case .int(let domain): return domain.valueCount
        case .float(let domain): return domain.valueCount
        case .choice(let domain): return domain.values.count
        case .boolean: return 2
        case .fixed: return 1
        }
    }

    /// The value at `index` (increasing order for numbers, list order for choices, `false` before
    /// `true`). For a continuous float this returns the minimum. `index` must be below `valueCount`.
    public func value(atIndex index: Int) -> HyperParameterValue {
        switch kind {
        case .int(let domain): return .int(domain.value(atIndex: index))
        case .float(let domain): return .float(domain.value(atIndex: index))
        case .choice(let domain): return domain.values[index]
        case .boolean: return .bool(index != 0)
        case .fixed(let value): return value
        }
    }

    /// The index of `value` among the allowed values; `nil` for a value not allowed or a continuous float.
    public func index(of value: HyperParameterValue) -> Int? {
        guard let value = normalized(value) else { return nil }
        switch (kind, value) {
        case (.int(let domain), .int(let number)): return domain.index(of: number)
        case (.float(let domain), .float(let number)): return domain.nearestIndex(of: number)
        case (.choice(let domain), _): return domain.values.firstIndex(of: value)
        case (.boolean, .bool(let flag)): return flag ? 1 : 0
        case (.fixed, _): return 0
        default: return nil
        }
    }

    /// The canonical form of `value` if the definition allows it, else `nil`.
    ///
    /// Integers are accepted for floats (`0` for `0.0`), and stepped floats within 1e-9 of an
    /// allowed value are snapped onto it; anything else must match exactly.
    public func normalized(_ value: HyperParameterValue) -> HyperParameterValue? {
        switch kind {
        case .int(let domain):
            guard case .int(let number) = value, domain.index(of: number) != nil else { return nil }
            return value
        case .float(let domain):
            guard let number = value.doubleValue, number.isFinite, number >= domain.min, number <= domain.max else {
                return nil
            }
            if domain.step != nil {
                return domain.nearestIndex(of: number).map { .float(domain.value(atIndex: $0)) }
            }
            return .float(number)
        case .choice(let domain):
            if domain.values.contains(value) { return value }
            if case .int(let number) = value, domain.values.contains(.float(Double(number))) {
                return .float(Double(number))
            }
            return nil
        case .boolean:
            return value.boolValue == nil ? nil : value
        case .fixed(let fixedValue):
            return value == fixedValue ? value : nil
        }
    }

    /// Maps an allowed value into `[0, 1]` in the parameter's own scale; `nil` if the value is not allowed.
    ///
    /// Log parameters map in log space; discrete values map to the middle of their bucket; choices
    /// and booleans map by index (use `unitEncoding` to treat unordered ones as categories).
    public func toUnit(_ value: HyperParameterValue) -> Double? {
        guard let value = normalized(value) else { return nil }
        switch (kind, value) {
        case (.int(let domain), .int(let number)): return domain.toUnit(number)
        case (.float(let domain), .float(let number)): return domain.toUnit(number)
        case (.fixed, _): return 0.5
        default:
            guard let index = index(of: value), let count = valueCount else { return nil }
            return (Double(index) + 0.5) / Double(count)
        }
    }

    /// Maps `unit` (clamped to `[0, 1]`) to an allowed value in the parameter's own scale.
    public func fromUnit(_ unit: Double) -> HyperParameterValue {
        switch kind {
        case .int(let domain): return .int(domain.fromUnit(unit))
        case .float(let domain): return .float(domain.fromUnit(unit))
        case .fixed(let value): return value
        case .choice, .boolean:
            let count = valueCount ?? 1
            let clamped = unit.isNaN ? 0.5 : Swift.min(Swift.max(unit, 0), 1)
            return value(atIndex: bucket(of: clamped, count: count))
        }
    }

    /// A value drawn uniformly in the parameter's own scale: every allowed value equally likely for
    /// discrete linear domains, log-uniform for log sampling, uniform in value for linear floats.
    func randomValue(using random: inout TuningRandom) -> HyperParameterValue {
        switch kind {
        case .int(let domain) where domain.sampling == .log && domain.step == 1:
            return .int(domain.fromUnit(random.nextDouble()))
        case .float(let domain) where domain.step == nil:
            return .float(domain.fromUnit(random.nextDouble()))
        case .fixed(let value):
            return value
        default:
            let count = valueCount ?? 1
            return value(atIndex: random.nextInt(below: count))
        }
    }

    /// The `position`-th value in grid order: the default first, then the others in increasing
    /// (or list) order, as Keras Tuner's grid search does. Discrete parameters only.
    func gridValue(at position: Int) -> HyperParameterValue {
        let defaultIndex = index(of: defaultValue) ?? 0
        if position == 0 { return value(atIndex: defaultIndex) }
        let remaining = position - 1
        return value(atIndex: remaining >= defaultIndex ? remaining + 1 : remaining)
    }

    /// The grid position of `value` (the inverse of `gridValue(at:)`), or `nil` if not allowed.
    func gridPosition(of value: HyperParameterValue) -> Int? {
        guard let index = index(of: value) else { return nil }
        let defaultIndex = self.index(of: defaultValue) ?? 0
        if index == defaultIndex { return 0 }
        return index < defaultIndex ? index + 1 : index
    }
}
