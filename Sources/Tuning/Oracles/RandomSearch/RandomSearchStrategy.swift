/// Random search: each trial draws every active parameter uniformly in its own scale (log-uniform
/// for log sampling, every step value equally likely), never repeating a configuration already used
/// while untried ones remain. A finite space that is exhausted ends the search.
public struct RandomSearchStrategy: SearchStrategy, Hashable {
    /// `"random"`.
    public static var kind: String { "random" }

    /// Random search keeps no state beyond the oracle's random generator.
    public init() {}

    /// Serves enqueued trials first, then a fresh untried random configuration; stops when none is left.
    public mutating func nextTrial(_ context: inout StrategyContext) -> StrategyDecision {
        if let values = context.takeEnqueued() { return .suggest(values) }
        if let values = context.drawUntriedValues() { return .suggest(values) }
        return .stop
    }
}

/// Keras Tuner's `RandomSearchOracle`: uniform random configurations, no repeats.
public typealias RandomSearchOracle = SearchOracle<RandomSearchStrategy>

extension SearchOracle where Strategy == RandomSearchStrategy {
    /// A random-search oracle.
    ///
    /// ```swift
    /// let oracle = try RandomSearchOracle(objective: .maximize("val_accuracy"), searchSpace: space,
    ///                                     maxTrials: 5, seed: 42)
    /// ```
    /// `additionalObjectives` (for a search on several) only order `bestTrials`, which checkpoint
    /// retention reads; the suggestions never depend on scores.
    ///
    /// - Throws: `OracleError.invalidArgument` for a non-positive `maxTrials`.
    public convenience init(
        objective: Objective, additionalObjectives: [Objective] = [], searchSpace: SearchSpace = SearchSpace(),
        maxTrials: Int? = nil, seed: UInt64 = 0
    ) throws(OracleError) {
        try self.init(
            strategy: RandomSearchStrategy(), objective: objective, additionalObjectives: additionalObjectives, searchSpace: searchSpace,
            maxTrials: maxTrials, seed: seed)
    }
}
