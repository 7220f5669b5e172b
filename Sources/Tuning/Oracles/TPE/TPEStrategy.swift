/// The Tree-structured Parzen Estimator as a search strategy: Optuna's default `TPESampler`
/// (multivariate, with the group decomposition and the constant liar) on this package's spaces.
///
/// Each suggestion, once `numStartupTrials` trials have finished (COMPLETE or PRUNED; until then
/// trials are drawn at random, as Optuna's startup trials are):
/// 1. every trial is encoded (`TPESpaceEncoding`: numbers in their own scale, log ones in log space,
///    discrete values as intervals, categories as indices), and the finished and pending ones are split
///    into good and bad (`TPETrialSplit`: the best `min(⌈0.1·n⌉, 25)` of `n` finished trials are good;
///    the rest, and every RUNNING or WAITING trial — the constant liar — are bad; FAILED trials are
///    ignored);
/// 2. the tuned parameters are decomposed into groups that are always active together
///    (`TPEParameterGroups`), which is how conditional parameters are handled natively;
/// 3. for each group, a Parzen estimator `l` of the good trials and `g` of the bad ones that observed
///    the group (`ParzenEstimator`), `numCandidates` samples from `l`, and the one with the largest
///    `log l(x) − log g(x)` kept;
/// 4. the configuration is assembled parents first, taking each active parameter from its group's
///    sample, so a parameter whose conditions do not hold is never part of the trial.
///
/// The objective's direction decides which trials are good, so maximizing and minimizing are the same
/// search. Enqueued trials come first. A suggestion never repeats a configuration a trial has used:
/// the best untried combination of the groups' candidates is taken (see `TPEModel.suggest`); when
/// every combination has been tried the groups are sampled again (`collisionRetries` times), then an
/// untried random configuration is drawn; a finite space that is exhausted ends the search.
///
/// Every random choice is drawn from the oracle's generator and the strategy keeps only its settings,
/// so a restored oracle (whole state or in parts) makes exactly the suggestions an uninterrupted one
/// would have made.
public struct TPEStrategy: SearchStrategy, Hashable {
    /// `"tpe"`.
    public static var kind: String { "tpe" }

    /// Optuna's `n_startup_trials`: trials drawn at random until this many have finished.
    public let numStartupTrials: Int
    /// Optuna's `n_ei_candidates`: samples drawn from the good estimator per suggestion.
    public let numCandidates: Int
    /// Optuna's `prior_weight`: the weight of the prior kernel, against 1 for each observation.
    public let priorWeight: Double
    /// Optuna's `constant_liar`: whether RUNNING and WAITING trials count as bad observations.
    public let constantLiar: Bool

    /// Optuna's default `n_startup_trials`.
    public static let defaultStartupTrials = 10
    /// Optuna's default `n_ei_candidates`.
    public static let defaultCandidates = 24
    /// Samplings of the groups whose every combination may have been tried before a random draw is used.
    static let collisionRetries = 3

    /// A TPE strategy with Optuna's defaults unless given.
    ///
    /// - Parameters:
    ///   - numStartupTrials: Random trials until this many have finished, ≥ 0 (default 10).
    ///   - numCandidates: Candidates sampled per suggestion, ≥ 1 (default 24).
    ///   - priorWeight: The prior kernel's weight, finite and positive (default 1).
    ///   - constantLiar: Whether pending trials count as bad observations (default `true`).
    /// - Throws: `OracleError.invalidArgument` naming the argument out of range.
    public init(
        numStartupTrials: Int = TPEStrategy.defaultStartupTrials, numCandidates: Int = TPEStrategy.defaultCandidates,
        priorWeight: Double = 1, constantLiar: Bool = true
    ) throws(OracleError) {
        try Self.check(numStartupTrials: numStartupTrials, numCandidates: numCandidates, priorWeight: priorWeight)
        self.numStartupTrials = numStartupTrials
        self.numCandidates = numCandidates
        self.priorWeight = priorWeight
        self.constantLiar = constantLiar
    }

    private enum CodingKeys: String, CodingKey {
        case numStartupTrials, numCandidates, priorWeight, constantLiar
    }

    /// Restores a strategy written by `encode(to:)`, checking its settings again.
    ///
    /// - Throws: `DecodingError` for missing fields, or `.dataCorrupted` with the `OracleError`
    ///   message for a setting out of range.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        numStartupTrials = try container.decode(Int.self, forKey: .numStartupTrials)
        numCandidates = try container.decode(Int.self, forKey: .numCandidates)
        priorWeight = try container.decode(Double.self, forKey: .priorWeight)
        constantLiar = try container.decode(Bool.self, forKey: .constantLiar)
        do {
            try Self.check(numStartupTrials: numStartupTrials, numCandidates: numCandidates, priorWeight: priorWeight)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    /// Writes the settings (the strategy has no other state).
    ///
    /// - Throws: the encoder's errors (not expected).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(numStartupTrials, forKey: .numStartupTrials)
        try container.encode(numCandidates, forKey: .numCandidates)
        try container.encode(priorWeight, forKey: .priorWeight)
        try container.encode(constantLiar, forKey: .constantLiar)
    }

