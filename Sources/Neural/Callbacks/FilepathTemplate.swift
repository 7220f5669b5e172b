import Foundation

/// A file path with Python `str.format` placeholders, as Keras's `ModelCheckpoint` fills them in:
/// `{epoch}`, `{epoch:02d}`, `{val_loss:.4f}`, `{accuracy:.2e}`, `{{` and `}}` for braces.
///
/// The format specifications supported are `[0][width][.precision][type]` with type `d`, `f`, `e`,
/// `E`, `g`, `G`, `%` or none (Python's meaning for each). A value without a specification is
/// written as Swift writes it: integers plainly, metric values as their shortest `Float` form
/// (Keras's Python floats would print the double of the same float32, e.g. `0.5213000178337097`).
struct FilepathTemplate {
    private enum Piece {
        case text(String)
        case field(name: String, spec: Spec)
    }

    private struct Spec {
        var text: String
        var zeroPad = false
        var width: Int?
        var precision: Int?
        var type: Character?
    }

    /// The template as given.
    let template: String
    private let pieces: [Piece]

    /// The placeholder names, in order.
    var fieldNames: [String] {
        pieces.compactMap { if case let .field(name, _) = $0 { return name } else { return nil } }
    }

    /// Parses `template`.
    /// - Throws: ``CallbackError/badFilepathTemplate(template:reason:)`` for an unclosed or stray
    ///   brace, an empty or indexed placeholder, or a format specification outside the supported ones.
    init(_ template: String) throws(CallbackError) {
        self.template = template
        func fail(_ reason: String) -> CallbackError { .badFilepathTemplate(template: template, reason: reason) }
        var pieces: [Piece] = []
        var text = ""
        let characters = Array(template)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "}" {
                guard index + 1 < characters.count, characters[index + 1] == "}" else { throw fail("single '}' (write '}}' for a brace)") }
                text.append("}")
                index += 2
                continue
            }
            guard character == "{" else { text.append(character); index += 1; continue }
            if index + 1 < characters.count, characters[index + 1] == "{" {
                text.append("{")
                index += 2
                continue
            }
            guard let close = characters[(index + 1)...].firstIndex(of: "}") else { throw fail("'{' without its '}'") }
            let content = String(characters[(index + 1)..<close])
            let parts = content.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            guard !name.isEmpty else { throw fail("a placeholder needs a name, as in {epoch}") }
            guard !name.contains(where: { "{[.!".contains($0) }) else {
                throw fail("placeholder '\(name)': attribute, index and conversion syntax is not supported")
            }
            let spec = try Self.parseSpec(parts.count > 1 ? String(parts[1]) : "", fail: fail)
            if !text.isEmpty { pieces.append(.text(text)); text = "" }
            pieces.append(.field(name: name, spec: spec))
            index = close + 1
        }
        if !text.isEmpty { pieces.append(.text(text)) }
        self.pieces = pieces
    }

    /// The path with every placeholder replaced: `integers` first (`epoch`, `batch`), then `logs`.
    /// - Throws: ``CallbackError/badFilepathTemplate(template:reason:)`` for a placeholder with no value
    ///   (naming the available ones) or a specification the value does not take (`d` on a metric).
    func filled(integers: [(String, Int)], logs: Logs) throws(CallbackError) -> String {
        var result = ""
        for piece in pieces {
            switch piece {
            case let .text(text):
                result += text
            case let .field(name, spec):
                if let value = integers.first(where: { $0.0 == name })?.1 {
                    result += try format(integer: value, spec: spec, name: name)
                } else if let value = logs[name] {
                    result += try format(value: value, spec: spec, name: name)
                } else {
                    let available = integers.map(\.0) + logs.names
                    throw .badFilepathTemplate(template: template, reason: "no value for {\(name)}; available: \(available.joined(separator: ", "))")
                }
            }
        }
        return result
    }

    private static func parseSpec(_ text: String, fail: (String) -> CallbackError) throws(CallbackError) -> Spec {
        var spec = Spec(text: text)
        var characters = Substring(text)
        if characters.first == "0" { spec.zeroPad = true; characters = characters.dropFirst() }
        let widthDigits = characters.prefix(while: \.isASCIIDigit)
        if !widthDigits.isEmpty { spec.width = Int(widthDigits); characters = characters.dropFirst(widthDigits.count) }
        if characters.first == "." {
            let digits = characters.dropFirst().prefix(while: \.isASCIIDigit)
            guard !digits.isEmpty, let precision = Int(digits) else { throw fail("format '\(text)': '.' needs a precision") }
            spec.precision = precision
            characters = characters.dropFirst(1 + digits.count)
        }
        if let type = characters.first {
            guard "dfeEgG%".contains(type) else { throw fail("format '\(text)': type '\(type)' is not supported (d, f, e, E, g, G, %)") }
            spec.type = type
            characters = characters.dropFirst()
        }
        guard characters.isEmpty else {
            throw fail("format '\(text)' is not supported; use [0][width][.precision][type], as in 02d or .4f")
        }
        return spec
    }

    private func format(integer: Int, spec: Spec, name: String) throws(CallbackError) -> String {
        switch spec.type {
        case nil, "d":
            guard spec.precision == nil else {
                throw .badFilepathTemplate(template: template, reason: "{\(name):\(spec.text)}: an integer takes no precision")
            }
            return pad(String(integer), spec)
        default:
            return try format(double: Double(integer), spec: spec, name: name)
        }
    }

    private func format(value: Float, spec: Spec, name: String) throws(CallbackError) -> String {
        if spec.type == "d" {
            throw .badFilepathTemplate(template: template, reason: "{\(name):\(spec.text)}: '\(name)' is a float; use a format such as .4f")
        }
        if spec.type == nil && spec.precision == nil { return pad(String(describing: value), spec) }
        return try format(double: Double(value), spec: spec, name: name)
    }

    private func format(double: Double, spec: Spec, name: String) throws(CallbackError) -> String {
        let flags = spec.zeroPad ? "0" : ""
        let width = spec.width.map(String.init) ?? ""
        let precision = spec.precision.map { ".\($0)" } ?? ""
        switch spec.type {
        case "%":
            return String(format: "%\(flags)\(spec.width.map { String(Swift.max($0 - 1, 0)) } ?? "").\(spec.precision ?? 6)f", double * 100) + "%"
        case let type?:
            return String(format: "%\(flags)\(width)\(precision)\(type)", double)
        case nil:
            // Python's general format without a type: like 'g', but a fixed-point result keeps a decimal.
            var text = String(format: "%\(precision)g", double)
            if !text.contains(where: { ".einf".contains($0) }) { text += ".0" }
            return pad(text, spec)
        }
    }

    /// Right-aligns to the width with spaces, or zeros after any sign.
    private func pad(_ text: String, _ spec: Spec) -> String {
        guard let width = spec.width, text.count < width else { return text }
        let fill = String(repeating: spec.zeroPad ? "0" : " ", count: width - text.count)
        if spec.zeroPad, text.hasPrefix("-") { return "-" + fill + text.dropFirst() }
        return fill + text
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
