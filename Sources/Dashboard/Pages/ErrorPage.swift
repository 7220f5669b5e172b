import Reports

/// The page of a `DashboardProblem`: its title and sentence, and the way back to the list of studies.
enum ErrorPage {
    /// The whole document.
    static func html(_ problem: DashboardProblem) -> String {
        let main = "<section class=\"problem\" id=\"problem\"><h2>\(problem.status.code) \(Reports.Escape.html(problem.status.reasonPhrase))</h2>"
            + "<p>\(Reports.Escape.html(problem.detail))</p><p><a href=\"/\">All studies</a></p></section>\n"
        return PageLayout.document(title: problem.title, breadcrumbs: [("Studies", DashboardPaths.studies)], main: main)
    }
}
