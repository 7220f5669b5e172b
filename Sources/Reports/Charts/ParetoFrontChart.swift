import StudyStore
import Tuning

/// The Pareto front of a study with several objectives, for one pair of them: every COMPLETE trial as a
/// dot at its two values, the trials of the study's front (`StudySnapshot.paretoFront`, all objectives
/// considered) in red, the front of this pair joined by its staircase, and infeasible trials as
/// crosses (kept and shown, never on the front). A study with three or more objectives gets one chart
/// per pair: a matrix of pairwise fronts.
struct ParetoFrontChart {
    let report: StudyReport
    /// The objectives on the x and y axes (indices into the study's objectives).
    let xObjective: Int
    let yObjective: Int

    /// The chart, or nil when no complete trial has both values.
    func svg() -> String? {
        let objectives = report.study.objectives
        guard xObjective < objectives.count, yObjective < objectives.count else { return nil }
        let x = objectives[xObjective]
        let y = objectives[yObjective]
        let points = report.trials.compactMap { trial -> (trial: TrialSnapshot, x: Double, y: Double)? in
            guard let values = trial.finiteObjectiveValues, values.count == objectives.count else { return nil }
            return (trial, values[xObjective], values[yObjective])
        }
        guard !points.isEmpty else { return nil }
        let front = Set(report.snapshot.paretoFront.map(\.number))
        var frame = ChartFrame(
            x: .niceLinear(points.map(\.x)), y: .niceLinear(points.map(\.y)),
            xTitle: "\(x.name) (\(x.direction == .maximize ? "higher" : "lower") is better)",
            yTitle: "\(y.name) (\(y.direction == .maximize ? "higher" : "lower") is better)",
            title: "Pareto front: \(x.name) against \(y.name)")
        frame.left = 80
        var canvas = frame.makeCanvas()
        frame.drawAxes(on: &canvas)
        func title(_ point: (trial: TrialSnapshot, x: Double, y: Double)) -> String {
            "trial \(point.trial.number): \(x.name) \(NumberFormat.short(point.x, digits: 6)), \(y.name) \(NumberFormat.short(point.y, digits: 6))"
        }
        let feasible = points.filter { $0.trial.isFeasible }
        let radius = points.count > 500 ? 2.0 : 3.5
        canvas.points(feasible.filter { !front.contains($0.trial.number) }.compactMap { point in
            guard let px = frame.px(point.x), let py = frame.py(point.y) else { return nil }
            return (x: px, y: py, title: title(point))
        }, radius: radius, fill: Palette.main, opacity: 0.7)
        // This pair's own front, as the staircase a two-objective front draws.
        let staircase = Self.pairFront(feasible.map { (x.direction == .maximize ? -$0.x : $0.x, y.direction == .maximize ? -$0.y : $0.y) })
            .map { feasible[$0] }
            .sorted { $0.x < $1.x }
        var steps: [(Double, Double)] = []
        for (index, point) in staircase.enumerated() {
            guard let px = frame.px(point.x), let py = frame.py(point.y) else { continue }
            if index > 0, let previous = steps.last {
                // Horizontal then vertical when y gets better as x grows; the step's corner is the worse value.
                steps.append((px, previous.1))
            }
            steps.append((px, py))
        }
        if steps.count > 1 { canvas.polyline(steps, stroke: Palette.best, width: 1.5, opacity: 0.6) }
        canvas.points(feasible.filter { front.contains($0.trial.number) }.compactMap { point in
            guard let px = frame.px(point.x), let py = frame.py(point.y) else { return nil }
            return (x: px, y: py, title: title(point) + " (on the front)")
        }, radius: radius + 1, fill: Palette.best)
        let infeasible = points.filter { !$0.trial.isFeasible }
        for point in infeasible {
            guard let px = frame.px(point.x), let py = frame.py(point.y) else { continue }
            canvas.cross(px, py, size: 4, stroke: Palette.pruned, title: title(point) + " (infeasible)")
        }
        var legend: [(color: String, label: String, dashed: Bool)] = [
            (Palette.best, "Pareto front", false), (Palette.main, "other feasible trials", false),
        ]
        if !infeasible.isEmpty { legend.append((Palette.pruned, "infeasible (×)", false)) }
        frame.drawLegend(on: &canvas, legend)
        return canvas.render(title: "Pareto front of \(report.name): \(x.name) against \(y.name)")
    }

    /// The indices of the points no other point dominates, both coordinates minimized.
    static func pairFront(_ points: [(Double, Double)]) -> [Int] {
        points.indices.filter { index in
            !points.indices.contains { other in
                points[other].0 <= points[index].0 && points[other].1 <= points[index].1
                    && (points[other].0 < points[index].0 || points[other].1 < points[index].1)
            }
        }
    }
}
