import Foundation
import GRDB
import JSONValues
import Tuning

/// A row of `studies`.
struct StudyRow: Decodable, FetchableRecord {
    var id: Int64
    var name: String
    var objectiveName: String
    var direction: String
    var oracleKind: String
    var oracleConfig: String
    var searchSpace: String
    var createdAt: Double
    var note: String
    var additionalObjectives: String
    var metricConstraints: String

    enum CodingKeys: String, CodingKey {
        case id, name, direction, note
        case additionalObjectives = "additional_objectives"
        case metricConstraints = "metric_constraints"
        case objectiveName = "objective_name"
        case oracleKind = "oracle_kind"
        case oracleConfig = "oracle_config"
        case searchSpace = "search_space"
        case createdAt = "created_at"
    }

    func study(location: String) throws(StoreError) -> StoredStudy {
        let objectiveDirection: Objective.Direction
        switch direction {
        case "max": objectiveDirection = .maximize
        case "min": objectiveDirection = .minimize
        default:
            throw .damagedData(location: location, study: name, trial: nil, field: "direction",
                               detail: "\"\(direction)\" is neither min nor max")
        }
        let configuration = try StoredFieldCoding.decode(JSONValue.self, oracleConfig, location: location, study: name,
                                                     trial: nil, field: "oracle_config")
        // `{}` is the column's default: a study created without a space.
        let space = searchSpace == "{}" ? SearchSpace()
            : try StoredFieldCoding.decode(SearchSpace.self, searchSpace, location: location, study: name, trial: nil,
                                       field: "search_space")
        let studyNote: StudyNote
        do {
            studyNote = try StudyNote(note)
        } catch {
            throw .damagedData(location: location, study: name, trial: nil, field: "note", detail: error.description)
        }
        let moreObjectives = try StoredFieldCoding.decode([Objective].self, additionalObjectives, location: location,
                                                          study: name, trial: nil, field: "additional_objectives")
        let constraints = try StoredFieldCoding.decode([MetricConstraint].self, metricConstraints, location: location,
                                                       study: name, trial: nil, field: "metric_constraints")
        return StoredStudy(
            id: id,
            definition: NewStudy(name: name, objective: Objective(objectiveName, direction: objectiveDirection),
                                 additionalObjectives: moreObjectives, constraints: constraints,
                                 oracleKind: oracleKind, oracleConfiguration: configuration, searchSpace: space),
            createdAt: createdAt, note: studyNote)
    }
}

/// A row of `trials`, with its study's name (for messages about damaged fields). Decoded column by
/// column rather than through Codable: a snapshot reads thousands of them.
struct TrialRow {
    /// The columns every trial query selects.
    static let columns = "t.*, s.name AS study_name FROM trials t JOIN studies s ON s.id = t.study_id"

    var id: Int64
    var studyID: Int64
    var studyName: String
    var number: Int
    var state: String
    var hyperparameters: String
    var score: Double?
    var trialValues: String?
    var worker: String?
    var heartbeatAt: Double?
    var startedAt: Double?
    var endedAt: Double?
    var error: String?
    var hyperband: String?
    var retries: Int
    var workerDeaths: Int
    var createdAt: Double
    var stopRequestedAt: Double?


    func trial(location: String) throws(StoreError) -> StoredTrial {
        guard let trialState = TrialState(rawValue: state) else {
            throw .damagedData(location: location, study: studyName, trial: number, field: "state",
                               detail: "\"\(state)\" is not a trial state")
        }
        let values = try StoredFieldCoding.decode([String: HyperParameterValue].self, hyperparameters, location: location,
                                               study: studyName, trial: number, field: "hyperparameters")
        var assignment: HyperbandAssignment?
        if let hyperband {
            assignment = try StoredFieldCoding.decode(HyperbandAssignment.self, hyperband, location: location,
                                                  study: studyName, trial: number, field: "hyperband")
        }
        var objectiveValues: TrialValues?
        if let trialValues {
            objectiveValues = try StoredFieldCoding.decode(TrialValues.self, trialValues, location: location,
                                                           study: studyName, trial: number, field: "trial_values")
        }
        return StoredTrial(
            id: id, studyID: studyID, number: number, state: trialState, hyperparameters: values,
            // A COMPLETE trial with a NULL score had a NaN score (SQLite stores NaN as NULL).
            score: score ?? (trialState == .complete ? .nan : nil), values: objectiveValues,
            worker: worker, heartbeatAt: heartbeatAt, startedAt: startedAt, endedAt: endedAt, error: error,
            hyperband: assignment, retries: retries, workerDeaths: workerDeaths, createdAt: createdAt,
            stopRequestedAt: stopRequestedAt)
    }
}

