import Foundation
import Neural
import StudyStore
import Tuning

/// Searches the hyperparameters of a `HyperModel` with an oracle, storing everything in SQLite as it
/// happens — Keras Tuner's `RandomSearch` / `Hyperband` / `BayesianOptimization` in one type.
///
/// ```swift
/// let tuner = try Tuner(oracle: .randomSearch(maxTrials: 5), objective: "val_accuracy",
///                       study: "my_rnd_search", storage: "my_fashion_mnist.sqlite", seed: 42, overwrite: true) { hp in
///     let nHidden = try hp.int("n_hidden", min: 0, max: 8, default: 2)
///     ...
///     return model
/// }
/// try tuner.search(xTrain, yTrain, epochs: 10, validationData: (xValid, yValid))
/// let bestModel = try tuner.bestModels(1)[0]
/// ```
///
/// A second run with `overwrite: false` (the default) continues the stored study — with a larger
/// `maxTrials` it runs the extra trials — and refuses a study whose objective, oracle or search space
/// differs, saying what differs.
public final class Tuner {
    /// The hypermodel whose models are searched.
    public let hyperModel: any HyperModel
    /// The study's definition (name, objective, oracle, seed, the space known before the search).
    public private(set) var definition: StudyDefinition
    /// The SQLite file holding the study.
    public let storagePath: String
    /// How trials run.
    public var options: SearchOptions
    /// The study file this study comes from, stored with it for workers (`tuner worker`).
    public var source: StudySource?
    /// How many times each trial's model is trained; the score is their mean.
    public let executionsPerTrial: Int
    /// Start the study again from nothing instead of resuming it.
    public let overwrite: Bool
    private let scoring: (@Sendable (Logs) -> Double)?
    private var lastSampleInputs: [Tensor]?
    private var prepared = false

    /// A tuner for `hyperModel`.
    ///
    /// - Parameters:
    ///   - oracle: The oracle and its budget: `.randomSearch(maxTrials: 5)`, `.hyperband(maxEpochs: 10)`, ...
    ///   - objective: The metric to optimize (`"val_accuracy"`), or `.custom(...)`.
    ///   - study: The study's name in the storage (Keras Tuner's `project_name`).
    ///   - storage: The SQLite file (created when missing); checkpoints go beside it.
    ///   - seed: Seeds the oracle and every trial's weights, shuffles and dropout.
    ///   - pruner: The pruner stored with the study, which every worker applies (a pruner object in
    ///     `options.pruner` is used instead when given, and is not stored).
    ///   - tensorBoard: A TensorBoard log folder: each trial is written there as a run of its own with
    ///     its hyperparameters, curves and score for the HParams dashboard (`options.tensorBoard`; this
    ///     argument wins when both are given). nil for none.
    /// - Throws: `TunerError.invalidArgument` for an option out of range (an empty `tensorBoard` path among them), `OracleError` when the
    ///   objective's direction cannot be inferred, and whatever `build` throws when called with the
    ///   defaults to discover the search space (as Keras Tuner does).
    public init(
        hyperModel: any HyperModel, oracle: OracleSettings, objective: TunerObjective, study: String = "untitled_study",
        storage: String = "tuner.sqlite", seed: UInt64 = 0, executionsPerTrial: Int = 1, overwrite: Bool = false,
        options: SearchOptions = SearchOptions(), pruner: PrunerSettings? = nil, tensorBoard: String? = nil
    ) throws {
        guard executionsPerTrial >= 1 else {
            throw TunerError.invalidArgument(name: "executionsPerTrial", message: "must be at least 1, got \(executionsPerTrial)")
        }
        var options = options
        if let tensorBoard { options.tensorBoard = tensorBoard }
        try options.validate()
        self.hyperModel = hyperModel
        self.storagePath = storage
        self.options = options
        self.executionsPerTrial = executionsPerTrial
        self.overwrite = overwrite
        self.scoring = objective.scoring
        let hp = HyperParameters()
        _ = try GlobalRandom.withSeed(seed) { try hyperModel.build(hp) }
        definition = StudyDefinition(
            name: study, objective: try objective.resolved(), oracle: oracle, seed: seed, searchSpace: hp.space,
            extraConfiguration: ["executions_per_trial": .int(executionsPerTrial)], pruner: pruner)
    }

