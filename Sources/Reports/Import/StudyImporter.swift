import Foundation
import JSONValues
import StudyStore
import Tuning

/// Restores a study from a `JSONStudyExport` document into a storage: the study, every trial with its
/// state, score, times, error, worker deaths and Hyperband assignment, the per-step metrics and the
/// oracle state, in one transaction (all or nothing). Checkpoint files are not part of an export.
///
/// ```swift
/// let store = try SQLiteStudyStorage(path: "restored.sqlite")
/// let result = try StudyImporter(store: store).importStudy(from: Data(contentsOf: url), replacing: false)
/// ```
public struct StudyImporter {
    /// What an import wrote.
    public struct Result: Sendable, Equatable {
        /// The study as created.
        public var study: StoredStudy
        /// The number of trials written.
        public var trialCount: Int
        /// The number of metric values written.
        public var metricValueCount: Int
        /// Checkpoint files of the replaced study that the caller may now delete (empty unless replacing).
        public var replacedCheckpointPaths: [String]
    }

    /// The storage written to.
    public let store: any StudyStorage

    /// An importer writing into `store`.
    public init(store: any StudyStorage) {
        self.store = store
    }

    /// Parses and checks an export document without writing anything; returns the study name.
    ///
    /// - Throws: like `importStudy` for the document's problems.
    public func validate(_ data: Data) throws(ReportError) -> String {
        try decode(data).document.study.name
    }

