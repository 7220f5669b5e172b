/// A layer that trains: `compile`, `fit`, `evaluate`, `predict`, and overridable steps (Keras's `Model`).
///
/// Use ``Sequential`` for a stack of layers, ``Functional`` for a graph of layers with several inputs
/// or outputs, or subclass `Model` (override ``Layer/call(_:training:)-(Tensor,_)``) for your own
/// forward pass; override ``trainStep(_:)`` / ``testStep(_:)`` to change what `fit` does with a batch
/// (seed 001).
open class Model: Layer {
    /// Set by ``compile(optimizer:loss:metrics:lossWeights:)``; a custom `compile` may leave it nil.
    public var optimizer: Optimizer?
    /// One loss per output (one shared loss for single-output models).
    public private(set) var compiledLosses: [any Loss] = []
    /// How the outputs' losses are weighted in the total (Keras's `loss_weights`).
    public private(set) var lossWeights: [Float]?
    /// The metrics given to `compile`, per output.
    public private(set) var compiledMetrics: [[Metric]] = []
    /// The metrics as `compile` was given them (names or objects), which a saved model's compile
    /// configuration records.
    public private(set) var compiledMetricSpecs: [MetricSpec] = []
    /// Tracks the mean total loss over an epoch; reported as `loss`.
    public let lossTracker: Metrics.Mean
    /// The per-output loss trackers of multi-output models (`<output>_loss`).
    public private(set) var outputLossTrackers: [Metrics.Mean] = []
    /// Set to true (by a callback) to end `fit` after the current batch.
    public var stopTraining = false
    /// Why the last `fit` stopped early, when the callback that stopped it said so (``EarlyStopping``,
    /// ``TerminateOnNaN``); nil when training ran to its last epoch or was stopped without a reason.
    /// `fit` clears it when it starts.
    public var stopReason: StopReason?
    /// Entries callbacks add to the epoch's logs with ``addEpochLog(_:value:)``, merged by `fit`.
    var pendingEpochLogs = Logs()
    /// The history of the last `fit`.
    public internal(set) var history: History?

    /// Creates a model.
    public override init(name: String? = nil, inputShape: [Int]? = nil) {
        lossTracker = Metrics.Mean(name: "loss")
        super.init(name: name, inputShape: inputShape)
    }

    // MARK: - Forward

    /// Every output of the model for these inputs. Single-output models need not override it;
    /// ``Functional`` does, and so does a subclassed model with several outputs (seed 002's
    /// `WideAndDeepModel` returns its main and auxiliary outputs).
    /// - Throws: ``LayerError`` from the layers.
    open override func callOutputs(_ inputs: [Tensor], training: Bool) throws -> [Tensor] {
        [try self(inputs, training: training)]
    }

    /// The names outputs are reported under in multi-output models (`output_0`, ... by default).
    open var outputNames: [String] { compiledLosses.indices.map { "output_\($0)" } }

    /// The number of outputs when it is known before the model runs (a ``Functional`` model's), so
    /// that `compile` can give a single loss to every output, as Keras does; `nil` otherwise.
    open var knownOutputCount: Int? { nil }

    /// The layer named `name` among this model's layers, nested ones included (Keras's `get_layer`).
    public func layer(named name: String) -> Layer? {
        sublayers.first { $0.name == name }
    }

    // MARK: - Compile

    /// Configures training: the optimizer, one loss (or one per output), metrics (names such as
    /// `"accuracy"` or `"mae"`, or metric objects), and loss weights for multi-output models.
    /// A single loss serves every output of a model whose ``knownOutputCount`` is above one.
    ///
    /// - Throws: ``LayerError`` when loss weights do not match the losses, or a name is unknown.
    public func compile(
        optimizer: Optimizer? = nil, loss: (any Loss)? = nil, losses: [any Loss]? = nil,
        metrics: [MetricSpec] = [], lossWeights: [Float]? = nil
    ) throws {
        self.optimizer = optimizer
        compiledLosses = losses ?? loss.map { [$0] } ?? []
        if compiledLosses.count == 1, let outputCount = knownOutputCount, outputCount > 1 {
            compiledLosses = Array(repeating: compiledLosses[0], count: outputCount)
        }
        if let lossWeights, lossWeights.count != compiledLosses.count {
            throw LayerError.invalidData(message: "compile: \(lossWeights.count) loss weights for \(compiledLosses.count) losses")
        }
        self.lossWeights = lossWeights
        let outputs = Swift.max(compiledLosses.count, 1)
        compiledMetrics = try (0..<outputs).map { output in
            try metrics.map { spec -> Metric in
                switch spec {
                case .metric(let metric):
                    guard outputs == 1 else {
                        throw LayerError.invalidData(message: "compile: metric objects apply to single-output models; name the metric instead (\"\(metric.name)\") to track it on each output")
                    }
                    return metric
                case .named(let name):
                    let metric = try Metrics.named(name, forLoss: compiledLosses.indices.contains(output) ? compiledLosses[output] : nil)
                    if outputs > 1 { metric.name = "\(outputNames[output])_\(metric.name)" }
                    return metric
                }
            }
        }
        outputLossTrackers = outputs > 1 ? outputNames.map { Metrics.Mean(name: "\($0)_loss") } : []
        compiledMetricSpecs = metrics
        invalidateTracking()
    }