    /// A tuner that trades several objectives off (a Pareto front), optionally under constraints:
    /// `Tuner(hyperModel: model, oracle: .randomSearch(maxTrials: 20), objectives: ["val_accuracy",
    /// .metric("params", direction: .minimize)], constraints: [MetricConstraint(metric: "epoch_seconds", .max, 3)])`.
    /// Objectives and constraints may name the built-in model metrics (`BuiltInModelMetric`: `params`,
    /// `epoch_seconds`, `inference_microseconds`), which the tuner measures. A trial's other objectives
    /// are taken at the first objective's best epoch; `oracle.paretoFront` lists the front. Every oracle
    /// takes several objectives; of the pruners only ASHA (`SuccessiveHalvingPruner`) judges them.
    ///
    /// - Throws: as `init(hyperModel:oracle:objective:...)`; `TunerError.invalidArgument` for no objective, a
    ///   custom objective after the first (only the first is scored from the logs) or a pruner that compares
    ///   one value.
    public convenience init(
        hyperModel: any HyperModel, oracle: OracleSettings, objectives: [TunerObjective], constraints: [MetricConstraint] = [],
        study: String = "untitled_study", storage: String = "tuner.sqlite", seed: UInt64 = 0, executionsPerTrial: Int = 1,
        overwrite: Bool = false, options: SearchOptions = SearchOptions(), pruner: PrunerSettings? = nil, tensorBoard: String? = nil
    ) throws {
        guard let first = objectives.first else {
            throw TunerError.invalidArgument(name: "objectives", message: "give at least one objective")
        }
        if let custom = objectives.dropFirst().first(where: { $0.scoring != nil }) {
            throw TunerError.invalidArgument(
                name: "objectives", message: "\"\(custom.name)\" is a custom objective; only the first objective may be one")
        }
        try self.init(hyperModel: hyperModel, oracle: oracle, objective: first, study: study, storage: storage, seed: seed,
                      executionsPerTrial: executionsPerTrial, overwrite: overwrite, options: options, pruner: pruner,
                      tensorBoard: tensorBoard)
        definition.additionalObjectives = try objectives.dropFirst().map { try $0.resolved() }
        definition.constraints = constraints
        try definition.checkPrunerSupportsObjectives()
    }

    /// A tuner whose hypermodel is the closure `build` (Keras Tuner's `build_model(hp)` function).
    ///
    /// - Throws: as `init(hyperModel:...)`.
    public convenience init(
        oracle: OracleSettings, objective: TunerObjective, study: String = "untitled_study", storage: String = "tuner.sqlite",
        seed: UInt64 = 0, executionsPerTrial: Int = 1, overwrite: Bool = false, options: SearchOptions = SearchOptions(),
        pruner: PrunerSettings? = nil, tensorBoard: String? = nil, build: @escaping @Sendable (HyperParameters) throws -> Model
    ) throws {
        try self.init(
            hyperModel: ClosureHyperModel(build), oracle: oracle, objective: objective, study: study, storage: storage,
            seed: seed, executionsPerTrial: executionsPerTrial, overwrite: overwrite, options: options, pruner: pruner,
            tensorBoard: tensorBoard)
    }

    /// The search space known so far: the stored study's (it grows as trials define parameters), or
    /// the definition's before the study exists.
    ///
    /// - Throws: `StoreError` when the storage cannot be read or the stored space is damaged.
    public var searchSpace: SearchSpace {
        get throws {
            do {
                return try oracle.searchSpace
            } catch StoreError.studyNotFound {
                return definition.searchSpace
            }
        }
    }

