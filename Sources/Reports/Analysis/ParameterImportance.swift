import Foundation
import StudyStore
import Tuning

/// How much each hyperparameter matters, by the **variance of marginal means** on score ranks — a
/// first-order (main-effect) analysis in the spirit of fANOVA without its random forest.
///
/// For each parameter, the COMPLETE trials with a finite score are grouped by the parameter's value
/// (each category, each value of a discrete parameter with few values, otherwise up to 10 equal-count
/// bins of the value in the parameter's own scale; trials where a conditional parameter is inactive
/// form one more group). The scores are replaced by their ranks (so a few diverged runs do not
/// dominate), and the parameter's effect is the correlation ratio η² = between-group variance /
/// total variance of the ranks: the share of the variation that the parameter's value alone explains.
/// Groups are few compared with trials (at most one per 4 trials) so small studies do not see
/// structure in noise; the importances are also shown normalized to sum to 1.
struct ParameterImportance {
    struct Entry: Hashable {
        let name: String
        /// η², in [0, 1].
        let effect: Double
        /// `effect` divided by the sum over parameters (0 when all are 0).
        let share: Double
    }

    static let method = "variance of marginal means (first-order η² on score ranks, fANOVA-style main effects)"

    let entries: [Entry]

    /// The trials the analysis uses.
    let trialCount: Int
    /// For Hyperband studies, the epochs the trials used were trained to (scores after fewer epochs
    /// are not comparable), else nil.
    let hyperbandEpochs: Int?

    init(report: StudyReport) {
        var trials = report.trials.filter { $0.finiteScore != nil }
        // Hyperband: only trials trained to the largest budget, when there are enough of them.
        var budget: Int?
        if let top = trials.compactMap({ $0.hyperband?.epochs }).max() {
            let full = trials.filter { $0.hyperband?.epochs == top }
            if full.count >= 4 {
                trials = full
                budget = top
            }
        }
        hyperbandEpochs = budget
        trialCount = trials.count
        guard trials.count >= 4 else {
            entries = []
            return
        }
        let ranks = Self.ranks(trials.map { $0.finiteScore ?? 0 })
        let mean = ranks.reduce(0, +) / Double(ranks.count)
        let total = ranks.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let maxGroups = max(2, min(10, trials.count / 4))
        var effects: [(String, Double)] = []
        for name in report.parameterNames {
            let groups = Self.groups(name: name, trials: trials, report: report, maxGroups: maxGroups)
            guard groups.count >= 2, total > 0 else {
                effects.append((name, 0))
                continue
            }
            var between = 0.0
            for members in groups.values {
                let groupMean = members.reduce(0) { $0 + ranks[$1] } / Double(members.count)
                between += Double(members.count) * (groupMean - mean) * (groupMean - mean)
            }
            effects.append((name, min(max(between / total, 0), 1)))
        }
        let sum = effects.reduce(0) { $0 + $1.1 }
        entries = effects.map { Entry(name: $0.0, effect: $0.1, share: sum > 0 ? $0.1 / sum : 0) }
            .sorted { $0.effect != $1.effect ? $0.effect > $1.effect : $0.name < $1.name }
    }

    /// Average ranks (ties share their mean rank), 0-based.
    static func ranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, values[order[end + 1]] == values[order[start]] { end += 1 }
            let rank = Double(start + end) / 2
            for index in start...end { ranks[order[index]] = rank }
            start = end + 1
        }
        return ranks
    }

    /// Trial indices grouped by the parameter's value (binned for many numeric values).
    static func groups(name: String, trials: [TrialSnapshot], report: StudyReport, maxGroups: Int) -> [String: [Int]] {
        var groups: [String: [Int]] = [:]
        var numeric: [(index: Int, position: Double)] = []
        var categorical: [(index: Int, key: String)] = []
        let spec = report.spec(name)
        for (index, trial) in trials.enumerated() {
            guard let value = trial.hyperparameters[name] else {
                groups["\u{0}inactive", default: []].append(index)
                continue
            }
            let isCategory: Bool
            switch spec?.unitEncoding {
            case .categorical?, .constant?: isCategory = true
            default: isCategory = !value.isNumeric
            }
            if isCategory {
                categorical.append((index, value.description))
            } else {
                // The parameter's own scale: log parameters in log space.
                let position = spec?.toUnit(value) ?? value.doubleValue ?? 0
                numeric.append((index, position))
            }
        }
        for item in categorical { groups["c:" + item.key, default: []].append(item.index) }
        let distinct = Set(numeric.map(\.position))
        if distinct.count <= maxGroups {
            for item in numeric { groups["v:\(item.position)", default: []].append(item.index) }
        } else {
            let sorted = numeric.sorted { $0.position < $1.position }
            for (rank, item) in sorted.enumerated() {
                groups["b:\(rank * maxGroups / sorted.count)", default: []].append(item.index)
            }
        }
        return groups
    }
}
