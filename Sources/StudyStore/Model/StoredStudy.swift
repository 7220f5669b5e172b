import Foundation
import JSONValues
import Tuning

/// What is needed to create a study: its name, objectives, constraints, oracle and search space.
public struct NewStudy: Sendable, Equatable {
    /// The unique study name (`StudyName`'s rule).
    public var name: String
    /// The first (or only) metric the study optimises and its direction; a trial's `score` is its value.
    public var objective: Objective
    /// The objectives after the first, for a study with several (empty for one objective). A COMPLETE
    /// trial of such a study has a value for each in `StoredTrial.values`.
    public var additionalObjectives: [Objective]
    /// Limits on metrics a trial must respect to be feasible (empty when none). Trials told their
    /// constraint values directly (ask/tell) need none declared here.
    public var constraints: [MetricConstraint]
    /// The oracle type, e.g. `random`, `hyperband`, `bayesian`.
    public var oracleKind: String
    /// The oracle's settings as the tuner describes them (an object; shown key by key in reports).
    public var oracleConfiguration: JSONValue
    /// The search space known when the study is created (it grows as trials define parameters).
    public var searchSpace: SearchSpace

    /// A study description; the configuration defaults to an empty object, the space to an empty space.
    public init(name: String, objective: Objective, additionalObjectives: [Objective] = [],
                constraints: [MetricConstraint] = [], oracleKind: String,
                oracleConfiguration: JSONValue = .object([:]), searchSpace: SearchSpace = SearchSpace()) {
        self.name = name
        self.objective = objective
        self.additionalObjectives = additionalObjectives
        self.constraints = constraints
        self.oracleKind = oracleKind
        self.oracleConfiguration = oracleConfiguration
        self.searchSpace = searchSpace
    }

    /// Every objective, the first one first.
    public var objectives: [Objective] { [objective] + additionalObjectives }

    /// Whether trials are ranked by several objectives (a Pareto front) rather than one score.
    public var isMultiObjective: Bool { !additionalObjectives.isEmpty }

    /// Checks what a store cannot fix later: every objective names a different, non-empty metric, and
    /// every constraint a non-empty metric with a finite limit.
    ///
    /// - Throws: `StoreError.invalidArgument` naming the objective or constraint at fault.
    public func validateObjectivesAndConstraints() throws(StoreError) {
        var seen: Set<String> = []
        for objective in objectives {
            guard !objective.name.isEmpty else { throw .invalidArgument("An objective needs a metric name.") }
            guard seen.insert(objective.name).inserted else {
                throw .invalidArgument("The metric \"\(objective.name)\" is given as an objective twice; each objective needs its own metric.")
            }
        }
        for constraint in constraints {
            guard !constraint.metric.isEmpty else { throw .invalidArgument("A constraint needs a metric name.") }
            guard constraint.limit.isFinite else {
                throw .invalidArgument("The constraint on \"\(constraint.metric)\" has the limit \(constraint.limit); it must be a finite number.")
            }
        }
    }
}

/// A stored study: its row id, definition, creation time and note.
public struct StoredStudy: Sendable, Equatable {
    /// The storage's id of the study, used to address its trials.
    public var id: Int64
    /// Name, objective, oracle and search space as stored (the space as it stands now).
    public var definition: NewStudy
    /// Creation time, Unix seconds.
    public var createdAt: Double
    /// The user's note on the study (empty when none; see `StudyStorage.updateStudyNote`).
    public var note: StudyNote

    /// A stored study.
    public init(id: Int64, definition: NewStudy, createdAt: Double, note: StudyNote = StudyNote()) {
        self.id = id
        self.definition = definition
        self.createdAt = createdAt
        self.note = note
    }

    /// The study name.
    public var name: String { definition.name }
    /// The first (or only) objective and its direction.
    public var objective: Objective { definition.objective }
    /// Every objective, the first one first.
    public var objectives: [Objective] { definition.objectives }
    /// The declared metric constraints (empty when none).
    public var constraints: [MetricConstraint] { definition.constraints }
    /// The oracle type.
    public var oracleKind: String { definition.oracleKind }
    /// The oracle's settings as stored.
    public var oracleConfiguration: JSONValue { definition.oracleConfiguration }
    /// The search space as stored.
    public var searchSpace: SearchSpace { definition.searchSpace }

    /// The oracle's settings decoded as `type` (the tuner's own description of them).
    ///
    /// - Throws: `StoreError.damagedData` naming the study and `oracle_config` when they do not have
    ///   the type's shape.
    public func oracleConfiguration<T: Decodable>(as type: T.Type, location: String) throws(StoreError) -> T {
        do {
            return try oracleConfiguration.decode(type)
        } catch {
            throw .damagedData(location: location, study: name, trial: nil, field: "oracle_config",
                               detail: JSONCoding.describe(error))
        }
    }
}

/// The study file a study was made from, kept so that a worker given only the study's name can run it.
public struct StudySource: Sendable, Equatable {
    /// The file's path (relative paths inside it are resolved from its folder).
    public var path: String
    /// The file's text.
    public var text: String

    /// A source.
    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}
