import StudyStore

/// Two or more studies on one optimization-history chart: each study's COMPLETE trials as dots and its
/// best score so far as a step line, by trial number, one colour per study (by the one ranking of each
/// study's own objective direction). Meant for studies of the same objective; when the objectives differ
/// the y axis says so. Every text is XML-escaped.
///
/// ```swift
/// let svg = StudyComparisonChart(snapshots: [first, second]).svg()
/// ```
public struct StudyComparisonChart: Sendable {
    /// The colours of the studies, in order (as many studies as colours can be compared).
    public static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    /// The studies compared, in legend order.
    public let snapshots: [StudySnapshot]

    /// A chart of `snapshots` (only the first `colors.count` are drawn).
    public init(snapshots: [StudySnapshot]) {
        self.snapshots = Array(snapshots.prefix(Self.colors.count))
    }

    /// The `<svg>` element, or nil when no study has a COMPLETE trial with a finite score.
    public func svg() -> String? {
        let scores = snapshots.flatMap { $0.trials.compactMap(\.finiteScore) }
        guard !scores.isEmpty else { return nil }
        let numbers = snapshots.flatMap { $0.trials.map { Double($0.number) } }
        let objectives = Array(Set(snapshots.map(\.objective.name))).sorted()
        let (yScale, clipped) = ScoreAxis.scale(scores)
        var frame = ChartFrame(
            x: .niceLinear(numbers, integer: true), y: yScale, xTitle: "trial number",
            yTitle: (objectives.count == 1 ? objectives[0] : "objectives differ: " + objectives.joined(separator: ", "))
                + (clipped ? " (clipped)" : ""),
            title: "Optimization history of \(snapshots.count) studies")
        frame.left = 80
        var canvas = frame.makeCanvas()
        frame.drawAxes(on: &canvas)
        for (index, snapshot) in snapshots.enumerated() {
            let color = Self.colors[index]
            let complete = snapshot.trials.filter { $0.finiteScore != nil }
            canvas.points(complete.compactMap { trial in
                guard let score = trial.finiteScore, let x = frame.px(Double(trial.number)), let y = frame.pyClamped(score) else { return nil }
                return (x: x, y: y, title: "\(snapshot.name), trial \(trial.number): \(NumberFormat.short(score, digits: 6))")
            }, radius: complete.count > 500 ? 1.6 : 2.6, fill: color, opacity: 0.45)
            let steps = BestSoFarLine.points(complete, objective: snapshot.objective, lastNumber: snapshot.trials.last?.number, frame: frame)
            canvas.polyline(steps, stroke: color, width: 2.2, title: "best so far in \(snapshot.name)")
        }
        frame.drawLegend(on: &canvas, snapshots.enumerated().map { (color: Self.colors[$0.offset], label: $0.element.name, dashed: false) })
        return canvas.render(title: "Optimization history of " + snapshots.map(\.name).joined(separator: ", "))
    }
}
