import Foundation

/// Any JSON value, kept exactly: integers stay integers (64-bit, signed or not), so an oracle's state
/// with `UInt64` seeds survives an export and an import unchanged.
///
/// The one JSON value type of every module: stored oracle settings and state, exports, CLI output,
/// and in `Neural` the values of Keras's `get_config()` dictionaries (`Configuration`) and of saved
/// models' `config.json` and safetensors headers (`Neural` reads and writes those with its own strict
/// RFC 8259 codec, `init(json:)` / `strictJSONText(pretty:sortedKeys:)`, which refuses NaN and infinities).
public enum JSONValue: Hashable, Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer that fits in `Int`. `Int` is 64-bit on every platform Tuner builds for (64-bit
    /// Linux and macOS), so this is every `Int64`; the payload is `Int` so Swift code passes its
    /// `Int`s (counts, sizes, Keras arguments) as they are.
    case int(Int)
    /// An integer above `Int.max` (up to `UInt64.max`): `UInt64` seeds, for example. Decoders give
    /// `.int` for every integer that fits, so `.uint` holds only larger ones.
    case uint(UInt64)
    /// Any other number (`NaN` and infinities are written as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`).
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object (written with sorted keys).
    case object([String: JSONValue])

    /// Parses JSON text (non-finite numbers may be the strings `"NaN"`, `"Infinity"`, `"-Infinity"`).
    ///
    /// - Throws: `DecodingError` when `data` is not JSON (`JSONCoding.describe` words it).
    public static func parse(_ data: Data) throws -> JSONValue {
        try JSONCoding.decoder.decode(JSONValue.self, from: data)
    }

    /// Encodes any `Encodable` value as a JSON value (through its JSON encoding).
    ///
    /// - Throws: `EncodingError` when the value cannot be encoded.
    public init(encoding value: some Encodable) throws {
        self = try JSONCoding.decoder.decode(JSONValue.self, from: JSONCoding.compactEncoder.encode(value))
    }

    /// Decodes this value as a `Decodable` type (through its JSON encoding).
    ///
    /// - Throws: `DecodingError` when the value does not have the type's shape.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONCoding.decoder.decode(type, from: JSONCoding.compactEncoder.encode(self))
    }

    /// The value as compact JSON text with sorted keys.
    public var jsonText: String {
        guard let data = try? JSONCoding.compactEncoder.encode(self) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

}

extension JSONValue: Codable {
    /// Decodes any JSON value, integers first so they stay exact.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(UInt64.self) {
            self = .uint(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Encodes the value as it was read.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .uint(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension JSONValue: ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
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
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// An object (a repeated key keeps its last value).
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    /// `null`.
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue {
    /// An integer value (the same as `.int(value)`).
    public static func integer(_ value: Int) -> JSONValue { .int(value) }

    /// A number, or null when there is none.
    public static func number(_ value: Double?) -> JSONValue { value.map(JSONValue.double) ?? .null }

    /// Pretty-printed, key-sorted JSON text (non-finite numbers as `"NaN"`, `"Infinity"`, `"-Infinity"`).
    public var prettyText: String {
        guard let data = try? JSONCoding.prettyEncoder.encode(self) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}

extension JSONValue {
    /// The value as a `Double` when it is a number (`.int`, `.uint` or `.double`; integers above 2^53
    /// are rounded to the nearest `Double`).
    public var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .uint(let value): return Double(value)
        case .double(let value): return value
        case .null, .bool, .string, .array, .object: return nil
        }
    }

    /// The value as an `Int` when it is an integer that fits (a `.uint` above `Int.max` does not), or a
    /// double with no fractional part below 9e15 in magnitude (Keras writes some integers as `2.0`).
    public var intValue: Int? {
        switch self {
        case .int(let value): return value
        case .uint(let value): return Int(exactly: value)
        case .double(let value) where value.rounded() == value && Swift.abs(value) < 9e15: return Int(value)
        case .null, .bool, .double, .string, .array, .object: return nil
        }
    }

    /// The value as a `String` when it is a string.
    public var stringValue: String? { if case .string(let value) = self { value } else { nil } }
    /// The value as a `Bool` when it is `true` or `false`.
    public var boolValue: Bool? { if case .bool(let value) = self { value } else { nil } }
    /// The elements when the value is an array.
    public var arrayValue: [JSONValue]? { if case .array(let value) = self { value } else { nil } }
    /// The members when the value is an object.
    public var objectValue: [String: JSONValue]? { if case .object(let value) = self { value } else { nil } }
}
