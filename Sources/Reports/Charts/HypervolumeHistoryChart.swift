import StudyStore
import Tuning

/// The hypervolume of a study with several objectives after each trial, by trial number: how the front
/// grew. The hypervolume is measured from the worst value of the complete, feasible trials plus 10 % of
/// their range on each objective (`Hypervolume.referencePoint`), with every objective turned to
/// "lower is better"; infeasible trials add nothing.
struct HypervolumeHistoryChart {
    let report: StudyReport

    /// The chart, or nil for a study with one objective or fewer than two complete trials with values.
    func svg() -> String? {
        let objectives = report.study.objectives
        guard objectives.count > 1 else { return nil }
        let directions = objectives.map(\.direction)
        let scored = report.trials.compactMap { trial -> (number: Int, values: [Double], constraints: [Double])? in
            guard let values = trial.finiteObjectiveValues, values.count == objectives.count,
                  let minimized = try? ParetoDominance.minimizationForm(point: values, directions: directions) else { return nil }
            return (trial.number, minimized, trial.values?.constraints ?? [])
        }
        guard scored.count >= 2 else { return nil }
        let feasible = scored.filter { ParetoDominance.isFeasible($0.constraints) }.map(\.values)
        guard let reference = try? Hypervolume.referencePoint(for: feasible.isEmpty ? scored.map(\.values) : feasible),
              let curve = try? Hypervolume.curve(
                scored.map(\.values), reference: reference,
                constraints: Set(scored.map(\.constraints.count)).count == 1 ? scored.map(\.constraints) : nil)
        else { return nil }
        let numbers = scored.map { Double($0.number) }
        var frame = ChartFrame(
            x: .niceLinear(numbers, integer: true), y: .niceLinear(curve, includeZero: true), xTitle: "trial number",
            yTitle: "hypervolume", title: "Hypervolume of the front after each trial (higher is better)")
        frame.left = 80
        var canvas = frame.makeCanvas()
        frame.drawAxes(on: &canvas)
        var steps: [(Double, Double)] = []
        for (index, value) in curve.enumerated() {
            guard let x = frame.px(numbers[index]), let y = frame.py(value) else { continue }
            if let previous = steps.last { steps.append((x, previous.1)) }
            steps.append((x, y))
        }
        canvas.polyline(steps, stroke: Palette.best, width: 2)
        canvas.points(curve.indices.compactMap { index in
            guard let x = frame.px(numbers[index]), let y = frame.py(curve[index]) else { return nil }
            return (x: x, y: y, title: "after trial \(scored[index].number): \(NumberFormat.short(curve[index], digits: 6))")
        }, radius: 2.5, fill: Palette.best)
        return canvas.render(title: "Hypervolume of \(report.name) after each trial")
    }
}
