/// Reads typed values out of a `YAMLValue` tree, collecting every problem (with its position and
/// key path) instead of stopping at the first, so a user sees all errors of a file at once.
final class StudyFileReader {
    let fileName: String
    private(set) var issues: [StudyFileIssue] = []

    init(fileName: String) {
        self.fileName = fileName
    }

    /// Records a problem at `value`'s position.
    func fail(_ value: YAMLValue?, _ path: String, _ message: String, suggestion: String? = nil) {
        issues.append(StudyFileIssue(
            file: fileName, line: value?.line ?? 0, column: value?.column ?? 0, keyPath: path, message: message,
            suggestion: suggestion))
    }

    /// Records a problem at a position.
    func fail(line: Int, column: Int, _ path: String, _ message: String, suggestion: String? = nil) {
        issues.append(StudyFileIssue(
            file: fileName, line: line, column: column, keyPath: path, message: message, suggestion: suggestion))
    }

    /// `path.key`, or `key` at the top.
    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// `path[index]`.
    static func index(_ path: String, _ index: Int) -> String {
        "\(path)[\(index)]"
    }

    /// The entries of a mapping whose keys are all in `allowed` (unknown keys are reported with a
    /// suggestion) and which has every key of `required` (missing ones are reported at the mapping).
    /// Returns `nil` (after reporting) when `value` is not a mapping.
    @discardableResult
    func mapping(
        _ value: YAMLValue, at path: String, allowed: [String], required: [String] = [], what: String? = nil
    ) -> [String: YAMLValue]? {
        guard let entries = value.entries else {
            fail(value, path, "expected \(what ?? "a mapping") with keys \(allowed.joined(separator: ", ")), found \(value.summary)")
            return nil
        }
        var result: [String: YAMLValue] = [:]
        for entry in entries {
            guard allowed.contains(entry.key) else {
                fail(line: entry.keyLine, column: entry.keyColumn, Self.join(path, entry.key),
                     "unknown key \"\(entry.key)\"; expected one of \(allowed.joined(separator: ", "))",
                     suggestion: NameSuggestion.closest(to: entry.key, among: allowed))
                continue
            }
            result[entry.key] = entry.value
        }
        for key in required where result[key] == nil && !entries.contains(where: { $0.key == key }) {
            fail(value, Self.join(path, key), "missing required key \"\(key)\"")
        }
        return result
    }

    /// An integer, reported when it is something else or outside `range`.
    func int(_ value: YAMLValue?, at path: String, in range: ClosedRange<Int>? = nil) -> Int? {
        guard let value else { return nil }
        guard case .int(let number) = value.kind else {
            fail(value, path, "expected an integer, found \(value.summary)")
            return nil
        }
        if let range, !range.contains(number) {
            fail(value, path, "\(number) is out of range; expected \(describe(range))")
            return nil
        }
        return number
    }

    /// A number (integers accepted), reported when it is something else or not in `range`.
    func double(_ value: YAMLValue?, at path: String, minimum: Double? = nil, exclusiveMinimum: Bool = false) -> Double? {
        guard let value else { return nil }
        guard let number = value.number else {
            fail(value, path, "expected a number, found \(value.summary)")
            return nil
        }
        if let minimum, exclusiveMinimum ? number <= minimum : number < minimum {
            fail(value, path, "\(number) is out of range; expected a number \(exclusiveMinimum ? "above" : "at least") \(minimum)")
            return nil
        }
        return number
    }

    /// A string, reported when it is something else (or empty).
    func string(_ value: YAMLValue?, at path: String) -> String? {
        guard let value else { return nil }
        guard let text = value.string, !text.isEmpty else {
            fail(value, path, "expected a non-empty string, found \(value.summary)")
            return nil
        }
        return text
    }

    /// A boolean, reported when it is something else.
    func bool(_ value: YAMLValue?, at path: String) -> Bool? {
        guard let value else { return nil }
        guard case .bool(let flag) = value.kind else {
            fail(value, path, "expected true or false, found \(value.summary)")
            return nil
        }
        return flag
    }

    /// One of `options`, reported with a suggestion otherwise.
    func keyword(_ value: YAMLValue?, at path: String, options: [String]) -> String? {
        guard let value, let text = string(value, at: path) else { return nil }
        guard options.contains(text) else {
            fail(value, path, "\"\(text)\" is not one of \(options.joined(separator: ", "))",
                 suggestion: NameSuggestion.closest(to: text, among: options))
            return nil
        }
        return text
    }

    /// A list, reported when it is something else.
    func sequence(_ value: YAMLValue?, at path: String) -> [YAMLValue]? {
        guard let value else { return nil }
        guard let elements = value.elements else {
            fail(value, path, "expected a list, found \(value.summary)")
            return nil
        }
        return elements
    }

    private func describe(_ range: ClosedRange<Int>) -> String {
        if range.upperBound == Int.max { return "an integer of at least \(range.lowerBound)" }
        return "an integer in \(range.lowerBound)...\(range.upperBound)"
    }
}
