/// An optimizer's class and hyperparameters, in Keras's serialized form: enough to rebuild it with
/// ``Optimizer/fromConfiguration(_:customOptimizers:customSchedules:)``.
///
/// It encodes as Keras's `{"class_name": "Adam", "config": {"learning_rate": 0.001, "beta_1": 0.9, ...}}`
/// with Keras's key names, and decodes Keras's output too (extra top-level keys such as `module` and
/// `registered_name` are ignored). A scheduled learning rate is a nested `{"class_name", "config"}`
/// object. The configuration holds hyperparameters only; slots and the iteration count are in
/// ``Optimizer/stateTensors(for:)``.
public struct OptimizerConfiguration: Codable, Equatable, Sendable {
    /// A JSON-like value: the leaves and containers a Keras `get_config()` dictionary holds.
    public enum Value: Codable, Equatable, Sendable {
        /// Python's `None`, JSON's `null`.
        case null
        /// A boolean.
        case bool(Bool)
        /// A number; integers are held exactly up to 2^53.
        case number(Double)
        /// A string.
        case string(String)
        /// A list.
        case array([Value])
        /// A dictionary with string keys.
        case object([String: Value])

        /// Decodes any JSON value.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let value = try? container.decode(Bool.self) {
                self = .bool(value)
            } else if let value = try? container.decode(Double.self) {
                self = .number(value)
            } else if let value = try? container.decode(String.self) {
                self = .string(value)
            } else if let value = try? container.decode([Value].self) {
                self = .array(value)
            } else {
                self = .object(try container.decode([String: Value].self))
            }
        }

        /// Encodes as the corresponding JSON value.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .null: try container.encodeNil()
            case let .bool(value): try container.encode(value)
            case let .number(value): try container.encode(value)
            case let .string(value): try container.encode(value)
            case let .array(value): try container.encode(value)
            case let .object(value): try container.encode(value)
            }
        }
    }

    /// The Keras class name: `SGD`, `Adam`, `AdamW`, `Nadam`, `RMSprop`, `Adagrad`, or a custom one.
    public var className: String
    /// The hyperparameters under Keras's names (`learning_rate`, `beta_1`, `clipnorm`...).
    public var config: [String: Value]

    /// Creates a configuration from a class name and its hyperparameters.
    public init(className: String, config: [String: Value]) {
        self.className = className
        self.config = config
    }

    private enum CodingKeys: String, CodingKey {
        case className = "class_name"
        case config
    }
}

/// A learning rate schedule's class and parameters, in Keras's serialized form
/// (`{"class_name": "ExponentialDecay", "config": {...}}`).
public struct LearningRateScheduleConfiguration: Codable, Equatable, Sendable {
    /// The Keras class name: `ExponentialDecay`, `PiecewiseConstantDecay`, `CosineDecay`, or a custom one.
    public var className: String
    /// The parameters under Keras's names (`initial_learning_rate`, `decay_steps`...).
    public var config: [String: OptimizerConfiguration.Value]

    /// Creates a configuration from a class name and its parameters.
    public init(className: String, config: [String: OptimizerConfiguration.Value]) {
        self.className = className
        self.config = config
    }

    private enum CodingKeys: String, CodingKey {
        case className = "class_name"
        case config
    }

    /// The configuration as a nested value, as it appears under an optimizer's `learning_rate`. Built-in
    /// schedules also carry Keras's `module` and `registered_name`, which Keras needs to find the class
    /// when it reads the optimizer's configuration.
    var value: OptimizerConfiguration.Value {
        var fields: [String: OptimizerConfiguration.Value] = ["class_name": .string(className), "config": .object(config)]
        if ["ExponentialDecay", "PiecewiseConstantDecay", "CosineDecay"].contains(className) {
            fields["module"] = .string("keras.optimizers.schedules")
            fields["registered_name"] = .null
        }
        return .object(fields)
    }
}

extension OptimizerConfiguration.Value {
    /// A number value from a `Float`, through `Double` (exact), as Keras's `float(variable.numpy())`.
    static func float(_ value: Float) -> Self { .number(Double(value)) }

    /// A number, or `null` for `nil`.
    static func optional(_ value: Double?) -> Self { value.map { .number($0) } ?? .null }
}

/// Reads a Keras configuration dictionary key by key, checking types and refusing unknown keys.
struct ConfigurationReader {
    typealias Value = OptimizerConfiguration.Value
    let className: String
    private var remaining: [String: Value]

    init(className: String, config: [String: Value]) {
        self.className = className
        self.remaining = config
    }

    private func fail(_ key: String, _ message: String) -> OptimizerError {
        .invalidConfiguration(className: className, key: key, message: message)
    }

    /// Whether the key is present (even as `null`) and not read yet.
    func has(_ key: String) -> Bool { remaining[key] != nil }

    /// Removes and returns the raw value, `nil` when absent or `null`.
    mutating func take(_ key: String) -> Value? {
        guard let value = remaining.removeValue(forKey: key) else { return nil }
        if case .null = value { return nil }
        return value
    }

    mutating func optionalDouble(_ key: String) throws(OptimizerError) -> Double? {
        guard let value = take(key) else { return nil }
        guard case let .number(number) = value else { throw fail(key, "expected a number, got \(value)") }
        return number
    }

    mutating func double(_ key: String, default fallback: Double) throws(OptimizerError) -> Double {
        try optionalDouble(key) ?? fallback
    }

    mutating func optionalInt(_ key: String) throws(OptimizerError) -> Int? {
        guard let number = try optionalDouble(key) else { return nil }
        guard number.rounded() == number, abs(number) < 9.0e15 else {
            throw fail(key, "expected an integer, got \(number)")
        }
        return Int(number)
    }

    mutating func int(_ key: String, default fallback: Int) throws(OptimizerError) -> Int {
        try optionalInt(key) ?? fallback
    }

    mutating func bool(_ key: String, default fallback: Bool) throws(OptimizerError) -> Bool {
        guard let value = take(key) else { return fallback }
        guard case let .bool(flag) = value else { throw fail(key, "expected true or false, got \(value)") }
        return flag
    }

    mutating func string(_ key: String, default fallback: String) throws(OptimizerError) -> String {
        guard let value = take(key) else { return fallback }
        guard case let .string(text) = value else { throw fail(key, "expected a string, got \(value)") }
        return text
    }

    mutating func doubles(_ key: String) throws(OptimizerError) -> [Double] {
        guard let value = take(key) else { throw fail(key, "is required") }
        guard case let .array(items) = value else { throw fail(key, "expected a list of numbers, got \(value)") }
        var result: [Double] = []
        for item in items {
            guard case let .number(number) = item else { throw fail(key, "expected a list of numbers, got \(value)") }
            result.append(number)
        }
        return result
    }

    /// Accepts a key only when it holds what this implementation supports (e.g. `use_ema: false`).
    mutating func requireDefault(_ key: String, allowed: (Value) -> Bool, feature: String) throws(OptimizerError) {
        guard let value = remaining.removeValue(forKey: key) else { return }
        if case .null = value { return }
        guard allowed(value) else { throw fail(key, "\(feature) is not supported (got \(value))") }
    }

    /// Throws when keys are left that nobody read: a typo or a feature this implementation lacks.
    func finish() throws(OptimizerError) {
        guard let key = remaining.keys.sorted().first else { return }
        throw fail(key, "unknown key (known keys are Keras's for \(className))")
    }
}
