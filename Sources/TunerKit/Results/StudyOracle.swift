import Foundation
import StudyStore
import Tuning

/// A study's results read from its storage — what Keras Tuner users reach through `tuner.oracle`:
/// the objective, the search space, every trial with its learning curves, the best ones.
public struct StudyOracle: Sendable {
    /// The study's name.
    public let studyName: String
    /// The objective and its direction.
    public let objective: Objective
    /// The search space as it stands (it grows as trials define parameters).
    public let searchSpace: SearchSpace
    /// The oracle family.
    public let oracleKind: String
    /// Every trial, by number.
    public let trials: [TunerTrial]

    /// Reads a study.
    ///
    /// - Throws: `StoreError.studyNotFound` and other store errors.
    public static func load(storagePath: String, study name: String) throws -> StudyOracle {
        let store = try StudyStore(path: storagePath, busyTimeout: 30)
        return try load(store: store, study: name)
    }

    /// Reads a study from an open store, in one consistent read.
    ///
    /// - Throws: `StoreError.studyNotFound` and other store errors; `DecodingError` for damaged JSON.
    public static func load(store: StudyStore, study name: String) throws -> StudyOracle {
        let study = try store.requireStudy(named: name)
        let rows = try store.trialsWithMetrics(study: study.id)
        let space = (try? decodeJSON(SearchSpace.self, from: study.study.searchSpace)) ?? SearchSpace()
        return StudyOracle(
            studyName: name,
            objective: Objective(study.study.objectiveName, direction: study.study.direction.objectiveDirection),
            searchSpace: space, oracleKind: study.study.oracleKind,
            trials: try rows.map { try TunerTrial(record: $0.trial, metrics: $0.metrics) })
    }

    /// The `count` best completed trials, best first (ties: lower number first).
    public func bestTrials(_ count: Int = 1) -> [TunerTrial] {
        let completed = trials.filter { $0.state == .complete && ($0.score?.isFinite ?? false) }
        let ranked = completed.sorted { a, b in
            let x = a.score ?? 0, y = b.score ?? 0
            if x != y { return objective.isBetter(x, than: y) }
            return a.number < b.number
        }
        return Array(ranked.prefix(max(0, count)))
    }

    /// The best completed trial, if any.
    public var bestTrial: TunerTrial? { bestTrials(1).first }

    /// How many trials are in each state.
    public var countsByState: [TrialState: Int] {
        Dictionary(grouping: trials, by: \.state).mapValues(\.count)
    }

    /// Keras Tuner's `results_summary()`: the objective, then the best `count` trials' summaries.
    public func resultsSummary(_ count: Int = 10) -> String {
        let best = bestTrials(count)
        var lines = [
            "Results summary", "Results in study \"\(studyName)\"", "Showing \(best.count) best trials",
            "Objective(name=\"\(objective.name)\", direction=\"\(objective.direction == .maximize ? "max" : "min")\")",
        ]
        for trial in best {
            lines.append("")
            lines.append(trial.summary(in: searchSpace))
        }
        return lines.joined(separator: "\n")
    }
}
