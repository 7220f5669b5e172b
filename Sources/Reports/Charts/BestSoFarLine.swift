import StudyStore
import Tuning

/// The best score so far as a step line: the points of a polyline that stays at the best score until a
/// better one comes, and runs on to the study's last trial. The history charts draw it.
enum BestSoFarLine {
    /// The pixel points of the line for `complete` (COMPLETE trials in number order), up to `lastNumber`.
    static func points(_ complete: [TrialSnapshot], objective: Objective, lastNumber: Int?, frame: ChartFrame) -> [(Double, Double)] {
        var best: Double?
        var steps: [(Double, Double)] = []
        for trial in complete {
            guard let score = trial.finiteScore else { continue }
            if best == nil || objective.isBetter(score, than: best ?? score) {
                if let best, let x = frame.px(Double(trial.number)), let y = frame.pyClamped(best) { steps.append((x, y)) }
                best = score
            }
            if let best, let x = frame.px(Double(trial.number)), let y = frame.pyClamped(best) { steps.append((x, y)) }
        }
        if let best, let lastNumber, let x = frame.px(Double(lastNumber)), let y = frame.pyClamped(best) {
            steps.append((x, y))
        }
        return steps
    }
}
