import Foundation
import Neural
import Tuning

/// A whole study file, read and validated: what to optimize, how to search, the hyperparameters, and
/// either a model study (data, model template, compile, fit) or a command study (a program to run).
///
/// ```swift
/// let study = try StudyFile.load(path: "Studies/fashion-mnist-random.yaml")
/// let space = study.searchSpace()
/// ```
/// Every value was checked when the file was read (types, ranges, unknown keys, references to
/// hyperparameters, layer names and arguments, data files), so building and running do not fail on
/// the file's account.
public struct StudyFile: Sendable {
    /// The path the file was read from (or the name given to `parse`), used in messages.
    public let path: String
    /// The folder relative paths in the file are resolved against (the file's own folder).
    public let directory: String
    /// The study's name.
    public let name: String
    /// The metric to optimize and its direction (the first of `objectives:`).
    public let objective: Objective
    /// The objectives after the first (`objectives:` with several); empty for one.
    public let additionalObjectives: [Objective]
    /// The `constraints:` a trial must respect to be feasible; empty when none.
    public let constraints: [MetricConstraint]
    /// The search algorithm and its settings.
    public let oracle: OracleSection
    /// The pruner that stops unpromising trials early, if any.
    public let pruner: PrunerSettings?
    /// The `tensorboard:` key: a TensorBoard log folder (resolved against ``directory``) the search writes
    /// each trial into as a run with the HParams plugin's metadata; nil when the file has none.
    public let tensorBoard: String?
    /// The hyperparameters, in file order, each with the conditions of its `when`.
    public let hyperparameters: [HyperParameterSpec]
    /// What a trial runs.
    public let workload: Workload

    /// What a trial of the study runs.
    public enum Workload: Sendable {
        /// Train a model built from a template on a data set.
        case model(ModelStudy)
        /// Run a program and read its metrics from its output.
        case command(CommandStudy)
    }

    /// Every objective, the first one first.
    public var objectives: [Objective] { [objective] + additionalObjectives }

    /// The model study, if this is one.
    public var modelStudy: ModelStudy? {
        if case .model(let study) = workload { study } else { nil }
    }

    /// The command study, if this is one.
    public var commandStudy: CommandStudy? {
        if case .command(let study) = workload { study } else { nil }
    }

    /// Reads and validates the study file at `path`.
    ///
    /// - Throws: `StudyFileError` with every problem found (each with file, line, column and key
    ///   path), or with one issue when the file cannot be read.
    public static func load(path: String) throws(StudyFileError) -> StudyFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read as UTF-8 text" : "does not exist"
            throw StudyFileError(StudyFileIssue(file: path, line: 0, column: 0, keyPath: "", message: "the study file \(reason)"))
        }
        let directory = (path as NSString).deletingLastPathComponent
        return try parse(yaml: text, fileName: path, directory: directory.isEmpty ? "." : directory)
    }

    /// Parses and validates a study file held in memory.
    ///
    /// - Parameters:
    ///   - fileName: The name used in error messages.
    ///   - directory: The folder relative data paths and the command's `workdir` are resolved
    ///     against; the current directory when `nil`.
    /// - Throws: `StudyFileError` with every problem found.
    public static func parse(yaml: String, fileName: String, directory: String? = nil) throws(StudyFileError) -> StudyFile {
        let root: YAMLValue
        do {
            root = try YAMLValue.parse(yaml: yaml, fileName: fileName)
        } catch {
            throw StudyFileError(error)
        }
        let parser = StudyFileParser(fileName: fileName, directory: directory ?? FileManager.default.currentDirectoryPath)
        guard let study = parser.parseStudy(root), parser.reader.issues.isEmpty else {
            throw StudyFileError(issues: parser.reader.issues.isEmpty
                ? [StudyFileIssue(file: fileName, line: 0, column: 0, keyPath: "", message: "invalid study file")]
                : parser.reader.issues)
        }
        return study
    }

    /// The search space the file declares (every hyperparameter, conditions included).
    public func searchSpace() -> SearchSpace {
        var space = SearchSpace()
        // Validated while parsing: every spec is valid and its parents come first.
        for spec in hyperparameters { try? space.add(spec) }
        return space
    }

    /// Declares every hyperparameter on `hp` in file order (define-by-run), opening a conditional
    /// scope for each condition of a `when`; on a trial's `hp` this returns the trial's values.
    ///
    /// - Throws: `HyperParameterError` when `hp` already holds a different definition of a name.
    public func defineHyperParameters(in hp: HyperParameters) throws {
        for spec in hyperparameters {
            try Self.declare(spec, conditions: spec.conditions[...], in: hp)
        }
    }

    private static func declare(_ spec: HyperParameterSpec, conditions: ArraySlice<Condition>, in hp: HyperParameters) throws {
        if let condition = conditions.first {
            try hp.conditionalScope(parent: condition.parent, values: condition.values) {
                try declare(spec, conditions: conditions.dropFirst(), in: hp)
            }
            return
        }
        switch spec.kind {
        case .int(let domain):
            try hp.int(spec.name, min: domain.min, max: domain.max, step: domain.step, sampling: domain.sampling, default: domain.defaultValue)
        case .float(let domain):
            try hp.float(spec.name, min: domain.min, max: domain.max, step: domain.step, sampling: domain.sampling, default: domain.defaultValue)
        case .choice(let domain):
            try hp.choice(spec.name, values: domain.values, ordered: domain.ordered, default: domain.defaultValue)
        case .boolean(let defaultValue):
            try hp.boolean(spec.name, default: defaultValue)
        case .fixed(let value):
            try hp.fixed(spec.name, value: value)
        }
    }

    /// Resolves a path from the file against its folder (absolute paths are kept).
    public func resolvedPath(_ path: String) -> String {
        StudyFileParser.resolve(path, against: directory)
    }
}
