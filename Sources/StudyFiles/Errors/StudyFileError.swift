/// One problem found in a study file: where it is (file, line, column, key path), what is wrong,
/// and, when a near name exists, what was probably meant.
public struct StudyFileIssue: Error, Hashable, Sendable, CustomStringConvertible {
    /// The study file's path as given to `load` or `parse`.
    public var file: String
    /// The 1-based line of the offending value or key (0 when unknown).
    public var line: Int
    /// The 1-based column of the offending value or key (0 when unknown).
    public var column: Int
    /// Where in the file: `model[2].dense.units`, `hyperparameters.learning_rate.min` (empty for the whole file).
    public var keyPath: String
    /// What is wrong, in a sentence without the location.
    public var message: String
    /// The name probably meant, for unknown keys and names within edit distance 2 (`learning_rate`).
    public var suggestion: String?

    /// An issue at `line`:`column` of `file`.
    public init(file: String, line: Int, column: Int, keyPath: String, message: String, suggestion: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
        self.suggestion = suggestion
    }

    /// `Studies/x.yaml:14:5: model[2].dense.units: unknown hyperparameter "n_neuron" (did you mean "n_neurons"?)`.
    public var description: String {
        var text = file
        if line > 0 { text += ":\(line):\(column)" }
        text += ": "
        if !keyPath.isEmpty { text += keyPath + ": " }
        text += message
        if let suggestion { text += " (did you mean \"\(suggestion)\"?)" }
        return text
    }
}

/// Why a study file was refused: every problem validation found, in file order, each with its file,
/// line, column and key path. The first issue's fields are also available directly.
public struct StudyFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// All problems found (at least one).
    public var issues: [StudyFileIssue]

    /// An error holding `issues` (sorted by line, then column; must not be empty).
    public init(issues: [StudyFileIssue]) {
        self.issues = issues.enumerated().sorted { a, b in
            (a.element.line, a.element.column, a.offset) < (b.element.line, b.element.column, b.offset)
        }.map(\.element)
    }

    /// An error with one issue.
    public init(_ issue: StudyFileIssue) {
        self.issues = [issue]
    }

    private var first: StudyFileIssue {
        issues.first ?? StudyFileIssue(file: "", line: 0, column: 0, keyPath: "", message: "invalid study file")
    }

    /// The file of the first issue.
    public var file: String { first.file }
    /// The line of the first issue (1-based; 0 when unknown).
    public var line: Int { first.line }
    /// The column of the first issue (1-based; 0 when unknown).
    public var column: Int { first.column }
    /// The key path of the first issue.
    public var keyPath: String { first.keyPath }
    /// The message of the first issue.
    public var message: String { first.message }
    /// The suggestion of the first issue, if any.
    public var suggestion: String? { first.suggestion }

    /// One line per issue, as `file:line:column: key.path: message (did you mean "x"?)`.
    public var description: String {
        issues.map(\.description).joined(separator: "\n")
    }
}
