/// Hyperband (Li et al., 2018) as Keras Tuner runs it: brackets from the most aggressive (many
/// trials, few epochs) to plain random search, each doing successive halving: after a round, the best
/// `1/factor` of its trials are promoted and continue training up to the next round's epochs.
///
/// The order of trials follows Keras Tuner's `HyperbandOracle.populate_space`: fill a bracket's
/// first round with random configurations, then promote; when nothing can start in the open
/// brackets, open the next bracket (so parallel workers stay busy), and only after the last bracket
/// of the last iteration wait for running trials. A promotion happens only when it is certain: the
/// best finished candidate is promoted once fewer candidates are still unfinished than places remain,
/// so no unfinished trial could still beat it; each candidate is promoted at most once.
///
/// Two deliberate differences from Keras Tuner, both only when trials fail or the space runs out:
/// failed and pruned trials count as finished-and-last rather than blocking their round, so the best
/// survivors still fill it; and a first round that cannot be filled because the space is exhausted
/// is closed at the size reached so its trials are still promoted (Keras Tuner stops the search).
public struct HyperbandStrategy: SearchStrategy, Hashable {
    /// `"hyperband"`.
    public static var kind: String { "hyperband" }

    /// One trial's place in a round, with the trial it continues.
    struct Entry: Codable, Hashable, Sendable {
        var trial: Trial.ID
        var parent: Trial.ID?
    }

    /// A bracket being filled.
    struct BracketState: Codable, Hashable, Sendable {
        var iteration: Int
        var bracket: Int
        /// The trials of each round.
        var rounds: [[Entry]]
        /// How many trials each round will hold: Keras Tuner's size, lowered when a round can no
        /// longer be filled (failures, exhausted space).
        var targets: [Int]

        func isClosed(_ round: Int) -> Bool { rounds[round].count >= targets[round] }
        var isFinished: Bool { isClosed(rounds.count - 1) }
    }

    /// The most epochs a trial reaches.
    public let maxEpochs: Int
    /// The reduction factor between rounds.
    public let factor: Int
    /// How many times the brackets are run.
    public let iterations: Int
    private var currentIteration: Int
    private var currentBracket: Int
    private var brackets: [BracketState]

    private var arithmetic: HyperbandArithmetic { HyperbandArithmetic(maxEpochs: maxEpochs, factor: factor) }

    /// A Hyperband strategy with Keras Tuner's arguments.
    ///
    /// - Throws: `OracleError.invalidArgument` when `maxEpochs < 1`, `factor < 2` or `iterations < 1`.
    public init(maxEpochs: Int, factor: Int = 3, iterations: Int = 1) throws(OracleError) {
        try HyperbandSchedule.check(maxEpochs: maxEpochs, factor: factor, iterations: iterations)
        self.maxEpochs = maxEpochs
        self.factor = factor
        self.iterations = iterations
        currentIteration = 0
        currentBracket = HyperbandArithmetic(maxEpochs: maxEpochs, factor: factor).largestBracket
        brackets = []
        startBracket()
    }

