import Reports
import StudyStore
import Tuning

/// The one-line state of a study that a live page keeps current: how many trials are in each state and
/// the best score so far. The study page renders it, and the live stream sends it again after changes.
enum StudyStatusLine {
    /// The line's inner HTML for a snapshot (the one ranking of `StudySnapshot` picks the best).
    static func html(_ snapshot: StudySnapshot) -> String {
        html(study: snapshot.name, objective: snapshot.objective.name, total: snapshot.trials.count,
             counts: snapshot.countsByState, best: snapshot.bestTrial?.trial)
    }

    /// The line's inner HTML from its facts: the trials in all and by state, and the best trial.
    static func html(study: String, objective: String, total: Int, counts: [TrialState: Int], best: StoredTrial?) -> String {
        var html = "<span class=\"total\">\(total) trial\(total == 1 ? "" : "s")</span>"
        for state in TrialState.allCases {
            guard let count = counts[state], count > 0 else { continue }
            html += " <span class=\"state \(state.rawValue.lowercased())\" data-state=\"\(state.rawValue)\">\(state.rawValue) \(count)</span>"
        }
        if let best, let score = best.finiteScore {
            html += " · best \(Escape.html(objective)) <strong>\(NumberFormat.short(score, digits: 6))</strong>"
            html += " (<a href=\"\(Escape.html(DashboardPaths.trial(study, number: best.number)))\">trial \(best.number)</a>)"
        } else {
            html += " · no COMPLETE trial yet"
        }
        return html
    }
}
