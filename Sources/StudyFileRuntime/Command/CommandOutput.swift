import Foundation

/// Reading metrics out of what a command prints.
enum CommandOutput {
    /// The numeric members of a line that is a JSON object (booleans and non-numbers are left out),
    /// or `nil` for any other line. The bare `NaN`, `Infinity` and `-Infinity` that Python's `json`
    /// writes for a diverged value are read as those numbers, so the trial can say the value is not finite.
    static func jsonObject(_ line: String) -> [String: Double]? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("{"), trimmed.hasSuffix("}"),
              let object = try? JSONDecoder().decode([String: JSONMember].self, from: Data(quotingNonFiniteNumbers(trimmed).utf8))
        else { return nil }
        var result: [String: Double] = [:]
        for (key, value) in object {
            if case .number(let number) = value { result[key] = number }
        }
        return result
    }

    /// The words for non-finite numbers outside JSON (Python's, and C's `printf`), with their values.
    private static let nonFiniteWords: [(word: String, value: Double)] = [
        ("-Infinity", -.infinity), ("Infinity", .infinity), ("NaN", .nan), ("-inf", -.infinity), ("inf", .infinity), ("nan", .nan),
    ]
    /// The prefix of the string a bare non-finite word becomes before decoding (a control character,
    /// which no valid JSON string holds unescaped, so no value of the program is mistaken for it).
    private static let nonFiniteMarker = "\u{1}nonfinite:"

    /// `text` with each bare non-finite word outside strings (`{"loss": NaN}`) turned into a marked
    /// string that `JSONMember` reads back as the number.
    static func quotingNonFiniteNumbers(_ text: String) -> String {
        let characters = Array(text)
        var output = ""
        var index = 0
        var inString = false
        while index < characters.count {
            let character = characters[index]
            if inString {
                output.append(character)
                if character == "\\", index + 1 < characters.count {
                    output.append(characters[index + 1])
                    index += 1
                } else if character == "\"" {
                    inString = false
                }
                index += 1
                continue
            }
            if character == "\"" { inString = true }
            let previous = output.last(where: { !$0.isWhitespace })
            if previous == ":" || previous == "[" || previous == ",",
               let match = nonFiniteWords.first(where: { entry in
                   let end = index + entry.word.count
                   guard end <= characters.count, String(characters[index..<end]) == entry.word else { return false }
                   return end == characters.count || ",}] \t".contains(characters[end])
               }) {
                // Escaped as JSON requires for a control character; decoding gives back `nonFiniteMarker`.
                output += "\"\\u0001nonfinite:\(match.word)\""
                index += match.word.count
                continue
            }
            output.append(character)
            index += 1
        }
        return output
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
            } else if let text = try? container.decode(String.self), text.hasPrefix(CommandOutput.nonFiniteMarker),
                      let entry = CommandOutput.nonFiniteWords.first(where: { $0.word == text.dropFirst(CommandOutput.nonFiniteMarker.count) }) {
                self = .number(entry.value)
            } else {
                self = .other
            }
        }
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
