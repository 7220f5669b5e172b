/// One hyperparameter value: an integer, a floating-point number, a string or a boolean.
///
/// Literals convert directly (`"adam"`, `3`, `0.5`, `true`), so lists such as a conditional scope's
/// parent values read naturally: `hp.conditionalScope(parent: "optimizer", values: ["adam"]) { ... }`.
public enum HyperParameterValue: Hashable, Sendable {
    /// An integer value (`hp.int`, integer choices).
    case int(Int)
    /// A floating-point value (`hp.float`, floating-point choices).
    case float(Double)
    /// A string value (string choices).
    case string(String)
    /// A boolean value (`hp.boolean`, boolean choices).
    case bool(Bool)

    /// The integer, if this is `.int`.
    public var intValue: Int? {
        if case .int(let value) = self { return value }
        return nil
    }

    /// The number as a `Double`, if this is `.float` or `.int` (integers convert exactly up to 2^53).
    public var doubleValue: Double? {
        switch self {
        case .float(let value): return value
        case .int(let value): return Double(value)
        case .string, .bool: return nil
        }
    }

    /// The string, if this is `.string`.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The boolean, if this is `.bool`.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The name of the case (`"int"`, `"float"`, `"string"`, `"bool"`), used in error messages and summaries.
    public var typeName: String {
        switch self {
        case .int: return "int"
        case .float: return "float"
        case .string: return "string"
        case .bool: return "bool"
        }
    }

    /// Whether this is a number (`.int` or `.float`).
    public var isNumeric: Bool {
        switch self {
        case .int, .float: return true
        case .string, .bool: return false
        }
    }
}

extension HyperParameterValue: CustomStringConvertible {
    /// The value as Keras Tuner prints it: numbers plainly, strings without quotes, booleans as `true`/`false`.
    public var description: String {
        switch self {
        case .int(let value): return String(value)
        case .float(let value): return String(value)
        case .string(let value): return value
        case .bool(let value): return String(value)
        }
    }
}

extension HyperParameterValue: Codable {
    private enum CodingKeys: String, CodingKey { case int, float, string, bool }

    /// Decodes the tagged form written by `encode(to:)`, such as `{"float": 0.001}`.
    ///
    /// - Throws: `DecodingError.dataCorrupted` unless exactly one of the four tags is present.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "A hyperparameter value needs exactly one of the keys int, float, string, bool"))
        }
        switch key {
        case .int: self = .int(try container.decode(Int.self, forKey: .int))
        case .float: self = .float(try container.decode(Double.self, forKey: .float))
        case .string: self = .string(try container.decode(String.self, forKey: .string))
        case .bool: self = .bool(try container.decode(Bool.self, forKey: .bool))
        }
    }

    /// Encodes the value tagged with its type (`{"int": 3}`, `{"float": 3.0}`).
    ///
    /// The tag is kept because JSON writes the float 3.0 as `3`, which would come back as an integer
    /// and make a resumed search see a different configuration.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .int(let value): try container.encode(value, forKey: .int)
        case .float(let value): try container.encode(value, forKey: .float)
        case .string(let value): try container.encode(value, forKey: .string)
        case .bool(let value): try container.encode(value, forKey: .bool)
        }
    }
}

extension HyperParameterValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral, ExpressibleByBooleanLiteral
{
    /// Creates `.int(value)` from an integer literal.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// Creates `.float(value)` from a floating-point literal.
    public init(floatLiteral value: Double) { self = .float(value) }
    /// Creates `.string(value)` from a string literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// Creates `.bool(value)` from a boolean literal.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

/// A Swift type that can be a hyperparameter value: `Int`, `Double`, `String`, `Bool` and
/// `HyperParameterValue` itself. It lets `hp.choice` and `hp.fixed` return the type they were given.
public protocol HyperParameterRepresentable: Hashable, Sendable {
    /// The value as a `HyperParameterValue`.
    var hyperParameterValue: HyperParameterValue { get }
    /// Converts back from a `HyperParameterValue`; `nil` when the case does not match this type.
    init?(hyperParameterValue: HyperParameterValue)
}

extension Int: HyperParameterRepresentable {
    /// `.int(self)`.
    public var hyperParameterValue: HyperParameterValue { .int(self) }
    /// The integer of an `.int` value; `nil` otherwise.
    public init?(hyperParameterValue: HyperParameterValue) {
        guard let value = hyperParameterValue.intValue else { return nil }
        self = value
    }
}

extension Double: HyperParameterRepresentable {
    /// `.float(self)`.
    public var hyperParameterValue: HyperParameterValue { .float(self) }
    /// The number of a `.float` value; `nil` otherwise (integers are a different type of choice).
    public init?(hyperParameterValue: HyperParameterValue) {
        guard case .float(let value) = hyperParameterValue else { return nil }
        self = value
    }
}

extension String: HyperParameterRepresentable {
    /// `.string(self)`.
    public var hyperParameterValue: HyperParameterValue { .string(self) }
    /// The string of a `.string` value; `nil` otherwise.
    public init?(hyperParameterValue: HyperParameterValue) {
        guard let value = hyperParameterValue.stringValue else { return nil }
        self = value
    }
}

extension Bool: HyperParameterRepresentable {
    /// `.bool(self)`.
    public var hyperParameterValue: HyperParameterValue { .bool(self) }
    /// The boolean of a `.bool` value; `nil` otherwise.
    public init?(hyperParameterValue: HyperParameterValue) {
        guard let value = hyperParameterValue.boolValue else { return nil }
        self = value
    }
}

extension HyperParameterValue: HyperParameterRepresentable {
    /// The value itself.
    public var hyperParameterValue: HyperParameterValue { self }
    /// The value itself (never `nil`).
    public init?(hyperParameterValue: HyperParameterValue) { self = hyperParameterValue }
}
