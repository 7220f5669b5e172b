import Foundation
import StudyStore
import Tuning

/// Restores a study from a `JSONStudyExport` document into a store: the study, every trial with its
/// state, score, times, error and Hyperband assignment, the per-step metrics and the oracle state, in
/// one transaction (all or nothing). Checkpoint files are not part of an export.
///
/// ```swift
/// let store = try StudyStore(path: "restored.sqlite")
/// let result = try StudyImporter(store: store).importStudy(from: Data(contentsOf: url), replacing: false)
/// ```
public struct StudyImporter {
    /// What an import wrote.
    public struct Result: Sendable, Equatable {
        /// The study as created.
        public var study: StudyRecord
        /// The number of trials written.
        public var trialCount: Int
        /// The number of metric values written.
        public var metricValueCount: Int
        /// Checkpoint files of the replaced study that the caller may now delete (empty unless replacing).
        public var replacedCheckpointPaths: [String]
    }

    /// The store written to.
    public let store: StudyStore

    /// An importer writing into `store`.
    public init(store: StudyStore) {
        self.store = store
    }

    /// Parses and checks an export document without writing anything; returns the study name.
    ///
    /// - Throws: like `importStudy` for the document's problems.
    public func validate(_ data: Data) throws(ReportError) -> String {
        try decode(data).study.name
    }

    private func decode(_ data: Data) throws(ReportError) -> StudyDocument {
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
        var seen = Set<Int>()
        for trial in document.trials {
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
        return document
    }

    /// Imports the study in `data` (a `JSONStudyExport` document).
    ///
    /// - Parameter replacing: When a study of that name exists, delete it (with its trials, metrics and
    ///   oracle state) and import in its place; when false, refuse.
    /// - Throws: `ReportError.invalidDocument` (not JSON, wrong `format`, a missing or mistyped key,
    ///   with its path), `.unsupportedFormatVersion`, `.invalidTrial` (duplicate number, bad metric
    ///   point, RUNNING without worker; a study name breaking `StudyName`'s rule), `.studyExists` when
    ///   the name is taken and `replacing` is false,
    ///   `.store` when the database refuses (nothing is written then).
    @discardableResult
    public func importStudy(from data: Data, replacing: Bool) throws(ReportError) -> Result {
        let document = try decode(data)
        do {
            try StudyName.validate(document.study.name)
        } catch {
            throw .invalidDocument(detail: "study.name: \(error.description)")
        }
        let encoder = JSONCoding.compactEncoder
        do {
            return try store.write { store in
                var replaced: [String] = []
                if try store.study(named: document.study.name) != nil {
                    guard replacing else { throw ReportError.studyExists(name: document.study.name, path: store.path) }
                    replaced = try store.deleteStudy(named: document.study.name)
                }
                let study = try store.createStudy(NewStudy(
                    name: document.study.name, objectiveName: document.study.objective.name,
                    direction: document.study.objective.direction, oracleKind: document.study.oracle.kind,
                    oracleConfig: document.study.oracle.config.jsonText, searchSpace: document.study.searchSpace.jsonText),
                    now: document.study.createdAt)
                var values = 0
                for trial in document.trials {
                    let hyperparameters = String(decoding: try encoder.encode(trial.hyperparameters), as: UTF8.self)
                    let hyperband = try trial.hyperband.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
                    let record = try store.insertImportedTrial(study: study.id, ImportedTrial(
                        number: trial.number, state: trial.state, hyperparameters: hyperparameters, score: trial.score,
                        error: trial.error, worker: trial.worker, hyperband: hyperband, retries: trial.retries,
                        createdAt: trial.createdAt, startedAt: trial.startedAt, endedAt: trial.endedAt))
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
                    try store.saveOracleState(study: study.id, json: state.jsonText, now: document.study.createdAt)
                }
                return Result(study: study, trialCount: document.trials.count, metricValueCount: values,
                              replacedCheckpointPaths: replaced)
            }
        } catch let error as ReportError {
            throw error
        } catch {
            throw .store("Importing study \"\(document.study.name)\" into \(store.path) failed, nothing was written: \(error)")
        }
    }
}
