/// The Gaussian-process surrogate of a Bayesian study along its most important dimension: the mean
/// (line), ±2 standard deviations (band), the trials (points) and the best trial's value (dashed).
struct SurrogateChart {
    let report: StudyReport
    let slice: SurrogateSlice

    func svg() -> String? {
        guard !slice.points.isEmpty else { return nil }
        let axis = ParameterAxis(name: slice.parameter, report: report)
        let xScale: AxisScale = slice.isCategorical ? axis.scale : {
            if case .log = axis.scale { return .niceLog(slice.points.map(\.position)) }
            return .niceLinear(slice.points.map(\.position))
        }()
        let observed = report.trials.compactMap(\.finiteScore)
        let lower = slice.points.map { $0.mean - 2 * $0.standardDeviation }
        let upper = slice.points.map { $0.mean + 2 * $0.standardDeviation }
        let yScale = AxisScale.niceLinear(lower + upper + observed)
        var frame = ChartFrame(x: xScale, y: yScale, xTitle: slice.parameter, yTitle: report.objective.name,
                               title: "Surrogate along \(ChartFrame.clip(slice.parameter, 30)) (others at the best trial)")
        frame.left = 80
        var canvas = frame.makeCanvas()
        frame.drawAxes(on: &canvas)
        let coordinates = slice.points.map { point in
            (frame.px(point.position) ?? .nan, frame.py(point.mean) ?? .nan,
             frame.py(point.mean - 2 * point.standardDeviation) ?? .nan, frame.py(point.mean + 2 * point.standardDeviation) ?? .nan)
        }
        if slice.isCategorical {
            for c in coordinates {
                canvas.line(c.0, c.2, c.0, c.3, stroke: Palette.main, width: 6, opacity: 0.3)
                canvas.line(c.0 - 10, c.1, c.0 + 10, c.1, stroke: Palette.main, width: 2.5)
            }
        } else {
            canvas.polygon(coordinates.map { ($0.0, $0.3) } + coordinates.reversed().map { ($0.0, $0.2) },
                           fill: Palette.main, opacity: 0.18)
            canvas.polyline(coordinates.map { ($0.0, $0.1) }, stroke: Palette.main, width: 2.5)
        }
        let axisPosition = ParameterAxis(name: slice.parameter, report: report)
        canvas.points(report.trials.compactMap { trial in
            guard let score = trial.finiteScore, let value = trial.hyperparameters[slice.parameter],
                  let position = axisPosition.position(value), let x = frame.px(position), let y = frame.py(score)
            else { return nil }
            return (x: x, y: y, title: "trial \(trial.number): \(NumberFormat.short(score, digits: 6))")
        }, radius: 2.5, fill: Palette.text, opacity: 0.45)
        if let best = slice.bestPosition, let x = frame.px(best) {
            canvas.line(x, frame.plotTop, x, frame.plotBottom, stroke: Palette.best, width: 1.5, dash: "5 4")
        }
        frame.drawLegend(on: &canvas, [
            (color: Palette.main, label: "GP mean ± 2σ", dashed: false),
            (color: Palette.text, label: "trials", dashed: false),
            (color: Palette.best, label: "best trial", dashed: true),
        ])
        return canvas.render(title: "Surrogate model of \(report.name) along \(slice.parameter)")
    }
}
