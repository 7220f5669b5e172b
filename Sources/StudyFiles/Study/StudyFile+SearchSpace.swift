import Foundation
import Tuning

extension StudyFile {
    /// Reads a search-space file for `tuner create`: a mapping with one key, `hyperparameters`, written
    /// as in study files (types, ranges, sampling, defaults, `when` conditions).
    ///
    /// - Throws: `StudyFileError` with every problem found, each with file, line and key.
    public static func loadSearchSpace(path: String) throws(StudyFileError) -> SearchSpace {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read as UTF-8 text" : "does not exist"
            throw StudyFileError(StudyFileIssue(file: path, line: 0, column: 0, keyPath: "", message: "the search-space file \(reason)"))
        }
        return try parseSearchSpace(yaml: text, fileName: path)
    }

    /// Parses a search-space file held in memory (see `loadSearchSpace(path:)`).
    ///
    /// - Throws: `StudyFileError` with every problem found.
    public static func parseSearchSpace(yaml: String, fileName: String) throws(StudyFileError) -> SearchSpace {
        let root: YAMLValue
        do {
            root = try YAMLValue.parse(yaml: yaml, fileName: fileName)
        } catch {
            throw StudyFileError(error)
        }
        let parser = StudyFileParser(fileName: fileName, directory: FileManager.default.currentDirectoryPath)
        var specs: [HyperParameterSpec] = []
        if let top = parser.reader.mapping(root, at: "", allowed: ["hyperparameters"], required: ["hyperparameters"],
                                           what: "a search-space file (a mapping with `hyperparameters`)"),
           let section = top["hyperparameters"] {
            specs = parser.parseHyperParameters(section)
        }
        guard parser.reader.issues.isEmpty else { throw StudyFileError(issues: parser.reader.issues) }
        var space = SearchSpace()
        for spec in specs { try? space.add(spec) }
        return space
    }
}
