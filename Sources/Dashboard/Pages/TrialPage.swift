import Reports
import StudyStore
import Tuning

/// A trial's page: its state, score, worker, times, counts, Hyperband assignment, checkpoints and error;
/// its hyperparameters; one chart per metric it recorded; and every metric's value per epoch, a table the
/// live script extends while the trial runs. Read from the store for this trial alone.
struct TrialPage {
    let study: StoredStudy
    let trial: TrialSnapshot
    /// The epochs it has checkpoints of.
    let checkpointEpochs: [Int]
    let cursor: StudyChangeCursor
    /// The stop button (none when read-only).
    let steering: SteeringForms

    /// The whole document.
    func html() -> String {
        let name = study.name
        let number = trial.number
        var main = "<section id=\"facts\"><h2>Trial \(number)</h2><dl>"
        var facts: [(String, String)] = [("state", "<span class=\"state \(trial.state.rawValue.lowercased())\" id=\"trial-state\">\(trial.state.rawValue)</span>")]
        let objective = study.objective
        facts.append(("\(Escape.html(objective.name)) (\(objective.direction == .maximize ? "maximize" : "minimize"))",
                      "<span id=\"trial-score\">\(trial.score.map { NumberFormat.plain($0) } ?? "–")</span>"))
        // The further objectives' values, and the constraints' with whether they hold (several objectives,
        // or constraints).
        let values = trial.trial.values
        for (index, further) in study.definition.additionalObjectives.enumerated() {
            let value = values.flatMap { index + 1 < $0.objectives.count ? $0.objectives[index + 1] : nil }
            facts.append(("\(Escape.html(further.name)) (\(further.direction == .maximize ? "maximize" : "minimize"))",
                          value.map { NumberFormat.plain($0) } ?? "–"))
        }
        if let values, !values.constraints.isEmpty {
            let listed = values.constraints.map { NumberFormat.plain($0) }.joined(separator: ", ")
            facts.append(("constraints (≤ 0 holds)", "\(listed) (\(values.isFeasible ? "feasible" : "infeasible"))"))
        }
        facts.append(("worker", Escape.html(trial.worker ?? "–")))
        facts.append(("created", NumberFormat.date(trial.createdAt)))
        facts.append(("started", trial.startedAt.map(NumberFormat.date) ?? "–"))
        facts.append(("ended", trial.endedAt.map(NumberFormat.date) ?? "–"))
        facts.append(("duration", trial.duration.map(NumberFormat.duration) ?? "–"))
        if let heartbeat = trial.heartbeatAt, trial.state == .running { facts.append(("last heartbeat", NumberFormat.date(heartbeat))) }
        facts.append(("epochs", "<span id=\"trial-epochs\">\(trial.metrics.stepCount)</span>"))
        facts.append(("retries", String(trial.retries)))
        facts.append(("worker deaths", String(trial.workerDeaths)))
        if let band = trial.hyperband {
            let parent = band.parentTrialID.map { " (continues trial \($0))" } ?? ""
            facts.append(("Hyperband", "iteration \(band.iteration), bracket \(band.bracket), round \(band.round), epochs \(band.initialEpoch)→\(band.epochs)\(parent)"))
        }
        // Stored epochs count from 0; pages (and the download's address) from 1, as the values table does.
        facts.append(("checkpoints", checkpointEpochs.isEmpty ? "none" : checkpointEpochs.map { stored in
            let link = Escape.html(DashboardPaths.trial(name, number: number) + "/checkpoints/\(stored + 1)")
            return "<a href=\"\(link)\" download>epoch \(stored + 1) (safetensors)</a>"
        }.joined(separator: ", ")))
        main += facts.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined()
        main += "</dl>"
        main += steering.stopHTML(study: study, trial: trial.trial)
        if let error = trial.error {
            main += "<h3>Error</h3><pre class=\"error\" id=\"trial-error\">\(Escape.html(error))</pre>"
        }
        main += "<p class=\"note\" id=\"trial-changed\" hidden>This trial changed since the page was read: reload for its new state.</p>"
        main += "</section>\n"

        main += "<section id=\"hyperparameters\"><h2>Hyperparameters</h2>"
        if trial.hyperparameters.isEmpty {
            main += "<p>none</p>"
        } else {
            let order = study.searchSpace.names.filter { trial.hyperparameters[$0] != nil }
            let names = order + trial.hyperparameters.keys.filter { !order.contains($0) }.sorted()
            main += "<table class=\"plain\"><thead><tr><th>name</th><th>value</th><th>definition</th></tr></thead><tbody>"
            for name in names {
                let value = trial.hyperparameters[name].map { Escape.html($0.description) } ?? ""
                let spec = study.searchSpace[name].map { "<code>\(Escape.html($0.description))</code>" } ?? ""
                main += "<tr><td>\(Escape.html(name))</td><td>\(value)</td><td>\(spec)</td></tr>"
            }
            main += "</tbody></table>"
        }
        main += "</section>\n"

        let metrics = orderedMetricNames
        main += "<section id=\"curves\"><h2>Learning curves</h2>"
        if metrics.isEmpty {
            main += "<p class=\"note\">No metric recorded yet.</p>"
        } else {
            main += "<div class=\"grid\">"
            for metric in metrics {
                if let svg = TrialMetricChart(trial: trial, metric: metric, studyName: name).svg() {
                    main += "<figure class=\"small\">\(svg)</figure>"
                }
            }
            main += "</div>"
        }
        main += "</section>\n"
        main += epochsSection(metrics)
        let events = DashboardPaths.events(name, since: cursor.token) + "&trial=\(number)"
        return PageLayout.document(
            title: "Trial \(number) of “\(name)”",
            breadcrumbs: [("Studies", DashboardPaths.studies), (name, DashboardPaths.study(name)), ("trial \(number)", nil)],
            main: main, events: events, trialNumber: number)
    }

    /// The metric names, the objective first, then sorted.
    private var orderedMetricNames: [String] {
        let names = trial.metrics.names
        let objective = study.objective.name
        return (names.contains(objective) ? [objective] : []) + names.filter { $0 != objective }
    }

    /// Every metric's value per epoch; the live script adds rows (matching cells by metric name).
    private func epochsSection(_ metrics: [String]) -> String {
        var html = "<section id=\"epochs\"><h2>Values per epoch</h2><table class=\"list\" id=\"epochs-table\"><thead><tr><th>epoch</th>"
        html += metrics.map { "<th data-metric=\"\(Escape.html($0))\">\(Escape.html($0))</th>" }.joined()
        html += "</tr></thead><tbody>"
        var steps: [Int: [String: Double]] = [:]
        for metric in metrics {
            for point in trial.metrics[metric] ?? [] { steps[point.step, default: [:]][metric] = point.value }
        }
        for step in steps.keys.sorted() {
            html += "<tr data-step=\"\(step)\"><td class=\"num\">\(step + 1)</td>"
            for metric in metrics {
                html += "<td class=\"num\">\(steps[step]?[metric].map { NumberFormat.short($0, digits: 6) } ?? "")</td>"
            }
            html += "</tr>"
        }
        html += "</tbody></table></section>\n"
        return html
    }
}
