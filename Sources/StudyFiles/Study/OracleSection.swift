import Tuning

/// The `oracle` section of a study file as read: which search algorithm and its settings, with Keras
/// Tuner's defaults.
///
/// The algorithm's settings — `kind`, `maxTrials`, `maxEpochs`, `factor`, `hyperbandIterations`,
/// `numInitialPoints`, `alpha`, `beta`, `acquisition`, `numCandidates` — are set only for their kind (`nil` otherwise),
/// the same fields TunerKit's `OracleSettings` has; `StudyFileRuntime` turns the section into those
/// settings (`section.tunerSettings`), the oracle and the stored configuration. `seed`,
/// `executionsPerTrial`, `maxRetriesPerTrial` and `maxConsecutiveFailedTrials` go to the tuner's own
/// arguments and search options.
public struct OracleSection: Sendable, Hashable {
    /// The search algorithms a study file can name: `random` (`max_trials` required), `grid`,
    /// `hyperband` (`max_epochs` required), `bayesian` and `tpe` (both `max_trials` required). The raw values are
    /// the names in the file and the names the tuner stores.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Independent random samples.
        case random
        /// Every combination of discrete values, in order.
        case grid
        /// Successive halving over brackets of epoch budgets.
        case hyperband
        /// A Gaussian-process surrogate with expected improvement.
        case bayesian
        /// Hyperband whose new configurations come from a model (BOHB; `max_epochs` required).
        case bohb
        /// Tree-structured Parzen estimators (Optuna's default sampler).
        case tpe

        /// Whether trials follow Hyperband's brackets and rounds (and need `max_epochs`; no pruner).
        public var followsHyperbandSchedule: Bool { self == .hyperband || self == .bohb }
    }

    /// The algorithm.
    public var kind: Kind
    /// The most trials to start; `nil` runs the whole schedule (Hyperband) or grid.
    public var maxTrials: Int?
    /// Hyperband: the most epochs a trial trains.
    public var maxEpochs: Int?
    /// Hyperband: the reduction factor between rounds.
    public var factor: Int?
    /// Hyperband: how many times to run the whole schedule.
    public var hyperbandIterations: Int?
    /// Bayesian: random trials before the surrogate is used (`nil`: chosen from the space's size).
    /// TPE: random trials until this many have finished (Optuna's `n_startup_trials`; `nil`: 10).
    public var numInitialPoints: Int?
    /// Bayesian: the observation noise variance.
    public var alpha: Double?
    /// Bayesian: the exploration factor of the upper-confidence-bound acquisition.
    public var beta: Double?
    /// Bayesian: `log_ei`, `ucb` or `hedge`.
    public var acquisition: String?
    /// BOHB: the share of random configurations once the model is used (`nil`: 1/3).
    public var randomFraction: Double?
    /// BOHB: scored trials a budget needs before the model is fitted on it (`nil`: tuned parameters + 1).
    public var minPointsInModel: Int?
    /// TPE: candidates sampled per suggestion (Optuna's `n_ei_candidates`; `nil`: 24).
    public var numCandidates: Int?
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
    /// `numInitialPoints`, `alpha` 1e-4, `beta` 2.6, `acquisition` `log_ei`; TPE: `numInitialPoints`,
    /// `numCandidates`).
    public init(
        kind: Kind, maxTrials: Int? = nil, seed: UInt64 = 0, maxEpochs: Int? = nil, factor: Int = 3,
        hyperbandIterations: Int = 1, numInitialPoints: Int? = nil, alpha: Double = 1e-4, beta: Double = 2.6,
        acquisition: BayesianOptimizationStrategy.Acquisition = .logExpectedImprovement, numCandidates: Int? = nil,
        executionsPerTrial: Int = 1,
        maxRetriesPerTrial: Int = 0, maxConsecutiveFailedTrials: Int = 3
    ) {
        self.kind = kind
        self.maxTrials = maxTrials
        switch kind {
        case .random, .grid:
            break
        case .hyperband, .bohb:
            self.maxEpochs = maxEpochs
            self.factor = factor
            self.hyperbandIterations = hyperbandIterations
        case .bayesian:
            self.numInitialPoints = numInitialPoints
            self.alpha = alpha
            self.beta = beta
            switch acquisition {
            case .logExpectedImprovement: self.acquisition = "log_ei"
            case .upperConfidenceBound: self.acquisition = "ucb"
            case .hedge: self.acquisition = "hedge"
            }
        case .tpe:
            self.numInitialPoints = numInitialPoints
            self.numCandidates = numCandidates
        }
        self.seed = seed
        self.executionsPerTrial = executionsPerTrial
        self.maxRetriesPerTrial = maxRetriesPerTrial
        self.maxConsecutiveFailedTrials = maxConsecutiveFailedTrials
    }
}