    /// Restores a strategy from its stored state, checking the arguments (a factor below 2 would
    /// never end the bracket count).
    ///
    /// - Throws: `DecodingError.dataCorrupted` with the `OracleError` message for invalid arguments
    ///   or an inconsistent bracket list.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        maxEpochs = try container.decode(Int.self, forKey: .maxEpochs)
        factor = try container.decode(Int.self, forKey: .factor)
        iterations = try container.decode(Int.self, forKey: .iterations)
        currentIteration = try container.decode(Int.self, forKey: .currentIteration)
        currentBracket = try container.decode(Int.self, forKey: .currentBracket)
        brackets = try container.decode([BracketState].self, forKey: .brackets)
        do {
            try HyperbandSchedule.check(maxEpochs: maxEpochs, factor: factor, iterations: iterations)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
        let largest = arithmetic.largestBracket
        let consistent = (0...largest).contains(currentBracket) && currentIteration >= 0
            && brackets.allSatisfy { (0...largest).contains($0.bracket) && $0.rounds.count == $0.bracket + 1 && $0.targets.count == $0.bracket + 1 }
        guard consistent else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "The Hyperband brackets do not match maxEpochs \(maxEpochs) and factor \(factor)"))
        }
    }

    /// The schedule these arguments give.
    public var schedule: HyperbandSchedule {
        HyperbandSchedule(checkedMaxEpochs: maxEpochs, factor: factor, iterations: iterations)
    }

    private mutating func startBracket() {
        let bracket = currentBracket
        let targets = (0...bracket).map { arithmetic.trials(bracket: bracket, round: $0) }
        brackets.append(BracketState(
            iteration: currentIteration, bracket: bracket, rounds: Array(repeating: [], count: bracket + 1), targets: targets))
    }

    /// Keras Tuner's `_increment_bracket_num`: the next bracket down, wrapping to a new iteration.
    private mutating func advanceBracket() {
        currentBracket -= 1
        if currentBracket < 0 {
            currentBracket = arithmetic.largestBracket
            currentIteration += 1
        }
    }

    /// Fills the open brackets' first rounds, then promotes, then opens the next bracket; waits or
    /// stops after the last bracket of the last iteration.
    public mutating func nextTrial(_ context: inout StrategyContext) -> StrategyDecision {
        nextTrial(&context) { $0.drawUntriedValues() }
    }

    /// `nextTrial(_:)` with the new configurations of first rounds drawn by `draw` (nil: the space is
    /// exhausted) instead of uniformly at random: BOHB's model-based Hyperband (`BOHBStrategy`).
    mutating func nextTrial(_ context: inout StrategyContext,
                            drawingWith draw: (inout StrategyContext) -> [String: HyperParameterValue]?) -> StrategyDecision {
        while true {
            closeUnfillableRounds(context)
            brackets.removeAll(where: \.isFinished)
            for index in brackets.indices {
                if let decision = nextTrial(inBracket: index, &context, draw: draw) { return decision }
            }
            if currentBracket == 0 && currentIteration + 1 >= iterations {
                return context.hasRunningTrials ? .wait : .stop
            }
            advanceBracket()
            startBracket()
        }
    }

    private mutating func nextTrial(inBracket index: Int, _ context: inout StrategyContext,
                                    draw: (inout StrategyContext) -> [String: HyperParameterValue]?) -> StrategyDecision? {
        let bracket = brackets[index].bracket
        if !brackets[index].isClosed(0) {
            if let values = context.takeEnqueued() ?? draw(&context) {
                brackets[index].rounds[0].append(Entry(trial: context.upcomingTrialID, parent: nil))
                return .suggest(values, hyperband: assignment(index, round: 0, parent: nil))
            }
            // The space is exhausted: promote among the trials the round already has.
            brackets[index].targets[0] = brackets[index].rounds[0].count
            closeUnfillableRounds(context)
        }
        for round in 1..<(bracket + 1) where !brackets[index].isClosed(round) {
            let candidates = unpromoted(bracketIndex: index, round: round, context)
            let unfinished = candidates.count { ($0.state == .running || $0.state == .waiting) }
                + (brackets[index].targets[round - 1] - brackets[index].rounds[round - 1].count)
            let places = brackets[index].targets[round] - brackets[index].rounds[round].count
            guard unfinished < places,
                  let best = ranked(candidates.filter { $0.state == .complete }, context, promoting: places).first else {
                continue
            }
            brackets[index].rounds[round].append(Entry(trial: context.upcomingTrialID, parent: best.id))
            return .suggest(best.values, hyperband: assignment(index, round: round, parent: best.id))
        }
        return nil
    }

    /// The trials of `round - 1` not yet promoted into `round`.
    private func unpromoted(bracketIndex index: Int, round: Int, _ context: StrategyContext) -> [Trial] {
        let promoted = Set(brackets[index].rounds[round].compactMap(\.parent))
        return brackets[index].rounds[round - 1].compactMap { entry in
            promoted.contains(entry.trial) ? nil : context.trial(entry.trial)
        }
    }

    /// `trials` best first: by score, or, for trials that ended with several values (or constraint
    /// values), by constrained non-dominated sorting and, within the front that does not fit the
    /// `promoting` places left, hypervolume contribution (`FrontSelection`).
    private func ranked(_ trials: [Trial], _ context: StrategyContext, promoting places: Int) -> [Trial] {
        if trials.contains(where: { $0.objectiveValues != nil }) {
            return FrontSelection.ranked(trials, objectives: context.objectives, count: places)
        }
        return trials.sorted { first, second in
            let a = first.score ?? 0
            let b = second.score ?? 0
            if a != b { return context.objective.isBetter(a, than: b) }
            return first.id < second.id
        }
    }

    /// Lowers the target of every round that can no longer grow: its previous round is closed,
    /// all of that round's trials have finished, and none of them is left to promote.
    private mutating func closeUnfillableRounds(_ context: StrategyContext) {
        for index in brackets.indices {
            for round in 1..<brackets[index].rounds.count
            where !brackets[index].isClosed(round) && brackets[index].isClosed(round - 1) {
                let candidates = unpromoted(bracketIndex: index, round: round, context)
                let stillUseful = candidates.contains { $0.state == .running || $0.state == .waiting || $0.state == .complete }
                if !stillUseful { brackets[index].targets[round] = brackets[index].rounds[round].count }
            }
        }
    }

    private func assignment(_ index: Int, round: Int, parent: Trial.ID?) -> HyperbandAssignment {
        let bracket = brackets[index].bracket
        return HyperbandAssignment(
            iteration: brackets[index].iteration, bracket: bracket, round: round,
            epochs: arithmetic.epochs(bracket: bracket, round: round),
            initialEpoch: arithmetic.initialEpoch(bracket: bracket, round: round), parentTrialID: parent)
    }

    /// Trials of open brackets that may still be promoted: unpromoted, not failed, in a round whose
    /// next round still has places.
    public func trialsThatMayBePromoted(_ context: StrategyContext) -> [Trial.ID] {
        var ids: [Trial.ID] = []
        for index in brackets.indices {
            for round in 1..<brackets[index].rounds.count where !brackets[index].isClosed(round) {
                for trial in unpromoted(bracketIndex: index, round: round, context)
                where trial.state == .complete || trial.state == .running || trial.state == .waiting {
                    ids.append(trial.id)
                }
            }
        }
        return ids.sorted()
    }
}

