import Tuning

/// The `{name}` placeholders of a command line: found for validation, shown with shell-quoted values
/// in messages, and, for running, replaced by references to environment variables holding the values.
///
/// A placeholder is `{` + a name (letters, digits, `_`, `-`, `.`, not starting with a digit) + `}`.
/// Other braces are left alone (JSON in an `echo`, shell `${VAR}`), `{{name}}` stands for a literal
/// `{name}`, and a placeholder right after a backslash is left as it is.
///
/// Values never become shell code: the command that runs holds `"${TUNER_HP_LR}"`, not the value, so
/// no quoting inside a value (`$(touch f)`, `'`, `"`) can reach the shell's parser. How the reference
/// is written depends on where the placeholder stands (see `ShellContext`), so a value arrives as the
/// same single word or text whether the placeholder is unquoted, in double or in single quotes.
public enum CommandTemplate {
    /// Where a placeholder stands in the shell's grammar, which decides how a reference to its value is written.
    public enum ShellContext: Equatable, Sendable {
        /// Outside quotes: `"${VAR}"`, one word whatever the value holds.
        case unquoted
        /// Inside `"..."`: `${VAR}`.
        case doubleQuoted
        /// Inside `'...'`, where nothing expands: the quote is closed around `"${VAR}"` (`'a '"${VAR}"' b'`).
        case singleQuoted
        /// In the body of a here-document; `expanding` when its delimiter is unquoted (`<<EOF`): `${VAR}`.
        /// A quoted delimiter (`<<'EOF'`) expands nothing, so the value itself is written there, and
        /// refused if it could end the document early (a line break, or a line that is the delimiter).
        case hereDocument(expanding: Bool)
    }

    /// Why a value cannot be placed in a command line.
    public struct UnsafeValue: Error, Equatable, Sendable, CustomStringConvertible {
        /// The placeholder's name.
        public var name: String
        /// What is wrong and what to do.
        public var reason: String

        /// The message for the trial's record.
        public var description: String { "the value of {\(name)} cannot be placed in the command: \(reason)" }
    }

    /// The names in `{name}` placeholders, in order of appearance.
    public static func placeholders(in command: String) -> [String] {
        var names: [String] = []
        _ = try? scan(command) { name, _ in names.append(name); return "" }
        return names
    }

    /// `command` with each `{name}` replaced by the shell-quoted value (`ShellQuoting.word`; `''` for a
    /// missing one): the command as a user reads it in messages. It is never run (see `referencing`).
    public static func fill(_ command: String, values: [String: HyperParameterValue]) -> String {
        (try? scan(command) { name, _ in ShellQuoting.word(values[name].map(\.description) ?? "") }) ?? command
    }

