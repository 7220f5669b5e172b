import Neural
import StudyFiles
import TunerKit
import Tuning

extension OracleSection.Kind {
    /// The tuner's oracle family of the same name.
    public var tunerKind: OracleSettings.Kind {
        switch self {
        case .random: .random
        case .grid: .grid
        case .hyperband: .hyperband
        case .bayesian: .bayesian
        }
    }
}

extension OracleSection {
    /// The algorithm and its settings as the tuner takes them: only the settings of its kind are set
    /// (the section's fields, field for field).
    public var tunerSettings: OracleSettings {
        var settings = OracleSettings(kind: kind.tunerKind, maxTrials: maxTrials)
        settings.maxEpochs = maxEpochs
        settings.factor = factor
        settings.hyperbandIterations = hyperbandIterations
        settings.numInitialPoints = numInitialPoints
        settings.alpha = alpha
        settings.beta = beta
        settings.acquisition = acquisition
        return settings
    }

    /// A new oracle of this kind for `objective` on `searchSpace`, with this section's seed.
    ///
    /// - Throws: `OracleError` when the oracle refuses a setting or the space (grid search needs
    ///   every float to have a step; Hyperband needs `maxEpochs`).
    public func makeOracle(objective: Objective, searchSpace: SearchSpace) throws(OracleError) -> any Oracle {
        try tunerSettings.makeOracle(objective: objective, searchSpace: searchSpace, seed: seed)
    }

    /// The flat snake_case settings the study store keeps in `studies.oracle_config` (see
    /// STORE-CONVENTIONS): `max_trials`, `seed`, `executions_per_trial`, `max_retries_per_trial`,
    /// `max_consecutive_failed_trials`, and per kind `max_epochs`, `factor`, `hyperband_iterations`
    /// or `num_initial_points`, `alpha`, `beta`, `acquisition` (``tunerSettings``'s
    /// `displayConfiguration`).
    public var storeConfiguration: Configuration {
        var result = tunerSettings.displayConfiguration
        result["seed"] = .int(Int(truncatingIfNeeded: seed))
        result["executions_per_trial"] = .int(executionsPerTrial)
        result["max_retries_per_trial"] = .int(maxRetriesPerTrial)
        result["max_consecutive_failed_trials"] = .int(maxConsecutiveFailedTrials)
        return result
    }

    /// `storeConfiguration` as a JSON object with sorted keys.
    public var storeConfigurationJSON: String {
        let fields = storeConfiguration.sorted { $0.key < $1.key }.map { key, value in "\"\(key)\": \((try? value.jsonText()) ?? "null")" }
        return "{" + fields.joined(separator: ", ") + "}"
    }
}
