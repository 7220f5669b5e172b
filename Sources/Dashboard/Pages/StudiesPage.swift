import Foundation
import Reports
import StudyStore
import Tuning

/// One study on the list of studies: its trials counted by state, its best score and its last activity;
/// or, when its stored definition or a trial is damaged, the store's sentence saying so (the other studies
/// still list).
struct StudyListEntry: Sendable {
    /// The study's name.
    let name: String
    /// The study's trials without their curves (nil when it could not be read).
    let snapshot: StudySnapshot?
    /// Why it could not be read.
    let problem: String?

    /// The latest time anything happened to it: a trial created, started, beating or ended, else the
    /// study's creation.
    var lastActivity: Double? {
        guard let snapshot else { return nil }
        let times = snapshot.trials.flatMap { [$0.createdAt, $0.startedAt, $0.heartbeatAt, $0.endedAt].compactMap { $0 } }
        return times.max() ?? snapshot.study.createdAt
    }

    /// Every study of `store`, by name, in one read: the trials of each without their learning curves
    /// (a list page needs neither curves nor oracle state).
    ///
    /// - Throws: `StoreError` when the storage cannot be read (a damaged study is an entry, not an error).
    static func load(_ store: any StudyStorage) throws -> [StudyListEntry] {
        try store.read { store in
            try store.studyNames().map { name -> StudyListEntry in
                do {
                    guard let study = try store.study(named: name) else {
                        return StudyListEntry(name: name, snapshot: nil, problem: "It was deleted while the list was read.")
                    }
                    let trials = try store.trials(study: study.id).map { TrialSnapshot(trial: $0) }
                    return StudyListEntry(name: name, snapshot: StudySnapshot(study: study, trials: trials), problem: nil)
                } catch let error as StoreError {
                    guard case .damagedData = error else { throw error }
                    return StudyListEntry(name: name, snapshot: nil, problem: error.description)
                }
            }
        }
    }
}

/// The list of studies: one row per study with its trial counts by state, best score and last activity,
/// each name a link to the study's page.
struct StudiesPage {
    let entries: [StudyListEntry]
    /// The storage as it may be shown.
    let location: String
    /// Now (Unix seconds), for "3 min ago".
    let now: Double

    /// The whole document.
    func html() -> String {
        var main = "<section id=\"studies\"><p class=\"sub\">\(entries.count) stud\(entries.count == 1 ? "y" : "ies") in "
        main += "<code>\(Escape.html(location))</code></p>"
        if entries.isEmpty {
            main += "<p>No study yet. Start one with <code>tuner search STUDY.yaml</code> and reload.</p>"
        } else {
            // Ticking studies and "Compare" opens /compare?study=A&study=B (a plain form: no script).
            main += "<form method=\"get\" action=\"/compare\" id=\"compare-form\">"
            main += "<table class=\"list\" id=\"studies-table\"><thead><tr><th></th><th>study</th><th>objective</th><th>oracle</th>"
            main += "<th class=\"num\">trials</th><th>states</th><th class=\"num\">best</th><th>last activity</th></tr></thead><tbody>"
            for entry in entries { main += row(entry) }
            main += "</tbody></table>"
            if entries.count >= 2 {
                main += "<p><button type=\"submit\">Compare the ticked studies</button> <span class=\"note\">(2 to \(ComparePage.maximumStudies), on one history chart)</span></p>"
            }
            main += "</form>"
        }
        main += "</section>\n"
        return PageLayout.document(title: "Studies", breadcrumbs: [("Studies", nil)], main: main)
    }

    private func row(_ entry: StudyListEntry) -> String {
        let link = "<a href=\"\(Escape.html(DashboardPaths.study(entry.name)))\">\(Escape.html(entry.name))</a>"
        guard let snapshot = entry.snapshot else {
            return "<tr class=\"problem\"><td></td><td>\(link)</td><td colspan=\"6\" class=\"error\">\(Escape.html(entry.problem ?? ""))</td></tr>"
        }
        var html = "<tr data-study=\"\(Escape.html(entry.name))\">"
        html += "<td><input type=\"checkbox\" name=\"study\" value=\"\(Escape.html(entry.name))\" aria-label=\"compare \(Escape.html(entry.name))\"></td>"
        // The note's first line, cut short: the study page shows all of it.
        let noteLine = snapshot.study.note.text.split(separator: "\n").first.map { String($0.prefix(120)) } ?? ""
        html += noteLine.isEmpty ? "<td>\(link)</td>" : "<td>\(link)<div class=\"note\">\(Escape.html(noteLine))</div></td>"
        let objectives = snapshot.study.objectives.map { "\(Escape.html($0.name)) (\($0.direction == .maximize ? "max" : "min"))" }
        html += "<td>\(objectives.joined(separator: ", "))</td>"
        html += "<td>\(Escape.html(snapshot.study.oracleKind))</td><td class=\"num\">\(snapshot.trials.count)</td><td>"
        let counts = snapshot.countsByState
        html += TrialState.allCases.compactMap { state in
            counts[state].map { "<span class=\"state \(state.rawValue.lowercased())\">\(state.rawValue) \($0)</span>" }
        }.joined(separator: " ")
        html += "</td><td class=\"num\">"
        if snapshot.study.definition.isMultiObjective {
            // No one trial is best: the front's size, the study page lists it.
            let front = snapshot.paretoFront.count
            html += front == 0 ? "–" : "front of \(front)"
        } else if let best = snapshot.bestTrial, let score = best.finiteScore {
            html += "\(NumberFormat.short(score, digits: 6)) <a href=\"\(Escape.html(DashboardPaths.trial(entry.name, number: best.number)))\">#\(best.number)</a>"
        } else {
            html += "–"
        }
        html += "</td><td>"
        if let last = entry.lastActivity {
            html += "\(NumberFormat.date(last)) <span class=\"note\">(\(Self.ago(now - last)))</span>"
        }
        return html + "</td></tr>"
    }

    /// "just now", "42 s ago", "3 min ago", "5 h ago", "2 days ago".
    static func ago(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "–" }
        if seconds < 5 { return "just now" }
        if seconds < 60 { return "\(Int(seconds)) s ago" }
        if seconds < 3600 { return "\(Int(seconds / 60)) min ago" }
        if seconds < 86_400 * 2 { return "\(Int(seconds / 3600)) h ago" }
        if seconds < 86_400 * 1e6 { return "\(Int(seconds / 86_400)) days ago" }
        return "long ago"
    }
}