    /// Compiles with Keras's names: `compile(optimizer: "adam", loss: "mse", metrics: ["mae"])`.
    /// - Throws: ``ConfigurationError`` or ``LayerError`` for unknown names.
    public func compile(optimizer: String, loss: String, metrics: [MetricSpec] = []) throws {
        try compile(optimizer: try Optimizers.named(optimizer), loss: try Losses.named(loss), metrics: metrics)
    }

    /// Adds `name: value` to the logs of the epoch ending, from a callback's `onEpochEnd` (what a Keras
    /// callback does by writing into its `logs` dictionary, as `LearningRateScheduler` does with
    /// `learning_rate`): the callbacks after it, the progress line and the ``History`` see the entry.
    /// Entries added earlier in the epoch (from `onEpochBegin` or a batch hook) join this epoch's logs
    /// too; `fit` drops what is left over at each epoch's start.
    public func addEpochLog(_ name: String, value: Float) {
        pendingEpochLogs[name] = value
    }

    /// Whether `compile` has given this model a loss.
    public var isCompiled: Bool { !compiledLosses.isEmpty }

    // MARK: - Metrics

    /// The metrics reset at each epoch and reported in the logs: the loss trackers, the compiled
    /// metrics, and metric objects held by the model's layers. Override it to report your own
    /// (seed 001's `metrics` property).
    open var metrics: [Metric] {
        var result: [Metric] = []
        if isCompiled { result.append(lossTracker) }
        result += outputLossTrackers
        result += compiledMetrics.flatMap { $0 }
        let known = Set(result.map(ObjectIdentifier.init))
        result += trackedMetrics.filter { !known.contains(ObjectIdentifier($0)) && $0 !== lossTracker }
        return result
    }

    /// What tracking finds in the properties, without the trackers `compile` made: they are in this
    /// model's own ``metrics``, and a model used as a layer inside another keeps them to itself (as
    /// Keras's nested trainers do), so an inner `loss` never shadows the outer one in the logs.
    override func trackableChildren() -> [TrackedChild] {
        let compiled = Set(([lossTracker] + outputLossTrackers + compiledMetrics.flatMap { $0 }).map(ObjectIdentifier.init))
        return super.trackableChildren().filter { child in
            if case .metric(let metric) = child { return !compiled.contains(ObjectIdentifier(metric)) }
            return true
        }
    }

    /// Resets every metric in ``metrics`` (done at each epoch's start and before evaluation).
    public func resetMetrics() {
        for metric in metrics { metric.reset() }
    }

    /// `{name: result}` for every metric in ``metrics``, in order.
    public func metricLogs() -> Logs {
        var logs = Logs()
        for metric in metrics { logs[metric.name] = metric.result() }
        return logs
    }

    // MARK: - Loss

