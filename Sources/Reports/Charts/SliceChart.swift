/// A slice plot: the score of every COMPLETE trial against one hyperparameter's value (log axis for
/// log parameters, labelled positions for categories, jittered so equal values stay visible).
struct SliceChart {
    let report: StudyReport
    let parameter: String

    func svg() -> String? {
        let trials = report.trials.filter { $0.finiteScore != nil && $0.hyperparameters[parameter] != nil }
        guard !trials.isEmpty else { return nil }
        let axis = ParameterAxis(name: parameter, report: report)
        let (yScale, clipped) = ScoreAxis.scale(trials.compactMap(\.finiteScore))
        var frame = ChartFrame(width: 380, height: 260, left: 64, right: 14, top: 30, bottom: 46, x: axis.scale, y: yScale,
                               xTitle: ChartFrame.clip(parameter, 40), yTitle: ChartFrame.clip(report.objective.name, 24) + (clipped ? " (clipped)" : ""),
                               title: ChartFrame.clip("\(report.objective.name) vs \(parameter)", 48))
        frame.left = 64
        var canvas = frame.makeCanvas()
        frame.drawAxes(on: &canvas)
        let best = report.bestTrial?.number
        let radius = trials.count > 500 ? 1.6 : 2.8
        var regular: [(x: Double, y: Double, title: String)] = []
        var bestPoint: (x: Double, y: Double, title: String)?
        let categoryWidth = axis.scale.isCategorical ? (frame.plotRight - frame.plotLeft) / Double(max(axis.scale.ticks().count, 1)) : 0
        for trial in trials {
            guard let value = trial.hyperparameters[parameter], let position = axis.position(value),
                  var x = frame.px(position), let score = trial.finiteScore, let y = frame.pyClamped(score)
            else { continue }
            if categoryWidth > 0 {
                // Deterministic jitter within the category band.
                let hash = Double((trial.number &* 2_654_435_761) % 1000) / 1000 - 0.5
                x += hash * categoryWidth * 0.5
            }
            let point = (x: x, y: y, title: "trial \(trial.number): \(NumberFormat.value(value)) → \(NumberFormat.short(score, digits: 6))")
            if trial.number == best { bestPoint = point } else { regular.append(point) }
        }
        canvas.points(regular, radius: radius, fill: Palette.main, opacity: 0.6)
        if let bestPoint {
            canvas.circle(bestPoint.x, bestPoint.y, radius: 4.5, fill: Palette.best, title: bestPoint.title)
        }
        return canvas.render(title: "Slice plot of \(parameter) in \(report.name)")
    }
}
