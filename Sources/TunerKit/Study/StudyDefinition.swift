import Foundation
import JSONValues
import Neural
import StudyStore
import Tuning

/// What a study is: its name, objective, oracle and seed, and the search space known before the first
/// trial. Stored when the study is created; compared with the stored one on resume.
public struct StudyDefinition: Sendable, Equatable {
    /// The study's unique name in its storage.
    public var name: String
    /// The metric optimized and its direction (the first, when there are several).
    public var objective: Objective
    /// The objectives after the first, for a study that trades several off (a Pareto front); empty for one.
    public var additionalObjectives: [Objective]
    /// Limits on metrics a trial must respect to be feasible (empty when none).
    public var constraints: [MetricConstraint]
    /// The oracle and its settings.
    public var oracle: OracleSettings
    /// The seed of the oracle and of every trial's randomness.
    public var seed: UInt64
    /// The hyperparameters known up front (more may be found while trials build their models).
    public var searchSpace: SearchSpace
    /// Extra settings shown with the oracle's (executions per trial, ...), flat snake_case.
    public var extraConfiguration: Configuration
    /// The pruner that stops the study's unpromising trials early, stored with the study so that every
    /// worker and `tuner tell` apply the same one. A resume may change it (as each Optuna `optimize` call
    /// may pass its own pruner); a search's `SearchOptions.pruner`, when set, is used instead.
    public var pruner: PrunerSettings?

    /// A study definition.
    public init(name: String, objective: Objective, additionalObjectives: [Objective] = [],
                constraints: [MetricConstraint] = [], oracle: OracleSettings, seed: UInt64 = 0,
                searchSpace: SearchSpace = SearchSpace(), extraConfiguration: Configuration = [:],
                pruner: PrunerSettings? = nil) {
        self.name = name
        self.objective = objective
        self.additionalObjectives = additionalObjectives
        self.constraints = constraints
        self.oracle = oracle
        self.seed = seed
        self.searchSpace = searchSpace
        self.extraConfiguration = extraConfiguration
        self.pruner = pruner
    }

    /// Every objective, the first one first.
    public var objectives: [Objective] { [objective] + additionalObjectives }

    /// Checks that the pruner can judge these objectives: every oracle takes several objectives and
    /// constraints, but of the pruners only asynchronous successive halving ranks trials on several
    /// objectives (`PrunerSettings.refusalForSeveralObjectives`).
    ///
    /// - Throws: `TunerError.invalidArgument` naming the pruner and what to use instead.
    public func checkPrunerSupportsObjectives() throws {
        guard !additionalObjectives.isEmpty, let refusal = pruner?.refusalForSeveralObjectives else { return }
        throw TunerError.invalidArgument(name: "pruner", message: refusal)
    }

    /// The stored oracle configuration: the oracle's settings, the seed, the pruner and the extra
    /// settings, plus the full settings under `tuner_oracle` (and `tuner_pruner`) so a resume can compare
    /// them exactly.
    func oracleConfiguration() throws -> JSONValue {
        var flat = oracle.displayConfiguration
        flat["seed"] = .int(Int(truncatingIfNeeded: seed))
        if let pruner { flat["pruner"] = .string(pruner.description) }
        for (key, value) in extraConfiguration { flat[key] = value }
        return try JSONValue(encoding: StoredOracleConfiguration(flat: flat, settings: oracle, pruner: pruner))
    }
}

extension StudySource {
    /// The source stored with study `name`, if any.
    ///
    /// - Throws: `StoreError.studyNotFound`, other store errors.
    public static func stored(study name: String, storagePath: String) throws -> StudySource? {
        let storage = try openStudyStorage(storagePath, busyTimeout: 30)
        return try storage.studySource(study: storage.requireStudy(named: name).id)
    }
}

/// The JSON kept in `studies.oracle_config`: flat keys for people and reports, the exact settings (and
/// the pruner's) for resumes, workers and `tuner tell`.
struct StoredOracleConfiguration: Codable {
    var flat: Configuration
    var settings: OracleSettings
    /// Absent in studies stored before pruners were stored, and in studies without one.
    var pruner: PrunerSettings?

    private static let reservedKeys: Set<String> = ["tuner_oracle", StoredStudy.prunerConfigurationKey]

    init(flat: Configuration, settings: OracleSettings, pruner: PrunerSettings?) {
        self.flat = flat
        self.settings = settings
        self.pruner = pruner
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (key, value) in flat { try container.encode(value, forKey: Key(stringValue: key)) }
        try container.encode(settings, forKey: Key(stringValue: "tuner_oracle"))
        try container.encodeIfPresent(pruner, forKey: Key(stringValue: StoredStudy.prunerConfigurationKey))
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        settings = try container.decode(OracleSettings.self, forKey: Key(stringValue: "tuner_oracle"))
        pruner = try container.decodeIfPresent(PrunerSettings.self, forKey: Key(stringValue: StoredStudy.prunerConfigurationKey))
        var flat: Configuration = [:]
        for key in container.allKeys where !Self.reservedKeys.contains(key.stringValue) {
            flat[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
        }
        self.flat = flat
    }
}
