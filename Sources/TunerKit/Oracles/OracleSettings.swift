import Foundation
import Neural
import Tuning

/// Which oracle a study uses and its settings — Keras Tuner's `RandomSearch(...)`, `Hyperband(...)`,
/// `BayesianOptimization(...)` arguments as a value that can be stored with the study and compared on
/// resume.
///
/// ```swift
/// .randomSearch(maxTrials: 5)
/// .hyperband(maxEpochs: 10, factor: 3, iterations: 2)
/// .bayesian(maxTrials: 10, numInitialPoints: 3)
/// .bohb(maxEpochs: 27, factor: 3)
/// .tpe(maxTrials: 50)
/// ```
public struct OracleSettings: Codable, Sendable, Hashable {
    /// The oracle families.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Independent random samples.
        case random
        /// Every combination of discrete values, in order.
        case grid
        /// Successive halving over brackets of epoch budgets.
        case hyperband
        /// A Gaussian-process surrogate with expected improvement.
        case bayesian
        /// Hyperband whose new configurations come from a model (BOHB).
        case bohb
        /// Tree-structured Parzen estimators (Optuna's default sampler).
        case tpe

        /// Whether trials follow Hyperband's brackets and rounds (and need `maxEpochs`; no pruner).
        public var followsHyperbandSchedule: Bool { self == .hyperband || self == .bohb }
    }

    /// The oracle family.
    public var kind: Kind
    /// The most trials to start; nil runs the whole schedule (Hyperband) or grid.
    public var maxTrials: Int?
    /// Hyperband: the most epochs a trial trains.
    public var maxEpochs: Int?
    /// Hyperband: the reduction factor between rounds.
    public var factor: Int?
    /// Hyperband: how many times to run the whole schedule.
    public var hyperbandIterations: Int?
    /// Bayesian: random trials before the surrogate is used (nil: chosen from the space's size).
    /// TPE: Optuna's `n_startup_trials`, random trials until this many have finished (nil: 10).
    public var numInitialPoints: Int?
    /// Bayesian: the observation noise variance.
    public var alpha: Double?
    /// Bayesian: the exploration factor of the upper-confidence-bound acquisition.
    public var beta: Double?
    /// Bayesian: `log_ei` (default), `ucb` or `hedge` (scikit-optimize's `gp_hedge` portfolio).
    public var acquisition: String?
    /// BOHB: the share of new configurations drawn at random even once the model is used (nil: 1/3).
    public var randomFraction: Double?
    /// BOHB: scored trials a budget needs before the model is fitted on it (nil: tuned parameters + 1).
    public var minPointsInModel: Int?
    /// TPE: Optuna's `n_ei_candidates`, candidates sampled per suggestion (nil: 24).
    public var numCandidates: Int?

    /// Settings with only the kind and budget; prefer the static constructors.
    public init(kind: Kind, maxTrials: Int? = nil) {
        self.kind = kind
        self.maxTrials = maxTrials
    }

    /// Random search with at most `maxTrials` trials.
    public static func randomSearch(maxTrials: Int) -> OracleSettings {
        OracleSettings(kind: .random, maxTrials: maxTrials)
    }

    /// Grid search over every combination (or the first `maxTrials`).
    public static func gridSearch(maxTrials: Int? = nil) -> OracleSettings {
        OracleSettings(kind: .grid, maxTrials: maxTrials)
    }

    /// Hyperband with Keras Tuner's arguments.
    public static func hyperband(maxEpochs: Int, factor: Int = 3, iterations: Int = 1, maxTrials: Int? = nil) -> OracleSettings {
        var settings = OracleSettings(kind: .hyperband, maxTrials: maxTrials)
        settings.maxEpochs = maxEpochs
        settings.factor = factor
        settings.hyperbandIterations = iterations
        return settings
    }

    /// Bayesian optimization with a Gaussian process (Keras Tuner's `BayesianOptimization`).
    public static func bayesian(
        maxTrials: Int, numInitialPoints: Int? = nil, alpha: Double = 1e-4, beta: Double = 2.6,
        acquisition: String = "log_ei"
    ) -> OracleSettings {
        var settings = OracleSettings(kind: .bayesian, maxTrials: maxTrials)
        settings.numInitialPoints = numInitialPoints
        settings.alpha = alpha
        settings.beta = beta
        settings.acquisition = acquisition
        return settings
    }

    /// BOHB: Hyperband's arguments, with first-round configurations from a model (`BOHBOracle`).
    public static func bohb(maxEpochs: Int, factor: Int = 3, iterations: Int = 1, randomFraction: Double? = nil,
                            minPointsInModel: Int? = nil, maxTrials: Int? = nil) -> OracleSettings {
        var settings = OracleSettings(kind: .bohb, maxTrials: maxTrials)
        settings.maxEpochs = maxEpochs
        settings.factor = factor
        settings.hyperbandIterations = iterations
        settings.randomFraction = randomFraction
        settings.minPointsInModel = minPointsInModel
        return settings
    }

    /// TPE (Optuna's `TPESampler`) with at most `maxTrials` trials, `numInitialPoints` random trials
    /// first (`nil`: 10) and `numCandidates` candidates per suggestion (`nil`: 24).
    public static func tpe(maxTrials: Int, numInitialPoints: Int? = nil, numCandidates: Int? = nil) -> OracleSettings {
        var settings = OracleSettings(kind: .tpe, maxTrials: maxTrials)
        settings.numInitialPoints = numInitialPoints
        settings.numCandidates = numCandidates
        return settings
    }

    /// A new oracle with these settings, optimizing `objective` (and `additionalObjectives`, for the oracles
    /// that optimize fronts).
    ///
    /// - Throws: `OracleError.invalidArgument` naming the setting out of range (a non-positive
    ///   `maxTrials`, Hyperband without `maxEpochs`, an unknown acquisition, a negative TPE
    ///   `numInitialPoints` or a non-positive `numCandidates`).
    public func makeOracle(objective: Objective, additionalObjectives: [Objective] = [], searchSpace: SearchSpace,
                           seed: UInt64) throws(OracleError) -> any Oracle {
        switch kind {
        case .random:
            return try RandomSearchOracle(objective: objective, additionalObjectives: additionalObjectives, searchSpace: searchSpace,
                                          maxTrials: maxTrials, seed: seed)
        case .grid:
            return try GridSearchOracle(objective: objective, additionalObjectives: additionalObjectives, searchSpace: searchSpace,
                                        maxTrials: maxTrials, seed: seed)
        case .hyperband:
            guard let maxEpochs else {
                throw .invalidArgument(name: "maxEpochs", message: "Hyperband needs max_epochs, the most epochs one trial trains.")
            }
            return try HyperbandOracle(
                objective: objective, additionalObjectives: additionalObjectives, searchSpace: searchSpace,
                maxEpochs: maxEpochs, factor: factor ?? 3,
                hyperbandIterations: hyperbandIterations ?? 1, maxTrials: maxTrials, seed: seed)
        case .bayesian:
            let acquisitionFunction: BayesianOptimizationStrategy.Acquisition
            switch acquisition ?? "log_ei" {
            case "log_ei", "ei": acquisitionFunction = .logExpectedImprovement
            case "ucb": acquisitionFunction = .upperConfidenceBound
            case "hedge", "gp_hedge": acquisitionFunction = .hedge
            case let other:
                throw .invalidArgument(name: "acquisition", message: "\"\(other)\" is not an acquisition function; use log_ei, ucb or hedge.")
            }
            return try BayesianOptimizationOracle(
                objective: objective, additionalObjectives: additionalObjectives, searchSpace: searchSpace,
                maxTrials: maxTrials, numInitialPoints: numInitialPoints,
                alpha: alpha ?? 1e-4, beta: beta ?? 2.6, acquisition: acquisitionFunction, seed: seed)
        case .bohb:
            guard let maxEpochs else {
                throw .invalidArgument(name: "maxEpochs", message: "BOHB needs max_epochs, the most epochs one trial trains.")
            }
            return try BOHBOracle(
                objective: objective, additionalObjectives: additionalObjectives, searchSpace: searchSpace, maxEpochs: maxEpochs, factor: factor ?? 3,
                hyperbandIterations: hyperbandIterations ?? 1, randomFraction: randomFraction ?? 1.0 / 3.0,
                minPointsInModel: minPointsInModel, maxTrials: maxTrials, seed: seed)
        case .tpe:
            return try TPEOracle(
                objective: objective, additionalObjectives: additionalObjectives, searchSpace: searchSpace, maxTrials: maxTrials,
                numStartupTrials: numInitialPoints ?? TPEStrategy.defaultStartupTrials,
                numCandidates: numCandidates ?? TPEStrategy.defaultCandidates, seed: seed)
        }
    }

    /// Restores an oracle of `kind` from the JSON its `exportState()` wrote.
    ///
    /// - Throws: `OracleError` when the state is not valid for that kind.
    public static func restoreOracle(kind: Kind, state: Data) throws(OracleError) -> any Oracle {
        switch kind {
        case .random: return try RandomSearchOracle(restoringFrom: state)
        case .grid: return try GridSearchOracle(restoringFrom: state)
        case .hyperband: return try HyperbandOracle(restoringFrom: state)
        case .bayesian: return try BayesianOptimizationOracle(restoringFrom: state)
        case .bohb: return try BOHBOracle(restoringFrom: state)
        case .tpe: return try TPEOracle(restoringFrom: state)
        }
    }

    /// Restores an oracle of `kind` from the parts a store kept (`SearchOracle.init(restoringCore:trials:)`):
    /// the core and each trial kept apart, in number order.
    ///
    /// - Throws: `OracleError` when the parts are not a valid state for that kind.
    public static func restoreOracle(kind: Kind, core: Data, trials: [Data]) throws(OracleError) -> any Oracle {
        switch kind {
        case .random: return try RandomSearchOracle(restoringCore: core, trials: trials)
        case .grid: return try GridSearchOracle(restoringCore: core, trials: trials)
        case .hyperband: return try HyperbandOracle(restoringCore: core, trials: trials)
        case .bayesian: return try BayesianOptimizationOracle(restoringCore: core, trials: trials)
        case .bohb: return try BOHBOracle(restoringCore: core, trials: trials)
        case .tpe: return try TPEOracle(restoringCore: core, trials: trials)
        }
    }

    /// The settings as a flat snake_case JSON object, as stored in `studies.oracle_config` (with the seed
    /// and the tuner's own per-trial settings added by the caller).
    public var displayConfiguration: Configuration {
        var result: Configuration = [:]
        if let maxTrials { result["max_trials"] = .int(maxTrials) }
        if let maxEpochs { result["max_epochs"] = .int(maxEpochs) }
        if let factor { result["factor"] = .int(factor) }
        if let hyperbandIterations { result["hyperband_iterations"] = .int(hyperbandIterations) }
        if let numInitialPoints { result["num_initial_points"] = .int(numInitialPoints) }
        if let alpha { result["alpha"] = .double(alpha) }
        if let beta { result["beta"] = .double(beta) }
        if let acquisition { result["acquisition"] = .string(acquisition) }
        if let randomFraction { result["random_fraction"] = .double(randomFraction) }
        if let minPointsInModel { result["min_points_in_model"] = .int(minPointsInModel) }
        if let numCandidates { result["num_candidates"] = .int(numCandidates) }
        return result
    }
}