    /// `command` with each `{name}` replaced by a reference to the environment variable
    /// `variable(name)`, written for the placeholder's `ShellContext`; the caller sets the variables.
    /// `values` are needed only for quoted here-documents, where nothing expands.
    ///
    /// - Throws: `UnsafeValue` when a value in a quoted here-document holds a line break or would
    ///   make its line the document's delimiter.
    public static func referencing(
        _ command: String, values: [String: HyperParameterValue], variable: (String) -> String
    ) throws(UnsafeValue) -> String {
        try scan(command) { (name, context) throws(UnsafeValue) -> String in
            let reference = "${\(variable(name))}"
            switch context {
            case .unquoted: return "\"\(reference)\""
            case .doubleQuoted, .hereDocument(expanding: true): return reference
            case .singleQuoted: return "'\"\(reference)\"'"
            case .hereDocument(expanding: false):
                let text = values[name].map(\.description) ?? ""
                guard !text.contains(where: { $0 == "\n" || $0 == "\r" }) else {
                    throw UnsafeValue(name: name, reason: "it holds a line break and stands in a quoted here-document (<<'EOF'); use an unquoted delimiter (<<EOF) or \"$\(variable(name))\" outside it")
                }
                return text
            }
        }
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

    /// The shell's quoting state as the scan goes: enough of the grammar (quotes, backslashes,
    /// comments, here-documents, `$(...)` nesting) to know how a placeholder's value must be referenced.
    private enum Quoting {
        case none, single, double, comment
    }

    private struct HereDocument {
        var delimiter: String
        var expanding: Bool
        var stripsTabs: Bool
    }

    /// Copies `command`, replacing each placeholder by what `onName` returns for it and its context.
    private static func scan(
        _ command: String, onName: (String, ShellContext) throws(UnsafeValue) -> String
    ) throws(UnsafeValue) -> String {
        let characters = Array(command)
        var output = ""
        var index = 0
        var quoting = Quoting.none
        var pending: [HereDocument] = []
        var body: HereDocument?
        var lastName = ""
        // `$(` starts a new quoting context (`"$(cat "{f}")"`): the outer state and the open parentheses
        // of each level, restored at its closing `)`.
        var outer: [Quoting] = []
        var openParentheses = 0
        var outerParentheses: [Int] = []

        /// Replaces a `{{name}}` or `{name}` at `index` (a `{` not after `$`); false when there is none.
        func placeholderAt(_ context: ShellContext) throws(UnsafeValue) -> Bool {
            guard characters[index] == "{", index == 0 || characters[index - 1] != "$" else { return false }
            if index + 1 < characters.count, characters[index + 1] == "{",
               let inner = placeholder(in: characters, at: index + 1), inner.end < characters.count, characters[inner.end] == "}" {
                output += "{\(inner.name)}"
                index = inner.end + 1
                return true
            }
            if let found = placeholder(in: characters, at: index) {
                lastName = found.name
                output += try onName(found.name, context)
                index = found.end
                return true
            }
            return false
        }

        while index < characters.count {
            if let document = body {
                // One line of a here-document's body, or its delimiter line.
                let lineEnd = characters[index...].firstIndex(of: "\n") ?? characters.count
                let raw = String(characters[index..<lineEnd])
                let line = document.stripsTabs ? String(raw.drop { $0 == "\t" }) : raw
                if line == document.delimiter {
                    output += raw
                    index = lineEnd
                    body = pending.isEmpty ? nil : pending.removeFirst()
                } else {
                    let startOffset = output.count
                    lastName = ""
                    while index < lineEnd {
                        if try placeholderAt(.hereDocument(expanding: document.expanding)) { continue }
                        output.append(characters[index])
                        // As everywhere, a placeholder right after a backslash is left as it is.
                        if characters[index] == "\\", index + 1 < lineEnd {
                            output.append(characters[index + 1])
                            index += 1
                        }
                        index += 1
                    }
                    // A filled line must not become the delimiter: the shell would end the document there.
                    let filled = String(output.dropFirst(startOffset))
                    if !document.expanding, (document.stripsTabs ? String(filled.drop { $0 == "\t" }) : filled) == document.delimiter {
                        throw UnsafeValue(name: lastName, reason: "its value makes a line of a quoted here-document equal to its delimiter \(document.delimiter)")
                    }
                }
                if index < characters.count {
                    output.append("\n")
                    index += 1
                }
                continue
            }

            let character = characters[index]
            let context: ShellContext
            switch quoting {
            case .none, .comment: context = .unquoted
            case .double: context = .doubleQuoted
            case .single: context = .singleQuoted
            }
            if try placeholderAt(context) { continue }
            output.append(character)
            index += 1
            if quoting == .none || quoting == .double, character == "$", index < characters.count, characters[index] == "(" {
                output.append("(")
                index += 1
                outer.append(quoting)
                outerParentheses.append(openParentheses)
                quoting = .none
                openParentheses = 1
                continue
            }
            switch (quoting, character) {
            case (.none, "("):
                if !outer.isEmpty { openParentheses += 1 }
            case (.none, ")"):
                if !outer.isEmpty {
                    openParentheses -= 1
                    if openParentheses == 0 {
                        quoting = outer.removeLast()
                        openParentheses = outerParentheses.removeLast()
                    }
                }
            case (.none, "\\"), (.double, "\\"):
                // The escaped character is taken as it is (a quote that does not open or close, a literal `{`).
                if index < characters.count {
                    output.append(characters[index])
                    index += 1
                }
            case (.none, "'"): quoting = .single
            case (.single, "'"): quoting = .none
            case (.none, "\""): quoting = .double
            case (.double, "\""): quoting = .none
            case (.none, "#"):
                // A comment starts a word: `#` after a blank or an operator, not inside `a#b` or `$#`.
                let previous = index >= 2 ? characters[index - 2] : " "
                if previous.isWhitespace || ";&|()".contains(previous) { quoting = .comment }
            case (.comment, "\n"):
                quoting = .none
                if !pending.isEmpty { body = pending.removeFirst() }
            case (.none, "\n"):
                if !pending.isEmpty { body = pending.removeFirst() }
            case (.none, "<"):
                // `<<WORD` or `<<-WORD` (not the here-string `<<<`): its body starts on the next line.
                guard index + 1 < characters.count, characters[index] == "<", characters[index + 1] != "<" else { break }
                output.append("<")
                index += 1
                var stripsTabs = false
                if index < characters.count, characters[index] == "-" {
                    stripsTabs = true
                    output.append("-")
                    index += 1
                }
                while index < characters.count, characters[index] == " " || characters[index] == "\t" {
                    output.append(characters[index])
                    index += 1
                }
                var word = ""
                while index < characters.count, !characters[index].isWhitespace, !";&|<>()".contains(characters[index]) {
                    word.append(characters[index])
                    output.append(characters[index])
                    index += 1
                }
                let quoted = word.contains { "'\"\\".contains($0) }
                let delimiter = word.filter { !"'\"\\".contains($0) }
                if !delimiter.isEmpty {
                    pending.append(HereDocument(delimiter: delimiter, expanding: !quoted, stripsTabs: stripsTabs))
                }
            default: break
            }
        }
        return output
    }
}
