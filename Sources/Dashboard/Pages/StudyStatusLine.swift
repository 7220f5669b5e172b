import Reports
import StudyStore
import Tuning

/// The one-line state of a study that a live page keeps current: how many trials are in each state and
/// the best score so far. The study page renders it, and the live stream sends it again after changes.
enum StudyStatusLine {
    /// The line's inner HTML for these trials (the one ranking of `StudySnapshot` picks the best).
    static func html(_ snapshot: StudySnapshot) -> String {
        let counts = snapshot.countsByState
        var html = "<span class=\"total\">\(snapshot.trials.count) trial\(snapshot.trials.count == 1 ? "" : "s")</span>"
        for state in TrialState.allCases {
            guard let count = counts[state] else { continue }
            html += " <span class=\"state \(state.rawValue.lowercased())\" data-state=\"\(state.rawValue)\">\(state.rawValue) \(count)</span>"
        }
        if let best = snapshot.bestTrial, let score = best.finiteScore {
            html += " · best \(Escape.html(snapshot.objective.name)) <strong>\(NumberFormat.short(score, digits: 6))</strong>"
            html += " (<a href=\"\(Escape.html(DashboardPaths.trial(snapshot.name, number: best.number)))\">trial \(best.number)</a>)"
        } else {
            html += " · no COMPLETE trial yet"
        }
        return html
    }
}
