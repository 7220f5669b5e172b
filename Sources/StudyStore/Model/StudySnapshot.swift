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
        let objective = study.objective
        return trials.filter { $0.finiteScore != nil }.sorted { a, b in
            let x = a.finiteScore ?? 0, y = b.finiteScore ?? 0
            if x != y { return objective.isBetter(x, than: y) }
            return a.number < b.number
        }
    }

    /// The `count` best trials (`rankedTrials`' first `count`).
    public func bestTrials(_ count: Int = 1) -> [TrialSnapshot] {
        Array(rankedTrials.prefix(max(0, count)))
    }

    /// The best COMPLETE trial, if any.
    public var bestTrial: TrialSnapshot? { rankedTrials.first }

    /// How many trials are in each state.
    public var countsByState: [TrialState: Int] {
        Dictionary(grouping: trials, by: \.state).mapValues(\.count)
    }

    /// The trial with this number, if any.
    public func trial(number: Int) -> TrialSnapshot? {
        trials.first { $0.number == number }
    }
}
