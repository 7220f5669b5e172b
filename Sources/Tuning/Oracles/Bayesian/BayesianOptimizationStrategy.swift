/// Gaussian-process Bayesian optimization as a search strategy, with Keras Tuner's arguments
/// (`num_initial_points`, `alpha`, `beta`) and the model of `BayesianOptimizer`: an ARD Matérn-5/2
/// kernel fitted by maximum a posteriori, log expected improvement (or the upper confidence bound),
/// a space-filling Sobol initial design, and a constant liar for trials still running.
///
/// Each suggestion encodes every trial as a point of the unit cube (see `BayesianSpaceEncoding`:
/// numbers in their own scale, categories one-hot, inactive conditional parameters parked at their
/// defaults) and hands the optimizer:
/// - COMPLETE trials as observations (scores of a maximized objective negated, since the optimizer
///   minimizes);
/// - RUNNING and WAITING trials as pending points, which the constant liar pretends returned the best
///   value seen, so parallel workers get different suggestions;
/// - FAILED and PRUNED trials as excluded points: never suggested again, but not modelled (a failure
///   has no score, and a pruned trial's last intermediate value is not comparable to final scores).
///
/// Enqueued trials come first. A suggestion never repeats a configuration any trial has used; when a
/// finite space is exhausted the search is over. If the model cannot be fitted (not expected: the
/// fit adds jitter until the covariance factors), the trial is drawn at random instead of stopping.
///
/// The optimizer, with its random stream and last fitted kernel hyperparameters (the next fit's warm
/// start), is part of the strategy's `Codable` state, so a restored oracle makes exactly the
/// suggestions an uninterrupted one would have made.
public struct BayesianOptimizationStrategy: SearchStrategy {
    /// The acquisition function maximized to choose the next trial.
    public enum Acquisition: String, Codable, Hashable, Sendable {
        /// Log expected improvement over the best score (the default): no parameter to tune, and
        /// informative even far from the best trial, where plain expected improvement underflows.
        case logExpectedImprovement
        /// Keras Tuner's upper confidence bound `μ + beta·σ` (in the objective's direction), with
        /// `beta` scaling the standard deviation as Keras Tuner does.
        case upperConfidenceBound
        /// scikit-optimize's `gp_hedge` (GP-Hedge): log expected improvement, log probability of
        /// improvement and the lower confidence bound `μ − 1.96σ` each propose a point and one is drawn
        /// by their past gains (`AcquisitionPortfolio.scikitOptimize`; `beta` is not used).
        case hedge
    }

    /// `"bayesian"`.
    public static var kind: String { "bayesian" }

    /// Keras Tuner's `num_initial_points`: random (space-filling) trials before the model is used;
    /// `nil` uses `BayesianOptimizer.defaultInitialPointCount(variableCount:budget:)`.
    public let numInitialPoints: Int?
    /// Keras Tuner's `alpha`: the observation noise variance (in standardized score units), the
    /// median of the prior of the fitted noise.
    public let alpha: Double
    /// Keras Tuner's `beta`: the exploration factor of the upper confidence bound (unused by log
    /// expected improvement).
    public let beta: Double
    /// The acquisition function.
    public let acquisition: Acquisition
    /// The trial budget the default initial design is capped by (a third of it at most), if known.
    public let budget: Int?
    /// The Gaussian-process optimizer, mid-search.
    public private(set) var optimizer: BayesianOptimizer

    /// Coordinates decoded onto an already-tried configuration (possible only through float rounding)
    /// are excluded and the optimizer asked again this many times before a random draw is used.
    static let collisionRetries = 3

