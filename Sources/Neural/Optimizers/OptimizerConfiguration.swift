/// An optimizer's class and hyperparameters, in Keras's serialized form: enough to rebuild it with
/// ``Optimizer/fromConfiguration(_:customOptimizers:customSchedules:)``.
///
/// It encodes as Keras's `{"class_name": "Adam", "config": {"learning_rate": 0.001, "beta_1": 0.9, ...}}`
/// with Keras's key names, and decodes Keras's output too (extra top-level keys such as `module` and
/// `registered_name` are ignored). A scheduled learning rate is a nested `{"class_name", "config"}`
/// object. The configuration holds hyperparameters only; slots and the iteration count are in
/// ``Optimizer/stateTensors(for:)``.
///
/// Numbers are held as ``JSONValue/double(_:)``: integers given to ``init(className:config:)`` or
/// decoded from JSON become doubles, so a configuration equals itself after a round trip through JSON.
public struct OptimizerConfiguration: Codable, Equatable, Sendable {
    /// The Keras class name: `SGD`, `Adam`, `AdamW`, `Nadam`, `RMSprop`, `Adagrad`, or a custom one.
    public var className: String
    /// The hyperparameters under Keras's names (`learning_rate`, `beta_1`, `clipnorm`...).
    public var config: Configuration

    /// Creates a configuration from a class name and its hyperparameters (integers become doubles).
    public init(className: String, config: Configuration) {
        self.className = className
        self.config = config.mapValues(\.optimizerNumbersAsDoubles)
    }

    private enum CodingKeys: String, CodingKey {
        case className = "class_name"
        case config
    }

    /// Decodes Keras's `{"class_name": ..., "config": {...}}`, integers as doubles.
    ///
    /// - Throws: `DecodingError` when `class_name` or `config` is missing or of the wrong type.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(className: try container.decode(String.self, forKey: .className),
                  config: try container.decode(Configuration.self, forKey: .config))
    }
}

/// A learning rate schedule's class and parameters, in Keras's serialized form
/// (`{"class_name": "ExponentialDecay", "config": {...}}`).
public struct LearningRateScheduleConfiguration: Codable, Equatable, Sendable {
    /// The Keras class name: `ExponentialDecay`, `PiecewiseConstantDecay`, `CosineDecay`, or a custom one.
    public var className: String
    /// The parameters under Keras's names (`initial_learning_rate`, `decay_steps`...).
    public var config: Configuration

    /// Creates a configuration from a class name and its parameters (integers become doubles).
    public init(className: String, config: Configuration) {
        self.className = className
        self.config = config.mapValues(\.optimizerNumbersAsDoubles)
    }

    private enum CodingKeys: String, CodingKey {
        case className = "class_name"
        case config
    }

    /// Decodes Keras's `{"class_name": ..., "config": {...}}`, integers as doubles.
    ///
    /// - Throws: `DecodingError` when `class_name` or `config` is missing or of the wrong type.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(className: try container.decode(String.self, forKey: .className),
                  config: try container.decode(Configuration.self, forKey: .config))
    }

    /// The configuration as a nested value, as it appears under an optimizer's `learning_rate`. Built-in
    /// schedules also carry Keras's `module` and `registered_name`, which Keras needs to find the class
    /// when it reads the optimizer's configuration.
    var value: JSONValue {
        var fields: Configuration = ["class_name": .string(className), "config": .object(config)]
        if ["ExponentialDecay", "PiecewiseConstantDecay", "CosineDecay"].contains(className) {
            fields["module"] = .string("keras.optimizers.schedules")
            fields["registered_name"] = .null
        }
        return .object(fields)
    }
}

extension JSONValue {
    /// A number from a `Float`, through `Double` (exact), as Keras's `float(variable.numpy())`.
    static func exactFloat(_ value: Float) -> Self { .double(Double(value)) }

    /// A number, or `null` for `nil`.
    static func optional(_ value: Double?) -> Self { value.map { .double($0) } ?? .null }

    /// The same value with every integer, nested ones too, as a double: optimizer configurations hold
    /// numbers as doubles (a saved model writes `1000.0`, as it always has).
    var optimizerNumbersAsDoubles: JSONValue {
        switch self {
        case .int(let number): return .double(Double(number))
        case .uint(let number): return .double(Double(number))
        case .array(let elements): return .array(elements.map(\.optimizerNumbersAsDoubles))
        case .object(let members): return .object(members.mapValues(\.optimizerNumbersAsDoubles))
        default: return self
        }
    }
}

/// Reads a Keras configuration dictionary key by key, checking types and refusing unknown keys.
struct ConfigurationReader {
    typealias Value = JSONValue
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
        guard let number = value.doubleValue else { throw fail(key, "expected a number, got \(value)") }
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
            guard let number = item.doubleValue else { throw fail(key, "expected a list of numbers, got \(value)") }
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
