import Yams

/// A YAML value with its position in the file: the tree a study file is validated from.
///
/// Plain scalars are typed as YAML 1.2's core schema does (`1e-4` is a number, `true` a boolean,
/// `null` and `~` null); quoted scalars are always strings.
struct YAMLValue: Sendable {
    /// The value's content.
    enum Kind: Sendable {
        case null
        case bool(Bool)
        case int(Int)
        case double(Double)
        case string(String)
        case sequence([YAMLValue])
        case mapping([Entry])
    }

    /// A mapping entry: the key (with its own position) and the value.
    struct Entry: Sendable {
        var key: String
        var keyLine: Int
        var keyColumn: Int
        var value: YAMLValue
    }

    var kind: Kind
    /// 1-based line (0 when unknown).
    var line: Int
    /// 1-based column (0 when unknown).
    var column: Int

    /// What the value is, for "expected X, found Y" messages: `the string "abc"`, `a mapping`.
    var summary: String {
        switch kind {
        case .null: return "null"
        case .bool(let value): return "the boolean \(value)"
        case .int(let value): return "the integer \(value)"
        case .double(let value): return "the number \(value)"
        case .string(let value): return "the string \"\(value)\""
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    var string: String? { if case .string(let value) = kind { value } else { nil } }
    var entries: [Entry]? { if case .mapping(let value) = kind { value } else { nil } }
    var elements: [YAMLValue]? { if case .sequence(let value) = kind { value } else { nil } }
    var isNull: Bool { if case .null = kind { true } else { false } }

    /// The number as a `Double` (integers included).
    var number: Double? {
        switch kind {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    /// The value of `key` in a mapping.
    subscript(key: String) -> YAMLValue? {
        entries?.first { $0.key == key }?.value
    }
}

extension YAMLValue {
    /// Parses `yaml` into a value tree.
    ///
    /// - Throws: `StudyFileIssue` for YAML syntax errors (with the line and column libyaml reports),
    ///   aliases that expand too far or nesting too deep (`YAMLExpansionLimit`), duplicate keys,
    ///   non-scalar keys and an empty document.
    static func parse(yaml: String, fileName: String) throws(StudyFileIssue) -> YAMLValue {
        // Before Yams composes: walking a composed alias bomb is what takes the time and memory.
        try YAMLExpansionLimit().check(yaml: yaml, fileName: fileName)
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw issue(for: error, fileName: fileName)
        } catch {
            throw StudyFileIssue(file: fileName, line: 0, column: 0, keyPath: "", message: "cannot read the YAML: \(error)")
        }
        guard let root else {
            throw StudyFileIssue(file: fileName, line: 1, column: 1, keyPath: "", message: "the file is empty; a study file needs at least name, objective, oracle and hyperparameters")
        }
        return try convert(root, fileName: fileName)
    }

    private static func issue(for error: YamlError, fileName: String) -> StudyFileIssue {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
            let .composer(context, problem, mark, _):
            // libyaml's own wording names a C function; say what the limit is instead.
            if problem.hasPrefix("Maximum nesting level reached") {
                return StudyFileIssue(
                    file: fileName, line: mark.line, column: mark.column, keyPath: "",
                    message: "lists and mappings nest more than 1,000 levels deep; a study file needs far fewer — flatten the structure")
            }
            var message = "YAML syntax error: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line))" }
            return StudyFileIssue(file: fileName, line: mark.line, column: mark.column, keyPath: "", message: message)
        case let .duplicatedKeysInMapping(duplicates, context):
            return StudyFileIssue(
                file: fileName, line: context.mark.line, column: context.mark.column, keyPath: "",
                message: "duplicate keys \(duplicates.map { "\"\($0)\"" }.joined(separator: ", ")) in one mapping; give each key once")
        default:
            return StudyFileIssue(file: fileName, line: 0, column: 0, keyPath: "", message: "YAML error: \(error)")
        }
    }

    private static func convert(_ node: Node, fileName: String) throws(StudyFileIssue) -> YAMLValue {
        let line = node.mark?.line ?? 0
        let column = node.mark?.column ?? 0
        switch node {
        case .scalar(let scalar):
            return YAMLValue(kind: scalarKind(scalar), line: line, column: column)
        case .sequence(let sequence):
            var elements: [YAMLValue] = []
            for element in sequence { elements.append(try convert(element, fileName: fileName)) }
            return YAMLValue(kind: .sequence(elements), line: line, column: column)
        case .mapping(let mapping):
            var entries: [Entry] = []
            var keys = Set<String>()
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw StudyFileIssue(
                        file: fileName, line: key.mark?.line ?? line, column: key.mark?.column ?? column, keyPath: "",
                        message: "mapping keys must be plain names, not lists or mappings")
                }
                if !keys.insert(keyScalar.string).inserted {
                    throw StudyFileIssue(
                        file: fileName, line: key.mark?.line ?? line, column: key.mark?.column ?? column, keyPath: "",
                        message: "duplicate key \"\(keyScalar.string)\"; give each key once")
                }
                entries.append(Entry(
                    key: keyScalar.string, keyLine: key.mark?.line ?? line, keyColumn: key.mark?.column ?? column,
                    value: try convert(value, fileName: fileName)))
            }
            return YAMLValue(kind: .mapping(entries), line: line, column: column)
        case .alias:
            throw StudyFileIssue(
                file: fileName, line: line, column: column, keyPath: "",
                message: "YAML aliases (*name) are not supported in study files; repeat the value")
        }
    }

    private static func scalarKind(_ scalar: Node.Scalar) -> Kind {
        let text = scalar.string
        guard scalar.style == .plain else { return .string(text) }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        let digits = text
        if let value = Int(digits) { return .int(value) }
        if text.first.map({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }) == true,
           let value = Double(digits), value.isFinite {
            return .double(value)
        }
        return .string(text)
    }
}
