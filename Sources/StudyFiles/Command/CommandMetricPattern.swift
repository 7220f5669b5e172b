/// The `metric_pattern` of a command study, checked when the file is read: the regular expression
/// must have exactly one capture group (the number). Reading the number out of a command's output is
/// `CommandOutput.lastCapturedNumber` in `StudyFileRuntime`.
enum CommandMetricPattern {
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
}
