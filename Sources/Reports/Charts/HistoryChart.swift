import StudyStore

/// Optimization history: each COMPLETE trial's score by trial number, the best-so-far line, pruned
/// trials as crosses at the last value they reported (not a score: they never enter the best-so-far
/// line), and failed trials as crosses along the bottom.
struct HistoryChart {
    let report: StudyReport

    func svg() -> String? {
        let complete = report.trials.filter { $0.finiteScore != nil }
        guard !complete.isEmpty else { return nil }
        let numbers = report.trials.map { Double($0.number) }
        let pruned = report.trials.compactMap { trial -> (TrialSnapshot, MetricPoint)? in
            guard trial.state == .pruned, let last = trial.metrics[report.objective.name]?.last(where: { $0.value.isFinite })
            else { return nil }
            return (trial, last)
        }
        let (yScale, clipped) = ScoreAxis.scale(complete.compactMap(\.finiteScore) + pruned.map(\.1.value))
        var frame = ChartFrame(
            x: .niceLinear(numbers, integer: true), y: yScale, xTitle: "trial number",
            yTitle: report.objective.name + (clipped ? " (clipped)" : ""),
            title: "Optimization history (\(report.objective.direction == .maximize ? "higher" : "lower") is better)")
        frame.left = 80
        var canvas = frame.makeCanvas()
        frame.drawAxes(on: &canvas)
        let radius = complete.count > 500 ? 1.8 : complete.count > 100 ? 2.5 : 3.5
        // Hyperband trials are coloured by the epochs they trained to: scores after 1 and after 9
        // epochs are not comparable.
        let budgets = Set(complete.compactMap { $0.hyperband?.epochs }).sorted()
        let colors = budgets.count > 1 && budgets.count <= Palette.budgets.count
            ? Dictionary(uniqueKeysWithValues: budgets.enumerated().map {
                ($0.element, Palette.budgets[$0.offset * (Palette.budgets.count - 1) / max(budgets.count - 1, 1)])
            }) : [:]
        for group in (colors.isEmpty ? [nil] : budgets.map { Optional($0) }) {
            let members = complete.filter { group == nil || $0.hyperband?.epochs == group }
            canvas.points(members.compactMap { trial in
                guard let score = trial.finiteScore, let x = frame.px(Double(trial.number)), let y = frame.pyClamped(score) else { return nil }
                return (x: x, y: y, title: "trial \(trial.number): \(NumberFormat.short(score, digits: 6))")
            }, radius: radius, fill: group.flatMap { colors[$0] } ?? Palette.main, opacity: 0.8)
        }
        let steps = BestSoFarLine.points(complete, objective: report.objective, lastNumber: report.trials.last?.number, frame: frame)
        canvas.polyline(steps, stroke: Palette.best, width: 2)
        for (trial, last) in pruned {
            guard let x = frame.px(Double(trial.number)), let y = frame.pyClamped(last.value) else { continue }
            canvas.cross(x, y, size: 3, stroke: Palette.pruned,
                         title: "trial \(trial.number) pruned at epoch \(last.step + 1): \(NumberFormat.short(last.value, digits: 6))")
        }
        let failed = report.trials.filter { $0.state == .failed }
        for trial in failed {
            guard let x = frame.px(Double(trial.number)) else { continue }
            canvas.cross(x, frame.plotBottom - 6, size: 3, stroke: Palette.failed,
                         title: "trial \(trial.number) failed: \(trial.error ?? "no reason given")")
        }
        var legend: [(String, String, Bool)] = colors.isEmpty
            ? [(Palette.main, "trial score", false)]
            : budgets.compactMap { budget in colors[budget].map { ($0, "\(budget) epoch\(budget == 1 ? "" : "s")", false) } }
        legend.append((Palette.best, "best so far", false))
        if !pruned.isEmpty { legend.append((Palette.pruned, "pruned (×, last value)", false)) }
        if !failed.isEmpty { legend.append((Palette.failed, "failed (×)", false)) }
        frame.drawLegend(on: &canvas, legend.map { (color: $0.0, label: $0.1, dashed: $0.2) })
        return canvas.render(title: "Optimization history of \(report.name)")
    }
}
