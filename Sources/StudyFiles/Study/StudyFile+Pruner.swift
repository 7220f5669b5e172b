import Tuning

extension StudyFile {
    /// Parses a pruner given outside a study file — `tuner create --pruner` — with the rules and
    /// messages of a study file's `pruner:` section: a mapping (`{type: asha, min_epochs: 1, factor: 3}`)
    /// or a bare type name (`asha`) for that type's defaults.
    ///
    /// - Parameter source: What the text is called in messages (`--pruner`).
    /// - Throws: `StudyFileError` with every problem found, each with its position in `yaml`.
    public static func parsePruner(yaml: String, source: String) throws(StudyFileError) -> PrunerSettings {
        let root: YAMLValue
        do {
            root = try YAMLValue.parse(yaml: yaml, fileName: source)
        } catch {
            throw StudyFileError(error)
        }
        let parser = StudyFileParser(fileName: source, directory: "")
        // A bare name reads as `{type: name}`, so its errors are the section's own ("did you mean").
        let section = root.string == nil ? root : YAMLValue(
            kind: .mapping([YAMLValue.Entry(key: "type", keyLine: root.line, keyColumn: root.column, value: root)]),
            line: root.line, column: root.column)
        let pruner = parser.parsePruner(section)
        guard parser.reader.issues.isEmpty, let pruner else { throw StudyFileError(issues: parser.reader.issues) }
        return pruner
    }
}
