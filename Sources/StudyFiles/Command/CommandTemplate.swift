import Foundation
import Tuning

/// The `{name}` placeholders of a command line: found for validation, filled with shell-quoted
/// values for a trial. `{{` and `}}` stand for literal braces.
public enum CommandTemplate {
    /// A malformed placeholder.
    public struct Problem: Error, Hashable, Sendable {
        /// What is wrong.
        public var message: String
    }

    /// The names in `{name}` placeholders, in order, or the problem with an unclosed or empty one.
    public static func placeholders(in command: String) -> Result<[String], Problem> {
        var names: [String] = []
        switch scan(command, onName: { names.append($0); return "" }) {
        case .success: return .success(names)
        case .failure(let problem): return .failure(problem)
        }
    }

    /// `command` with each `{name}` replaced by the shell-quoted value (`''` for a missing one).
    public static func fill(_ command: String, values: [String: HyperParameterValue]) -> String {
        switch scan(command, onName: { name in shellQuoted(values[name].map(\.description) ?? "") }) {
        case .success(let text): return text
        case .failure: return command
        }
    }

    /// `text` in single quotes, safe as one shell word (`it's` → `'it'\''s'`).
    public static func shellQuoted(_ text: String) -> String {
        let safe = text.allSatisfy { $0.isLetter || $0.isNumber || "-_.+/=:,@%".contains($0) }
        if safe && !text.isEmpty { return text }
        return "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }

    private static func scan(_ command: String, onName: (String) -> String) -> Result<String, Problem> {
        var output = ""
        var index = command.startIndex
        while index < command.endIndex {
            let character = command[index]
            let next = command.index(after: index)
            if character == "{" {
                if next < command.endIndex, command[next] == "{" {
                    output.append("{")
                    index = command.index(after: next)
                    continue
                }
                guard let close = command[next...].firstIndex(of: "}") else {
                    return .failure(Problem(message: "unclosed placeholder: \"{\" without \"}\" (write {{ for a literal brace)"))
                }
                let name = String(command[next..<close]).trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty else { return .failure(Problem(message: "empty placeholder {} (write {{}} for literal braces)")) }
                output += onName(name)
                index = command.index(after: close)
                continue
            }
            if character == "}", next < command.endIndex, command[next] == "}" {
                output.append("}")
                index = command.index(after: next)
                continue
            }
            output.append(character)
            index = next
        }
        return .success(output)
    }
}
