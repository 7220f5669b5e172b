/// The one rule for study names, checked wherever a study is created, imported or looked up.
///
/// A name is stored as SQLite text and names the study's checkpoint folder (through an injective
/// encoding, see TunerKit's `CheckpointFiles`), so it must survive both unchanged: it is not empty,
/// holds no control character (a NUL would cut it short in SQLite: `victim\0other` would find
/// `victim`; a newline or escape would garble every table printing it) nor U+FFFD (what bytes that
/// are not UTF-8 become, so two different byte strings would name one study), and has at most
/// `maximumLength` characters (Unicode scalars). Anything else — spaces, `/`, `..`, accents — is allowed.
public enum StudyName {
    /// The most Unicode scalars a study name may have.
    public static let maximumLength = 200

    /// Checks `name` against the rule.
    ///
    /// - Throws: `StudyNameError` saying what is wrong with the name and what to do.
    public static func validate(_ name: String) throws(StudyNameError) {
        if let problem = problem(with: name) { throw StudyNameError(name: name, problem: problem) }
    }

    /// Why `name` breaks the rule, or nil when it follows it.
    public static func problem(with name: String) -> String? {
        if name.isEmpty { return "it is empty" }
        let scalars = name.unicodeScalars
        if scalars.count > maximumLength {
            return "it has \(scalars.count) characters, more than the \(maximumLength) allowed"
        }
        for (offset, scalar) in scalars.enumerated() {
            if scalar.properties.generalCategory == .control {
                let code = String(scalar.value, radix: 16, uppercase: true)
                return "it contains the control character U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code) at position \(offset + 1)"
            }
            // Bytes that are not UTF-8 (in an argument) arrive as U+FFFD: two different such names would
            // become the same study.
            if scalar == "\u{FFFD}" {
                return "it contains U+FFFD at position \(offset + 1), which stands for bytes that are not UTF-8 text"
            }
        }
        return nil
    }
}

/// A study name that cannot be stored faithfully (see `StudyName`).
public struct StudyNameError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The name as given.
    public let name: String
    /// What is wrong with it ("it is empty", "it contains the control character U+0000 at position 7").
    public let problem: String

    /// An error for `name` with `problem`.
    public init(name: String, problem: String) {
        self.name = name
        self.problem = problem
    }

    /// The name as it can be shown: control characters escaped, cut to 60 characters.
    public var displayedName: String {
        var shown = ""
        for (offset, scalar) in name.unicodeScalars.enumerated() {
            if offset == 60 { shown += "…"; break }
            shown += scalar.properties.generalCategory == .control ? scalar.escaped(asASCII: true) : String(scalar)
        }
        return shown
    }

    /// A sentence naming the study and the problem.
    public var description: String {
        "The study name \"\(displayedName)\" cannot be used: \(problem). A study name has 1 to \(StudyName.maximumLength) "
            + "characters of UTF-8 text and no control characters (no NUL, tab or newline); choose another name."
    }
}
