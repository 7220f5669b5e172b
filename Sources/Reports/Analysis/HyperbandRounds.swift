import Foundation
import StudyStore
import Tuning

/// Hyperband's brackets as run: per iteration, bracket and round, the trials started, how far they
/// trained, how many completed, how many were promoted to the next round, and the planned trial count
/// from `HyperbandSchedule` when the oracle configuration has `max_epochs` (and `factor`,
/// `hyperband_iterations`).
struct HyperbandRounds {
    struct Row: Hashable {
        let iteration: Int
        let bracket: Int
        let round: Int
        let initialEpoch: Int
        let epochs: Int
        let planned: Int?
        let started: Int
        let completed: Int
        let promoted: Int
        let best: Double?
    }

    let rows: [Row]

    init(report: StudyReport) {
        let trials = report.trials.filter { $0.hyperband != nil }
        var schedule: HyperbandSchedule?
        if let config = report.study.oracleConfiguration.objectValue {
            // A stored (or imported) configuration may hold any number: only whole numbers within
            // Int's range make a schedule (Int(_:) would trap on 1e300).
            func whole(_ key: String, default value: Int?) -> Int? {
                guard let number = config[key]?.doubleValue else { return value }
                return Int(exactly: number)
            }
            if let maxEpochs = whole("max_epochs", default: nil), let factor = whole("factor", default: 3),
               let iterations = whole("hyperband_iterations", default: 1) {
                schedule = try? HyperbandSchedule(maxEpochs: maxEpochs, factor: factor, iterations: iterations)
            }
        }
        struct Key: Hashable, Comparable {
            let iteration: Int, bracket: Int, round: Int
            static func < (a: Key, b: Key) -> Bool {
                (a.iteration, -a.bracket, a.round) < (b.iteration, -b.bracket, b.round)
            }
        }
        let byNumber = Dictionary(trials.map { ($0.number, $0) }, uniquingKeysWith: { a, _ in a })
        var groups: [Key: [TrialSnapshot]] = [:]
        var promotedFrom: [Key: Int] = [:]
        for trial in trials {
            guard let assignment = trial.hyperband else { continue }
            let key = Key(iteration: assignment.iteration, bracket: assignment.bracket, round: assignment.round)
            groups[key, default: []].append(trial)
            if let parent = assignment.parentTrialID, let parentAssignment = byNumber[parent]?.hyperband {
                promotedFrom[Key(iteration: parentAssignment.iteration, bracket: parentAssignment.bracket,
                                 round: parentAssignment.round), default: 0] += 1
            }
        }
        rows = groups.keys.sorted().map { key in
            let members = groups[key] ?? []
            let first = members.first?.hyperband
            let planned = schedule?.brackets.first { $0.bracket == key.bracket }?.rounds.first { $0.round == key.round }?.trials
            let scores = members.compactMap(\.finiteScore)
            let best = scores.reduce(nil as Double?) { current, score in
                guard let current else { return score }
                return report.objective.isBetter(score, than: current) ? score : current
            }
            return Row(iteration: key.iteration, bracket: key.bracket, round: key.round,
                       initialEpoch: first?.initialEpoch ?? 0, epochs: first?.epochs ?? 0, planned: planned,
                       started: members.count, completed: members.filter { $0.state == .complete }.count,
                       promoted: promotedFrom[key] ?? 0, best: best)
        }
    }
}
