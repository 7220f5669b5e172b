/// Strict JSON (RFC 8259) reading and writing for ``JSONValue``: what `config.json` and the
/// safetensors header are made of. (`JSONValue`'s own `parse` / `jsonText` go through Foundation's
/// coders and spell NaN and infinities as strings; these refuse them.)
///
/// Written here rather than taken from Foundation so that the bytes are under control (compact or
/// pretty, keys sorted, the exact escaping the safetensors reference writer uses), duplicate keys
/// are refused instead of silently merged, and errors give the byte offset.

/// Why bytes are not the JSON expected, with the byte offset where reading stopped.
public enum JSONError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text is not JSON: `reason` says what was found at byte `offset`.
    case syntax(offset: Int, reason: String)
    /// An object has the same key twice (which readers resolve differently, so it is refused).
    case duplicateKey(offset: Int, key: String)
    /// Nesting deeper than the reader accepts (a guard against stack exhaustion).
    case tooDeep(offset: Int, limit: Int)
    /// A NaN or an infinity, which JSON cannot represent, was to be written.
    case nonFiniteNumber(Double)

    /// What is wrong and where.
    public var description: String {
        switch self {
        case let .syntax(offset, reason): return "invalid JSON at byte \(offset): \(reason)"
        case let .duplicateKey(offset, key): return "invalid JSON at byte \(offset): duplicate key \"\(key)\""
        case let .tooDeep(offset, limit): return "invalid JSON at byte \(offset): nested deeper than \(limit) levels"
        case let .nonFiniteNumber(value): return "\(value) cannot be written as JSON (only finite numbers can)"
        }
    }
}

extension JSONValue {
    /// Parses one JSON value (surrounding whitespace allowed). Integers without fraction or exponent
    /// that fit an `Int` become ``JSONValue/int(_:)``, larger ones up to `UInt64.max`
    /// ``JSONValue/uint(_:)`` (as `JSONValue`'s decoder reads them); other numbers ``JSONValue/double(_:)``.
    ///
    /// - Throws: ``JSONError`` for invalid UTF-8 in strings, bad syntax, duplicate keys, trailing data
    ///   and nesting deeper than 512 levels.
    public init(json bytes: [UInt8]) throws(JSONError) {
        var parser = JSONParser(bytes: bytes)
        self = try parser.parseDocument()
    }

    /// Parses JSON text; see ``init(json:)-([UInt8])``.
    /// - Throws: ``JSONError``.
    public init(json text: String) throws(JSONError) {
        try self.init(json: Array(text.utf8))
    }

    /// The value as strict JSON text: compact (no whitespace, as the safetensors reference writes its header)
    /// or pretty (two-space indentation, lists of plain values on one line). Object keys are sorted when `sortedKeys` is true (by UTF-8
    /// bytes), so the same value always gives the same text.
    ///
    /// - Throws: ``JSONError/nonFiniteNumber(_:)`` for a NaN or an infinity.
    public func strictJSONText(pretty: Bool = false, sortedKeys: Bool = true) throws(JSONError) -> String {
        var output = ""
        try JSONWriter.write(self, into: &output, pretty: pretty, sortedKeys: sortedKeys, indent: 0)
        return output
    }
}

enum JSONWriter {
    static func write(_ value: JSONValue, into output: inout String, pretty: Bool, sortedKeys: Bool, indent: Int) throws(JSONError) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .int(let number): output += String(number)
        case .uint(let number): output += String(number)
        case .double(let number): output += try numberText(number)
        case .string(let text): appendString(text, to: &output)
        case .array(let elements):
            if elements.isEmpty { output += "[]"; return }
            // Pretty output keeps lists of plain values (shapes, offsets) on one line.
            let inline = pretty && elements.allSatisfy { element in
                switch element {
                case .array, .object: return false
                default: return true
                }
            }
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += inline ? ", " : "," }
                if pretty && !inline { newline(&output, indent + 1) }
                try write(element, into: &output, pretty: pretty, sortedKeys: sortedKeys, indent: indent + 1)
            }
            if pretty && !inline { newline(&output, indent) }
            output += "]"
        case .object(let members):
            if members.isEmpty { output += "{}"; return }
            output += "{"
            let keys = sortedKeys ? members.keys.sorted(by: utf8Less) : Array(members.keys)
            for (index, key) in keys.enumerated() {
                if index > 0 { output += "," }
                if pretty { newline(&output, indent + 1) }
                appendString(key, to: &output)
                output += pretty ? ": " : ":"
                try write(members[key] ?? .null, into: &output, pretty: pretty, sortedKeys: sortedKeys, indent: indent + 1)
            }
            if pretty { newline(&output, indent) }
            output += "}"
        }
    }

    private static func newline(_ output: inout String, _ indent: Int) {
        output += "\n"
        output += String(repeating: "  ", count: indent)
    }

    /// The shortest decimal that reads back as the same `Double` (Swift's `description`, which is
    /// valid JSON for finite values: `0.1`, `1.0`, `1e-05`).
    static func numberText(_ number: Double) throws(JSONError) -> String {
        guard number.isFinite else { throw .nonFiniteNumber(number) }
        return number.description
    }

    /// Appends `text` quoted, escaping as serde_json does: `"` and `\`, control characters (the
    /// usual short forms, otherwise `\u00XX`); everything else, non-ASCII included, as UTF-8.
    static func appendString(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }

    /// Byte-wise order of the UTF-8 forms (Rust's `String` order, code point order).
    static func utf8Less(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}

