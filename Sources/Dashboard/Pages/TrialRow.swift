import Reports
import StudyStore
import Tuning

/// The columns of a study's trials table: one per hyperparameter (in the order the page chose), the first
/// objective's name for the score and latest-value columns, one column per further objective, and
/// whether the trial is feasible when the study has several objectives or constraints. A live stream
/// renders new rows with the parameters of the page that asked for them and the objectives of the study
/// it reads, so rows always line up with the header.
struct TrialColumns: Sendable, Equatable {
    /// The study's name (for the trial links).
    let studyName: String
    /// The hyperparameters shown, one column each.
    let parameters: [String]
    /// The study's objectives' names, the first one first (the score is the first's value).
    let objectives: [String]
    /// Whether rows have a "feasible" cell: the study has several objectives or declared constraints.
    let showsFeasibility: Bool

    /// Columns for `parameters` and `study`'s objectives and constraints.
    init(studyName: String, parameters: [String], study: NewStudy) {
        self.init(studyName: studyName, parameters: parameters, objectives: study.objectives.map(\.name),
                  showsFeasibility: study.isMultiObjective || !study.constraints.isEmpty)
    }

    /// Columns as given; `objectives` empty and no feasibility until the stream knows its study
    /// (`with(objectivesOf:)`).
    init(studyName: String, parameters: [String], objectives: [String] = [], showsFeasibility: Bool = false) {
        self.studyName = studyName
        self.parameters = parameters
        self.objectives = objectives
        self.showsFeasibility = showsFeasibility
    }

    /// The first objective's name (the score's), or "" before the study is known.
    var objective: String { objectives.first ?? "" }

    /// These columns with `study`'s objectives and constraints: a stream's address names only the
    /// parameters, and the study it reads says the rest.
    func with(objectivesOf study: StoredStudy) -> TrialColumns {
        TrialColumns(studyName: studyName, parameters: parameters, study: study.definition)
    }

    /// The columns as a query value (`cols=`): each name as a path segment (which encodes `,`), joined by `,`.
    var queryValue: String { parameters.map(PathSegment.encode).joined(separator: ",") }

    /// The parameter names of a `queryValue`, or nil when one is malformed.
    static func parameters(fromQueryValue value: String) -> [String]? {
        guard !value.isEmpty else { return [] }
        var names: [String] = []
        for item in value.split(separator: ",", omittingEmptySubsequences: false) {
            guard let name = PathSegment.decode(item) else { return nil }
            names.append(name)
        }
        return names
    }
}

/// One row of a study's trials table, as the page renders it and as a live stream sends it: number
/// (a link to the trial), state, hyperparameter values, score, each further objective's value and whether
/// the trial is feasible (studies with several objectives or constraints), epochs, the objective's latest
/// value, duration, worker and error. Every store string is escaped.
enum TrialRow {
    /// The row of `trial`, which has recorded `epochs` epochs and whose objective metric's last value is
    /// `latest`.
    static func html(_ trial: StoredTrial, epochs: Int, latest: Double?, columns: TrialColumns) -> String {
        let state = trial.state.rawValue
        var html = "<tr id=\"trial-\(trial.number)\" data-number=\"\(trial.number)\" data-state=\"\(state)\">"
        html += "<td class=\"num\"><a href=\"\(Escape.html(DashboardPaths.trial(columns.studyName, number: trial.number)))\">\(trial.number)</a></td>"
        html += "<td><span class=\"state \(state.lowercased())\">\(state)</span></td>"
        for name in columns.parameters {
            html += "<td>" + (trial.hyperparameters[name].map { Escape.html(NumberFormat.value($0)) } ?? "<span class=\"na\">–</span>") + "</td>"
        }
        html += "<td class=\"num\" data-col=\"score\">\(trial.score.map { NumberFormat.short($0, digits: 6) } ?? "")</td>"
        let values = trial.values?.objectives ?? []
        for index in columns.objectives.indices.dropFirst() {
            html += "<td class=\"num\">\(index < values.count ? NumberFormat.short(values[index], digits: 6) : "")</td>"
        }
        if columns.showsFeasibility {
            // Only a COMPLETE trial has been judged; one told no constraint values is feasible.
            html += "<td>\(trial.state == .complete ? (trial.isFeasible ? "yes" : "<span class=\"infeasible\">no</span>") : "")</td>"
        }
        html += "<td class=\"num\" data-col=\"epochs\">\(epochs)</td>"
        html += "<td class=\"num\" data-col=\"latest\">\(latest.map { NumberFormat.short($0, digits: 6) } ?? "")</td>"
        html += "<td class=\"num\">\(trial.duration.map(NumberFormat.duration) ?? "")</td>"
        html += "<td>\(Escape.html(trial.worker ?? ""))</td>"
        let error = trial.error ?? ""
        let shown = error.count > 160 ? String(error.prefix(159)) + "…" : error
        html += "<td class=\"error\"\(error.isEmpty ? "" : " title=\"\(Escape.html(error))\"")>\(Escape.html(shown))</td>"
        return html + "</tr>"
    }

    /// The header row matching `html`'s cells; `link(key, descendingFirst, label)` makes a sortable
    /// column's header (label is plain text).
    static func header(_ columns: TrialColumns, link: (TrialsQuery.SortKey, Bool, String) -> String) -> String {
        var cells = [link(.number, true, "#"), link(.state, false, "state")]
        cells += columns.parameters.map { link(.parameter($0), false, $0) }
        cells.append(link(.score, true, columns.objective))
        cells += columns.objectives.dropFirst().map(Escape.html)
        if columns.showsFeasibility { cells.append("feasible") }
        cells += [link(.epochs, true, "epochs"),
                  "latest " + Escape.html(columns.objective), link(.duration, true, "duration"), "worker", "error"]
        return "<tr>" + cells.map { "<th>\($0)</th>" }.joined() + "</tr>"
    }
}
