import Reports
import StudyStore
import Tuning

/// A study's trials table: filtered by state, sorted, one page of it, with links that change the sort,
/// the filter and the page (plain links: the table works without the script). The live script inserts
/// new rows at the top when the listing shows the newest trials first, and replaces rows that change.
struct TrialsTable {
    let snapshot: StudySnapshot
    let columns: TrialColumns
    let query: TrialsQuery
    let pageSize: Int

    /// The trials of the listing, filtered and in order (all pages).
    var orderedTrials: [TrialSnapshot] {
        var shown = query.state.map { state in snapshot.trials.filter { $0.state == state } } ?? snapshot.trials
        if let range = query.range { shown = shown.filter { range.contains($0.hyperparameters[range.name]) } }
        let keyed = shown.map { (trial: $0, key: sortValue($0)) }
        let descending = query.descending
        return keyed.sorted { a, b in
            switch (a.key, b.key) {
            case (nil, nil): return a.trial.number < b.trial.number
            case (nil, _): return false
            case (_, nil): return true
            case (let x?, let y?):
                if x == y { return descending ? a.trial.number > b.trial.number : a.trial.number < b.trial.number }
                return descending ? y < x : x < y
            }
        }.map(\.trial)
    }

    /// The `<section>`.
    func html() -> String {
        let ordered = orderedTrials
        let pages = max(1, (ordered.count + pageSize - 1) / pageSize)
        let page = min(query.page, pages)
        let rows = ordered.dropFirst((page - 1) * pageSize).prefix(pageSize)
        let base = DashboardPaths.study(snapshot.name)
        let counts = snapshot.countsByState
        var html = "<section id=\"trials\"><h2>Trials</h2>"
        html += "<p class=\"filters\">State: "
        // The counts carry data-count, so the live script keeps them current.
        html += link(base + query.with(state: nil).queryString, "all", count: snapshot.trials.count, key: "all", on: query.state == nil)
        for state in TrialState.allCases {
            html += " " + link(base + query.with(state: state).queryString, state.rawValue, count: counts[state] ?? 0,
                               key: state.rawValue, on: query.state == state)
        }
        html += "</p>"
        html += rangeForm(base)
        let liveInsert = query.showsNewTrialsFirst
        html += "<table class=\"list\" id=\"trials-table\" data-insert=\"\(liveInsert ? "top" : "none")\""
        if let state = query.state { html += " data-state-filter=\"\(state.rawValue)\"" }
        html += "><thead>"
        html += TrialRow.header(columns) { key, descendingFirst, label in
            let first = key == .score ? snapshot.objective.direction == .maximize : descendingFirst
            let target = query.sorted(by: key, descendingFirst: first)
            let arrow = query.sort == key ? (query.descending ? " ↓" : " ↑") : ""
            return "<a href=\"\(Escape.html(base + target.queryString + "#trials"))\"\(query.sort == key ? " class=\"sorted\"" : "")>\(Escape.html(label))\(arrow)</a>"
        }
        html += "</thead><tbody>"
        let objective = snapshot.objective.name
        for trial in rows {
            html += TrialRow.html(trial.trial, epochs: trial.metrics.stepCount, latest: trial.metrics.lastValue(objective),
                                  columns: columns)
            html += "\n"
        }
        html += "</tbody></table>"
        if rows.isEmpty {
            html += "<p class=\"note\" id=\"no-trials\">\(query.state == nil ? "This study has no trials yet." : "No trial is in this state.")</p>"
        }
        html += "<p class=\"pages\">"
        if page > 1 { html += "<a href=\"\(Escape.html(base + query.with(page: page - 1).queryString + "#trials"))\" rel=\"prev\">‹ previous page</a>" }
        // Unfiltered, the count is the study's: the live script keeps it current with the state filter's.
        let count = query.state == nil && query.range == nil ? "<span data-count=\"all\">\(ordered.count)</span>" : "\(ordered.count)"
        html += "<span>page \(page) of \(pages) · trials: \(count)</span>"
        if page < pages { html += "<a href=\"\(Escape.html(base + query.with(page: page + 1).queryString + "#trials"))\" rel=\"next\">next page ›</a>" }
        html += "</p></section>\n"
        return html
    }

    /// The numeric hyperparameters of the study (those a range can filter).
    var numericParameters: [String] {
        columns.parameters.filter { name in snapshot.trials.contains { $0.hyperparameters[name]?.doubleValue != nil } }
    }

    /// A plain GET form choosing a numeric hyperparameter's range; the listing's other choices ride along
    /// as hidden fields.
    private func rangeForm(_ base: String) -> String {
        let numeric = numericParameters
        guard !numeric.isEmpty else { return "" }
        let range = query.range
        var html = "<form class=\"filters\" id=\"range-form\" method=\"get\" action=\"\(Escape.html(base))\">Range: <select name=\"hp\">"
        html += "<option value=\"\">(none)</option>"
        for name in numeric {
            html += "<option value=\"\(Escape.html(name))\"\(range?.name == name ? " selected" : "")>\(Escape.html(name))</option>"
        }
        html += "</select> from <input name=\"min\" size=\"9\" value=\"\(range?.min.map { String($0) } ?? "")\">"
        html += " to <input name=\"max\" size=\"9\" value=\"\(range?.max.map { String($0) } ?? "")\">"
        if query.sort != .number { html += "<input type=\"hidden\" name=\"sort\" value=\"\(Escape.html(query.sort.queryValue))\">" }
        if !query.descending { html += "<input type=\"hidden\" name=\"order\" value=\"asc\">" }
        if let state = query.state { html += "<input type=\"hidden\" name=\"state\" value=\"\(state.rawValue)\">" }
        html += " <button type=\"submit\">Filter</button>"
        if range != nil { html += " <a href=\"\(Escape.html(base + query.with(range: nil).queryString + "#trials"))\">clear</a>" }
        return html + "</form>"
    }

    private func link(_ href: String, _ label: String, count: Int, key: String, on: Bool) -> String {
        "<a href=\"\(Escape.html(href + "#trials"))\"\(on ? " class=\"on\"" : "")>\(Escape.html(label)) (<span data-count=\"\(key)\">\(count)</span>)</a>"
    }

    /// What a trial is ordered by; nil (listed last) when it has no such value.
    private func sortValue(_ trial: TrialSnapshot) -> SortValue? {
        switch query.sort {
        case .number: return .number(Double(trial.number))
        case .state: return .number(Double(TrialState.allCases.firstIndex(of: trial.state) ?? 0))
        case .score: return trial.score.flatMap { $0.isNaN ? nil : .number($0) }
        case .epochs: return .number(Double(trial.metrics.stepCount))
        case .duration: return trial.duration.map { .number($0) }
        case .parameter(let name):
            switch trial.hyperparameters[name] {
            case .int(let value): return .number(Double(value))
            case .float(let value): return value.isNaN ? nil : .number(value)
            case .bool(let value): return .number(value ? 1 : 0)
            case .string(let value): return .text(value)
            case nil: return nil
            }
        }
    }
}

/// A sort key's value: numbers before texts, each in its own order.
enum SortValue: Comparable {
    case number(Double)
    case text(String)
}