/// A recursive-descent reader over bytes.
struct JSONParser {
    static let depthLimit = 512
    let bytes: [UInt8]
    var position = 0
    var depth = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func parseDocument() throws(JSONError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard position == bytes.count else { throw fail("unexpected data after the JSON value") }
        return value
    }

    private func fail(_ reason: String) -> JSONError { .syntax(offset: position, reason: reason) }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
    }

    private func describeCurrent() -> String {
        guard let byte = current else { return "the end of the data" }
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16))"
    }

    private mutating func expect(_ literal: String, value: JSONValue) throws(JSONError) -> JSONValue {
        for byte in literal.utf8 {
            guard current == byte else { throw fail("expected '\(literal)', found \(describeCurrent())") }
            position += 1
        }
        return value
    }

    private mutating func parseValue() throws(JSONError) -> JSONValue {
        switch current {
        case UInt8(ascii: "{")?: return try parseObject()
        case UInt8(ascii: "[")?: return try parseArray()
        case UInt8(ascii: "\"")?: return .string(try parseString())
        case UInt8(ascii: "t")?: return try expect("true", value: .bool(true))
        case UInt8(ascii: "f")?: return try expect("false", value: .bool(false))
        case UInt8(ascii: "n")?: return try expect("null", value: .null)
        case let byte? where byte == UInt8(ascii: "-") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")):
            return try parseNumber()
        default:
            throw fail("expected a value, found \(describeCurrent())")
        }
    }

    private mutating func enter() throws(JSONError) {
        depth += 1
        guard depth <= Self.depthLimit else { throw .tooDeep(offset: position, limit: Self.depthLimit) }
    }

    private mutating func parseObject() throws(JSONError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        position += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if current == UInt8(ascii: "}") { position += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw fail("expected a key string, found \(describeCurrent())") }
            let keyOffset = position
            let key = try parseString()
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw fail("expected ':' after a key, found \(describeCurrent())") }
            position += 1
            skipWhitespace()
            let value = try parseValue()
            guard members.updateValue(value, forKey: key) == nil else { throw .duplicateKey(offset: keyOffset, key: key) }
            skipWhitespace()
            switch current {
            case UInt8(ascii: ",")?: position += 1
            case UInt8(ascii: "}")?: position += 1; return .object(members)
            default: throw fail("expected ',' or '}' in an object, found \(describeCurrent())")
            }
        }
    }

    private mutating func parseArray() throws(JSONError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { position += 1; return .array(elements) }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            switch current {
            case UInt8(ascii: ",")?: position += 1
            case UInt8(ascii: "]")?: position += 1; return .array(elements)
            default: throw fail("expected ',' or ']' in an array, found \(describeCurrent())")
            }
        }
    }

    private mutating func parseHex4() throws(JSONError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw fail("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw fail("invalid hex digit in a \\u escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private mutating func parseString() throws(JSONError) -> String {
        position += 1
        var utf8: [UInt8] = []
        while true {
            guard let byte = current else { throw fail("unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                // The raw bytes are validated here: strict UTF-8, no lone surrogates.
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    throw fail("a string is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                position += 1
                guard let escape = current else { throw fail("unterminated escape") }
                position += 1
                switch escape {
                case UInt8(ascii: "\""): utf8.append(0x22)
                case UInt8(ascii: "\\"): utf8.append(0x5C)
                case UInt8(ascii: "/"): utf8.append(0x2F)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try parseHex4()
                    if (0xD800...0xDBFF).contains(code) {
                        guard position + 2 <= bytes.count, bytes[position] == UInt8(ascii: "\\"),
                              bytes[position + 1] == UInt8(ascii: "u") else { throw fail("a high surrogate without its low surrogate") }
                        position += 2
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw fail("a high surrogate without its low surrogate") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(code) {
                        throw fail("a lone low surrogate")
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw fail("invalid code point") }
                    utf8.append(contentsOf: String(Character(scalar)).utf8)
                default:
                    throw fail("invalid escape '\\\(Character(Unicode.Scalar(escape)))'")
                }
            case 0..<0x20:
                throw fail("a control character inside a string (escape it)")
            default:
                utf8.append(byte)
                position += 1
            }
        }
    }

    private mutating func parseNumber() throws(JSONError) -> JSONValue {
        let start = position
        func isDigit(_ byte: UInt8?) -> Bool { byte.map { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } ?? false }
        if current == UInt8(ascii: "-") { position += 1 }
        guard isDigit(current) else { throw fail("a number needs digits") }
        if current == UInt8(ascii: "0") {
            position += 1
            if isDigit(current) { throw fail("numbers cannot have leading zeros") }
        } else {
            while isDigit(current) { position += 1 }
        }
        var integral = true
        if current == UInt8(ascii: ".") {
            integral = false
            position += 1
            guard isDigit(current) else { throw fail("a digit must follow the decimal point") }
            while isDigit(current) { position += 1 }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            integral = false
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard isDigit(current) else { throw fail("an exponent needs digits") }
            while isDigit(current) { position += 1 }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if integral, let number = Int(text) { return .int(number) }
        if integral, let number = UInt64(text) { return .uint(number) }
        guard let number = Double(text), number.isFinite else {
            throw .syntax(offset: start, reason: "the number \(text) is out of range")
        }
        return .double(number)
    }
}
