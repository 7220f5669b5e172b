import Foundation
import Neural
import StudyStore
import Tuning

/// How the data and training settings given to `search` reach each trial.
struct SearchData: Sendable {
    /// Tensors to train on, or nil for a dataset search.
    var training: ModelData?
    var validation: ModelData?
    /// Batches to train on, for a dataset search.
    var dataset: Dataset<TrainingBatch>? = nil
    var validationDataset: Dataset<TrainingBatch>? = nil
    var stepsPerEpoch: Int? = nil
    var validationSteps: Int? = nil
    var validationSplit: Float
    var epochs: Int
    var batchSize: Int
    var shuffle: Bool
    var classWeight: [Int: Float]?
    var callbacks: @Sendable () -> [Callback]

    /// One sample of the inputs, to build a model's weights before loading a checkpoint.
    func sampleInputs() throws -> [Tensor] {
        if let training { return training.batch([0][...]).inputs }
        let iterator = dataset?.makeThrowingIterator()
        guard let batch = try iterator?.next() else {
            throw TunerError.invalidData("search: the dataset has no batches")
        }
        return batch.inputs.map { $0[0..<1] }
    }
}

/// Runs one trial of a `Tuner`: builds the model from the trial's hyperparameters (under the trial's
/// seed), continues a Hyperband parent's checkpoint, trains through the hypermodel's `fit` with a
/// callback that reports every epoch, and scores the trial as Keras Tuner does — the best epoch's
/// objective, averaged over executions.
struct ModelTrialRunner: Sendable {
    let hyperModel: any HyperModel
    let objective: Objective
    let scoring: (@Sendable (Logs) -> Double)?
    let executionsPerTrial: Int
    let searchSeed: UInt64
    let data: SearchData
    let checkpoints: CheckpointFiles
    let studyName: String
    /// The metrics the study's objectives and constraints name, so that costly built-in ones are measured
    /// only when asked for.
    let measuredMetrics: Set<String>

    func run(_ context: TrialContext) throws -> TrialMeasurement {
        let trial = context.trial
        var epochs = data.epochs
        var initialEpoch = 0
        if let hyperband = trial.hyperband {
            epochs = hyperband.epochs
            initialEpoch = hyperband.initialEpoch
        }
        let tracker = EpochTracker(objective: objective)
        var bestPerExecution: [Double] = []
        // Per execution: every metric at its best epoch, with the built-in ones the study names.
        var metricsPerExecution: [[String: Double]] = []
        for execution in 0..<executionsPerTrial {
            try GlobalRandom.withSeed(trialSeed(searchSeed: context.seed, trial: trial.id, execution: execution)) {
                let model = try hyperModel.build(context.hyperParameters)
                if let parent = trial.hyperband?.parentTrialID {
                    try StoreRetry.untilStored("read the checkpoint of trial \(parent)", progress: context.progress) {
                        try loadCheckpoint(ofTrial: parent, into: model, coordinator: context.coordinator)
                    }
                }
                let callback = TrialReportingCallback(
                    tracker: tracker, reporter: context.reporter, scoring: scoring, builtInsPerEpoch: builtInsPerEpoch
                ) { [checkpoints, studyName] model, epoch in
                    let store = context.coordinator.store
                    // The training waits for a locked or unreachable storage here (a checkpoint is the
                    // model of this very epoch): the wait is said, nothing is lost.
                    let action = "keep the checkpoint of trial \(trial.id) at epoch \(epoch)"
                    guard checkpoints.keepsFiles else {
                        // A server storage keeps the bytes itself: every worker on any machine reads them.
                        let weights = try CheckpointFiles.encode(model)
                        try StoreRetry.untilStored(action, progress: context.progress) {
                            try store.write { store in
                                try store.deleteCheckpoints(trial: context.recordID)
                                try store.saveCheckpoint(trial: context.recordID, epoch: epoch, path: nil, weights: weights)
                            }
                        }
                        return
                    }
                    let path = checkpoints.path(study: studyName, trial: trial.id, epoch: epoch)
                    try CheckpointFiles.write(model, to: path)
                    let old = try StoreRetry.untilStored(action, progress: context.progress) {
                        try store.write { store in
                            let old = try store.deleteCheckpoints(trial: context.recordID)
                            try store.saveCheckpoint(trial: context.recordID, epoch: epoch, path: path)
                            return old
                        }
                    }
                    checkpoints.removeFiles(old.filter { $0 != path })
                }
                var arguments: FitArguments
                if let dataset = data.dataset {
                    arguments = FitArguments(
                        dataset: dataset, validationDataset: data.validationDataset, stepsPerEpoch: data.stepsPerEpoch,
                        validationSteps: data.validationSteps, epochs: epochs, initialEpoch: initialEpoch)
                } else {
                    guard let training = data.training else { throw TunerError.invalidData("search: no training data") }
                    arguments = FitArguments(
                        data: training, validationData: data.validation,
                        validationSplit: data.validationSplit, batchSize: data.batchSize, epochs: epochs,
                        initialEpoch: initialEpoch, shuffle: data.shuffle, classWeight: data.classWeight)
                }
                arguments.callbacks = data.callbacks() + [callback]
                _ = try hyperModel.fit(context.hyperParameters, model: model, arguments: arguments)
                guard let best = callback.bestValue else {
                    throw TrialFailure.missingObjective(name: objective.name, available: Array(callback.lastMetrics.keys))
                }
                bestPerExecution.append(best)
                // The built-in ones win over their per-epoch values: a trial's epoch time is the mean.
                metricsPerExecution.append(callback.bestEpochMetrics.merging(try builtInMetrics(of: model, callback: callback)) { $1 })
            }
        }
        var metrics: [String: Double] = [:]
        for name in Set(metricsPerExecution.flatMap(\.keys)) {
            let values = metricsPerExecution.compactMap { $0[name] }
            metrics[name] = values.reduce(0, +) / Double(values.count)
        }
        return TrialMeasurement(score: bestPerExecution.reduce(0, +) / Double(bestPerExecution.count), metrics: metrics)
    }

