import Reports
import StudyStore
import Tuning

/// The parts of the pages that steer a study: a study's note (shown always, with a form to edit it), the
/// form asking for a trial with given hyperparameters and the list of such requests, and a running
/// trial's stop button. Forms appear only when the dashboard takes writes; each carries the form token
/// (`WriteGuard`) and posts to its own address, which answers with a redirect back to the page.
struct SteeringForms: Sendable {
    /// The form token, or nil when the dashboard is read-only (no forms).
    let formToken: String?

    /// The hidden field carrying the form token.
    private func tokenField(_ token: String) -> String {
        "<input type=\"hidden\" name=\"\(WriteGuard.fieldName)\" value=\"\(Escape.html(token))\">"
    }

    /// A study's note and, when writes are taken, the form to edit it.
    func noteHTML(study: StoredStudy) -> String {
        var html = "<section id=\"note\"><h2>Note</h2>"
        if study.note.isEmpty {
            html += "<p class=\"note\" id=\"study-note\">No note.</p>"
        } else {
            html += "<div class=\"study-note\" id=\"study-note\">\(Escape.html(study.note.text))</div>"
        }
        if let formToken {
            html += "<form class=\"steer\" method=\"post\" action=\"\(Escape.html(DashboardPaths.note(study.name)))\">"
            html += tokenField(formToken)
            html += "<textarea name=\"note\" rows=\"3\" maxlength=\"\(StudyNote.maximumLength)\" aria-label=\"the study's note\">"
            html += Escape.html(study.note.text) + "</textarea><br><button type=\"submit\">Save the note</button></form>"
        }
        return html + "</section>\n"
    }

    /// The form asking for a trial (one field per hyperparameter of `study`'s space) and the requests made.
    func trialRequestsHTML(study: StoredStudy, requests: [TrialRequest]) -> String {
        var html = "<section id=\"requests\"><h2>Requested trials</h2>"
        let specs = study.searchSpace.specs.filter { if case .fixed = $0.kind { false } else { true } }
        if let formToken, !specs.isEmpty {
            html += "<p class=\"note\">A worker of this study runs a requested trial next, before the oracle's own suggestions "
            html += "(it counts toward the study's trial budget). An empty field takes the parameter's default.</p>"
            html += "<form class=\"steer\" id=\"request-trial\" method=\"post\" action=\"\(Escape.html(DashboardPaths.requestTrial(study.name)))\">"
            html += tokenField(formToken)
            for spec in specs { html += field(spec) }
            html += "<br><button type=\"submit\">Enqueue the trial</button></form>"
        }
        if requests.isEmpty {
            html += "<p class=\"note\">No trial was requested.</p>"
        } else {
            html += "<table class=\"list\" id=\"request-list\"><thead><tr><th class=\"num\">#</th><th>hyperparameters</th><th>status</th>"
            html += "<th>requested</th></tr></thead><tbody>"
            for request in requests.reversed() {
                let values = request.hyperparameters.sorted { $0.key < $1.key }
                    .map { "\(Escape.html($0.key))=\(Escape.html($0.value.description))" }.joined(separator: ", ")
                let status: String
                switch request.status {
                case .pending: status = "waiting for a worker"
                case .enqueued(let trial):
                    status = "enqueued as <a href=\"\(Escape.html(DashboardPaths.trial(study.name, number: trial)))\">trial \(trial)</a>"
                case .rejected(let reason): status = "rejected: \(Escape.html(reason))"
                }
                html += "<tr data-request=\"\(request.id)\"><td class=\"num\">\(request.id)</td><td>\(values)</td><td>\(status)</td>"
                html += "<td>\(NumberFormat.date(request.requestedAt))</td></tr>"
            }
            html += "</tbody></table>"
        }
        return html + "</section>\n"
    }

    /// One parameter's field: a list for choices and booleans, a text field for numbers.
    private func field(_ spec: HyperParameterSpec) -> String {
        let name = Escape.html(RequestedHyperparameters.fieldName(spec.name))
        var html = "<label>\(Escape.html(spec.name)) "
        switch spec.kind {
        case .choice(let domain):
            html += "<select name=\"\(name)\"><option value=\"\">default (\(Escape.html(domain.defaultValue.description)))</option>"
            for value in domain.values {
                html += "<option value=\"\(Escape.html(value.description))\">\(Escape.html(value.description))</option>"
            }
            html += "</select>"
        case .boolean(let defaultValue):
            html += "<select name=\"\(name)\"><option value=\"\">default (\(defaultValue))</option>"
            html += "<option value=\"true\">true</option><option value=\"false\">false</option></select>"
        case .int, .float, .fixed:
            html += "<input type=\"text\" inputmode=\"decimal\" size=\"10\" name=\"\(name)\" "
            html += "placeholder=\"\(Escape.html(spec.defaultValue.description))\">"
        }
        return html + " <span class=\"note\">\(Escape.html(spec.description))</span></label>"
    }

    /// A trial's stop button (RUNNING trials, when writes are taken), or the stop already asked for (and,
    /// once the trial ended, how).
    func stopHTML(study: StoredStudy, trial: StoredTrial) -> String {
        if let requested = trial.stopRequestedAt {
            let asked = "<p class=\"note\" id=\"stop-requested\">A stop was asked at \(NumberFormat.date(requested))"
            guard trial.state == .running else { return asked + "; the trial ended \(trial.state.rawValue).</p>" }
            return asked + ": its worker ends this trial as PRUNED at its next epoch.</p>"
        }
        guard let formToken, trial.state == .running else { return "" }
        return "<form class=\"steer\" id=\"stop-trial\" method=\"post\" action=\"\(Escape.html(DashboardPaths.stopTrial(study.name, number: trial.number)))\">"
            + tokenField(formToken)
            + "<button type=\"submit\">Stop this trial</button> <span class=\"note\">its worker ends it as PRUNED at its next epoch</span></form>"
    }
}