    /// Runs trials until the oracle's budget is spent, training each model with `fit` on `x`, `y`.
    ///
    /// - Parameters:
    ///   - callbacks: Makes the callbacks of one trial (called per trial, so state is never shared):
    ///     `callbacks: { [EarlyStopping(monitor: "val_loss", patience: 2)] }`.
    /// - Throws: `TunerError.incompatibleStudy` when resuming a different study,
    ///   `.tooManyConsecutiveFailures`, `StoreError` for storage problems. A failing trial does not throw.
    public func search(
        _ x: Tensor, _ y: Tensor, epochs: Int = 1, batchSize: Int = 32, validationData: (Tensor, Tensor)? = nil,
        validationSplit: Float = 0, shuffle: Bool = true, classWeight: [Int: Float]? = nil,
        callbacks: @escaping @Sendable () -> [Callback] = { [] }
    ) throws {
        try search(
            try ModelData(inputs: [x], targets: [y]), epochs: epochs, batchSize: batchSize,
            validationData: try validationData.map { try ModelData(inputs: [$0.0], targets: [$0.1]) },
            validationSplit: validationSplit, shuffle: shuffle, classWeight: classWeight, callbacks: callbacks)
    }

    /// Runs the search on several inputs or targets (`ModelData`); see `search(_:_:epochs:...)`.
    ///
    /// - Throws: as `search(_:_:epochs:...)`; `TunerError.invalidData` for empty data, empty validation
    ///   data, or a `validationSplit` outside [0, 1) or leaving no validation or no training samples
    ///   (refused before any trial, which would otherwise each fail).
    public func search(
        _ data: ModelData, epochs: Int = 1, batchSize: Int = 32, validationData: ModelData? = nil,
        validationSplit: Float = 0, shuffle: Bool = true, classWeight: [Int: Float]? = nil,
        callbacks: @escaping @Sendable () -> [Callback] = { [] }
    ) throws {
        guard data.count > 0 else { throw TunerError.invalidData("search: the training data has no samples") }
        if let validationData {
            guard validationData.count > 0 else { throw TunerError.invalidData("search: the validation data has no samples") }
        } else if validationSplit != 0 {
            do {
                _ = try data.validationCount(forSplit: validationSplit)
            } catch .invalidData(let message) {
                throw TunerError.invalidData("search: " + message)
            } catch {
                throw TunerError.invalidData("search: \(error)")
            }
        }
        try run(SearchData(
            training: data, validation: validationData, validationSplit: validationSplit, epochs: epochs,
            batchSize: batchSize, shuffle: shuffle, classWeight: classWeight, callbacks: callbacks))
    }

    /// Runs the search on a dataset of `(x, y)` batches (seed 004's `tf.data` pipelines): each trial
    /// trains with `fit(dataset, epochs:, stepsPerEpoch:, validationData:)`. A dataset that repeats
    /// forever needs `stepsPerEpoch`.
    ///
    /// - Throws: as `search(_:_:epochs:...)`.
    public func search(
        _ dataset: Dataset<(Tensor, Tensor)>, epochs: Int = 1, stepsPerEpoch: Int? = nil,
        validationData: Dataset<(Tensor, Tensor)>? = nil, validationSteps: Int? = nil,
        callbacks: @escaping @Sendable () -> [Callback] = { [] }
    ) throws {
        let pair: @Sendable ((Tensor, Tensor)) -> TrainingBatch = { TrainingBatch(inputs: [$0.0], targets: [$0.1]) }
        try search(dataset.map(pair), epochs: epochs, stepsPerEpoch: stepsPerEpoch,
                   validationData: validationData?.map(pair), validationSteps: validationSteps, callbacks: callbacks)
    }

    /// Runs the search on a dataset of batches with several inputs or outputs (`TrainingBatch`).
    ///
    /// - Throws: as `search(_:_:epochs:...)`.
    public func search(
        _ dataset: Dataset<TrainingBatch>, epochs: Int = 1, stepsPerEpoch: Int? = nil,
        validationData: Dataset<TrainingBatch>? = nil, validationSteps: Int? = nil,
        callbacks: @escaping @Sendable () -> [Callback] = { [] }
    ) throws {
        try run(SearchData(
            training: nil, validation: nil, dataset: dataset, validationDataset: validationData, stepsPerEpoch: stepsPerEpoch,
            validationSteps: validationSteps, validationSplit: 0, epochs: epochs, batchSize: 32, shuffle: false,
            classWeight: nil, callbacks: callbacks))
    }

