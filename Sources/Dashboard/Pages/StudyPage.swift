import Reports
import StudyStore
import Tuning

/// A study's page: its live status line, the trials table (sorted, filtered, paged), and the report's
/// summary and charts (inline SVG from `Reports`), all from one snapshot read in the same read as the
/// change cursor its live stream starts from.
struct StudyPage {
    let report: StudyReport
    let cursor: StudyChangeCursor
    let query: TrialsQuery
    let pageSize: Int
    /// When the snapshot was read (Unix seconds).
    let readAt: Double
    /// The note and request forms (none when read-only).
    let steering: SteeringForms
    /// The trials asked for with the request form, oldest first.
    let requests: [TrialRequest]

    /// The columns the table shows (and the live stream renders rows with).
    var columns: TrialColumns {
        TrialColumns(studyName: report.name, parameters: report.parameterNames, study: report.snapshot.study.definition)
    }

    /// The whole document.
    func html() -> String {
        let snapshot = report.snapshot
        let columns = self.columns
        let name = snapshot.name
        let objectives = snapshot.study.objectives.map { objective in
            "\(Escape.html(objective.name)) (\(objective.direction == .maximize ? "maximize" : "minimize"))"
        }.joined(separator: ", ")
        var main = "<section id=\"status\"><p class=\"sub\">\(objectives) · "
        main += "\(Escape.html(snapshot.study.oracleKind)) oracle · <a href=\"#trials\">trials</a> · <a href=\"#summary\">summary</a> · <a href=\"#charts\">charts</a></p>"
        main += "<p id=\"live-summary\">\(StudyStatusLine.html(snapshot))</p>"
        main += "<p class=\"note\">Rows, states, scores and epochs update live; the charts show the study as read at "
        main += "\(NumberFormat.date(readAt)) (reload to redraw them).</p></section>\n"
        main += steering.noteHTML(study: snapshot.study)
        main += TrialsTable(snapshot: snapshot, columns: columns, query: query, pageSize: pageSize).html()
        main += steering.trialRequestsHTML(study: snapshot.study, requests: requests)
        let charts = HTMLReport(report)
        main += "<div id=\"charts\" class=\"charts\">" + charts.summaryHTML() + charts.chartsHTML() + "</div>\n"
        let events = DashboardPaths.events(name, since: cursor.token) + "&cols=" + columns.queryValue
        return PageLayout.document(title: "Study “\(name)”", breadcrumbs: [("Studies", DashboardPaths.studies), (name, nil)],
                                   main: main, events: events)
    }
}