extension TrialRow: FetchableRecord {
    /// Decodes the row column by column (see the type).
    init(row: Row) throws {
        id = try row.decode(forColumn: "id")
        studyID = try row.decode(forColumn: "study_id")
        studyName = try row.decode(forColumn: "study_name")
        number = try row.decode(forColumn: "number")
        state = try row.decode(forColumn: "state")
        hyperparameters = try row.decode(forColumn: "hyperparameters")
        score = try row.decode(forColumn: "score")
        trialValues = try row.decode(forColumn: "trial_values")
        worker = try row.decode(forColumn: "worker")
        heartbeatAt = try row.decode(forColumn: "heartbeat_at")
        startedAt = try row.decode(forColumn: "started_at")
        endedAt = try row.decode(forColumn: "ended_at")
        error = try row.decode(forColumn: "error")
        hyperband = try row.decode(forColumn: "hyperband")
        retries = try row.decode(forColumn: "retries")
        workerDeaths = try row.decode(forColumn: "worker_deaths")
        createdAt = try row.decode(forColumn: "created_at")
        stopRequestedAt = try row.decode(forColumn: "stop_requested_at")
    }
}

/// A row of `checkpoints`.
struct CheckpointRow: Decodable, FetchableRecord {
    var id: Int64
    var trialID: Int64
    var epoch: Int
    var path: String?
    var weights: Data?
    var createdAt: Double

    enum CodingKeys: String, CodingKey {
        case id, epoch, path, weights
        case trialID = "trial_id"
        case createdAt = "created_at"
    }

    var checkpoint: StoredCheckpoint {
        StoredCheckpoint(id: id, trialID: trialID, epoch: epoch, path: path, weights: weights, createdAt: createdAt)
    }
}

/// A row of `trial_requests`, with its study's name (for messages about damaged fields); the PostgreSQL
/// store reads its rows into this shape too.
struct TrialRequestRow {
    /// The columns every request query selects, in `init(row:)`'s and PostgreSQL's order.
    static let columns = """
        r.id, r.study_id, s.name AS study_name, r.hyperparameters, r.state, r.trial_number, r.reason, r.requested_at, r.settled_at
        FROM trial_requests r JOIN studies s ON s.id = r.study_id
        """

    var id: Int64
    var studyID: Int64
    var studyName: String
    var hyperparameters: String
    var state: String
    var trialNumber: Int?
    var reason: String?
    var requestedAt: Double
    var settledAt: Double?

    /// The stored words of a status: the state, and the trial number or the reason it carries.
    static func columns(of status: TrialRequest.Status) -> (state: String, trialNumber: Int?, reason: String?) {
        switch status {
        case .pending: return ("PENDING", nil, nil)
        case .enqueued(let trial): return ("ENQUEUED", trial, nil)
        case .rejected(let reason): return ("REJECTED", nil, reason)
        }
    }

    /// The request; `.damagedData` when a stored field does not decode.
    func request(location: String) throws(StoreError) -> TrialRequest {
        let values = try StoredFieldCoding.decode([String: HyperParameterValue].self, hyperparameters, location: location,
                                                  study: studyName, trial: nil, field: "trial_requests.hyperparameters")
        let status: TrialRequest.Status
        switch (state, trialNumber, reason) {
        case ("PENDING", nil, nil): status = .pending
        case ("ENQUEUED", let number?, nil): status = .enqueued(trial: number)
        case ("REJECTED", nil, let reason?): status = .rejected(reason: reason)
        default:
            throw .damagedData(location: location, study: studyName, trial: trialNumber, field: "trial_requests.state",
                               detail: "\"\(state)\" with trial \(trialNumber.map(String.init) ?? "none") is not a request's state")
        }
        return TrialRequest(id: id, studyID: studyID, hyperparameters: values, status: status, requestedAt: requestedAt,
                            settledAt: settledAt)
    }
}

extension TrialRequestRow: FetchableRecord {
    /// Decodes the row column by column.
    init(row: Row) throws {
        id = try row.decode(forColumn: "id")
        studyID = try row.decode(forColumn: "study_id")
        studyName = try row.decode(forColumn: "study_name")
        hyperparameters = try row.decode(forColumn: "hyperparameters")
        state = try row.decode(forColumn: "state")
        trialNumber = try row.decode(forColumn: "trial_number")
        reason = try row.decode(forColumn: "reason")
        requestedAt = try row.decode(forColumn: "requested_at")
        settledAt = try row.decode(forColumn: "settled_at")
    }
}
