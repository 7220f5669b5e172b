import Foundation
import Tuning

/// Whether the objective is minimised or maximised.
public enum ObjectiveDirection: String, Codable, Sendable {
    case min
    case max
}

/// What is needed to create a study. JSON fields hold the oracle's and search space's own encodings.
public struct NewStudy: Codable, Sendable, Equatable {
    /// The unique study name.
    public var name: String
    /// The metric the oracle optimises, e.g. `val_accuracy`.
    public var objectiveName: String
    /// Whether that metric is minimised or maximised.
    public var direction: ObjectiveDirection
    /// The oracle type, e.g. `random`, `hyperband`, `bayesian`.
    public var oracleKind: String
    /// The oracle's configuration as JSON.
    public var oracleConfig: String
    /// The search space as JSON.
    public var searchSpace: String

    /// A study description; the JSON fields default to `{}`.
    public init(name: String, objectiveName: String, direction: ObjectiveDirection, oracleKind: String,
                oracleConfig: String = "{}", searchSpace: String = "{}") {
        self.name = name
        self.objectiveName = objectiveName
        self.direction = direction
        self.oracleKind = oracleKind
        self.oracleConfig = oracleConfig
        self.searchSpace = searchSpace
    }
}

/// A stored study.
public struct StudyRecord: Codable, Sendable, Equatable {
    /// The row id, used to address its trials.
    public var id: Int64
    /// Name, objective, oracle and search space as created.
    public var study: NewStudy
    /// Creation time, Unix seconds.
    public var createdAt: Double

    /// The study name.
    public var name: String { study.name }

    init(row: Row, path: String) throws {
        guard let id = row.int64("id"), let name = row.string("name"), let objective = row.string("objective_name"),
              let direction = row.string("direction").flatMap(ObjectiveDirection.init(rawValue:)),
              let kind = row.string("oracle_kind"), let config = row.string("oracle_config"),
              let space = row.string("search_space"), let created = row.double("created_at")
        else { throw StoreError.decoding(path: path, detail: "a studies row is incomplete") }
        self.id = id
        study = NewStudy(name: name, objectiveName: objective, direction: direction, oracleKind: kind,
                         oracleConfig: config, searchSpace: space)
        createdAt = created
    }
}

/// A stored trial.
public struct TrialRecord: Codable, Sendable, Equatable {
    /// The row id (unique across studies).
    public var id: Int64
    /// The owning study's id.
    public var studyID: Int64
    /// The trial number within its study.
    public var number: Int
    /// Life-cycle state.
    public var state: TrialState
    /// Hyperparameter values as JSON.
    public var hyperparameters: String
    /// The final score (NaN when the run produced NaN); nil until finished with a score.
    public var score: Double?
    /// The worker that claimed it.
    public var worker: String?
    /// Last heartbeat, Unix seconds.
    public var heartbeatAt: Double?
    /// When a worker started it.
    public var startedAt: Double?
    /// When it finished.
    public var endedAt: Double?
    /// Why it failed (or why it was re-queued).
    public var error: String?
    /// Hyperband bracket / round data as JSON.
    public var hyperband: String?
    /// How many times it was re-queued after a stale heartbeat.
    public var retries: Int
    /// How many times the worker running it died (its process exited, or its heartbeat went stale)
    /// before it ended; an interrupted trial put back by its own worker does not count.
    public var workerDeaths: Int
    /// When it was inserted.
    public var createdAt: Double

    init(row: Row, path: String) throws {
        guard let id = row.int64("id"), let study = row.int64("study_id"), let number = row.int("number"),
              let state = row.string("state").flatMap(TrialState.init(rawValue:)),
              let hyperparameters = row.string("hyperparameters"), let retries = row.int("retries"),
              let created = row.double("created_at")
        else { throw StoreError.decoding(path: path, detail: "a trials row is incomplete") }
        self.id = id
        studyID = study
        self.number = number
        self.state = state
        self.hyperparameters = hyperparameters
        // A COMPLETE trial with a NULL score had a NaN score (SQLite stores NaN as NULL).
        score = row.double("score") ?? (state == .complete ? .nan : nil)
        worker = row.string("worker")
        heartbeatAt = row.double("heartbeat_at")
        startedAt = row.double("started_at")
        endedAt = row.double("ended_at")
        error = row.string("error")
        hyperband = row.string("hyperband")
        self.retries = retries
        // Rows written before the v3 migration, read through an older query, have no such column.
        workerDeaths = row.int("worker_deaths") ?? 0
        createdAt = created
    }
}

/// One metric value of a trial at a step (an epoch, usually).
public struct MetricRecord: Codable, Sendable, Equatable {
    /// The metric name, e.g. `val_loss`.
    public var name: String
    /// The step (epoch) it was recorded at.
    public var step: Int
    /// The value; NaN when training diverged.
    public var value: Double

    /// A metric value.
    public init(name: String, step: Int, value: Double) {
        self.name = name
        self.step = step
        self.value = value
    }
}

/// A trial together with its learning curves.
public struct TrialWithMetrics: Sendable, Equatable {
    /// The trial.
    public var trial: TrialRecord
    /// Its metrics ordered by name, then step.
    public var metrics: [MetricRecord]
}

/// The oracle's exported state for a study, with an optimistic-concurrency version.
public struct OracleStateRecord: Sendable, Equatable {
    /// The oracle state as JSON.
    public var json: String
    /// Incremented on every save.
    public var version: Int
    /// When it was last saved, Unix seconds.
    public var updatedAt: Double
}

/// A checkpoint of a trial at an epoch: a file path, inline weights, or both.
public struct CheckpointRecord: Sendable, Equatable {
    /// The row id.
    public var id: Int64
    /// The trial row id.
    public var trialID: Int64
    /// The epoch the weights are from.
    public var epoch: Int
    /// Where the weights file is, when stored on disk.
    public var path: String?
    /// The weights, when stored inline.
    public var weights: Data?
    /// When it was written.
    public var createdAt: Double
}

/// What `failOrRequeueStale` does with a trial whose worker stopped sending heartbeats.
public struct StalePolicy: Sendable, Equatable {
    /// How many times a trial may be re-queued before it is failed instead.
    public var maxRetries: Int

    /// A policy re-queueing up to `maxRetries` times (0: always fail).
    public init(maxRetries: Int) { self.maxRetries = maxRetries }
}
