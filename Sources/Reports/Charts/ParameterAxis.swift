import Foundation
import Tuning

/// The axis of one hyperparameter: a log axis for log-sampled numbers, a linear one for other numbers,
/// labelled positions for choices, booleans and fixed values. Built from the search space when the
/// study has one, else from the values the trials took.
struct ParameterAxis {
    let name: String
    let scale: AxisScale
    /// The position of a value on the scale (a number, or a category index); nil when inactive/unknown.
    let position: (HyperParameterValue) -> Double?

    init(name: String, scale: AxisScale, position: @escaping (HyperParameterValue) -> Double?) {
        self.name = name
        self.scale = scale
        self.position = position
    }

    init(name: String, report: StudyReport) {
        let observed = report.trials.compactMap { $0.hyperparameters[name] }
        let numeric: (HyperParameterValue) -> Double? = { $0.doubleValue }
        if let spec = report.spec(name) {
            switch spec.kind {
            case .int(let domain):
                let values = [Double(domain.min), Double(domain.max)] + observed.compactMap(\.doubleValue)
                self.init(name: name, scale: domain.sampling == .log && domain.min > 0
                          ? .exactLog(Double(domain.min), Double(domain.max)) : .niceLinear(values, integer: true),
                          position: numeric)
            case .float(let domain):
                let values = [domain.min, domain.max] + observed.compactMap(\.doubleValue)
                self.init(name: name, scale: domain.sampling == .log && domain.min > 0
                          ? .exactLog(domain.min, domain.max) : .niceLinear(values),
                          position: numeric)
            case .choice(let domain):
                self.init(name: name, categories: domain.values)
            case .boolean:
                self.init(name: name, categories: [.bool(false), .bool(true)])
            case .fixed(let value):
                self.init(name: name, categories: [value])
            }
        } else if !observed.isEmpty, observed.allSatisfy(\.isNumeric) {
            self.init(name: name, scale: .niceLinear(observed.compactMap(\.doubleValue)), position: numeric)
        } else {
            let distinct = Array(Set(observed)).sorted { $0.description < $1.description }
            self.init(name: name, categories: distinct)
        }
    }

    private init(name: String, categories: [HyperParameterValue]) {
        var index: [HyperParameterValue: Double] = [:]
        for (offset, value) in categories.enumerated() { index[value] = Double(offset) }
        self.init(name: name, scale: .categorical(categories.map(\.description))) { value in
            if let found = index[value] { return found }
            // An int stored for a float choice (or the reverse) still finds its category.
            if let number = value.doubleValue {
                return index[.float(number)] ?? (number == number.rounded() ? index[.int(Int(number))] : nil)
            }
            return nil
        }
    }
}

/// The score axis of a study: a linear range over the finite scores, clipped to the bulk of them
/// when a few diverged values would flatten everything else.
enum ScoreAxis {
    static func scale(_ values: [Double]) -> (scale: AxisScale, clipped: Bool) {
        let finite = values.filter(\.isFinite).sorted()
        guard finite.count >= 8, let low = finite.first, let high = finite.last else {
            return (.niceLinear(finite), false)
        }
        func quantile(_ q: Double) -> Double { finite[min(finite.count - 1, Int(q * Double(finite.count - 1)))] }
        let q1 = quantile(0.25), q3 = quantile(0.75)
        let spread = max(q3 - q1, 1e-12)
        let lower = max(low, q1 - 4 * spread), upper = min(high, q3 + 4 * spread)
        if lower > low || upper < high { return (.niceLinear([lower, upper]), true) }
        return (.niceLinear(finite), false)
    }
}
