import Foundation

/// Reading metrics out of what a command prints.
enum CommandOutput {
    /// The numeric members of a line that is a JSON object (booleans and non-numbers are left out),
    /// or `nil` for any other line.
    static func jsonObject(_ line: String) -> [String: Double]? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("{"), trimmed.hasSuffix("}"),
              let object = try? JSONDecoder().decode([String: JSONMember].self, from: Data(trimmed.utf8)) else { return nil }
        var result: [String: Double] = [:]
        for (key, value) in object {
            if case .number(let number) = value { result[key] = number }
        }
        return result
    }

    /// A JSON member: a number, or anything else (ignored).
    private enum JSONMember: Decodable {
        case number(Double)
        case other

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if (try? container.decode(Bool.self)) != nil {
                self = .other
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else {
                self = .other
            }
        }
    }

    /// The number of capture groups in a regular expression: unescaped `(` outside a character
    /// class, not opening a `(?...)` group unless it is a named one (`(?<name>` / `(?P<name>`).
    static func captureGroupCount(in pattern: String) -> Int {
        let characters = Array(pattern)
        var count = 0
        var index = 0
        var inClass = false
        while index < characters.count {
            let character = characters[index]
            if character == "\\" { index += 2; continue }
            if inClass {
                if character == "]" { inClass = false }
            } else if character == "[" {
                inClass = true
            } else if character == "(" {
                if index + 1 < characters.count, characters[index + 1] == "?" {
                    let rest = String(characters[(index + 2)...].prefix(2))
                    if (rest.hasPrefix("<") && !rest.hasPrefix("<=") && !rest.hasPrefix("<!")) || rest.hasPrefix("P<") || rest.hasPrefix("'") {
                        count += 1
                    }
                } else {
                    count += 1
                }
            }
            index += 1
        }
        return count
    }

    /// The number captured by the last match of `pattern` in `text`, if any match parses as a number.
    static func lastCapturedNumber(pattern: String, in text: String) -> Double? {
        guard let regex = try? Regex(pattern) else { return nil }
        var result: Double?
        for match in text.matches(of: regex) {
            guard match.output.count > 1, let substring = match.output[1].substring else { continue }
            if let number = Double(substring.trimmingCharacters(in: .whitespaces)) { result = number }
        }
        return result
    }
}
