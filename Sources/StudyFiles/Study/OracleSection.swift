import Foundation
import Tuning

/// The `oracle` section of a study file: which search algorithm and its settings, with Keras Tuner's
/// defaults. (Named apart from TunerKit's `OracleSettings`, which the tuner takes: the fields map one
/// to one — `kind`, `maxTrials`, `maxEpochs`, `factor`, `hyperbandIterations`, `numInitialPoints`,
/// `alpha`, `beta`, `acquisition` — with `seed`, `executionsPerTrial`, `maxRetriesPerTrial` and
/// `maxConsecutiveFailedTrials` going to the tuner's own arguments and search options.)
public struct OracleSection: Sendable, Hashable {
    /// The search algorithms a study file can name.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Random search (`max_trials` required).
        case random
        /// Every combination of a discrete space.
        case grid
        /// Hyperband (`max_epochs` required).
        case hyperband
        /// Bayesian optimization with a Gaussian process (`max_trials` required).
        case bayesian
    }

    /// The algorithm.
    public var kind: Kind
    /// The most trials to run; `nil` lets grid search and Hyperband run their whole schedule.
    public var maxTrials: Int?
    /// The seed of every random choice.
    public var seed: UInt64
    /// Hyperband: the most epochs one model trains.
    public var maxEpochs: Int?
    /// Hyperband: the reduction factor between rounds (default 3).
    public var factor: Int
    /// Hyperband: how many times the whole schedule runs (default 1).
    public var hyperbandIterations: Int
    /// Bayesian: random trials before the Gaussian process takes over (`nil`: the oracle's default).
    public var numInitialPoints: Int?
    /// Bayesian: the noise variance (default 1e-4).
    public var alpha: Double
    /// Bayesian: the exploration factor (default 2.6).
    public var beta: Double
    /// Bayesian: the acquisition function.
    public var acquisition: BayesianOptimizationStrategy.Acquisition
    /// How many times each configuration is trained (the scores are averaged); default 1.
    public var executionsPerTrial: Int
    /// How many times a failed trial is retried; default 0.
    public var maxRetriesPerTrial: Int
    /// How many trials may fail in a row before the search stops; default 3.
    public var maxConsecutiveFailedTrials: Int

    /// Settings with the defaults for everything but `kind`.
    public init(
        kind: Kind, maxTrials: Int? = nil, seed: UInt64 = 0, maxEpochs: Int? = nil, factor: Int = 3,
        hyperbandIterations: Int = 1, numInitialPoints: Int? = nil, alpha: Double = 1e-4, beta: Double = 2.6,
        acquisition: BayesianOptimizationStrategy.Acquisition = .logExpectedImprovement, executionsPerTrial: Int = 1,
        maxRetriesPerTrial: Int = 0, maxConsecutiveFailedTrials: Int = 3
    ) {
        self.kind = kind
        self.maxTrials = maxTrials
        self.seed = seed
        self.maxEpochs = maxEpochs
        self.factor = factor
        self.hyperbandIterations = hyperbandIterations
        self.numInitialPoints = numInitialPoints
        self.alpha = alpha
        self.beta = beta
        self.acquisition = acquisition
        self.executionsPerTrial = executionsPerTrial
        self.maxRetriesPerTrial = maxRetriesPerTrial
        self.maxConsecutiveFailedTrials = maxConsecutiveFailedTrials
    }

    /// The acquisition as the study file and TunerKit's `OracleSettings` spell it: `log_ei` or `ucb`.
    public var acquisitionName: String {
        acquisition == .upperConfidenceBound ? "ucb" : "log_ei"
    }

    /// A new oracle of this kind for `objective` on `searchSpace`.
    ///
    /// - Throws: `OracleError` when the oracle refuses a setting or the space (grid search needs
    ///   every float to have a step).
    public func makeOracle(objective: Objective, searchSpace: SearchSpace) throws(OracleError) -> any Oracle {
        switch kind {
        case .random:
            return try RandomSearchOracle(objective: objective, searchSpace: searchSpace, maxTrials: maxTrials, seed: seed)
        case .grid:
            return try GridSearchOracle(objective: objective, searchSpace: searchSpace, maxTrials: maxTrials, seed: seed)
        case .hyperband:
            return try HyperbandOracle(
                objective: objective, searchSpace: searchSpace, maxEpochs: maxEpochs ?? 1, factor: factor,
                hyperbandIterations: hyperbandIterations, maxTrials: maxTrials, seed: seed)
        case .bayesian:
            return try BayesianOptimizationOracle(
                objective: objective, searchSpace: searchSpace, maxTrials: maxTrials, numInitialPoints: numInitialPoints,
                alpha: alpha, beta: beta, acquisition: acquisition, seed: seed)
        }
    }

    /// The flat snake_case settings the study store keeps in `studies.oracle_config` (see
    /// STORE-CONVENTIONS): `max_trials`, `seed`, `executions_per_trial`, and per kind `max_epochs`,
    /// `factor`, `hyperband_iterations` or `num_initial_points`, `alpha`, `beta`, `acquisition`.
    public var storeConfiguration: [String: OracleConfigurationValue] {
        var result: [String: OracleConfigurationValue] = [
            "seed": .int(Int(truncatingIfNeeded: seed)), "executions_per_trial": .int(executionsPerTrial),
            "max_retries_per_trial": .int(maxRetriesPerTrial),
            "max_consecutive_failed_trials": .int(maxConsecutiveFailedTrials),
        ]
        if let maxTrials { result["max_trials"] = .int(maxTrials) }
        switch kind {
        case .hyperband:
            if let maxEpochs { result["max_epochs"] = .int(maxEpochs) }
            result["factor"] = .int(factor)
            result["hyperband_iterations"] = .int(hyperbandIterations)
        case .bayesian:
            if let numInitialPoints { result["num_initial_points"] = .int(numInitialPoints) }
            result["alpha"] = .double(alpha)
            result["beta"] = .double(beta)
            result["acquisition"] = .string(acquisitionName)
        case .random, .grid:
            break
        }
        return result
    }

    /// `storeConfiguration` as a JSON object with sorted keys.
    public var storeConfigurationJSON: String {
        let fields = storeConfiguration.sorted { $0.key < $1.key }.map { key, value in "\"\(key)\": \(value.json)" }
        return "{" + fields.joined(separator: ", ") + "}"
    }
}

/// One value of `OracleSection.storeConfiguration`.
public enum OracleConfigurationValue: Sendable, Hashable {
    /// An integer setting.
    case int(Int)
    /// A floating-point setting.
    case double(Double)
    /// A named setting.
    case string(String)

    /// The value as JSON text.
    public var json: String {
        switch self {
        case .int(let value): return String(value)
        case .double(let value): return value.isFinite ? String(value) : "null"
        case .string(let value): return "\"\(value)\""
        }
    }
}