    /// The compiled loss over all outputs (weighted) plus every loss the layers added and every weight
    /// penalty: what `trainStep` differentiates (Keras's `compute_loss`). Updates the loss trackers
    /// (`loss` and each output's), weighting each batch by its size as Keras does, so that a custom
    /// `trainStep` or `testStep` calling it reports `loss` (seed 001's `compiled_loss`).
    /// - Throws: ``LayerError/notCompiled(model:missing:)`` without a compiled loss, or when the
    ///   number of outputs and targets differ.
    public func computeLoss(yTrue: [Tensor], yPred: [Tensor], sampleWeight: Tensor? = nil) throws -> Tensor {
        guard isCompiled else { throw LayerError.notCompiled(model: name, missing: "no loss to compute") }
        guard yTrue.count == yPred.count else {
            throw LayerError.invalidData(message: "model '\(name)' has \(yPred.count) output(s) but \(yTrue.count) target(s) were given")
        }
        let batchSize = Float(yPred.first?.shape.first ?? 1)
        var total: Tensor?
        for index in yPred.indices {
            let loss = compiledLosses.count == 1 ? compiledLosses[0] : compiledLosses[index]
            var value = loss(yTrue: yTrue[index], yPred: yPred[index], sampleWeight: sampleWeight)
            if index < outputLossTrackers.count { Self.track(value, in: outputLossTrackers[index], batchSize: batchSize) }
            if let lossWeights { value = value * lossWeights[index] }
            total = total.map { $0 + value } ?? value
        }
        var result = total ?? Tensor(0)
        for extra in losses { result = result + extra.sum() }
        Self.track(result, in: lossTracker, batchSize: batchSize)
        return result
    }

    /// Adds a batch's loss to a tracker counted by the batch size, as Keras's
    /// `update_state(loss, sample_weight=batch_size)`, so a short last batch counts less.
    private static func track(_ loss: Tensor, in tracker: Metrics.Mean, batchSize: Float) {
        if loss.rank == 0 {
            tracker.accumulate(total: loss.scalar * batchSize, count: batchSize)
        } else {
            tracker.update(values: loss, sampleWeight: Tensor(batchSize))
        }
    }

    /// Updates the compiled metrics with a batch's targets and predictions.
    public func updateCompiledMetrics(yTrue: [Tensor], yPred: [Tensor], sampleWeight: Tensor? = nil) {
        withoutRecording {
            for (index, outputMetrics) in compiledMetrics.enumerated() where index < yPred.count && index < yTrue.count {
                for metric in outputMetrics { metric.update(yTrue: yTrue[index], yPred: yPred[index], sampleWeight: sampleWeight) }
            }
        }
    }

    // MARK: - Steps

    /// One optimization step on a batch: forward on a tape, the compiled loss, gradients, the
    /// optimizer's update, the metrics; returns the running metrics (Keras's `train_step`).
    /// - Throws: ``LayerError`` when the model is not compiled or the batch does not fit it.
    open func trainStep(_ batch: TrainingBatch) throws -> Logs {
        guard let optimizer else { throw LayerError.notCompiled(model: name, missing: "no optimizer") }
        let tape = GradientTape()
        var predictions: [Tensor] = []
        let loss = try tape.record {
            predictions = try callOutputs(batch.inputs, training: true)
            return try computeLoss(yTrue: batch.targets, yPred: predictions, sampleWeight: batch.sampleWeight)
        }
        let variables = trainableWeights
        let gradients = try tape.gradient(of: loss, wrt: variables)
        try optimizer.apply(gradients: gradients, to: variables)
        updateCompiledMetrics(yTrue: batch.targets, yPred: predictions, sampleWeight: batch.sampleWeight)
        return metricLogs()
    }

    /// One evaluation step: forward without training, the loss and the metrics (Keras's `test_step`).
    /// - Throws: ``LayerError`` when the model is not compiled or the batch does not fit it.
    open func testStep(_ batch: TrainingBatch) throws -> Logs {
        let predictions = try callOutputs(batch.inputs, training: false)
        _ = try withoutRecording { try computeLoss(yTrue: batch.targets, yPred: predictions, sampleWeight: batch.sampleWeight) }
        updateCompiledMetrics(yTrue: batch.targets, yPred: predictions, sampleWeight: batch.sampleWeight)
        return metricLogs()
    }

    /// The outputs for one batch of inputs (Keras's `predict_step`).
    /// - Throws: ``LayerError`` from the layers.
    open func predictStep(_ inputs: [Tensor]) throws -> [Tensor] {
        try withoutRecording { try callOutputs(inputs, training: false) }
    }
}

/// A metric for `compile`: a Keras name (`"accuracy"`, `"mae"`, ...) or a metric object.
public enum MetricSpec: ExpressibleByStringLiteral {
    /// Resolved by ``Metrics/named(_:forLoss:)`` (so `"accuracy"` follows the loss).
    case named(String)
    /// Used as given.
    case metric(Metric)

    /// A metric by name.
    public init(stringLiteral value: String) { self = .named(value) }
}
