import Neural
import StudyFiles
import TunerKit
import Tuning

/// The hypermodel of a model study: `build` declares the file's hyperparameters, builds the model
/// from the template and compiles it as `compile` says; `fit` applies the file's batch size,
/// normalization flag and early stopping, then trains with the tuner's arguments.
public struct StudyFileHyperModel: HyperModel {
    /// The study file.
    public let study: StudyFile
    /// Its model part.
    public let modelStudy: ModelStudy
    /// The `normalize` flag's standardized data, shared by this hypermodel's trials (and its copies').
    private let standardizedData = StandardizedDataCache()

    /// The hypermodel of `study`.
    ///
    /// - Throws: `StudyFileError` when `study` is a command study.
    public init(study: StudyFile) throws(StudyFileError) {
        guard let modelStudy = study.modelStudy else {
            throw StudyFileError(StudyFileIssue(
                file: study.path, line: 0, column: 0, keyPath: "command",
                message: "a command study has no model; run it with CommandObjective"))
        }
        self.study = study
        self.modelStudy = modelStudy
    }

    /// The compiled model for the trial's hyperparameters (declaring them on `hp` first).
    ///
    /// - Throws: `HyperParameterError` when `hp` holds other definitions of the file's names,
    ///   `ModelBuildError` when a layer refuses the trial's values, and what `compile` throws.
    public func build(_ hp: HyperParameters) throws -> Model {
        try study.defineHyperParameters(in: hp)
        let builder = TemplateBuilder(hp: hp)
        let model = try builder.buildModel(modelStudy.model, name: study.name)
        let compile = modelStudy.compile
        let optimizerName = builder.resolve(compile.optimizer).stringValue ?? ""
        let optimizer = try builder.makeOptimizer(compile, name: optimizerName)
        let loss = try Losses.named(builder.resolve(compile.loss).stringValue ?? "")
        let metrics = compile.metrics.compactMap { builder.resolve($0).stringValue }.map { MetricSpec.named($0) }
        try model.compile(optimizer: optimizer, loss: loss, metrics: metrics, lossWeights: compile.lossWeights?.map(Float.init))
        return model
    }

    /// Trains `model`: the file's `batch_size` (when given) replaces `arguments.batchSize`, its
    /// `shuffle` is applied, an `EarlyStopping` callback is added for `early_stopping`, and when the
    /// `normalize` flag is on, the inputs (training and validation) are standardized by a
    /// `Normalization` layer adapted on the training inputs: once per process, for every trial that
    /// gets the same data (`StandardizedDataCache`).
    ///
    /// - Throws: what `Normalization.adapt` and `fit` throw.
    public func fit(_ hp: HyperParameters, model: Model, arguments: FitArguments) throws -> History {
        let builder = TemplateBuilder(hp: hp)
        var arguments = arguments
        let settings = modelStudy.fit
        if let batchSize = settings.batchSize.flatMap({ builder.resolve($0).intValue }), batchSize > 0 {
            arguments.batchSize = batchSize
        }
        arguments.shuffle = settings.shuffle
        if let stop = settings.earlyStopping {
            arguments.callbacks.append(EarlyStopping(
                monitor: stop.monitor, minDelta: stop.minDelta, patience: stop.patience,
                restoreBestWeights: stop.restoreBestWeights))
        }
        if let flag = settings.normalize, builder.resolve(flag).boolValue == true, let training = arguments.data {
            let validation = arguments.validationData
            let standardized = try standardizedData.standardized(training: training, validation: validation) {
                var normalizers: [Normalization] = []
                for input in training.inputs {
                    let layer = Normalization()
                    try layer.adapt(input)
                    normalizers.append(layer)
                }
                func normalized(_ data: ModelData) throws -> ModelData {
                    let inputs = try zip(data.inputs, normalizers).map { input, layer in
                        try withoutRecording { try layer(input) }
                    }
                    return try ModelData(inputs: inputs, targets: data.targets, sampleWeight: data.sampleWeight)
                }
                return (try normalized(training), try validation.map(normalized))
            }
            arguments.data = standardized.training
            arguments.validationData = standardized.validation
        }
        return try model.fit(arguments)
    }

    /// Fit arguments for `data`: the file's epochs and batch size (32 unless given as a literal; a
    /// tuned batch size is applied in `fit`), the validation data, and the file's shuffle flag.
    public func fitArguments(data: StudyData, callbacks: [Callback] = []) -> FitArguments {
        var batchSize = 32
        if case .literal(let value)? = modelStudy.fit.batchSize, let size = value.intValue { batchSize = size }
        return FitArguments(
            data: data.training, validationData: data.validation, batchSize: batchSize, epochs: modelStudy.fit.epochs,
            shuffle: modelStudy.fit.shuffle, callbacks: callbacks)
    }
}
