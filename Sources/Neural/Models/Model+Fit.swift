/// `fit`, `evaluate` and `predict`: the loops around the steps, with batching, shuffling,
/// validation, sample and class weights, and callbacks (Keras's semantics).
extension Model {
    /// Trains on one-input, one-output data; see ``fit(_:batchSize:epochs:verbosity:callbacks:validationSplit:validationData:shuffle:classWeight:initialEpoch:)``.
    /// - Throws: ``LayerError`` for data that does not fit, ``TargetError`` for targets the compiled
    ///   losses or metrics cannot take, and whatever the steps or callbacks throw.
    @discardableResult
    public func fit(
        _ x: Tensor, _ y: Tensor, batchSize: Int = 32, epochs: Int = 1, verbosity: Verbosity = .auto,
        callbacks: [Callback] = [], validationSplit: Float = 0, validationData: (Tensor, Tensor)? = nil,
        shuffle: Bool = true, sampleWeight: Tensor? = nil, classWeight: [Int: Float]? = nil, initialEpoch: Int = 0
    ) throws -> History {
        try fit(
            try ModelData(inputs: [x], targets: [y], sampleWeight: sampleWeight), batchSize: batchSize,
            epochs: epochs, verbosity: verbosity, callbacks: callbacks, validationSplit: validationSplit,
            validationData: try validationData.map { try ModelData(inputs: [$0.0], targets: [$0.1]) },
            shuffle: shuffle, classWeight: classWeight, initialEpoch: initialEpoch)
    }

    /// Trains for `epochs` epochs (from `initialEpoch`) on batches of `batchSize`, shuffled each epoch,
    /// validating after each epoch on `validationData` or on the last `validationSplit` of the data
    /// (logged with a `val_` prefix). `classWeight` weights samples by their class (sparse labels in the
    /// first target). Returns the per-epoch logs; stops early when a callback sets ``stopTraining``.
    ///
    /// Before the first step, the targets (training and validation) are checked against the outputs
    /// under the compiled losses and metrics (``validateTargets(_:outputShapes:dataName:)``: shapes
    /// once, sparse labels in one pass), after one forward pass on one sample to learn the outputs'
    /// shapes; so labels or shapes that do not fit throw instead of trapping in a loss.
    ///
    /// - Throws: ``LayerError`` for an uncompiled model, a bad batch size or split, data that does not
    ///   fit; ``TargetError`` for targets the losses or metrics cannot take; and whatever the steps or
    ///   callbacks throw (training state so far is kept in the model).
    @discardableResult
    public func fit(
        _ data: ModelData, batchSize: Int = 32, epochs: Int = 1, verbosity: Verbosity = .auto,
        callbacks: [Callback] = [], validationSplit: Float = 0, validationData: ModelData? = nil,
        shuffle: Bool = true, classWeight: [Int: Float]? = nil, initialEpoch: Int = 0
    ) throws -> History {
        guard batchSize > 0 else { throw LayerError.invalidData(message: "fit: batchSize must be positive, got \(batchSize)") }
        guard validationSplit >= 0 && validationSplit < 1 else {
            throw LayerError.invalidData(message: "fit: validationSplit must be in [0, 1), got \(validationSplit)")
        }
        var training = data
        var validation = validationData
        if validation == nil && validationSplit > 0 {
            (training, validation) = data.split(validationCount: try data.validationCount(forSplit: validationSplit))
        }
        if let classWeight { training.sampleWeight = try Self.weights(training, classWeight: classWeight) }
        guard training.count > 0 else { throw LayerError.invalidData(message: "fit: no training samples") }

        let steps = (training.count + batchSize - 1) / batchSize
        let allCallbacks = CallbackList(callbacks + Self.defaultProgressCallbacks(verbosity), model: self)
        allCallbacks.setParameters(TrainingParameters(epochs: epochs, steps: steps, verbosity: verbosity))
        let history = History()
        self.history = history
        stopTraining = false
        stopReason = nil
        try allCallbacks.onTrainBegin(logs: Logs())
        var order = Array(0..<training.count)
        var lastLogs = Logs()
        var targetsChecked = false
        for epoch in initialEpoch..<Swift.max(epochs, initialEpoch) {
            resetMetrics()
            pendingEpochLogs = Logs()
            try allCallbacks.onEpochBegin(epoch, logs: Logs())
            if shuffle { GlobalRandom.withGenerator { $0.shuffle(&order) } }
            if !targetsChecked {
                // After the shuffle, so that the check's forward pass builds an unbuilt model where the
                // first step would have: the random draws come in the same order as without it.
                let validator = TargetValidator(model: self)
                try validator.validate(training, dataName: "the training data")
                if let validation { try validator.validate(validation, dataName: "the validation data") }
                targetsChecked = true
            }
            var logs = Logs()
            for step in 0..<steps {
                try allCallbacks.onTrainBatchBegin(step, logs: logs)
                let batch = training.batch(order[(step * batchSize)..<Swift.min((step + 1) * batchSize, training.count)])
                logs = try trainStep(batch)
                try allCallbacks.onTrainBatchEnd(step, logs: logs)
                if stopTraining { break }
            }
            if let validation {
                // As in Keras 3, the validation pass runs fit's callbacks: their test hooks are called.
                let validationLogs = try evaluate(
                    validation, batchSize: batchSize, verbosity: .silent, callbacks: allCallbacks.callbacks, validatingTargets: false)
                for (name, value) in validationLogs { logs["val_" + name] = value }
            }
            try allCallbacks.onEpochEnd(epoch, logs: &logs)
            history.append(epoch: epoch, logs: logs)
            lastLogs = logs
            if stopTraining { break }
        }
        try allCallbacks.onTrainEnd(logs: lastLogs)
        return history
    }