    /// A Bayesian-optimization strategy.
    ///
    /// - Parameters:
    ///   - numInitialPoints: Random trials before the model is used; `nil` for one more than the
    ///     number of tuned parameters, at most 10 and at most a third of `budget`.
    ///   - alpha: The noise variance, positive (Keras Tuner's default 1e-4).
    ///   - beta: The exploration factor of `.upperConfidenceBound`, finite and ≥ 0 (default 2.6).
    ///   - acquisition: `.logExpectedImprovement` (default), `.upperConfidenceBound` or `.hedge`.
    ///   - budget: The planned number of trials (the oracle passes `maxTrials`).
    ///   - seed: The seed of the optimizer's random stream (initial design, fits, candidates).
    /// - Throws: `OracleError.invalidArgument` naming the argument out of range.
    public init(
        numInitialPoints: Int? = nil, alpha: Double = 1e-4, beta: Double = AcquisitionFunction.defaultBeta,
        acquisition: Acquisition = .logExpectedImprovement, budget: Int? = nil, seed: UInt64 = 0
    ) throws(OracleError) {
        try Self.check(numInitialPoints: numInitialPoints, alpha: alpha, beta: beta, budget: budget)
        var configuration = BayesianOptimizer.Configuration(
            alpha: alpha, initialPointCount: numInitialPoints, budget: budget)
        switch acquisition {
        case .logExpectedImprovement: configuration.acquisition = .logExpectedImprovement
        // The optimizer minimizes negated scores, where the upper bound becomes the lower one.
        case .upperConfidenceBound: configuration.acquisition = .lowerConfidenceBound(beta: beta)
        case .hedge: configuration.acquisition = .hedge(.scikitOptimize)
        }
        do {
            optimizer = try BayesianOptimizer(configuration: configuration, seed: seed)
        } catch {
            throw .invalidArgument(name: "alpha", message: "\(error.description); use a small positive noise such as 1e-4.")
        }
        self.numInitialPoints = numInitialPoints
        self.alpha = alpha
        self.beta = beta
        self.acquisition = acquisition
        self.budget = budget
    }

    private enum CodingKeys: String, CodingKey {
        case numInitialPoints, alpha, beta, acquisition, budget, optimizer
    }

    /// Restores a strategy written by `encode(to:)`, checking its arguments again.
    ///
    /// - Throws: `DecodingError` for missing fields, or `.dataCorrupted` with the `OracleError`
    ///   message for an argument out of range.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        numInitialPoints = try container.decodeIfPresent(Int.self, forKey: .numInitialPoints)
        alpha = try container.decode(Double.self, forKey: .alpha)
        beta = try container.decode(Double.self, forKey: .beta)
        acquisition = try container.decode(Acquisition.self, forKey: .acquisition)
        budget = try container.decodeIfPresent(Int.self, forKey: .budget)
        optimizer = try container.decode(BayesianOptimizer.self, forKey: .optimizer)
        do {
            try Self.check(numInitialPoints: numInitialPoints, alpha: alpha, beta: beta, budget: budget)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    /// Writes the arguments and the optimizer's state.
    ///
    /// - Throws: the encoder's errors (not expected).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(numInitialPoints, forKey: .numInitialPoints)
        try container.encode(alpha, forKey: .alpha)
        try container.encode(beta, forKey: .beta)
        try container.encode(acquisition, forKey: .acquisition)
        try container.encodeIfPresent(budget, forKey: .budget)
        try container.encode(optimizer, forKey: .optimizer)
    }

    private static func check(numInitialPoints: Int?, alpha: Double, beta: Double, budget: Int?) throws(OracleError) {
        if let numInitialPoints, numInitialPoints < 0 {
            throw .invalidArgument(
                name: "numInitialPoints", message: "\(numInitialPoints) is negative; give 0 or more, or nil for the default.")
        }
        guard alpha.isFinite, alpha > 0 else {
            throw .invalidArgument(name: "alpha", message: "\(alpha) is not a positive number; use a small noise such as 1e-4.")
        }
        guard beta.isFinite, beta >= 0 else {
            throw .invalidArgument(name: "beta", message: "\(beta) is not a finite number ≥ 0; Keras Tuner's default is 2.6.")
        }
        if let budget, budget < 1 {
            throw .invalidArgument(name: "budget", message: "\(budget) is not positive; give the planned number of trials, or nil.")
        }
    }

