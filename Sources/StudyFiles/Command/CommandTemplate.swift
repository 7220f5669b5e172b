import Tuning

/// The `{name}` placeholders of a command line: found for validation, filled with shell-quoted
/// values for a trial.
///
/// A placeholder is `{` + a name (letters, digits, `_`, `-`, `.`, not starting with a digit) + `}`.
/// Other braces are left alone (JSON in an `echo`, shell `${VAR}`), and `{{name}}` stands for a
/// literal `{name}`.
public enum CommandTemplate {
    /// The names in `{name}` placeholders, in order of appearance.
    public static func placeholders(in command: String) -> [String] {
        var names: [String] = []
        _ = scan(command) { names.append($0); return "" }
        return names
    }

    /// `command` with each `{name}` replaced by the shell-quoted value (`''` for a missing one).
    public static func fill(_ command: String, values: [String: HyperParameterValue]) -> String {
        scan(command) { name in shellQuoted(values[name].map(\.description) ?? "") }
    }

    /// `text` as one shell word: unchanged when it holds only safe characters, else in single
    /// quotes (`it's` → `'it'\''s'`).
    public static func shellQuoted(_ text: String) -> String {
        let safe = text.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || "-_.+/=:,@%".contains($0) }
        if safe && !text.isEmpty { return text }
        return "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }

    private static func isNameStart(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character == "_")
    }

    private static func isNameCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "_-.".contains(character))
    }

    /// The name of a `{name}` starting at `start` (which holds `{`) and the index after its `}`.
    private static func placeholder(in characters: [Character], at start: Int) -> (name: String, end: Int)? {
        var index = start + 1
        guard index < characters.count, isNameStart(characters[index]) else { return nil }
        while index < characters.count, isNameCharacter(characters[index]) { index += 1 }
        guard index < characters.count, characters[index] == "}" else { return nil }
        return (String(characters[(start + 1)..<index]), index + 1)
    }

    private static func scan(_ command: String, onName: (String) -> String) -> String {
        let characters = Array(command)
        var output = ""
        var index = 0
        while index < characters.count {
            let character = characters[index]
            guard character == "{", index == 0 || characters[index - 1] != "$" else {
                output.append(character)
                index += 1
                continue
            }
            if index + 1 < characters.count, characters[index + 1] == "{",
               let inner = placeholder(in: characters, at: index + 1), inner.end < characters.count, characters[inner.end] == "}" {
                output += "{\(inner.name)}"
                index = inner.end + 1
                continue
            }
            if let found = placeholder(in: characters, at: index) {
                output += onName(found.name)
                index = found.end
                continue
            }
            output.append(character)
            index += 1
        }
        return output
    }
}
