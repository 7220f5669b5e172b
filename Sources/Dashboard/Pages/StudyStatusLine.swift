import Reports
import StudyStore
import Tuning

/// The one-line state of a study that a live page keeps current: how many trials are in each state and
/// the best score so far, or for a study with several objectives its Pareto front. The study page renders
/// it, and the live stream sends it again after changes.
enum StudyStatusLine {
    /// Where the study stands: its best trial (one objective) or the numbers of its Pareto front's
    /// trials (several objectives, where no single trial is best).
    enum Standing: Equatable {
        case best(StoredTrial?)
        case front([Int])
    }

    /// The most front members the line links to; the rest are counted.
    static let linkedFrontMembers = 8

    /// The line's inner HTML for a snapshot (the one ranking of `StudySnapshot` picks the best, or its
    /// `paretoFront` the front).
    static func html(_ snapshot: StudySnapshot) -> String {
        let standing: Standing = snapshot.study.definition.isMultiObjective
            ? .front(snapshot.paretoFront.map(\.trial.number)) : .best(snapshot.bestTrial?.trial)
        return html(study: snapshot.name, objective: snapshot.objective.name, total: snapshot.trials.count,
                    counts: snapshot.countsByState, standing: standing)
    }

    /// The line's inner HTML from its facts: the trials in all and by state, and where the study stands.
    static func html(study: String, objective: String, total: Int, counts: [TrialState: Int], standing: Standing) -> String {
        var html = "<span class=\"total\">\(total) trial\(total == 1 ? "" : "s")</span>"
        for state in TrialState.allCases {
            guard let count = counts[state], count > 0 else { continue }
            html += " <span class=\"state \(state.rawValue.lowercased())\" data-state=\"\(state.rawValue)\">\(state.rawValue) \(count)</span>"
        }
        func trialLink(_ number: Int, _ label: String) -> String {
            "<a href=\"\(Escape.html(DashboardPaths.trial(study, number: number)))\">\(label)</a>"
        }
        switch standing {
        case .best(let best):
            if let best, let score = best.finiteScore {
                html += " · best \(Escape.html(objective)) <strong>\(NumberFormat.short(score, digits: 6))</strong>"
                return html + " (" + trialLink(best.number, "trial \(best.number)") + ")"
            }
        case .front(let members):
            if !members.isEmpty {
                // In number order, whatever order the trials were read in.
                let numbers = members.sorted()
                let shown = numbers.prefix(linkedFrontMembers).map { trialLink($0, "#\($0)") }.joined(separator: ", ")
                let more = numbers.count > linkedFrontMembers ? ", … \(numbers.count - linkedFrontMembers) more" : ""
                return html + " · Pareto front <strong>\(numbers.count) trial\(numbers.count == 1 ? "" : "s")</strong> (\(shown)\(more))"
            }
        }
        // COMPLETE trials that are all infeasible (or scored NaN) rank nowhere.
        return html + ((counts[.complete] ?? 0) > 0 ? " · no feasible COMPLETE trial with a finite score yet" : " · no COMPLETE trial yet")
    }
}
