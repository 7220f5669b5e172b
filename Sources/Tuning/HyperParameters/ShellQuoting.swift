/// The one rule for writing a value as a shell word, shared by `tuner ask --format env` (the
/// `TUNER_HP_<NAME>=value` assignments it prints for `eval`) and command studies (the working folder
/// of the `cd` before the command, and the values shown in messages), next to the rule for the
/// variables' names (`EnvironmentVariableNames`).
public enum ShellQuoting {
    /// `text` as one shell word that the shell reads back as exactly `text`: unchanged when it is
    /// non-empty and holds only ASCII letters, digits and `-_.+/=:,@%` (nothing the shell expands or
    /// splits), else in single quotes, each `'` written as `'\''` (`it's` → `'it'\''s'`, `""` → `''`).
    public static func word(_ text: String) -> String {
        let safe = text.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || "-_.+/=:,@%".contains($0) }
        if safe && !text.isEmpty { return text }
        return "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
