import StudyStore
import TensorBoard
import Tuning

extension StudySnapshot {
    /// Writes the stored study into the TensorBoard log folder `directory` as a live search with
    /// `tensorBoard:` would have (``TensorBoardSearchLog``): every trial that ran as the run `trial_<n>`
    /// with its hyperparameters, each stored curve as scalars at its steps (in `train/` or `validation/`),
    /// its score, and its end (a RUNNING trial has none yet); the experiment at the root. WAITING trials
    /// have not run and are left out. Returns how many runs were written.
    ///
    /// Writing twice into one folder would give each run two event files, which TensorBoard merges into
    /// doubled curves: give an empty or new folder (`tuner export` refuses any other).
    ///
    /// - Throws: ``SummaryWriterError`` when a folder or event file cannot be written.
    @discardableResult
    public func writeTensorBoard(to directory: String) throws(SummaryWriterError) -> Int {
        let log = TensorBoardSearchLog(directory: directory, objective: objective)
        var metricNames = Set<String>()
        var written = 0
        for trial in trials where trial.state != .waiting {
            metricNames.formUnion(trial.metrics.names)
            let run = try log.startTrial(number: trial.number, values: trial.hyperparameters,
                                         startTime: trial.startedAt ?? trial.createdAt)
            var byStep: [Int: [String: Double]] = [:]
            for (name, points) in trial.metrics.curves {
                for point in points { byStep[point.step, default: [:]][name] = point.value }
            }
            do {
                for step in byStep.keys.sorted() { try run.epoch(step: step, metrics: byStep[step] ?? [:]) }
                if trial.state == .running {
                    run.close()
                } else {
                    try run.end(state: trial.state, score: trial.state == .complete ? trial.score : nil,
                                objectiveValues: TensorBoardSearchLog.objectiveValues(trial.state == .complete ? trial.values : nil,
                                                                                      study.objectives),
                                step: byStep.keys.max() ?? 0, endTime: trial.endedAt ?? trial.startedAt ?? trial.createdAt)
                }
            } catch {
                run.close()
                throw error
            }
            written += 1
        }
        try log.writeExperiment(space: searchSpace, metrics: metricNames.sorted(), objectives: study.objectives)
        return written
    }
}
