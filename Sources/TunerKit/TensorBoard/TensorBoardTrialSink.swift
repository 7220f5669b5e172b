import Synchronization
import TensorBoard
import Tuning

/// A running trial's side of ``TensorBoardSearchLog`` inside the search loop: every call is safe to make
/// whatever happens to the log folder. A write that fails is reported once per trial as a warning, and
/// the trial's TensorBoard run stops there: the trial itself, its training and its stored result go on
/// (TensorBoard is a view of the search, never a reason to lose it). Does nothing without a log.
final class TensorBoardTrialSink: Sendable {
    private struct State {
        var run: TensorBoardTrialLog?
        var lastStep = 0
        var metricNames: Set<String> = []
    }

    private let log: TensorBoardSearchLog?
    private let trialNumber: Int
    private let progress: SearchProgress
    private let state = Mutex(State())

    init(log: TensorBoardSearchLog?, trial: Trial, progress: SearchProgress) {
        self.log = log
        self.trialNumber = trial.id
        self.progress = progress
        guard let log else { return }
        do {
            let run = try log.startTrial(number: trial.id, values: trial.values)
            state.withLock { $0.run = run }
        } catch {
            report(error)
        }
    }

    func epoch(step: Int, metrics: [String: Double]) {
        let run = state.withLock { state -> TensorBoardTrialLog? in
            state.lastStep = max(state.lastStep, step)
            state.metricNames.formUnion(metrics.keys)
            return state.run
        }
        guard let run else { return }
        do {
            try run.epoch(step: step, metrics: metrics)
        } catch {
            stop(run, error)
        }
    }

    /// Writes the trial's score (and on several `objectives` each one's value) and session end, and the
    /// experiment when no trial wrote it yet and this one reported metrics or completed (its metric columns
    /// are the ones this trial reported; its domains the space known now). A trial that failed before its first epoch leaves the experiment to the next
    /// one: TensorBoard keeps the first experiment it reads, which would lack the metric columns.
    func end(_ trial: Trial, space: SearchSpace, objectives: [Objective]) {
        guard let log else { return }
        let (run, lastStep, metricNames) = state.withLock { state in
            defer { state.run = nil }
            return (state.run, state.lastStep, state.metricNames)
        }
        if let run {
            do {
                try run.end(state: trial.state, score: trial.state == .complete ? trial.score : nil,
                            objectiveValues: TensorBoardSearchLog.objectiveValues(trial.state == .complete ? trial.objectiveValues : nil, objectives),
                            step: lastStep)
            } catch {
                report(error)
            }
        }
        guard !metricNames.isEmpty || trial.state == .complete else { return }
        do {
            try log.writeExperimentOnce(space: space, metrics: Array(metricNames), objectives: objectives)
        } catch {
            progress.warning("TensorBoard: the experiment (HParams columns) was not written: \(error). The search goes on.")
        }
    }

    /// Closes the run without an end: the trial was put back or taken over, and runs again elsewhere.
    func close() {
        state.withLock { state in
            state.run?.close()
            state.run = nil
        }
    }

    private func stop(_ run: TensorBoardTrialLog, _ error: SummaryWriterError) {
        state.withLock { $0.run = nil }
        run.close()
        report(error)
    }

    private func report(_ error: SummaryWriterError) {
        progress.warning("TensorBoard: trial \(trialNumber) is not logged further: \(error). The trial goes on.")
    }
}
