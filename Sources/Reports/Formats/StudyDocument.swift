import Foundation
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
        var direction: ObjectiveDirection
    }

    struct Oracle: Codable, Equatable {
        var kind: String
        var config: JSONValue
    }

    struct Study: Codable, Equatable {
        var name: String
        var objective: Objective
        var oracle: Oracle
        var searchSpace: JSONValue
        var createdAt: Double

        enum CodingKeys: String, CodingKey {
            case name, objective, oracle
            case searchSpace = "search_space"
            case createdAt = "created_at"
        }
    }

    struct Trial: Codable, Equatable {
        var number: Int
        var state: TrialState
        var hyperparameters: [String: HyperParameterValue]
        var score: Double?
        var error: String?
        var worker: String?
        var retries: Int
        var createdAt: Double
        var startedAt: Double?
        var endedAt: Double?
        var durationSeconds: Double?
        var hyperband: HyperbandAssignment?
        /// Metric name → `[[step, value], ...]` in step order.
        var metrics: [String: [[Double]]]

        enum CodingKeys: String, CodingKey {
            case number, state, hyperparameters, score, error, worker, retries, hyperband, metrics
            case createdAt = "created_at"
            case startedAt = "started_at"
            case endedAt = "ended_at"
            case durationSeconds = "duration_s"
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

    init(report: StudyReport) {
        format = Self.formatName
        formatVersion = Self.currentVersion
        study = Study(name: report.name, objective: Objective(name: report.objectiveName, direction: report.direction),
                      oracle: Oracle(kind: report.oracleKind, config: report.oracleConfig),
                      searchSpace: report.searchSpaceJSON, createdAt: report.createdAt)
        trials = report.trials.map { trial in
            Trial(number: trial.number, state: trial.state, hyperparameters: trial.hyperparameters, score: trial.score,
                  error: trial.error, worker: trial.worker, retries: trial.retries, createdAt: trial.createdAt,
                  startedAt: trial.startedAt, endedAt: trial.endedAt, durationSeconds: trial.duration,
                  hyperband: trial.hyperband,
                  metrics: trial.metrics.mapValues { $0.map { [Double($0.step), $0.value] } })
        }
        oracleState = report.oracleState
    }
}
