import Reports
import StudyStore
import Tuning

/// Two or more studies compared: their optimization histories on one chart (`StudyComparisonChart`) and
/// a table of their objectives, trial counts and best scores. Read from the studies' trials alone (no
/// curves); not live.
struct ComparePage {
    /// The most studies one chart tells apart.
    static let maximumStudies = StudyComparisonChart.colors.count

    let snapshots: [StudySnapshot]

    /// The studies named, in order, with their trials (no curves), in one read.
    ///
    /// - Throws: `StoreError.studyNotFound` naming the first missing study, and the storage's errors.
    static func load(_ store: any StudyStorage, studies names: [String]) throws -> [StudySnapshot] {
        try store.read { store in
            try names.map { name in
                let study = try store.requireStudy(named: name)
                return StudySnapshot(study: study, trials: try store.trials(study: study.id).map { TrialSnapshot(trial: $0) })
            }
        }
    }

    /// The whole document.
    func html() -> String {
        var main = "<section id=\"comparison\"><h2>Optimization history</h2><figure>"
        main += StudyComparisonChart(snapshots: snapshots).svg() ?? "<p>None of these studies has a COMPLETE trial yet.</p>"
        main += "<figcaption>Each study's COMPLETE trials as dots and its best score so far as a line, by trial number.</figcaption></figure>"
        main += "<table class=\"list\" id=\"compared\"><thead><tr><th>study</th><th>objective</th><th>oracle</th>"
        main += "<th class=\"num\">trials</th><th class=\"num\">COMPLETE</th><th class=\"num\">best</th></tr></thead><tbody>"
        for (index, snapshot) in snapshots.enumerated() {
            let color = StudyComparisonChart.colors[index % StudyComparisonChart.colors.count]
            let objective = snapshot.objective
            main += "<tr><td><span style=\"color:\(color)\">●</span> "
            main += "<a href=\"\(Escape.html(DashboardPaths.study(snapshot.name)))\">\(Escape.html(snapshot.name))</a></td>"
            main += "<td>\(Escape.html(objective.name)) (\(objective.direction == .maximize ? "max" : "min"))</td>"
            main += "<td>\(Escape.html(snapshot.study.oracleKind))</td><td class=\"num\">\(snapshot.trials.count)</td>"
            main += "<td class=\"num\">\(snapshot.countsByState[.complete] ?? 0)</td><td class=\"num\">"
            if let best = snapshot.bestTrial, let score = best.finiteScore {
                main += "\(NumberFormat.short(score, digits: 6)) <a href=\"\(Escape.html(DashboardPaths.trial(snapshot.name, number: best.number)))\">#\(best.number)</a>"
            } else {
                main += "–"
            }
            main += "</td></tr>"
        }
        main += "</tbody></table></section>\n"
        let title = "Comparing " + snapshots.map { "“\($0.name)”" }.joined(separator: ", ")
        return PageLayout.document(title: title, breadcrumbs: [("Studies", DashboardPaths.studies), ("compare", nil)], main: main)
    }
}
