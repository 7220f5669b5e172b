import Tuning

/// A trial with its learning curves, as a snapshot reads it: the one trial type results, reports and
/// commands show. Its stored fields are reached directly (`trial.number`, `trial.state`, ...).
@dynamicMemberLookup
public struct TrialSnapshot: Hashable, Sendable {
    /// The trial as stored.
    public var trial: StoredTrial
    /// Every metric per step.
    public var metrics: MetricsHistory
    /// Whether the storage holds a checkpoint of this trial.
    public var hasCheckpoint: Bool

    /// A trial with its curves.
    public init(trial: StoredTrial, metrics: MetricsHistory = MetricsHistory(), hasCheckpoint: Bool = false) {
        self.trial = trial
        self.metrics = metrics
        self.hasCheckpoint = hasCheckpoint
    }

    /// A stored field of the trial.
    public subscript<Value>(dynamicMember keyPath: KeyPath<StoredTrial, Value>) -> Value {
        trial[keyPath: keyPath]
    }
}

/// A study, every trial with its learning curves and the oracle's saved state, read in one consistent
/// read: the one read model of a study, behind `Tuner.results`, reports, exports and every command.
public struct StudySnapshot: Sendable, Equatable {
    /// The study as stored.
    public var study: StoredStudy
    /// Its trials, by number.
    public var trials: [TrialSnapshot]
    /// The oracle's saved state, if any.
    public var oracleState: SavedOracleState?

    /// A snapshot from its parts (trials are ordered by number).
    public init(study: StoredStudy, trials: [TrialSnapshot], oracleState: SavedOracleState? = nil) {
        self.study = study
        self.trials = trials.sorted { $0.number < $1.number }
        self.oracleState = oracleState
    }

    /// The study name.
    public var name: String { study.name }
    /// The objective and its direction.
    public var objective: Objective { study.objective }

    /// COMPLETE trials with a finite score, best first for the objective's direction (ties: lower
    /// number first). The one ranking every module uses.
    public var rankedTrials: [TrialSnapshot] {
        // Sorting (score, number, index) keys rather than the trials themselves: a trial carries its
        // curves, and a sort that moves 10,000 of them spends its time retaining and releasing.
        rankedKeys().map { trials[$0.index] }
    }

    /// The `count` best trials (`rankedTrials`' first `count`); for a study with several objectives,
    /// `count` trials of the Pareto front (Optuna's `best_trials` is the front), chosen as the oracle
    /// ranks them for checkpoint retention (`FrontSelection`: the most hypervolume first), so the
    /// checkpoints `bestModels` reads are the ones a search kept.
    public func bestTrials(_ count: Int = 1) -> [TrialSnapshot] {
        guard study.definition.isMultiObjective else { return rankedKeys().prefix(max(0, count)).map { trials[$0.index] } }
        let front = paretoFront
        let directions = study.objectives.map(\.direction)
        let rows = front.map { (try? ParetoDominance.minimizationForm(point: $0.finiteObjectiveValues ?? [], directions: directions)) ?? [] }
        return FrontSelection.ranked(rows, count: max(0, count)).prefix(max(0, count)).map { front[$0] }
    }

    /// The best COMPLETE, feasible trial by score (the first objective's, when there are several), if any
    /// (one pass, no sort).
    public var bestTrial: TrialSnapshot? {
        var best: RankKey?
        for key in scoredKeys() where best.map({ key.ranks(before: $0, for: objective) }) ?? true { best = key }
        return best.map { trials[$0.index] }
    }

    /// A scored trial's place in the ranking.
    private struct RankKey {
        var score: Double
        var number: Int
        var index: Int

        func ranks(before other: RankKey, for objective: Objective) -> Bool {
            if score != other.score { return objective.isBetter(score, than: other.score) }
            return number < other.number
        }
    }

    private func scoredKeys() -> [RankKey] {
        trials.indices.compactMap { index in
            trials[index].finiteScore.map { RankKey(score: $0, number: trials[index].number, index: index) }
        }
    }

    private func rankedKeys() -> [RankKey] {
        let objective = study.objective
        return scoredKeys().sorted { $0.ranks(before: $1, for: objective) }
    }

    /// The Pareto front: the COMPLETE, feasible trials with finite values that no other such trial
    /// dominates (at least as good on every objective and better on one), by number. With one objective,
    /// the trials that share the best score. Infeasible trials are never on it.
    public var paretoFront: [TrialSnapshot] {
        let objectives = study.objectives
        let candidates = trials.indices.filter { index in
            trials[index].isFeasible && trials[index].finiteObjectiveValues?.count == objectives.count
        }
        let values = candidates.map { trials[$0].finiteObjectiveValues ?? [] }
        let front = (try? ParetoDominance.paretoFront(values, directions: objectives.map(\.direction))) ?? []
        return front.map { trials[candidates[$0]] }
    }

    /// How many trials are in each state.
    public var countsByState: [TrialState: Int] {
        Dictionary(grouping: trials, by: \.state).mapValues(\.count)
    }

    /// The trial with this number, if any.
    public func trial(number: Int) -> TrialSnapshot? {
        trials.first { $0.number == number }
    }
}
