import StudyStore

/// Parallel coordinates: one vertical axis per hyperparameter (log axes for log parameters, categories
/// as labelled positions) and one for the score; each COMPLETE trial is a line coloured by its score
/// rank (dark: best), the best five drawn on top in red. Inactive conditional parameters break the line.
struct ParallelCoordinatesChart {
    let report: StudyReport

    func svg() -> String? {
        let trials = report.rankedTrials
        let names = report.parameterNames
        guard !trials.isEmpty, !names.isEmpty else { return nil }
        let axes = names.map { ParameterAxis(name: $0, report: report) }
        let (scoreScale, clipped) = ScoreAxis.scale(trials.compactMap(\.finiteScore))
        let count = axes.count + 1
        let spacing = 130.0
        let width = max(1000, Double(count - 1) * spacing + 170)
        let left = 80.0, right = 90.0, top = 56.0, bottom = 30.0, height = 420.0
        var canvas = SVGCanvas(width: width, height: height)
        canvas.text(left, 20, "Parallel coordinates (\(trials.count) complete trials; darker is better)", size: 14, weight: "600")
        func xPosition(_ index: Int) -> Double {
            left + Double(index) * (width - left - right) / Double(max(count - 1, 1))
        }
        func yPosition(_ fraction: Double) -> Double {
            let clamped = min(max(fraction, 0), 1)
            return height - bottom - clamped * (height - bottom - top)
        }
        let scales: [(String, AxisScale)] = axes.map { ($0.name, $0.scale) }
            + [(report.objective.name + (clipped ? " (clipped)" : ""), scoreScale)]

        let opacity = trials.count > 500 ? 0.25 : trials.count > 100 ? 0.45 : 0.75
        let highlighted = Set(trials.prefix(Palette.highlights.count).map(\.number))
        func line(_ trial: TrialSnapshot) -> [(Double, Double)] {
            var points: [(Double, Double)] = []
            for (index, axis) in axes.enumerated() {
                guard let value = trial.hyperparameters[axis.name], let position = axis.position(value),
                      let fraction = axis.scale.fraction(position)
                else { points.append((.nan, .nan)); continue }
                points.append((xPosition(index), yPosition(fraction)))
            }
            if let score = trial.finiteScore, let fraction = scoreScale.fraction(score) {
                points.append((xPosition(axes.count), yPosition(fraction)))
            }
            return points
        }
        for (rank, trial) in trials.enumerated().reversed() where !highlighted.contains(trial.number) {
            let t = trials.count > 1 ? 1 - Double(rank) / Double(trials.count - 1) : 1
            canvas.polyline(line(trial), stroke: Palette.ramp(t), width: 1.2, opacity: opacity,
                            title: trials.count <= 300 ? "trial \(trial.number)" : nil)
        }
        for trial in trials.prefix(Palette.highlights.count).reversed() {
            canvas.polyline(line(trial), stroke: Palette.best, width: 2.5,
                            title: "trial \(trial.number): \(NumberFormat.short(trial.finiteScore ?? 0, digits: 6))")
        }
        // Axes drawn last so their labels stay readable over the lines.
        for (index, (name, scale)) in scales.enumerated() {
            let x = xPosition(index)
            canvas.line(x, top, x, height - bottom, stroke: Palette.text, width: 1.2)
            canvas.text(x, top - 14, ChartFrame.clip(name, 20), anchor: .middle, size: 12, weight: "600")
            let ticks = scale.ticks(target: 6)
            let every = max(1, ticks.count / 12)
            for (tickIndex, tick) in ticks.enumerated() where tickIndex % every == 0 {
                guard let fraction = scale.fraction(tick.value), fraction >= -0.001, fraction <= 1.001 else { continue }
                let y = yPosition(fraction)
                canvas.line(x - 4, y, x, y, stroke: Palette.text)
                canvas.rect(x + 3, y - 8, Double(min(tick.label.count, 14)) * 6.4 + 4, 13, fill: "#ffffff", opacity: 0.8)
                canvas.text(x + 5, y + 3, ChartFrame.clip(tick.label, 14), size: 10.5, fill: Palette.text)
            }
        }
        return canvas.render(title: "Parallel coordinates of \(report.name)")
    }
}
