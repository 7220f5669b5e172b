import Foundation
import StudyStore
import Tuning

/// Everything a report shows about one study — its definition, every trial with its learning curves,
/// and the oracle's saved state — read from a store in one transaction so the parts agree.
///
/// ```swift
/// let store = try StudyStore(path: "tuning/study.sqlite")
/// let report = try StudyReport.load(from: store, study: "mnist")
/// let html = HTMLReport(report).render()
/// ```
public struct StudyReport: Sendable {
    /// The study name.
    public var name: String
    /// The objective metric, e.g. `val_accuracy`.
    public var objectiveName: String
    /// Whether the objective is minimized or maximized.
    public var direction: ObjectiveDirection
    /// `random`, `grid`, `hyperband`, `bayesian`, or another oracle's name.
    public var oracleKind: String
    /// The oracle's settings as stored (an open JSON object, shown key by key).
    public var oracleConfig: JSONValue
    /// The search space as stored (the `JSONEncoder` encoding of `SearchSpace`).
    public var searchSpaceJSON: JSONValue
    /// The decoded search space, or nil when the stored one is empty or is not a `SearchSpace`.
    public var searchSpace: SearchSpace?
    /// When the study was created (Unix seconds).
    public var createdAt: Double
    /// The trials by number.
    public var trials: [TrialReport]
    /// The oracle's exported state, when one was saved.
    public var oracleState: JSONValue?

    /// A report of a study given in parts (loading from a store is `load(from:study:)`).
    public init(
        name: String, objectiveName: String, direction: ObjectiveDirection, oracleKind: String,
        oracleConfig: JSONValue = .object([:]), searchSpaceJSON: JSONValue = .object([:]), createdAt: Double,
        trials: [TrialReport], oracleState: JSONValue? = nil
    ) {
        self.name = name
        self.objectiveName = objectiveName
        self.direction = direction
        self.oracleKind = oracleKind
        self.oracleConfig = oracleConfig
        self.searchSpaceJSON = searchSpaceJSON
        self.searchSpace = Self.decodeSpace(searchSpaceJSON)
        self.createdAt = createdAt
        self.trials = trials.sorted { $0.number < $1.number }
        self.oracleState = oracleState
    }

    static func decodeSpace(_ json: JSONValue) -> SearchSpace? {
        guard case .object(let object) = json, object["parameters"] != nil,
              let data = try? JSONCoding.compactEncoder.encode(json)
        else { return nil }
        return try? JSONCoding.decoder.decode(SearchSpace.self, from: data)
    }

    /// Reads the study `name` with its trials, metrics, checkpoint flags and oracle state from `store`
    /// in one read transaction.
    ///
    /// - Throws: `ReportError.studyNotFound` when there is no such study; `.invalidStoredJSON` naming
    ///   the field and trial when a JSON column is not what the store conventions describe
    ///   (hyperparameters as tagged values, Hyperband assignments); `.store` for database failures.
    public static func load(from store: StudyStore, study name: String) throws(ReportError) -> StudyReport {
        do {
            return try store.database.transaction(.deferred) { database in
                try read(database, store: store, name: name)
            }
        } catch let error as ReportError {
            throw error
        } catch {
            throw .store("\(error)")
        }
    }

    private static func read(_ database: Database, store: StudyStore, name: String) throws -> StudyReport {
        guard let record = try store.study(named: name) else {
            throw ReportError.studyNotFound(name: name, path: store.path)
        }
        let study = record.study
        func json(_ text: String, field: String, trial: Int? = nil) throws -> JSONValue {
            do {
                return try JSONValue.parse(text, what: field)
            } catch {
                throw ReportError.invalidStoredJSON(study: name, field: field, trial: trial, detail: "not JSON")
            }
        }
        let config = try json(study.oracleConfig, field: "oracle_config")
        let space = try json(study.searchSpace, field: "search_space")
        let trialRecords = try store.trials(study: record.id)

        // One query for every metric of the study, grouped by trial row id.
        var metricsByTrial: [Int64: [String: [MetricPoint]]] = [:]
        let statement = try database.prepare("""
            SELECT m.trial_id, m.name, m.step, m.value FROM trial_metrics m JOIN trials t ON t.id = m.trial_id
            WHERE t.study_id = ? ORDER BY m.trial_id, m.name, m.step
            """)
        try statement.bind(.positional([.integer(record.id)]))
        while try statement.step() {
            guard case .integer(let trialID) = statement.column(0), case .text(let metric) = statement.column(1),
                  case .integer(let step) = statement.column(2)
            else { continue }
            let value: Double
            switch statement.column(3) {
            case .real(let number): value = number
            case .integer(let number): value = Double(number)
            default: value = .nan
            }
            metricsByTrial[trialID, default: [:]][metric, default: []].append(MetricPoint(step: Int(step), value: value))
        }
        let checkpointed = Set(try database.query("""
            SELECT DISTINCT c.trial_id FROM checkpoints c JOIN trials t ON t.id = c.trial_id WHERE t.study_id = ?
            """, [record.id]).compactMap { $0.int64("trial_id") })

        let decoder = JSONCoding.decoder
        let trials = try trialRecords.map { trial -> TrialReport in
            let values: [String: HyperParameterValue]
            do {
                values = try decoder.decode([String: HyperParameterValue].self, from: Data(trial.hyperparameters.utf8))
            } catch {
                throw ReportError.invalidStoredJSON(
                    study: name, field: "hyperparameters", trial: trial.number,
                    detail: "expected tagged values such as {\"units\": {\"int\": 64}}: \(JSONCoding.describe(error))")
            }
            var assignment: HyperbandAssignment?
            if let hyperband = trial.hyperband {
                do {
                    assignment = try decoder.decode(HyperbandAssignment.self, from: Data(hyperband.utf8))
                } catch {
                    throw ReportError.invalidStoredJSON(
                        study: name, field: "hyperband", trial: trial.number, detail: JSONCoding.describe(error))
                }
            }
            return TrialReport(
                number: trial.number, state: trial.state, hyperparameters: values, score: trial.score,
                error: trial.error, worker: trial.worker, createdAt: trial.createdAt, startedAt: trial.startedAt,
                endedAt: trial.endedAt, retries: trial.retries, hyperband: assignment,
                metrics: metricsByTrial[trial.id] ?? [:], hasCheckpoint: checkpointed.contains(trial.id))
        }
        let oracleState = try store.loadOracleState(study: record.id).map { try json($0.json, field: "oracle_state") }
        return StudyReport(
            name: study.name, objectiveName: study.objectiveName, direction: study.direction,
            oracleKind: study.oracleKind, oracleConfig: config, searchSpaceJSON: space, createdAt: record.createdAt,
            trials: trials, oracleState: oracleState)
    }
}
