import StudyStore

/// Learning curves: the objective metric per epoch for every trial, the best five highlighted. A
/// Hyperband promotion continues from its parent's last point, and dashed lines mark the epochs at
/// which Hyperband's rounds end, so brackets and promotions are visible. A study with an asynchronous
/// successive-halving pruner gets its rungs as dotted lines, and a pruned trial's curve ends in a cross.
struct LearningCurvesChart {
    let report: StudyReport

    /// The metric drawn: the objective when recorded, else the first metric any trial has.
    var metric: String? {
        report.metricNames.first
    }

    func svg() -> String? {
        guard let metric else { return nil }
        let curves = report.trials.compactMap { trial -> (TrialSnapshot, [MetricPoint])? in
            guard let points = trial.metrics[metric], !points.isEmpty else { return nil }
            return (trial, points)
        }
        guard !curves.isEmpty else { return nil }
        let steps = curves.flatMap { $0.1.map { Double($0.step + 1) } }
        let (yScale, clipped) = ScoreAxis.scale(curves.flatMap { $0.1.map(\.value) })
        var frame = ChartFrame(x: .niceLinear(steps + [1], integer: true), y: yScale, xTitle: "epoch",
                               yTitle: metric + (clipped ? " (clipped)" : ""),
                               title: "Learning curves: \(metric) per epoch")
        frame.left = 80
        frame.height = 400
        var canvas = frame.makeCanvas()
        frame.drawAxes(on: &canvas)

        // Hyperband round boundaries.
        let roundEnds = Set(report.trials.compactMap { $0.hyperband?.epochs }).sorted()
        for epochs in roundEnds {
            guard let x = frame.px(Double(epochs)) else { continue }
            canvas.line(x, frame.plotTop, x, frame.plotBottom, stroke: Palette.axis, width: 1, dash: "4 4")
            canvas.text(x + 3, frame.plotTop + 12, "round → \(epochs)", size: 10, fill: Palette.muted)
        }
        // ASHA's rungs (a damaged stored pruner only costs the rung lines: the report stays readable).
        let lastStep = curves.flatMap { $0.1.map(\.step) }.max() ?? 0
        let rungs = (try? report.study.prunerSettings(location: ""))??.rungSteps(through: lastStep) ?? []
        for (index, step) in rungs.enumerated() {
            guard let x = frame.px(Double(step + 1)) else { continue }
            canvas.line(x, frame.plotTop, x, frame.plotBottom, stroke: Palette.axis, width: 1, dash: "1 3")
            canvas.text(x + 3, frame.plotTop + 24, "rung \(index)", size: 10, fill: Palette.muted)
        }

        let bestNumbers = report.rankedTrials.prefix(Palette.highlights.count).map(\.number)
        let highlight = Dictionary(uniqueKeysWithValues: bestNumbers.enumerated().map { ($0.element, $0.offset) })
        let byNumber = Dictionary(curves.map { ($0.0.number, $0.1) }, uniquingKeysWith: { a, _ in a })
        let opacity = curves.count > 500 ? 0.12 : curves.count > 100 ? 0.25 : 0.5
        func points(_ trial: TrialSnapshot, _ curve: [MetricPoint]) -> [(Double, Double)] {
            var result: [(Double, Double)] = []
            if let parent = trial.hyperband?.parentTrialID, let parentCurve = byNumber[parent],
               let start = curve.first?.step, let joint = parentCurve.last(where: { $0.step < start }),
               let x = frame.px(Double(joint.step + 1)), let y = frame.pyClamped(joint.value) {
                result.append((x, y))
            }
            for point in curve {
                guard let x = frame.px(Double(point.step + 1)), let y = frame.pyClamped(point.value) else {
                    result.append((.nan, .nan))
                    continue
                }
                result.append((x, y))
            }
            return result
        }
        for (trial, curve) in curves where highlight[trial.number] == nil {
            let line = points(trial, curve)
            canvas.polyline(line, stroke: trial.state == .failed ? Palette.failed : Palette.background,
                            width: 1, opacity: opacity, title: curves.count <= 300 ? "trial \(trial.number)" : nil)
            if line.count == 1, let only = line.first {
                canvas.circle(only.0, only.1, radius: 1.5, fill: Palette.background, opacity: opacity)
            }
        }
        // Where each pruned trial stopped.
        var prunedCount = 0
        for (trial, curve) in curves where trial.state == .pruned {
            guard let last = curve.last, let x = frame.px(Double(last.step + 1)), let y = frame.pyClamped(last.value) else { continue }
            prunedCount += 1
            canvas.cross(x, y, size: 3, stroke: Palette.pruned,
                         title: curves.count <= 300 ? "trial \(trial.number) pruned at epoch \(last.step + 1)" : nil)
        }
        for (trial, curve) in curves.reversed() {
            guard let rank = highlight[trial.number] else { continue }
            let color = Palette.highlights[rank]
            let line = points(trial, curve)
            canvas.polyline(line, stroke: color, width: 2.5, title: "trial \(trial.number) (rank \(rank + 1))")
            for (x, y) in line where x.isFinite { canvas.circle(x, y, radius: 2.5, fill: color) }
        }
        var legend = bestNumbers.enumerated().map {
            (color: Palette.highlights[$0.offset], label: $0.offset == 0 ? "#\($0.element) best" : "#\($0.element)", dashed: false)
        }
        legend.append((color: Palette.background, label: "others", dashed: false))
        if prunedCount > 0 { legend.append((color: Palette.pruned, label: "pruned (×)", dashed: false)) }
        frame.drawLegend(on: &canvas, legend)
        return canvas.render(title: "Learning curves of \(report.name)")
    }
}