    /// The loss and metrics on one-input, one-output data, without training.
    /// - Throws: ``LayerError`` for data that does not fit the model.
    public func evaluate(
        _ x: Tensor, _ y: Tensor, batchSize: Int = 32, verbosity: Verbosity = .auto,
        sampleWeight: Tensor? = nil, callbacks: [Callback] = []
    ) throws -> Logs {
        try evaluate(try ModelData(inputs: [x], targets: [y], sampleWeight: sampleWeight),
                     batchSize: batchSize, verbosity: verbosity, callbacks: callbacks)
    }

    /// The loss and metrics over `data` in batches, without training (metrics are reset first). The
    /// targets are checked first, as `fit` checks them.
    /// - Throws: ``LayerError`` for an uncompiled model or data that does not fit it; ``TargetError``
    ///   for targets the losses or metrics cannot take.
    public func evaluate(
        _ data: ModelData, batchSize: Int = 32, verbosity: Verbosity = .auto, callbacks: [Callback] = []
    ) throws -> Logs {
        try evaluate(data, batchSize: batchSize, verbosity: verbosity, callbacks: callbacks, validatingTargets: true)
    }

    /// `evaluate`, with the target check left out where `fit` did it already (its validation data).
    func evaluate(
        _ data: ModelData, batchSize: Int, verbosity: Verbosity, callbacks: [Callback], validatingTargets: Bool
    ) throws -> Logs {
        guard batchSize > 0 else { throw LayerError.invalidData(message: "evaluate: batchSize must be positive, got \(batchSize)") }
        let steps = (data.count + batchSize - 1) / batchSize
        let allCallbacks = CallbackList(callbacks, model: self)
        if validatingTargets { try TargetValidator(model: self).validate(data, dataName: "the evaluation data") }
        resetMetrics()
        try allCallbacks.onTestBegin(logs: Logs())
        var logs = Logs()
        let indices = Array(0..<data.count)
        for step in 0..<steps {
            try allCallbacks.onTestBatchBegin(step, logs: logs)
            logs = try testStep(data.batch(indices[(step * batchSize)..<Swift.min((step + 1) * batchSize, data.count)]))
            try allCallbacks.onTestBatchEnd(step, logs: logs)
        }
        try allCallbacks.onTestEnd(logs: logs)
        if verbosity != .silent { print("\(steps)/\(steps) - \(logs)") }
        return logs
    }

    /// The model's output for each sample of `x` (one input, one output), in batches.
    /// - Throws: ``LayerError`` when `x` does not fit the model.
    public func predict(_ x: Tensor, batchSize: Int = 32) throws -> Tensor {
        try predict([x], batchSize: batchSize)[0]
    }

    /// Every output of the model for each sample, in batches, concatenated along the first axis.
    /// - Throws: ``LayerError`` when the inputs do not fit the model.
    public func predict(_ inputs: [Tensor], batchSize: Int = 32, callbacks: [Callback] = []) throws -> [Tensor] {
        guard batchSize > 0 else { throw LayerError.invalidData(message: "predict: batchSize must be positive, got \(batchSize)") }
        let data = try ModelData(inputs: inputs)
        let allCallbacks = CallbackList(callbacks, model: self)
        try allCallbacks.onPredictBegin(logs: Logs())
        var pieces: [[Tensor]] = []
        let indices = Array(0..<data.count)
        for (step, start) in stride(from: 0, to: data.count, by: batchSize).enumerated() {
            try allCallbacks.onPredictBatchBegin(step, logs: Logs())
            pieces.append(try predictStep(data.batch(indices[start..<Swift.min(start + batchSize, data.count)]).inputs))
            try allCallbacks.onPredictBatchEnd(step, logs: Logs())
        }
        try allCallbacks.onPredictEnd(logs: Logs())
        guard let first = pieces.first else { return [] }
        return first.indices.map { output in Tensor(concatenating: pieces.map { $0[output] }, alongAxis: 0) }
    }

