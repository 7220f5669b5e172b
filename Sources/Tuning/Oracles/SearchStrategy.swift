/// The algorithm inside a `SearchOracle`: it decides what the next trial is, while the oracle keeps
/// the books (trials, workers, the random generator, enqueued trials, state).
///
/// A strategy is `Codable` because its state is part of the oracle's state: a restored oracle must
/// make exactly the suggestions the original would have made. Random search, grid search, Hyperband,
/// Bayesian optimization and TPE are strategies; the model-based ones read the trials from the context
/// and encode them with `HyperParameterSpec.toUnit`.
public protocol SearchStrategy: Codable, Sendable {
    /// A stable name stored with the state (`"random"`, `"grid"`, `"hyperband"`, `"bayesian"`, `"tpe"`), so a state is never
    /// restored into another kind of oracle.
    static var kind: String { get }

    /// Checks that the strategy can search `space`; called when the oracle is created and on every
    /// `updateSpace`.
    ///
    /// - Throws: `OracleError` when the space is unusable (grid search and a continuous float).
    func validate(_ space: SearchSpace) throws(OracleError)

    /// Decides the next trial. Call `context.takeEnqueued()` to serve trials queued by hand, and
    /// `context.drawUntriedValues()` for a fresh random configuration.
    mutating func nextTrial(_ context: inout StrategyContext) -> StrategyDecision

    /// Told after a trial ends (its outcome is in `trial`).
    mutating func trialDidEnd(_ trial: Trial, context: StrategyContext)

    /// Told after `updateSpace` added parameters.
    mutating func spaceDidChange(_ space: SearchSpace)

    /// Trials whose last-epoch checkpoint a future trial may continue from.
    func trialsThatMayBePromoted(_ context: StrategyContext) -> [Trial.ID]
}

extension SearchStrategy {
    /// Accepts every space.
    public func validate(_ space: SearchSpace) throws(OracleError) {}
    /// Does nothing.
    public mutating func trialDidEnd(_ trial: Trial, context: StrategyContext) {}
    /// Does nothing.
    public mutating func spaceDidChange(_ space: SearchSpace) {}
    /// None: only Hyperband continues trials.
    public func trialsThatMayBePromoted(_ context: StrategyContext) -> [Trial.ID] { [] }
}

/// What a strategy decided.
public enum StrategyDecision: Hashable, Sendable {
    /// Start a trial with these values (and Hyperband details). Its ID is `context.upcomingTrialID`.
    case suggest([String: HyperParameterValue], hyperband: HyperbandAssignment? = nil)
    /// Nothing can start until running trials end.
    case wait
    /// The search is over.
    case stop
}

/// What a strategy sees and may use while deciding: the space, the trials, the random generator,
/// and the queue of trials enqueued by hand.
public struct StrategyContext: Sendable {
    /// The current search space.
    public let space: SearchSpace
    /// The objective, for ranking scores (the first, when there are several).
    public let objective: Objective
    /// The objectives after the first (empty for one); trials that ended with several values carry
    /// them in `Trial.objectiveValues`, in the order `objectives` lists.
    public let additionalObjectives: [Objective]
    /// Every trial, in ID order (`trials[id - 1]`).
    public internal(set) var trials: [Trial]
    /// The oracle's random generator; draw from it (and only it) so searches are reproducible.
    public var random: TuningRandom
    /// Every configuration already used by a trial (waiting, running or finished).
    var tried: Set<[String: HyperParameterValue]>
    /// IDs of WAITING trials enqueued by hand, oldest first.
    var enqueued: [Trial.ID]
    /// The enqueued trial taken by `takeEnqueued`, if any.
    var takenEnqueuedID: Trial.ID?

    /// Most random draws tried before falling back to enumerating a finite space.
    public static let randomDrawAttempts = 100
    /// Finite spaces up to this many configurations are enumerated when random draws keep colliding,
    /// so a configuration left untried is still found; larger spaces stop after the failed draws.
    public static let enumerationLimit = 1_000_000

    /// The trial with `id`, if it exists.
    public func trial(_ id: Trial.ID) -> Trial? {
        id >= 1 && id <= trials.count ? trials[id - 1] : nil
    }

    /// Every objective, the first one first.
    public var objectives: [Objective] { [objective] + additionalObjectives }

    /// Whether any trial is RUNNING.
    public var hasRunningTrials: Bool { trials.contains { $0.state == .running } }

    /// The trials that ended with a score.
    public var completedTrials: [Trial] { trials.filter { $0.state == .complete } }

    /// Whether `values` has already been used by a trial.
    public func hasBeenTried(_ values: [String: HyperParameterValue]) -> Bool {
        tried.contains(values)
    }

    /// The ID the trial created from a `.suggest` decision will get.
    public var upcomingTrialID: Trial.ID { takenEnqueuedID ?? trials.count + 1 }

    /// Takes the oldest trial enqueued by hand and returns its values; a `.suggest` decision then
    /// starts that trial. Returns `nil` when nothing is enqueued.
    public mutating func takeEnqueued() -> [String: HyperParameterValue]? {
        guard takenEnqueuedID == nil, !enqueued.isEmpty else { return nil }
        let id = enqueued.removeFirst()
        takenEnqueuedID = id
        return trials[id - 1].values
    }

    /// A random configuration (each parameter uniform in its own scale) that no trial has used, or
    /// `nil` when none can be found: the finite space is exhausted, or random draws kept colliding in
    /// a space too large to enumerate.
    public mutating func drawUntriedValues() -> [String: HyperParameterValue]? {
        for _ in 0..<Self.randomDrawAttempts {
            let values = space.randomValues(using: &random)
            if !tried.contains(values) { return values }
        }
        // Repeated collisions mean a finite space is nearly exhausted: pick uniformly among the
        // untried configurations instead of giving up while some remain.
        guard let total = space.combinationCount, total <= Self.enumerationLimit else { return nil }
        var untriedCount = 0
        var combination: [String: HyperParameterValue]? = space.firstCombination()
        while let current = combination {
            if !tried.contains(current) { untriedCount += 1 }
            combination = space.combination(after: current)
        }
        guard untriedCount > 0 else { return nil }
        var remaining = random.nextInt(below: untriedCount)
        combination = space.firstCombination()
        while let current = combination {
            if !tried.contains(current) {
                if remaining == 0 { return current }
                remaining -= 1
            }
            combination = space.combination(after: current)
        }
        return nil
    }
}
