import Foundation
import Synchronization
import TensorBoard
import Tuning

/// One trial's TensorBoard run (see ``TensorBoardSearchLog``): its session start is written when it is
/// made, each step's metrics by ``epoch(step:metrics:)``, its score and session end by ``end(state:score:endTime:)``.
/// The `train/` and `validation/` writers are made at the first metric that goes there.
public final class TensorBoardTrialLog: Sendable {
    /// The run folder.
    public let directory: String
    private let root: SummaryWriter
    private let groups = Mutex<[String: SummaryWriter]>([:])

    init(directory: String, values: [String: HyperParameterValue], startTime: Double) throws(SummaryWriterError) {
        self.directory = directory
        // The timer flushes a running trial's curves for a TensorBoard that is watching.
        root = try SummaryWriter(logDirectory: directory)
        // The group is the run's name, as `hparams_pb(trial_id=...)` makes it: one dashboard row per trial.
        let start = SessionStartInfo(hparams: values.mapValues(TensorBoardHParams.value),
                                     groupName: URL(fileURLWithPath: directory).lastPathComponent, startTimeSecs: startTime)
        try root.hparams(HParamsPluginData(.sessionStartInfo(start)))
        try root.flush()
    }

    /// Writes each metric of a step as Keras does (``TensorBoardMetricName``), at `step`.
    ///
    /// - Throws: ``SummaryWriterError`` when a folder or event file cannot be written.
    public func epoch(step: Int, metrics: [String: Double]) throws(SummaryWriterError) {
        for (name, value) in metrics.sorted(by: { $0.key < $1.key }) {
            let metric = TensorBoardMetricName(metric: name)
            try writer(for: metric.group).scalar(metric.tag, value: value, step: step)
        }
    }

    /// Ends the run: the score (when there is one) as the scalar `score` at `step`, each of
    /// `objectiveValues` as `objective/<name>` (``TensorBoardSearchLog/objectiveTag(_:)``), and the
    /// session end with the status of `state`; then closes every writer.
    ///
    /// - Throws: ``SummaryWriterError`` when writing or closing fails (every writer is closed all the same).
    public func end(state: TrialState, score: Double?, objectiveValues: [(name: String, value: Double)] = [], step: Int,
                    endTime: Double = Date().timeIntervalSince1970) throws(SummaryWriterError) {
        var firstError: SummaryWriterError?
        do {
            if let score { try root.scalar(TensorBoardSearchLog.scoreTag, value: score, step: step) }
            for (name, value) in objectiveValues { try root.scalar(TensorBoardSearchLog.objectiveTag(name), value: value, step: step) }
            try root.hparams(HParamsPluginData(.sessionEndInfo(
                SessionEndInfo(status: TensorBoardHParams.status(state), endTimeSecs: endTime))))
        } catch {
            firstError = error
        }
        for writer in [root] + groups.withLock({ Array($0.values) }) {
            do { try writer.close() } catch { firstError = firstError ?? error }
        }
        if let firstError { throw firstError }
    }

    /// Closes the writers without an end (a trial put back for a resume, or taken over by another worker).
    public func close() {
        for writer in [root] + groups.withLock({ Array($0.values) }) { try? writer.close() }
    }

    private func writer(for group: String) throws(SummaryWriterError) -> SummaryWriter {
        try groups.withLock { (writers: inout [String: SummaryWriter]) throws(SummaryWriterError) in
            if let writer = writers[group] { return writer }
            let writer = try SummaryWriter(logDirectory: URL(fileURLWithPath: directory).appendingPathComponent(group).path)
            writers[group] = writer
            return writer
        }
    }
}
