import Foundation
import StudyStore
import Tuning

/// The "at a glance" facts of a study as label/value text pairs, shared by HTML and Markdown.
struct ReportSummary {
    let report: StudyReport

    var objective: String {
        "\(report.objective.name) (\(report.objective.direction == .maximize ? "maximize" : "minimize"))"
    }

    var oracleSettings: [(String, String)] {
        guard case .object(let config) = report.study.oracleConfiguration else {
            return report.study.oracleConfiguration == .null ? [] : [("config", report.study.oracleConfiguration.displayText)]
        }
        // `tuner_oracle` is the tuner's exact copy of the settings (for resumes); the flat keys say it all.
        return config.keys.sorted().filter { $0 != "tuner_oracle" }.map { ($0, config[$0]?.displayText ?? "") }
    }

    var stateCounts: [(String, Int)] {
        let counts = report.countsByState
        return TrialState.allCases.compactMap { state in counts[state].map { (state.rawValue, $0) } }
    }

    var stateLine: String {
        let parts = stateCounts.map { "\($0.1) \($0.0.lowercased())" }
        return "\(report.trials.count) trial\(report.trials.count == 1 ? "" : "s")" + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", "))
    }

    var bestLine: String {
        guard let best = report.bestTrial, let score = best.finiteScore else { return "no COMPLETE trial yet" }
        return "\(NumberFormat.short(score, digits: 6)) (trial \(best.number))"
    }

    /// The best trial's hyperparameters in parameter order.
    var bestParameters: [(String, String)] {
        guard let best = report.bestTrial else { return [] }
        return report.parameterNames.compactMap { name in best.hyperparameters[name].map { (name, NumberFormat.value($0)) } }
    }

    var timeFacts: [(String, String)] {
        var facts: [(String, String)] = []
        if let wall = report.wallClockDuration { facts.append(("wall clock", NumberFormat.duration(wall))) }
        let durations = report.trials.compactMap(\.duration).sorted()
        if !durations.isEmpty {
            facts.append(("sum of trial times", NumberFormat.duration(report.totalTrialDuration)))
            facts.append(("per trial (median)", NumberFormat.duration(durations[durations.count / 2])))
            facts.append(("per trial (min – max)", "\(NumberFormat.duration(durations[0])) – \(NumberFormat.duration(durations[durations.count - 1]))"))
        }
        facts.append(("created", NumberFormat.date(report.study.createdAt)))
        return facts
    }

    /// One line per search-space parameter, e.g. `Float(name: 'lr', ...)`.
    var spaceLines: [String] {
        report.study.searchSpace.specs.map(\.description)
    }

    /// The text of a trial's score column.
    static func score(_ trial: TrialSnapshot) -> String {
        guard let score = trial.score else { return "" }
        return NumberFormat.plain(score)
    }
}