    private static func check(numStartupTrials: Int, numCandidates: Int, priorWeight: Double) throws(OracleError) {
        guard numStartupTrials >= 0 else {
            throw .invalidArgument(
                name: "numStartupTrials", message: "\(numStartupTrials) is negative; give 0 or more (Optuna's default is 10).")
        }
        guard numCandidates >= 1 else {
            throw .invalidArgument(
                name: "numCandidates", message: "\(numCandidates) is not positive; give at least 1 (Optuna's default is 24).")
        }
        guard priorWeight.isFinite, priorWeight > 0 else {
            throw .invalidArgument(
                name: "priorWeight", message: "\(priorWeight) is not a positive number; Optuna's default is 1.")
        }
    }

    /// Serves enqueued trials first, then random trials until `numStartupTrials` have finished, then
    /// the TPE suggestion; stops when the space is exhausted.
    public mutating func nextTrial(_ context: inout StrategyContext) -> StrategyDecision {
        if let values = context.takeEnqueued() { return .suggest(values) }
        let finished = context.trials.count { $0.state == .complete || $0.state == .pruned }
        guard finished >= numStartupTrials else { return Self.randomDecision(&context) }
        let encoding = TPESpaceEncoding(space: context.space)
        // A space with nothing to tune has at most one configuration.
        guard !encoding.isEmpty else { return Self.randomDecision(&context) }
        let model = TPEModel(
            encoding: encoding, trials: context.trials, objectives: context.objectives,
            priorWeight: priorWeight, constantLiar: constantLiar)
        var samples: [Double] = []
        // A copy to look tried configurations up in while the generator is borrowed (the trials and the
        // tried set are shared, not copied: neither changes here).
        let tried = context
        for _ in 0..<Self.collisionRetries {
            if let values = model.suggest(
                candidates: numCandidates, samples: &samples, random: &context.random, isTried: tried.hasBeenTried) {
                return .suggest(values)
            }
        }
        return Self.randomDecision(&context)
    }

    /// An untried random configuration, or `.stop` when there is none.
    private static func randomDecision(_ context: inout StrategyContext) -> StrategyDecision {
        context.drawUntriedValues().map { .suggest($0) } ?? .stop
    }
}

/// Optuna's `TPESampler`: Parzen estimators of the good and the bad trials suggest each trial.
public typealias TPEOracle = SearchOracle<TPEStrategy>

extension SearchOracle where Strategy == TPEStrategy {
    /// A TPE oracle with Optuna's `TPESampler` defaults unless given.
    ///
    /// ```swift
    /// let oracle = try TPEOracle(objective: .maximize("val_accuracy"), searchSpace: space, maxTrials: 50, seed: 42)
    /// ```
    /// - Parameters:
    ///   - additionalObjectives: The objectives after `objective`, for a search on several: trials that end
    ///     with every value (`TrialOutcome.completeWith`) are split into good and bad by constrained
    ///     non-dominated sorting and hypervolume contribution, as Optuna's multi-objective TPE does.
    ///   - maxTrials: The most trials to start; `nil` searches until a finite space is exhausted.
    ///   - numStartupTrials: Random trials until this many have finished (default 10).
    ///   - numCandidates: Candidates sampled from the good estimator per suggestion (default 24).
    ///   - priorWeight: The weight of the prior kernel (default 1).
    ///   - constantLiar: Whether RUNNING trials count as bad observations, so parallel workers get
    ///     different suggestions (default `true`).
    ///   - seed: The seed of every random choice; the same seed and scores give the same trials.
    /// - Throws: `OracleError.invalidArgument` naming `maxTrials`, `numStartupTrials`, `numCandidates`
    ///   or `priorWeight` when out of range.
    public convenience init(
        objective: Objective, additionalObjectives: [Objective] = [], searchSpace: SearchSpace = SearchSpace(),
        maxTrials: Int? = nil, numStartupTrials: Int = TPEStrategy.defaultStartupTrials,
        numCandidates: Int = TPEStrategy.defaultCandidates, priorWeight: Double = 1, constantLiar: Bool = true, seed: UInt64 = 0
    ) throws(OracleError) {
        let strategy = try TPEStrategy(
            numStartupTrials: numStartupTrials, numCandidates: numCandidates, priorWeight: priorWeight,
            constantLiar: constantLiar)
        try self.init(strategy: strategy, objective: objective, additionalObjectives: additionalObjectives,
                      searchSpace: searchSpace, maxTrials: maxTrials, seed: seed)
    }
}