    /// The checked document and its decoded search space.
    private func decode(_ data: Data) throws(ReportError) -> (document: StudyDocument, space: SearchSpace) {
        struct Header: Decodable {
            var format: String?
            var formatVersion: Int?
            enum CodingKeys: String, CodingKey {
                case format
                case formatVersion = "format_version"
            }
        }
        let header: Header
        do {
            header = try JSONCoding.decoder.decode(Header.self, from: data)
        } catch {
            throw .invalidDocument(detail: "not a JSON object: \(JSONCoding.describe(error))")
        }
        guard header.format == StudyDocument.formatName else {
            throw .invalidDocument(detail: "\"format\" is \(header.format.map { "\"\($0)\"" } ?? "missing"), expected \"\(StudyDocument.formatName)\"")
        }
        guard let version = header.formatVersion else { throw .invalidDocument(detail: "\"format_version\" is missing") }
        guard version <= StudyDocument.currentVersion, version >= 1 else {
            throw .unsupportedFormatVersion(found: version, supported: StudyDocument.currentVersion)
        }
        let document: StudyDocument
        do {
            document = try JSONCoding.decoder.decode(StudyDocument.self, from: data)
        } catch {
            throw .invalidDocument(detail: JSONCoding.describe(error))
        }
        guard !document.study.name.isEmpty else { throw .invalidDocument(detail: "study.name is empty") }
        let space = try document.searchSpace()
        let objectiveCount = 1 + (document.study.additionalObjectives?.count ?? 0)
        let declaredConstraints = document.study.constraints?.count ?? 0
        var seen = Set<Int>()
        for trial in document.trials {
            if let values = trial.values, values.count != objectiveCount {
                throw .invalidTrial(number: trial.number,
                                    detail: "\"values\" has \(values.count) numbers; the study has \(objectiveCount) objective\(objectiveCount == 1 ? "" : "s")")
            }
            if let constraints = trial.constraintValues, declaredConstraints > 0, constraints.count != declaredConstraints {
                throw .invalidTrial(number: trial.number,
                                    detail: "\"constraint_values\" has \(constraints.count) numbers; the study declares \(declaredConstraints) constraints")
            }
            if trial.values == nil, trial.constraintValues != nil {
                throw .invalidTrial(number: trial.number, detail: "\"constraint_values\" needs the trial's \"values\"")
            }
            guard seen.insert(trial.number).inserted else {
                throw .invalidTrial(number: trial.number, detail: "the number appears more than once")
            }
            if trial.state == .running && trial.worker == nil {
                throw .invalidTrial(number: trial.number, detail: "a RUNNING trial needs its \"worker\"")
            }
            for (name, points) in trial.metrics {
                for point in points where point.count != 2 || point[0] < 0 || Int(exactly: point[0]) == nil {
                    throw .invalidTrial(number: trial.number,
                                        detail: "metric \"\(name)\" has \(point), expected [step, value] with a whole step >= 0")
                }
            }
        }
        return (document, space)
    }

    /// Imports the study in `data` (a `JSONStudyExport` document).
    ///
    /// - Parameter replacing: When a study of that name exists, delete it (with its trials, metrics and
    ///   oracle state) and import in its place; when false, refuse.
    /// - Throws: `ReportError.invalidDocument` (not JSON, wrong `format`, a missing or mistyped key,
    ///   with its path; a `study.search_space` that is not a search space), `.unsupportedFormatVersion`, `.invalidTrial` (duplicate number, bad metric
    ///   point, RUNNING without worker; a study name breaking `StudyName`'s rule), `.studyExists` when
    ///   the name is taken and `replacing` is false,
    ///   `.store` when the database refuses (nothing is written then).
    @discardableResult
    public func importStudy(from data: Data, replacing: Bool) throws(ReportError) -> Result {
        let (document, space) = try decode(data)
        do {
            try StudyName.validate(document.study.name)
        } catch {
            throw .invalidDocument(detail: "study.name: \(error.description)")
        }
        let location = store.location
        do {
            return try store.write { store in
                var replaced: [String] = []
                if try store.study(named: document.study.name) != nil {
                    guard replacing else { throw ReportError.studyExists(name: document.study.name, path: location) }
                    replaced = try store.deleteStudy(named: document.study.name)
                }
                let definition = document.study
                let study = try store.createStudy(NewStudy(
                    name: definition.name,
                    objective: Objective(definition.objective.name, direction: definition.objective.direction.objectiveDirection),
                    additionalObjectives: (definition.additionalObjectives ?? []).map {
                        Objective($0.name, direction: $0.direction.objectiveDirection)
                    },
                    constraints: definition.constraints ?? [],
                    oracleKind: definition.oracle.kind, oracleConfiguration: definition.oracle.config, searchSpace: space),
                    now: definition.createdAt)
                var values = 0
                for trial in document.trials {
                    let record = try store.insertImportedTrial(study: study.id, ImportedTrial(
                        number: trial.number, state: trial.state, hyperparameters: trial.hyperparameters, score: trial.score,
                        values: trial.values.map { TrialValues(objectives: $0, constraints: trial.constraintValues ?? []) },
                        error: trial.error, worker: trial.worker, hyperband: trial.hyperband, retries: trial.retries,
                        workerDeaths: trial.workerDeaths ?? 0, createdAt: trial.createdAt, startedAt: trial.startedAt,
                        endedAt: trial.endedAt))
                    var byStep: [Int: [String: Double]] = [:]
                    for (name, points) in trial.metrics {
                        for point in points {
                            // Validated above: a whole number within Int's range.
                            guard let step = Int(exactly: point[0]) else { continue }
                            byStep[step, default: [:]][name] = point[1]
                        }
                    }
                    let recorded = trial.endedAt ?? trial.startedAt ?? trial.createdAt
                    for step in byStep.keys.sorted() {
                        let stepValues = byStep[step] ?? [:]
                        try store.recordMetrics(trial: record.id, step: step, values: stepValues, now: recorded)
                        values += stepValues.count
                    }
                }
                if let state = document.oracleState, state != .null {
                    try store.saveOracleState(study: study.id, try JSONCoding.compactEncoder.encode(state),
                                              now: definition.createdAt)
                }
                return Result(study: study, trialCount: document.trials.count, metricValueCount: values,
                              replacedCheckpointPaths: replaced)
            }
        } catch let error as ReportError {
            throw error
        } catch {
            throw .store("Importing study \"\(document.study.name)\" into \(location) failed, nothing was written: "
                         + ReportError(error, location: location).description)
        }
    }
}
