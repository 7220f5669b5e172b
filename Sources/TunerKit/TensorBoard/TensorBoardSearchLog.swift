import Foundation
import Synchronization
import TensorBoard
import Tuning

/// Writes a search into a TensorBoard log folder, as Keras Tuner does with a `TensorBoard` callback and
/// the HParams plugin: each trial a run of its own, `<folder>/trial_<number>/`, holding its hyperparameters
/// and how it ended (the HParams plugin's session infos), its final objective score (scalar `score`), and
/// its per-epoch metrics in `train/` and `validation/` as Keras writes them (``TensorBoardMetricName``);
/// the folder's root holds the experiment: every hyperparameter's domain and the metrics, the HParams
/// dashboard's columns. A study with several objectives also gets each objective's final value as the
/// scalar `objective/<name>` (``objectiveTag(_:)``), a column each, since `score` is the first's alone. Then `tensorboard --logdir <folder>` shows the trials in its HParams tab.
///
/// Run folders are named from trial numbers only (never from a study name): two studies logged into one
/// folder mix their trials, so give each study a folder of its own.
public final class TensorBoardSearchLog: Sendable {
    /// The log folder.
    public let directory: String
    /// The objective, whose metric and score the experiment lists first.
    public let objective: Objective
    private let experimentWritten = Mutex(false)

    /// The scalar tag of a trial's final score, in the trial's own run.
    public static let scoreTag = "score"

    /// A log of a search for `objective` into `directory` (created when the first trial starts).
    public init(directory: String, objective: Objective) {
        self.directory = directory
        self.objective = objective
    }

    /// The scalar tag of a trial's final value on objective `name` (studies with several objectives).
    public static func objectiveTag(_ name: String) -> String { "objective/" + name }

    /// A trial's value on each objective by name, what its run's `objective/<name>` scalars hold: empty
    /// for a study with one objective (`score` says it) or a trial without values.
    public static func objectiveValues(_ values: TrialValues?, _ objectives: [Objective]) -> [(name: String, value: Double)] {
        guard objectives.count > 1, let values else { return [] }
        return zip(objectives, values.objectives).map { (name: $0.name, value: $1) }
    }

    /// The run folder of trial `number`: `trial_<number>`.
    public static func runName(trial number: Int) -> String { "trial_\(number)" }

    /// The path of trial `number`'s run folder.
    public func runDirectory(trial number: Int) -> String {
        URL(fileURLWithPath: directory).appendingPathComponent(Self.runName(trial: number)).path
    }

    /// Writes the experiment into the folder's root, once per log (later calls do nothing): each
    /// hyperparameter of `space` with its domain, then the metrics — the score, each of `objectives`'
    /// final value when there are several, the objective's metric, then `metrics` (the names a trial
    /// reported) in their Keras folders.
    ///
    /// - Throws: ``SummaryWriterError`` when the folder or its event file cannot be written.
    public func writeExperimentOnce(space: SearchSpace, metrics: [String], objectives: [Objective] = []) throws(SummaryWriterError) {
        try experimentWritten.withLock { (written: inout Bool) throws(SummaryWriterError) in
            guard !written else { return }
            try writeExperiment(space: space, metrics: metrics, objectives: objectives)
            written = true
        }
    }

    /// Writes the experiment (see ``writeExperimentOnce(space:metrics:objectives:)``) whether or not it was written.
    ///
    /// - Throws: ``SummaryWriterError`` when the folder or its event file cannot be written.
    public func writeExperiment(space: SearchSpace, metrics: [String], objectives: [Objective] = []) throws(SummaryWriterError) {
        let writer = try SummaryWriter(logDirectory: directory, flushInterval: nil)
        let experiment = HParamsExperiment(
            timeCreatedSecs: Date().timeIntervalSince1970, hparamInfos: space.specs.map(TensorBoardHParams.info),
            metricInfos: metricInfos(metrics, objectives: objectives))
        do {
            try writer.hparams(HParamsPluginData(.experiment(experiment)))
            try writer.close()
        } catch {
            try? writer.close()
            throw error
        }
    }

    /// The dashboard's metric columns: the score, each objective's final value when there are several,
    /// then each metric once (the objective's first).
    func metricInfos(_ metrics: [String], objectives: [Objective] = []) -> [MetricInfo] {
        var infos = [MetricInfo(tag: Self.scoreTag, displayName: "score (\(objective.name))")]
        if objectives.count > 1 {
            for objective in objectives {
                let direction = objective.direction == .maximize ? "maximize" : "minimize"
                infos.append(MetricInfo(tag: Self.objectiveTag(objective.name), displayName: "\(objective.name) (\(direction))"))
            }
        }
        var seen = Set<TensorBoardMetricName>()
        for name in [objective.name] + metrics.sorted() {
            let metric = TensorBoardMetricName(metric: name)
            if seen.insert(metric).inserted { infos.append(metric.metricInfo) }
        }
        return infos
    }

    /// Starts trial `number`'s run: its folder and its session start (the hyperparameter `values`).
    ///
    /// - Throws: ``SummaryWriterError`` when its folder or event file cannot be written.
    public func startTrial(number: Int, values: [String: HyperParameterValue],
                           startTime: Double = Date().timeIntervalSince1970) throws(SummaryWriterError) -> TensorBoardTrialLog {
        try TensorBoardTrialLog(directory: runDirectory(trial: number), values: values, startTime: startTime)
    }
}