    /// The built-in metrics of a trained execution: the parameter count and mean epoch time always
    /// (free to know), the inference time per sample only when the study names it (it costs calls).
    private func builtInMetrics(of model: Model, callback: TrialReportingCallback) throws -> [String: Double] {
        var metrics: [String: Double] = [BuiltInModelMetric.params.rawValue: Double(model.parameterCount)]
        if !callback.epochSeconds.isEmpty {
            metrics[BuiltInModelMetric.epochSeconds.rawValue] = callback.epochSeconds.reduce(0, +) / Double(callback.epochSeconds.count)
        }
        if measuredMetrics.contains(BuiltInModelMetric.inferenceMicroseconds.rawValue) {
            let sample = try data.sampleInputs()
            _ = try model.predict(sample, batchSize: 1)   // warm-up: first-call allocations are not serving cost
            var times: [Double] = []
            for _ in 0..<Self.inferenceRepetitions {
                let started = ContinuousClock.now
                _ = try model.predict(sample, batchSize: 1)
                times.append(TrialReportingCallback.seconds(ContinuousClock.now - started) * 1e6)
            }
            times.sort()
            metrics[BuiltInModelMetric.inferenceMicroseconds.rawValue] = times[times.count / 2]
        }
        return metrics
    }

    /// The built-in metrics the study names that are also known after each epoch (the parameter count,
    /// that epoch's time), reported with the epoch's metrics so a pruner can rank every objective at a
    /// rung; the inference time is measured once, after training.
    var builtInsPerEpoch: Set<BuiltInModelMetric> {
        Set([BuiltInModelMetric.params, .epochSeconds].filter { measuredMetrics.contains($0.rawValue) })
    }

    /// How many timed predictions the inference time is the median of.
    static let inferenceRepetitions = 51

    /// Loads trial `number`'s kept checkpoint (weights and optimizer state) into `model`, building it first.
    func loadCheckpoint(ofTrial number: Int, into model: Model, coordinator: StudyCoordinator) throws {
        guard let record = try coordinator.store.trial(study: coordinator.study.id, number: number) else {
            throw TunerError.missingCheckpoint(trial: number, detail: "the study has no such trial")
        }
        guard let checkpoint = try coordinator.store.checkpoints(trial: record.id).last else {
            throw TunerError.missingCheckpoint(trial: number, detail: "none was kept (checkpointsKept limits how many are)")
        }
        if model.weights.isEmpty { _ = try model.predict(try data.sampleInputs(), batchSize: 1) }
        try CheckpointFiles.load(into: model, from: checkpoint, trial: number)
    }
}

