/// Model-based Hyperband (BOHB, Falkner et al. 2018): Hyperband's brackets, rounds and promotions —
/// with our optimizer-state resume — but each new configuration of a first round comes from a model
/// fitted on the results of the largest budget (epochs) that has enough of them, with a fraction of
/// uniformly random configurations kept so the search never trusts a wrong model for good.
///
/// The model is this package's Gaussian process with log expected improvement (`BayesianOptimizer`,
/// the Bayesian oracle's), where Falkner et al. use a kernel density estimator: the issue allows
/// either, and the GP is the one already measured here (docs/oracles.md, "BOHB"). Budgets are the
/// epochs a trial trained to (`HyperbandAssignment.epochs`); a trial's score counts at its own budget
/// only, so a promoted configuration adds a point at the higher budget.
///
/// Until some budget has `minPointsInModel` scored trials (default: the number of tuned parameters
/// plus one, as in the paper), every configuration is random and BOHB is exactly Hyperband with the
/// same seed. Trials still running are pending points for the model (the constant liar), so parallel
/// workers get different configurations.
///
/// On several objectives or with constraints, Hyperband promotes by constrained non-dominated sorting
/// (`FrontSelection`) and the model is the Bayesian oracle's one GP per objective and per constraint,
/// maximizing log expected hypervolume improvement times the probability of feasibility on the model
/// budget's results; a budget counts the trials that ended there with every value.
public struct BOHBStrategy: SearchStrategy {
    /// `"bohb"`.
    public static var kind: String { "bohb" }

    /// The brackets, rounds and promotions.
    public private(set) var hyperband: HyperbandStrategy
    /// The share of new configurations drawn uniformly at random even once the model is used (the
    /// paper's ρ, 1/3 by default).
    public let randomFraction: Double
    /// Scored trials a budget needs before the model is fitted on it; nil: tuned parameters + 1.
    public let minPointsInModel: Int?
    /// The Gaussian process and its random stream (part of the state, so a resume suggests the same).
    public private(set) var optimizer: BayesianOptimizer

    /// A BOHB strategy with Hyperband's arguments and the model's.
    ///
    /// - Throws: `OracleError.invalidArgument` for Hyperband's invalid arguments, a `randomFraction`
    ///   outside [0, 1] or a `minPointsInModel` below 1.
    public init(maxEpochs: Int, factor: Int = 3, iterations: Int = 1, randomFraction: Double = 1.0 / 3.0,
                minPointsInModel: Int? = nil, seed: UInt64 = 0) throws(OracleError) {
        try Self.check(randomFraction: randomFraction, minPointsInModel: minPointsInModel)
        hyperband = try HyperbandStrategy(maxEpochs: maxEpochs, factor: factor, iterations: iterations)
        self.randomFraction = randomFraction
        self.minPointsInModel = minPointsInModel
        // No initial random points inside the optimizer: BOHB itself decides when the model is used.
        var configuration = BayesianOptimizer.Configuration(alpha: 1e-4, initialPointCount: 0)
        configuration.acquisition = .logExpectedImprovement
        do {
            optimizer = try BayesianOptimizer(configuration: configuration, seed: seed)
        } catch {
            throw .invalidArgument(name: "seed", message: error.description)
        }
    }

    private enum CodingKeys: String, CodingKey {
        case hyperband, randomFraction, minPointsInModel, optimizer
    }

    /// Restores a stored strategy, checking its settings.
    ///
    /// - Throws: `DecodingError.dataCorrupted` with the `OracleError` message for invalid settings, and
    ///   Hyperband's own errors for an inconsistent bracket list.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        hyperband = try container.decode(HyperbandStrategy.self, forKey: .hyperband)
        randomFraction = try container.decode(Double.self, forKey: .randomFraction)
        minPointsInModel = try container.decodeIfPresent(Int.self, forKey: .minPointsInModel)
        optimizer = try container.decode(BayesianOptimizer.self, forKey: .optimizer)
        do {
            try Self.check(randomFraction: randomFraction, minPointsInModel: minPointsInModel)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    /// Writes the strategy (Hyperband's books, the settings, the optimizer's state).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(hyperband, forKey: .hyperband)
        try container.encode(randomFraction, forKey: .randomFraction)
        try container.encodeIfPresent(minPointsInModel, forKey: .minPointsInModel)
        try container.encode(optimizer, forKey: .optimizer)
    }

    private static func check(randomFraction: Double, minPointsInModel: Int?) throws(OracleError) {
        guard randomFraction.isFinite, (0...1).contains(randomFraction) else {
            throw .invalidArgument(name: "randomFraction",
                                   message: "\(randomFraction) is not a share between 0 and 1; the paper uses 1/3.")
        }
        if let minPointsInModel, minPointsInModel < 1 {
            throw .invalidArgument(name: "minPointsInModel",
                                   message: "\(minPointsInModel) is not positive; give at least 1, or nil for the parameters + 1.")
        }
    }

    /// The schedule of the Hyperband arguments.
    public var schedule: HyperbandSchedule { hyperband.schedule }

