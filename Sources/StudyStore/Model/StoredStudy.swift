import Foundation
import JSONValues
import Tuning

/// What is needed to create a study: its name, objective, oracle and search space.
public struct NewStudy: Sendable, Equatable {
    /// The unique study name (`StudyName`'s rule).
    public var name: String
    /// The metric the oracle optimises and its direction.
    public var objective: Objective
    /// The oracle type, e.g. `random`, `hyperband`, `bayesian`.
    public var oracleKind: String
    /// The oracle's settings as the tuner describes them (an object; shown key by key in reports).
    public var oracleConfiguration: JSONValue
    /// The search space known when the study is created (it grows as trials define parameters).
    public var searchSpace: SearchSpace

    /// A study description; the configuration defaults to an empty object, the space to an empty space.
    public init(name: String, objective: Objective, oracleKind: String,
                oracleConfiguration: JSONValue = .object([:]), searchSpace: SearchSpace = SearchSpace()) {
        self.name = name
        self.objective = objective
        self.oracleKind = oracleKind
        self.oracleConfiguration = oracleConfiguration
        self.searchSpace = searchSpace
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
    /// The objective and its direction.
    public var objective: Objective { definition.objective }
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
