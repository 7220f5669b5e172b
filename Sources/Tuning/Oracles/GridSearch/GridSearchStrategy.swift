/// Grid search: every combination of the parameters' values in a stable order (Keras Tuner's): the
/// first-defined parameter changes slowest, each parameter runs through its default first and then
/// its other values in order, and parameters inside a conditional scope only vary while active.
///
/// Floats need a `step`. The position in the grid is part of the state, so a restored search goes on
/// from the next combination; combinations already used (by enqueued trials too) are skipped.
public struct GridSearchStrategy: SearchStrategy, Hashable {
    /// `"grid"`.
    public static var kind: String { "grid" }

    /// The last combination handed out, `nil` before the first.
    public private(set) var cursor: [String: HyperParameterValue]?

    /// A grid search starting at the first combination.
    public init() {
        cursor = nil
    }

    /// Refuses spaces with a continuous float.
    ///
    /// - Throws: `OracleError.gridNeedsDiscreteParameter` naming the first float without a step.
    public func validate(_ space: SearchSpace) throws(OracleError) {
        if let continuous = space.specs.first(where: { $0.valueCount == nil }) {
            throw .gridNeedsDiscreteParameter(name: continuous.name)
        }
    }

    /// Serves enqueued trials first, then the next untried combination; stops after the last one.
    public mutating func nextTrial(_ context: inout StrategyContext) -> StrategyDecision {
        if let values = context.takeEnqueued() { return .suggest(values) }
        var candidate = cursor.map { context.space.combination(after: $0) } ?? context.space.firstCombination()
        while let combination = candidate {
            cursor = combination
            if !context.hasBeenTried(combination) { return .suggest(combination) }
            candidate = context.space.combination(after: combination)
        }
        return .stop
    }

    /// Restarts from the first combination: new parameters make new combinations everywhere in the
    /// order, and those already tried are skipped.
    public mutating func spaceDidChange(_ space: SearchSpace) {
        cursor = nil
    }
}

/// Keras Tuner's `GridSearchOracle`: every combination, in a stable order.
public typealias GridSearchOracle = SearchOracle<GridSearchStrategy>

extension SearchOracle where Strategy == GridSearchStrategy {
    /// A grid-search oracle; `maxTrials` `nil` runs the whole grid. `additionalObjectives` (for a search
    /// on several) only order `bestTrials`, which checkpoint retention reads; the grid never depends on
    /// scores.
    ///
    /// - Throws: `OracleError.gridNeedsDiscreteParameter` when a float has no step;
    ///   `.invalidArgument` for a non-positive `maxTrials`.
    public convenience init(
        objective: Objective, additionalObjectives: [Objective] = [], searchSpace: SearchSpace = SearchSpace(),
        maxTrials: Int? = nil, seed: UInt64 = 0
    ) throws(OracleError) {
        try self.init(
            strategy: GridSearchStrategy(), objective: objective, additionalObjectives: additionalObjectives, searchSpace: searchSpace,
            maxTrials: maxTrials, seed: seed)
    }
}