    /// The number of initial random trials for `space`: `numInitialPoints`, or the default for the
    /// number of tuned parameters and the budget.
    public func initialPointCount(for space: SearchSpace) -> Int {
        guard let cube = BayesianSpaceEncoding(space: space).cube else { return numInitialPoints ?? 0 }
        return optimizer.initialPointCount(for: cube)
    }

    /// Serves enqueued trials first, then the optimizer's suggestion; stops when the space is exhausted.
    public mutating func nextTrial(_ context: inout StrategyContext) -> StrategyDecision {
        if let values = context.takeEnqueued() { return .suggest(values) }
        let encoding = BayesianSpaceEncoding(space: context.space)
        // A space with nothing to tune (empty, or only fixed values) has at most one configuration.
        guard let cube = encoding.cube else { return Self.randomDecision(&context) }

        if let values = optimizer.suggestUntried(context, encoding: encoding, cube: cube, observes: { _ in true }) {
            return .suggest(values)
        }
        return Self.randomDecision(&context)
    }

    /// An untried random configuration, or `.stop` when there is none.
    private static func randomDecision(_ context: inout StrategyContext) -> StrategyDecision {
        context.drawUntriedValues().map { .suggest($0) } ?? .stop
    }
}

/// Keras Tuner's `BayesianOptimizationOracle`: a Gaussian process suggests each trial.
public typealias BayesianOptimizationOracle = SearchOracle<BayesianOptimizationStrategy>

extension SearchOracle where Strategy == BayesianOptimizationStrategy {
    /// A Bayesian-optimization oracle with Keras Tuner's arguments.
    ///
    /// ```swift
    /// let oracle = try BayesianOptimizationOracle(objective: .maximize("val_accuracy"), searchSpace: space,
    ///                                             maxTrials: 10, seed: 42)
    /// ```
    /// - Parameters:
    ///   - maxTrials: The most trials to start; it also caps the default initial design at a third of it.
    ///     `nil` searches until a finite space is exhausted.
    ///   - numInitialPoints: Random trials before the model is used (`nil`: one more than the number
    ///     of tuned parameters, at most 10 and at most a third of `maxTrials`).
    ///   - alpha: The noise variance (default 1e-4).
    ///   - beta: The exploration factor of `.upperConfidenceBound` (default 2.6).
    ///   - acquisition: `.logExpectedImprovement` (default), `.upperConfidenceBound` or `.hedge`.
    ///   - seed: The seed of every random choice; the same seed and scores give the same trials.
    /// - Throws: `OracleError.invalidArgument` naming `maxTrials`, `numInitialPoints`, `alpha` or
    ///   `beta` when out of range.
    public convenience init(
        objective: Objective, additionalObjectives: [Objective] = [], searchSpace: SearchSpace = SearchSpace(),
        maxTrials: Int? = nil, numInitialPoints: Int? = nil, alpha: Double = 1e-4,
        beta: Double = AcquisitionFunction.defaultBeta,
        acquisition: BayesianOptimizationStrategy.Acquisition = .logExpectedImprovement, seed: UInt64 = 0
    ) throws(OracleError) {
        if let maxTrials, maxTrials < 1 {
            throw .invalidArgument(name: "maxTrials", message: "\(maxTrials) is not positive; give at least 1, or nil for no limit.")
        }
        let strategy = try BayesianOptimizationStrategy(
            numInitialPoints: numInitialPoints, alpha: alpha, beta: beta, acquisition: acquisition, budget: maxTrials,
            seed: seed)
        try self.init(strategy: strategy, objective: objective, additionalObjectives: additionalObjectives,
                      searchSpace: searchSpace, maxTrials: maxTrials, seed: seed)
    }
}