    /// Hyperband's decision, its new configurations drawn by `drawConfiguration`.
    public mutating func nextTrial(_ context: inout StrategyContext) -> StrategyDecision {
        // Copies, so the closure does not reach into `self` while `hyperband` is being mutated.
        var optimizer = self.optimizer
        let randomFraction = self.randomFraction
        let minPointsInModel = self.minPointsInModel
        let decision = hyperband.nextTrial(&context) { context in
            Self.drawConfiguration(&context, optimizer: &optimizer, randomFraction: randomFraction,
                                   minPointsInModel: minPointsInModel)
        }
        self.optimizer = optimizer
        return decision
    }

    /// Trials Hyperband may still promote.
    public func trialsThatMayBePromoted(_ context: StrategyContext) -> [Trial.ID] {
        hyperband.trialsThatMayBePromoted(context)
    }

    /// The budget the model is fitted on for `trials` in `space`: the largest number of epochs at which
    /// at least `minPointsInModel` trials (default: tuned parameters + 1) ended with a finite score (with
    /// several objectives or constraints, with every value finite), or nil while no budget has that many.
    public static func modelBudget(trials: [Trial], space: SearchSpace, minPointsInModel: Int?) -> Int? {
        let tuned = space.specs.filter { spec in
            if case .fixed = spec.kind { return false }
            return spec.valueCount != 1
        }.count
        let needed = minPointsInModel ?? tuned + 1
        var counts: [Int: Int] = [:]
        for trial in trials where trial.state == .complete {
            guard let epochs = trial.hyperband?.epochs, let score = trial.score, score.isFinite else { continue }
            if let values = trial.objectiveValues,
               !(values.objectives.allSatisfy(\.isFinite) && values.constraints.allSatisfy(\.isFinite)) { continue }
            counts[epochs, default: 0] += 1
        }
        return counts.filter { $0.value >= needed }.keys.max()
    }

    /// A new configuration: random while no budget has enough results, and with probability
    /// `randomFraction` after that; otherwise the Gaussian process's choice on the model budget's
    /// results (running trials as pending points). Falls back to random when the model's choice has
    /// been tried or the model cannot be fitted; nil only when the space is exhausted.
    static func drawConfiguration(_ context: inout StrategyContext, optimizer: inout BayesianOptimizer,
                                  randomFraction: Double, minPointsInModel: Int?) -> [String: HyperParameterValue]? {
        let encoding = BayesianSpaceEncoding(space: context.space)
        guard let cube = encoding.cube,
              let budget = modelBudget(trials: context.trials, space: context.space, minPointsInModel: minPointsInModel) else {
            return context.drawUntriedValues()
        }
        // The coin is drawn from the oracle's stream, so a resumed search makes the same choices; with a
        // fraction of 1 no coin is drawn, and BOHB is Hyperband draw for draw.
        if randomFraction >= 1 || context.random.nextDouble() < randomFraction { return context.drawUntriedValues() }
        // Only the model budget's results are evidence; the others (and pruned trials) are tried points.
        return optimizer.suggestUntried(context, encoding: encoding, cube: cube) { $0.hyperband?.epochs == budget }
            ?? context.drawUntriedValues()
    }
}

/// BOHB: Hyperband whose new configurations come from a model (`BOHBStrategy`).
public typealias BOHBOracle = SearchOracle<BOHBStrategy>

extension SearchOracle where Strategy == BOHBStrategy {
    /// A BOHB oracle: Hyperband's arguments (Keras Tuner's names) and the model's.
    ///
    /// ```swift
    /// let oracle = try BOHBOracle(objective: .maximize("val_accuracy"), searchSpace: space,
    ///                             maxEpochs: 27, factor: 3, seed: 42)
    /// ```
    /// `additionalObjectives` makes it a search on several objectives (see `BOHBStrategy`).
    ///
    /// - Throws: `OracleError.invalidArgument` as `HyperbandOracle` does, and for a `randomFraction`
    ///   outside [0, 1] or a `minPointsInModel` below 1.
    public convenience init(
        objective: Objective, additionalObjectives: [Objective] = [], searchSpace: SearchSpace = SearchSpace(),
        maxEpochs: Int, factor: Int = 3,
        hyperbandIterations: Int = 1, randomFraction: Double = 1.0 / 3.0, minPointsInModel: Int? = nil,
        maxTrials: Int? = nil, seed: UInt64 = 0
    ) throws(OracleError) {
        let strategy = try BOHBStrategy(
            maxEpochs: maxEpochs, factor: factor, iterations: hyperbandIterations, randomFraction: randomFraction,
            minPointsInModel: minPointsInModel, seed: seed)
        try self.init(strategy: strategy, objective: objective, additionalObjectives: additionalObjectives,
                      searchSpace: searchSpace, maxTrials: maxTrials, seed: seed)
    }

    /// The schedule of this oracle's Hyperband arguments.
    public var schedule: HyperbandSchedule { state.strategy.schedule }

    /// The budget (epochs) the next model-based configuration would be fitted on, or nil while every
    /// new configuration is random (see `BOHBStrategy.modelBudget`).
    public var modelBudget: Int? {
        let state = self.state
        return BOHBStrategy.modelBudget(trials: state.trials, space: state.space, minPointsInModel: state.strategy.minPointsInModel)
    }
}
