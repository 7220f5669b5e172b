import Foundation

/// How values map onto an axis: linear, logarithmic, or categories at evenly spaced labelled positions.
enum AxisScale {
    case linear(Double, Double)
    /// A linear scale whose ticks are whole numbers (trial numbers, epochs).
    case integer(Double, Double)
    case log(Double, Double)
    /// Values are category indices 0..<count.
    case categorical([String])

    /// A linear scale over the data widened to nice tick values (a flat range gets padding).
    static func niceLinear(_ values: [Double], includeZero: Bool = false, integer: Bool = false) -> AxisScale {
        let finite = values.filter(\.isFinite)
        guard var low = finite.min(), var high = finite.max() else { return .linear(0, 1) }
        if includeZero { low = min(low, 0); high = max(high, 0) }
        if low == high {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad
            high += pad
        }
        let step = integer ? max(niceStep((high - low) / 5), 1) : niceStep((high - low) / 5)
        if integer { return .integer((low / step).rounded(.down) * step, (high / step).rounded(.up) * step) }
        return .linear((low / step).rounded(.down) * step, (high / step).rounded(.up) * step)
    }

    /// A log scale over positive data, widened to whole decades when the data spans more than one.
    static func niceLog(_ values: [Double]) -> AxisScale {
        let positive = values.filter { $0.isFinite && $0 > 0 }
        guard var low = positive.min(), var high = positive.max() else { return .log(1, 10) }
        if low == high { low /= 2; high *= 2 }
        if log10(high / low) >= 1 {
            low = pow(10, log10(low).rounded(.down))
            high = pow(10, log10(high).rounded(.up))
        }
        return .log(low, high)
    }

    /// A log scale over exactly a parameter's range (padded when it is a single value).
    static func exactLog(_ low: Double, _ high: Double) -> AxisScale {
        low < high ? .log(low, high) : .log(low / 2, high * 2)
    }

    /// 1, 2 or 5 times a power of ten, near `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, log10(raw).rounded(.down))
        let fraction = raw / magnitude
        let nice: Double = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        return nice * magnitude
    }

    /// Where `value` falls in [0, 1] along the axis (outside for values beyond the domain); nil for
    /// values a log axis cannot show.
    func fraction(_ value: Double) -> Double? {
        switch self {
        case .linear(let low, let high), .integer(let low, let high):
            guard value.isFinite else { return nil }
            return high == low ? 0.5 : (value - low) / (high - low)
        case .log(let low, let high):
            guard value.isFinite, value > 0 else { return nil }
            return high == low ? 0.5 : Foundation.log(value / low) / Foundation.log(high / low)
        case .categorical(let labels):
            guard value.isFinite else { return nil }
            return (value + 0.5) / Double(max(labels.count, 1))
        }
    }

    /// Tick values and labels.
    func ticks(target: Int = 6) -> [(value: Double, label: String)] {
        switch self {
        case .linear(let low, let high), .integer(let low, let high):
            var step = Self.niceStep((high - low) / Double(max(target - 1, 1)))
            if case .integer = self { step = max(step, 1) }
            var ticks: [(Double, String)] = []
            var value = (low / step).rounded(.up) * step
            while value <= high + step * 1e-9, ticks.count < 50 {
                let clean = abs(value) < step * 1e-9 ? 0 : value
                ticks.append((clean, NumberFormat.short(clean)))
                value += step
            }
            return ticks
        case .log(let low, let high):
            let first = Int(log10(low).rounded(.down)), last = Int(log10(high).rounded(.up))
            let decades = last - first
            let multipliers: [Double] = decades <= 1 ? [1, 2, 5] : decades <= 3 ? [1, 3] : [1]
            var ticks: [(Double, String)] = []
            for exponent in first...last {
                for multiplier in multipliers {
                    let value = multiplier * pow(10, Double(exponent))
                    if value >= low * (1 - 1e-9), value <= high * (1 + 1e-9) {
                        ticks.append((value, Self.logLabel(value)))
                    }
                }
            }
            // Narrow log ranges (inside one decade with no round value) still get their ends labelled.
            if ticks.count < 2 { ticks = [(low, NumberFormat.short(low, digits: 3)), (high, NumberFormat.short(high, digits: 3))] }
            return ticks
        case .categorical(let labels):
            return labels.enumerated().map { (Double($0.offset), $0.element) }
        }
    }

    private static func logLabel(_ value: Double) -> String {
        let exponent = log10(value)
        if abs(exponent - exponent.rounded()) < 1e-9, exponent < -3 || exponent > 4 {
            return "1e\(Int(exponent.rounded()))"
        }
        return NumberFormat.short(value, digits: 3)
    }

    var isCategorical: Bool {
        if case .categorical = self { return true }
        return false
    }
}
