/// A JSON value: what Keras's `get_config()` dictionaries hold, and what a saved model's
/// architecture is made of.
public enum ConfigValue: Codable, Sendable, Equatable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([ConfigValue])
    case object([String: ConfigValue])

    /// Decodes any JSON value; integers that fit stay `.int`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([ConfigValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: ConfigValue].self))
        }
    }

    /// Encodes as the plain JSON value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

/// A configuration: the named arguments that rebuild an object (Keras's `get_config()`).
public typealias Configuration = [String: ConfigValue]

extension ConfigValue: ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    /// `true` / `false`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An integer.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// A number.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// A string.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An array.
    public init(arrayLiteral elements: ConfigValue...) { self = .array(elements) }
    /// An object.
    public init(dictionaryLiteral elements: (String, ConfigValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    /// `null`.
    public init(nilLiteral: ()) { self = .null }
}

extension ConfigValue {
    /// The value as a `Double` when it is a number.
    public var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    /// The value as an `Int` when it is an integer (or a double with no fractional part).
    public var intValue: Int? {
        switch self {
        case .int(let value): return value
        case .double(let value) where value.rounded() == value && Swift.abs(value) < 9e15: return Int(value)
        default: return nil
        }
    }

    /// The value as a `String`.
    public var stringValue: String? { if case .string(let value) = self { value } else { nil } }
    /// The value as a `Bool`.
    public var boolValue: Bool? { if case .bool(let value) = self { value } else { nil } }
    /// The elements when the value is an array.
    public var arrayValue: [ConfigValue]? { if case .array(let value) = self { value } else { nil } }
    /// The members when the value is an object.
    public var objectValue: Configuration? { if case .object(let value) = self { value } else { nil } }
}

/// Why a configuration could not rebuild an object, naming the object type and the key.
public enum ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A required key is absent.
    case missingKey(type: String, key: String)
    /// A key holds a value of the wrong kind or out of range.
    case invalidValue(type: String, key: String, expected: String, found: ConfigValue)
    /// No type of that name is registered (Keras's "Unknown layer" error; register custom types).
    case unknownType(kind: String, name: String, known: [String])

    /// What is wrong, and for unknown types what to register.
    public var description: String {
        switch self {
        case let .missingKey(type, key):
            return "\(type): configuration has no '\(key)'"
        case let .invalidValue(type, key, expected, found):
            return "\(type): '\(key)' should be \(expected), found \(found)"
        case let .unknownType(kind, name, known):
            return "unknown \(kind) '\(name)': register it with ObjectRegistry (Keras's custom_objects); known: \(known.sorted().joined(separator: ", "))"
        }
    }
}

extension Dictionary where Key == String, Value == ConfigValue {
    /// The number at `key`, or throws naming `type` and the key.
    public func double(_ key: String, in type: String) throws(ConfigurationError) -> Double {
        guard let value = self[key] else { throw .missingKey(type: type, key: key) }
        guard let number = value.doubleValue else { throw .invalidValue(type: type, key: key, expected: "a number", found: value) }
        return number
    }

    /// The integer at `key`, or throws naming `type` and the key.
    public func int(_ key: String, in type: String) throws(ConfigurationError) -> Int {
        guard let value = self[key] else { throw .missingKey(type: type, key: key) }
        guard let number = value.intValue else { throw .invalidValue(type: type, key: key, expected: "an integer", found: value) }
        return number
    }

    /// The string at `key`, or throws naming `type` and the key.
    public func string(_ key: String, in type: String) throws(ConfigurationError) -> String {
        guard let value = self[key] else { throw .missingKey(type: type, key: key) }
        guard let text = value.stringValue else { throw .invalidValue(type: type, key: key, expected: "a string", found: value) }
        return text
    }

    /// The Boolean at `key`, or throws naming `type` and the key.
    public func bool(_ key: String, in type: String) throws(ConfigurationError) -> Bool {
        guard let value = self[key] else { throw .missingKey(type: type, key: key) }
        guard let flag = value.boolValue else { throw .invalidValue(type: type, key: key, expected: "true or false", found: value) }
        return flag
    }
}
