import StudyStore

/// One metric of one trial per epoch: the curve a trial's page shows for each metric it recorded (NaN
/// values break the line). Every text is XML-escaped.
///
/// ```swift
/// let svg = TrialMetricChart(trial: trial, metric: "val_loss", studyName: "mnist").svg()
/// ```
public struct TrialMetricChart: Sendable {
    /// The trial drawn.
    public let trial: TrialSnapshot
    /// The metric drawn.
    public let metric: String
    /// The study's name, for the chart's accessible title.
    public let studyName: String

    /// A chart of `metric` of `trial`.
    public init(trial: TrialSnapshot, metric: String, studyName: String) {
        self.trial = trial
        self.metric = metric
        self.studyName = studyName
    }

    /// The `<svg>` element, or nil when the trial has no point of this metric.
    public func svg() -> String? {
        guard let curve = trial.metrics[metric], !curve.isEmpty else { return nil }
        // The whole curve, not clipped like a study's scores: one trial's first epochs are often far
        // above its last, and that descent is what this chart shows.
        let yScale = AxisScale.niceLinear(curve.map(\.value))
        var frame = ChartFrame(width: 480, height: 260, left: 72, right: 16, top: 32, bottom: 46,
                               x: .niceLinear(curve.map { Double($0.step + 1) } + [1], integer: true), y: yScale,
                               xTitle: "epoch", yTitle: ChartFrame.clip(metric, 24),
                               title: ChartFrame.clip(metric, 48))
        frame.left = 72
        var canvas = frame.makeCanvas()
        frame.drawAxes(on: &canvas)
        let line = curve.map { point -> (Double, Double) in
            guard let x = frame.px(Double(point.step + 1)), let y = frame.py(point.value) else { return (.nan, .nan) }
            return (x, y)
        }
        canvas.polyline(line, stroke: Palette.main, width: 2)
        for (point, position) in zip(curve, line) where position.0.isFinite && position.1.isFinite {
            canvas.circle(position.0, position.1, radius: curve.count > 200 ? 1.2 : 2.5, fill: Palette.main,
                          title: curve.count > 200 ? nil : "epoch \(point.step + 1): \(NumberFormat.short(point.value, digits: 6))")
        }
        return canvas.render(title: "\(metric) of trial \(trial.number) of \(studyName)")
    }
}