    private func run(_ searchData: SearchData) throws {
        let epochs = searchData.epochs
        guard epochs >= 1 else { throw TunerError.invalidArgument(name: "epochs", message: "must be at least 1, got \(epochs)") }
        lastSampleInputs = try searchData.sampleInputs()
        let outcome = try StudyPreparation.prepare(
            storagePath: storagePath, definition: definition, overwrite: overwrite && !prepared,
            checkpoints: CheckpointFiles(storagePath: storagePath), source: source)
        prepared = true
        let progress = SearchProgress(options: options, objective: definition.objective)
        if outcome.resumed && outcome.finishedTrials > 0 {
            progress.searchResumed(study: definition.name, finished: outcome.finishedTrials)
        }
        let runner = ModelTrialRunner(
            hyperModel: hyperModel, objective: definition.objective, scoring: scoring,
            executionsPerTrial: executionsPerTrial, searchSeed: definition.seed, data: searchData,
            checkpoints: CheckpointFiles(storagePath: storagePath), studyName: definition.name,
            measuredMetrics: Set(definition.objectives.map(\.name) + definition.constraints.map(\.metric)))
        try SearchRunner(
            storagePath: storagePath, studyName: definition.name, objective: definition.objective, seed: definition.seed,
            options: options, progress: progress, body: runner.run
        ).run()
    }

    /// The study's results as stored: trials with their learning curves, the best ones, summaries.
    ///
    /// - Throws: `StoreError.studyNotFound` before the first search, other store errors.
    public var oracle: StudySnapshot {
        get throws { try StudySnapshot.load(storagePath: storagePath, study: definition.name) }
    }

    /// The hyperparameters of the `count` best trials, best first (`.values` holds the values).
    ///
    /// - Throws: store errors; `HyperParameterError` if stored values no longer fit the space.
    public func bestHyperparameters(_ count: Int = 1) throws -> [HyperParameters] {
        let results = try oracle
        return try results.bestTrials(count).map { try $0.hyperParameters(in: results.searchSpace) }
    }

    /// The `count` best models, best first: each rebuilt from its hyperparameters and loaded with the
    /// weights (and optimizer state) of its best epoch, ready for `evaluate` or more `fit`.
    ///
    /// - Parameter sampleInputs: Inputs of one sample, to create the weights of models that are not
    ///   built by `build`; defaults to the last search's data.
    /// - Throws: `TunerError.noCompletedTrials`, `.missingCheckpoint` when a trial's checkpoint was
    ///   removed (raise `options.checkpointsKept`), and load errors.
    public func bestModels(_ count: Int = 1, sampleInputs: [Tensor]? = nil) throws -> [Model] {
        let results = try oracle
        let best = results.bestTrials(count)
        guard !best.isEmpty else { throw TunerError.noCompletedTrials(study: definition.name) }
        let store = try openStudyStorage(storagePath, busyTimeout: 30)
        return try best.map { trial in
            let hp = try trial.hyperParameters(in: results.searchSpace)
            let model = try GlobalRandom.withSeed(trialSeed(searchSeed: definition.seed, trial: trial.number)) {
                try hyperModel.build(hp)
            }
            guard let checkpoint = try store.checkpoints(trial: trial.id).last
            else {
                throw TunerError.missingCheckpoint(
                    trial: trial.number, detail: "it was not kept; raise options.checkpointsKept (now \(options.checkpointsKept))")
            }
            if model.weights.isEmpty {
                guard let inputs = sampleInputs ?? lastSampleInputs else {
                    throw TunerError.invalidArgument(
                        name: "sampleInputs", message: "the model has no weights until it sees data; pass one sample's inputs")
                }
                _ = try model.predict(inputs, batchSize: 1)
            }
            try CheckpointFiles.load(into: model, from: checkpoint, trial: trial.number)
            return model
        }
    }

    /// Keras Tuner's `results_summary()`: the best `count` trials with their hyperparameters and scores.
    ///
    /// - Throws: store errors.
    public func resultsSummary(_ count: Int = 10) throws -> String {
        try oracle.resultsSummary(count)
    }

    /// Keras Tuner's `search_space_summary()`: each hyperparameter with its range and default.
    ///
    /// - Throws: as `searchSpace`.
    public func searchSpaceSummary() throws -> String {
        try searchSpace.summary()
    }
}