/// Keras Tuner's `HyperbandOracle`.
public typealias HyperbandOracle = SearchOracle<HyperbandStrategy>

extension SearchOracle where Strategy == HyperbandStrategy {
    /// A Hyperband oracle with Keras Tuner's arguments.
    ///
    /// ```swift
    /// let oracle = try HyperbandOracle(objective: .maximize("val_accuracy"), searchSpace: space,
    ///                                  maxEpochs: 10, factor: 3, hyperbandIterations: 2, seed: 42)
    /// ```
    /// Each trial carries a `HyperbandAssignment`: train up to `epochs`, and for promoted trials
    /// continue the parent's checkpoint (weights and optimizer state) from `initialEpoch`.
    /// - Parameter maxTrials: An optional cap on started trials; `nil` (the default) runs the schedule.
    /// - Throws: `OracleError.invalidArgument` when `maxEpochs < 1`, `factor < 2`,
    ///   `hyperbandIterations < 1` or `maxTrials < 1`.
    public convenience init(
        objective: Objective, additionalObjectives: [Objective] = [], searchSpace: SearchSpace = SearchSpace(), maxEpochs: Int,
        factor: Int = 3, hyperbandIterations: Int = 1, maxTrials: Int? = nil, seed: UInt64 = 0
    ) throws(OracleError) {
        try self.init(
            strategy: try HyperbandStrategy(maxEpochs: maxEpochs, factor: factor, iterations: hyperbandIterations),
            objective: objective, additionalObjectives: additionalObjectives, searchSpace: searchSpace, maxTrials: maxTrials,
            seed: seed)
    }

    /// The schedule of this oracle's arguments (trials and epochs per bracket and round).
    public var schedule: HyperbandSchedule { state.strategy.schedule }
}