/// The objective per epoch across a trial's executions: reports the running mean so the stored
/// learning curve of a trial with several executions is their average, as Keras Tuner's is.
final class EpochTracker {
    let objective: Objective
    private var sums: [Int: [String: (total: Double, count: Int)]] = [:]
    /// The best objective value seen in any execution, to decide when to checkpoint.
    var bestValue: Double?

    init(objective: Objective) {
        self.objective = objective
    }

    /// Adds one execution's metrics at `epoch` and returns the mean over the executions so far.
    func add(epoch: Int, metrics: [String: Double]) -> [String: Double] {
        var entry = sums[epoch] ?? [:]
        for (name, value) in metrics {
            let previous = entry[name] ?? (0, 0)
            entry[name] = (previous.total + value, previous.count + 1)
        }
        sums[epoch] = entry
        return entry.mapValues { $0.total / Double($0.count) }
    }
}

/// The callback a trial's `fit` runs with: fails the trial as soon as the loss is not finite, reports
/// each epoch's metrics, tracks the best epoch and checkpoints it.
final class TrialReportingCallback: Callback {
    private let tracker: EpochTracker
    private let reporter: any TrialReporter
    private let scoring: (@Sendable (Logs) -> Double)?
    private let saveCheckpoint: (Model, Int) throws -> Void
    /// The best objective value of this execution.
    private(set) var bestValue: Double?
    /// The metrics of the last epoch.
    private(set) var lastMetrics: [String: Double] = [:]
    /// Every metric at this execution's best epoch (a study's other objectives are taken there, from
    /// the model its checkpoint keeps).
    private(set) var bestEpochMetrics: [String: Double] = [:]
    /// The wall-clock seconds of each epoch this execution trained.
    private(set) var epochSeconds: [Double] = []
    private var epochStarted = ContinuousClock.now
    /// The built-in metrics added to each epoch's metrics (`ModelTrialRunner.builtInsPerEpoch`).
    private let builtInsPerEpoch: Set<BuiltInModelMetric>

    init(tracker: EpochTracker, reporter: any TrialReporter, scoring: (@Sendable (Logs) -> Double)?,
         builtInsPerEpoch: Set<BuiltInModelMetric> = [], saveCheckpoint: @escaping (Model, Int) throws -> Void) {
        self.tracker = tracker
        self.builtInsPerEpoch = builtInsPerEpoch
        self.reporter = reporter
        self.scoring = scoring
        self.saveCheckpoint = saveCheckpoint
    }

    override func onTrainBatchEnd(_ batch: Int, logs: Logs) throws {
        // Ctrl-C stops a model trial at the next batch, not at the end of a long epoch.
        if let signal = SearchInterruption.signal { throw TrialStop.interrupted(signal: signal) }
        if let loss = logs["loss"], !loss.isFinite {
            throw TrialFailure.nonFiniteLoss(epoch: currentEpoch, value: loss)
        }
    }

    private var currentEpoch = 0

    override func onEpochBegin(_ epoch: Int, logs: Logs) throws {
        currentEpoch = epoch
        epochStarted = .now
    }

    override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
        epochSeconds.append(Self.seconds(ContinuousClock.now - epochStarted))
        if let loss = logs["loss"], !loss.isFinite {
            throw TrialFailure.nonFiniteLoss(epoch: epoch, value: loss)
        }
        var metrics: [String: Double] = [:]
        for entry in logs { metrics[entry.name] = Double(entry.value) }
        let objective = tracker.objective
        if let scoring { metrics[objective.name] = scoring(logs) }
        if builtInsPerEpoch.contains(.params), let model { metrics[BuiltInModelMetric.params.rawValue] = Double(model.parameterCount) }
        if builtInsPerEpoch.contains(.epochSeconds), let seconds = epochSeconds.last {
            metrics[BuiltInModelMetric.epochSeconds.rawValue] = seconds
        }
        lastMetrics = metrics
        guard let value = metrics[objective.name] else {
            throw TrialFailure.missingObjective(name: objective.name, available: Array(metrics.keys))
        }
        let averaged = tracker.add(epoch: epoch, metrics: metrics)
        try reporter.report(step: epoch, metrics: averaged)
        guard value.isFinite else { return }
        if bestValue.map({ objective.isBetter(value, than: $0) }) ?? true {
            bestValue = value
            bestEpochMetrics = metrics
        }
        if tracker.bestValue.map({ objective.isBetter(value, than: $0) }) ?? true {
            tracker.bestValue = value
            if let model { try saveCheckpoint(model, epoch) }
        }
    }

    /// A duration in seconds.
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
