import Foundation
import Neural
import TunerKit
import Tuning

/// The `oracle` section of a study file: which search algorithm and its settings, with Keras Tuner's
/// defaults.
///
/// The algorithm's settings are TunerKit's `OracleSettings`, held as ``tunerSettings`` (what the
/// tuner takes); its fields — `kind`, `maxTrials`, `maxEpochs`, `factor`, `hyperbandIterations`,
/// `numInitialPoints`, `alpha`, `beta`, `acquisition` — read and write through the section
/// (`section.maxEpochs`). `seed`, `executionsPerTrial`, `maxRetriesPerTrial` and
/// `maxConsecutiveFailedTrials` go to the tuner's own arguments and search options.
@dynamicMemberLookup
public struct OracleSection: Sendable, Hashable {
    /// The search algorithms a study file can name: `random` (`max_trials` required), `grid`,
    /// `hyperband` (`max_epochs` required) and `bayesian` (`max_trials` required).
    public typealias Kind = OracleSettings.Kind

    /// The algorithm and its settings as the tuner takes them: only the settings of its kind are set.
    public var tunerSettings: OracleSettings
    /// The seed of every random choice.
    public var seed: UInt64
    /// How many times each configuration is trained (the scores are averaged); default 1.
    public var executionsPerTrial: Int
    /// How many times a failed trial is retried; default 0.
    public var maxRetriesPerTrial: Int
    /// How many trials may fail in a row before the search stops; default 3.
    public var maxConsecutiveFailedTrials: Int

    /// Settings with the defaults for everything but `kind`; the settings of other kinds than `kind`
    /// are left out (Hyperband: `maxEpochs`, `factor` 3, `hyperbandIterations` 1; Bayesian:
    /// `numInitialPoints`, `alpha` 1e-4, `beta` 2.6, `acquisition` `log_ei`).
    public init(
        kind: Kind, maxTrials: Int? = nil, seed: UInt64 = 0, maxEpochs: Int? = nil, factor: Int = 3,
        hyperbandIterations: Int = 1, numInitialPoints: Int? = nil, alpha: Double = 1e-4, beta: Double = 2.6,
        acquisition: BayesianOptimizationStrategy.Acquisition = .logExpectedImprovement, executionsPerTrial: Int = 1,
        maxRetriesPerTrial: Int = 0, maxConsecutiveFailedTrials: Int = 3
    ) {
        var settings = OracleSettings(kind: kind, maxTrials: maxTrials)
        switch kind {
        case .random, .grid:
            break
        case .hyperband:
            settings.maxEpochs = maxEpochs
            settings.factor = factor
            settings.hyperbandIterations = hyperbandIterations
        case .bayesian:
            settings.numInitialPoints = numInitialPoints
            settings.alpha = alpha
            settings.beta = beta
            settings.acquisition = acquisition == .upperConfidenceBound ? "ucb" : "log_ei"
        }
        self.tunerSettings = settings
        self.seed = seed
        self.executionsPerTrial = executionsPerTrial
        self.maxRetriesPerTrial = maxRetriesPerTrial
        self.maxConsecutiveFailedTrials = maxConsecutiveFailedTrials
    }

    /// A field of ``tunerSettings``, read or written through the section: `section.maxTrials`,
    /// `section.kind`, `section.factor`...
    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<OracleSettings, Value>) -> Value {
        get { tunerSettings[keyPath: keyPath] }
        set { tunerSettings[keyPath: keyPath] = newValue }
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
        let fields = storeConfiguration.sorted { $0.key < $1.key }.map { key, value in "\"\(key)\": \((try? value.strictJSONText()) ?? "null")" }
        return "{" + fields.joined(separator: ", ") + "}"
    }
}
