import Foundation
import JSONValues
import StudyStore
import Tuning

/// The JSON export format (`format: "tuner-study"`, `format_version: 1`), documented field by field
/// in docs/reports.md. Keys are snake_case and sorted; absent optional values are left out;
/// non-finite numbers are the strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
struct StudyDocument: Codable, Equatable {
    static let formatName = "tuner-study"
    static let currentVersion = 1

    struct Objective: Codable, Equatable {
        var name: String
        var direction: Direction
    }

    /// `"min"` or `"max"`: the format's own spelling, whatever `Objective.Direction` calls its cases.
    enum Direction: String, Codable, Equatable {
        case min, max

        init(_ direction: Tuning.Objective.Direction) {
            self = direction == .maximize ? .max : .min
        }

        var objectiveDirection: Tuning.Objective.Direction { self == .max ? .maximize : .minimize }
    }

    struct Oracle: Codable, Equatable {
        var kind: String
        var config: JSONValue
    }

    struct Study: Codable, Equatable {
        var name: String
        var objective: Objective
        /// The objectives after the first, for a study with several; absent for one.
        var additionalObjectives: [Objective]?
        /// The declared metric constraints (`{"metric": ..., "max" | "min": ...}`); absent when none.
        var constraints: [MetricConstraint]?
        var oracle: Oracle
        /// `{"parameters": [...]}` (`SearchSpace`'s encoding), or `{}` for an empty space.
        var searchSpace: JSONValue
        var createdAt: Double

        enum CodingKeys: String, CodingKey {
            case name, objective, oracle, constraints
            case additionalObjectives = "additional_objectives"
            case searchSpace = "search_space"
            case createdAt = "created_at"
        }
    }

    struct Trial: Codable, Equatable {
        var number: Int
        var state: TrialState
        var hyperparameters: [String: HyperParameterValue]
        var score: Double?
        /// Every objective's value, for a study with several or with constraints; absent otherwise.
        var values: [Double]?
        /// The constraint values (≤ 0 is satisfied); absent when none.
        var constraintValues: [Double]?
        var error: String?
        var worker: String?
        var retries: Int
        /// Absent when 0 (and in documents written before it existed).
        var workerDeaths: Int?
        var createdAt: Double
        var startedAt: Double?
        var endedAt: Double?
        var durationSeconds: Double?
        var hyperband: HyperbandAssignment?
        /// Metric name → `[[step, value], ...]` in step order.
        var metrics: [String: [[Double]]]

        enum CodingKeys: String, CodingKey {
            case number, state, hyperparameters, score, values, error, worker, retries, hyperband, metrics
            case createdAt = "created_at"
            case startedAt = "started_at"
            case endedAt = "ended_at"
            case durationSeconds = "duration_s"
            case workerDeaths = "worker_deaths"
            case constraintValues = "constraint_values"
        }
    }

    var format: String
    var formatVersion: Int
    var study: Study
    var trials: [Trial]
    var oracleState: JSONValue?

    enum CodingKeys: String, CodingKey {
        case format, study, trials
        case formatVersion = "format_version"
        case oracleState = "oracle_state"
    }

    /// The document of a report's study.
    ///
    /// - Throws: `EncodingError` if the search space cannot be encoded (not expected).
    init(report: StudyReport) throws {
        let stored = report.study
        format = Self.formatName
        formatVersion = Self.currentVersion
        let moreObjectives = stored.definition.additionalObjectives.map {
            Objective(name: $0.name, direction: Direction($0.direction))
        }
        study = Study(name: stored.name, objective: Objective(name: stored.objective.name,
                                                               direction: Direction(stored.objective.direction)),
                      additionalObjectives: moreObjectives.isEmpty ? nil : moreObjectives,
                      constraints: stored.constraints.isEmpty ? nil : stored.constraints,
                      oracle: Oracle(kind: stored.oracleKind, config: stored.oracleConfiguration),
                      searchSpace: stored.searchSpace.isEmpty ? .object([:]) : try JSONValue(encoding: stored.searchSpace),
                      createdAt: stored.createdAt)
        trials = report.trials.map { trial in
            Trial(number: trial.number, state: trial.state, hyperparameters: trial.hyperparameters, score: trial.score,
                  values: trial.values?.objectives,
                  constraintValues: trial.values.flatMap { $0.constraints.isEmpty ? nil : $0.constraints },
                  error: trial.error, worker: trial.worker, retries: trial.retries,
                  workerDeaths: trial.workerDeaths == 0 ? nil : trial.workerDeaths, createdAt: trial.createdAt,
                  startedAt: trial.startedAt, endedAt: trial.endedAt, durationSeconds: trial.duration,
                  hyperband: trial.hyperband,
                  metrics: trial.metrics.curves.mapValues { $0.map { [Double($0.step), $0.value] } })
        }
        oracleState = report.oracleStateJSON
    }

    /// The study's search space: `{}` is an empty space, anything else must decode as a `SearchSpace`.
    ///
    /// - Throws: `ReportError.invalidDocument` naming `study.search_space` and what is wrong.
    func searchSpace() throws(ReportError) -> SearchSpace {
        if study.searchSpace == .object([:]) { return SearchSpace() }
        do {
            return try study.searchSpace.decode(SearchSpace.self)
        } catch {
            throw .invalidDocument(detail: "study.search_space is not a search space: \(JSONCoding.describe(error))")
        }
    }
}