    /// Sample weights from class weights: each sample weighted by its class (times any sample weight).
    private static func weights(_ data: ModelData, classWeight: [Int: Float]) throws -> Tensor {
        guard let labels = data.targets.first else {
            throw LayerError.invalidData(message: "fit: classWeight needs targets")
        }
        let classes: [Int]
        if labels.rank == 2 && labels.shape[1] > 1 {
            classes = labels.argmaxIndices(alongAxis: 1)
        } else {
            // Int(_:) traps on NaN and huge values: a label from a file must throw instead.
            var indices: [Int] = []
            indices.reserveCapacity(labels.scalarCount)
            for (row, value) in labels.scalars.enumerated() {
                guard value.isFinite, value == value.rounded(), Swift.abs(value) < 2_147_483_648 else {
                    throw LayerError.invalidData(message: "fit: classWeight needs whole-number class labels; found \(value) at row \(row) of the training data (rows count from 0)")
                }
                indices.append(Int(value))
            }
            classes = indices
        }
        let base = data.sampleWeight?.scalars ?? [Float](repeating: 1, count: data.count)
        return Tensor(zip(classes, base).map { (classWeight[$0] ?? 1) * $1 })
    }

    /// The progress output Keras adds on its own for a verbosity.
    static func defaultProgressCallbacks(_ verbosity: Verbosity) -> [Callback] {
        verbosity == .silent ? [] : [ProgressLogger(verbosity: verbosity)]
    }
}

/// Calls every callback's hook in order.
final class CallbackList {
    let callbacks: [Callback]
    let model: Model

    init(_ callbacks: [Callback], model: Model) {
        self.callbacks = callbacks
        self.model = model
        for callback in callbacks { callback.model = model }
    }

    func setParameters(_ parameters: TrainingParameters) { callbacks.forEach { $0.setParameters(parameters) } }
    func onTrainBegin(logs: Logs) throws { for c in callbacks { try c.onTrainBegin(logs: logs) } }
    func onTrainEnd(logs: Logs) throws { for c in callbacks { try c.onTrainEnd(logs: logs) } }
    func onEpochBegin(_ epoch: Int, logs: Logs) throws { for c in callbacks { try c.onEpochBegin(epoch, logs: logs) } }
    /// Each callback sees the entries the ones before it added with ``Model/addEpochLog(_:value:)``
    /// (Keras callbacks share one mutable logs dictionary).
    func onEpochEnd(_ epoch: Int, logs: inout Logs) throws {
        for c in callbacks {
            try c.onEpochEnd(epoch, logs: logs)
            for (name, value) in model.pendingEpochLogs { logs[name] = value }
            model.pendingEpochLogs = Logs()
        }
    }
    func onTrainBatchBegin(_ batch: Int, logs: Logs) throws { for c in callbacks { try c.onTrainBatchBegin(batch, logs: logs) } }
    func onTrainBatchEnd(_ batch: Int, logs: Logs) throws { for c in callbacks { try c.onTrainBatchEnd(batch, logs: logs) } }
    func onTestBegin(logs: Logs) throws { for c in callbacks { try c.onTestBegin(logs: logs) } }
    func onTestEnd(logs: Logs) throws { for c in callbacks { try c.onTestEnd(logs: logs) } }
    func onTestBatchBegin(_ batch: Int, logs: Logs) throws { for c in callbacks { try c.onTestBatchBegin(batch, logs: logs) } }
    func onTestBatchEnd(_ batch: Int, logs: Logs) throws { for c in callbacks { try c.onTestBatchEnd(batch, logs: logs) } }
    func onPredictBegin(logs: Logs) throws { for c in callbacks { try c.onPredictBegin(logs: logs) } }
    func onPredictEnd(logs: Logs) throws { for c in callbacks { try c.onPredictEnd(logs: logs) } }
    func onPredictBatchBegin(_ batch: Int, logs: Logs) throws { for c in callbacks { try c.onPredictBatchBegin(batch, logs: logs) } }
    func onPredictBatchEnd(_ batch: Int, logs: Logs) throws { for c in callbacks { try c.onPredictBatchEnd(batch, logs: logs) } }
}
