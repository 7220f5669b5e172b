/// The definition of one hyperparameter: its name, what values it can take, its default and the
/// conditions under which it is active.
///
/// Specs are made only through the validating factories (`int`, `float`, `choice`, `boolean`, `fixed`),
/// which `HyperParameters` calls for `hp.int(...)` and friends, so every spec in a `SearchSpace` is
/// valid. They are `Codable` (decoding validates again) so a space can be stored and compared on resume.
public struct HyperParameterSpec: Hashable, Sendable {
    /// The unique name of the hyperparameter.
    public let name: String
    /// What kind of values it takes.
    public let kind: Kind
    /// The conditions (from enclosing conditional scopes, outermost first) that must all hold for
    /// it to be active.
    public let conditions: [Condition]

    /// The kinds of hyperparameters, each with its validated domain.
    public enum Kind: Hashable, Sendable {
        /// An integer in a range (`hp.int`).
        case int(IntDomain)
        /// A floating-point number in a range (`hp.float`).
        case float(FloatDomain)
        /// One of a list of values (`hp.choice`).
        case choice(ChoiceDomain)
        /// `false` or `true` (`hp.boolean`).
        case boolean(default: Bool)
        /// A single value that is recorded but never tuned (`hp.fixed`).
        case fixed(HyperParameterValue)
    }

    /// The domain of an integer hyperparameter.
    public struct IntDomain: Hashable, Sendable {
        /// The smallest value (inclusive).
        public let min: Int
        /// The largest value (inclusive, unlike Swift's `..<`).
        public let max: Int
        /// The distance between values with linear sampling; with log sampling, 1 means every
        /// integer and a larger step multiplies (2, 4, 8, ... for min 2 and step 2), as in Keras Tuner.
        public let step: Int
        /// Linear or log.
        public let sampling: Sampling
        /// The value returned when the parameter is first defined.
        public let defaultValue: Int
    }

    /// The domain of a floating-point hyperparameter.
    public struct FloatDomain: Hashable, Sendable {
        /// The smallest value (inclusive).
        public let min: Double
        /// The largest value (inclusive).
        public let max: Double
        /// `nil` for a continuous range; otherwise the distance between values (linear) or the
        /// factor between values (log and reverse log).
        public let step: Double?
        /// Linear, log or reverse log.
        public let sampling: Sampling
        /// The value returned when the parameter is first defined.
        public let defaultValue: Double
    }

    /// The domain of a choice.
    public struct ChoiceDomain: Hashable, Sendable {
        /// The possible values, all of one type, in the order given.
        public let values: [HyperParameterValue]
        /// Whether the order of `values` means something (numbers); unordered choices are
        /// categories, encoded one-hot rather than as numbers.
        public let ordered: Bool
        /// The value returned when the parameter is first defined (the first value unless given).
        public let defaultValue: HyperParameterValue
    }

    /// The value the parameter takes when first defined and when the oracle has not set it.
    public var defaultValue: HyperParameterValue {
        switch kind {
        case .int(let domain): return .int(domain.defaultValue)
        case .float(let domain): return .float(domain.defaultValue)
        case .choice(let domain): return domain.defaultValue
        case .boolean(let value): return .bool(value)
        case .fixed(let value): return value
        }
    }

    /// `"Int"`, `"Float"`, `"Choice"`, `"Boolean"` or `"Fixed"`, as in Keras Tuner's summaries.
    public var typeName: String {
        switch kind {
        case .int: return "Int"
        case .float: return "Float"
        case .choice: return "Choice"
        case .boolean: return "Boolean"
        case .fixed: return "Fixed"
        }
    }

    /// Whether all conditions hold for `assignment` (the values of the other active parameters).
    public func isActive(given assignment: [String: HyperParameterValue]) -> Bool {
        conditions.allSatisfy { $0.isSatisfied(by: assignment) }
    }

    /// The same definition under other conditions (used when a space is merged).
    func withConditions(_ newConditions: [Condition]) -> HyperParameterSpec {
        HyperParameterSpec(name: name, kind: kind, conditions: newConditions)
    }
}

extension HyperParameterSpec: CustomStringConvertible {
    /// A one-line definition such as `Int(name: 'n_hidden', min: 0, max: 8, step: 1, sampling: linear, default: 2)`.
    public var description: String {
        var text: String
        switch kind {
        case .int(let domain):
            text = "Int(name: '\(name)', min: \(domain.min), max: \(domain.max), step: \(domain.step), sampling: \(domain.sampling.rawValue), default: \(domain.defaultValue)"
        case .float(let domain):
            let step = domain.step.map { String($0) } ?? "none"
            text = "Float(name: '\(name)', min: \(domain.min), max: \(domain.max), step: \(step), sampling: \(domain.sampling.rawValue), default: \(domain.defaultValue)"
        case .choice(let domain):
            text = "Choice(name: '\(name)', values: [\(domain.values.map(\.description).joined(separator: ", "))], ordered: \(domain.ordered), default: \(domain.defaultValue)"
        case .boolean(let value):
            text = "Boolean(name: '\(name)', default: \(value)"
        case .fixed(let value):
            text = "Fixed(name: '\(name)', value: \(value)"
        }
        if !conditions.isEmpty {
            text += ", conditions: [\(conditions.map(\.description).joined(separator: ", "))]"
        }
        return text + ")"
    }
}
