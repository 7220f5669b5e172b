/// `fit`, `evaluate` and `predict` on ``Dataset``s whose elements are already batches (Keras's
/// `model.fit(dataset)`).
extension Model {
    /// Trains on a dataset of `(x, y)` batches (each element is one batch, as with Keras: batch the
    /// dataset first; there is no `batchSize` or `shuffle` here, the pipeline does both).
    ///
    /// Without `stepsPerEpoch`, each epoch iterates the dataset from its start to its end (a new
    /// iteration per epoch, so a `shuffle` in the pipeline reshuffles). With `stepsPerEpoch`, one
    /// iteration runs across epochs and each epoch takes the next `stepsPerEpoch` batches: that is how
    /// a dataset that repeats forever is trained on. If it runs out, the epoch in progress ends
    /// (when it had batches), a warning is printed (unless `.silent`) and training stops, as in Keras.
    /// `validationData` is evaluated after each epoch (all of it, or `validationSteps` batches from a
    /// new iteration) and logged with a `val_` prefix. Callbacks, ``History``, ``stopTraining`` and
    /// `initialEpoch` behave as in ``fit(_:_:batchSize:epochs:verbosity:callbacks:validationSplit:validationData:shuffle:sampleWeight:classWeight:initialEpoch:)``.
    ///
    /// - Throws: ``DatasetError/invalidArgument(operation:message:)`` for a dataset that repeats
    ///   forever without `stepsPerEpoch` (or `validationSteps`) or a step count below 1; ``LayerError``
    ///   when an epoch yields no batches or a batch does not fit the model; ``TargetError`` for a batch
    ///   of the first epoch whose targets the losses or metrics cannot take (each batch of the first
    ///   epoch, and of the first validation pass, is checked once before its step); the
    ///   ``DatasetError`` of the pipeline; whatever the steps or callbacks throw.
    @discardableResult
    public func fit(
        _ dataset: Dataset<(Tensor, Tensor)>, epochs: Int = 1, stepsPerEpoch: Int? = nil,
        validationData: Dataset<(Tensor, Tensor)>? = nil, validationSteps: Int? = nil,
        callbacks: [Callback] = [], verbosity: Verbosity = .auto, initialEpoch: Int = 0
    ) throws -> History {
        try fit(dataset.map(Self.batch), epochs: epochs, stepsPerEpoch: stepsPerEpoch,
                validationData: validationData?.map(Self.batch), validationSteps: validationSteps,
                callbacks: callbacks, verbosity: verbosity, initialEpoch: initialEpoch)
    }

    /// Trains on a dataset of `(x, y, sampleWeight)` batches (Keras's three-element datasets); see
    /// ``fit(_:epochs:stepsPerEpoch:validationData:validationSteps:callbacks:verbosity:initialEpoch:)-(Dataset<(Tensor,Tensor)>,_,_,_,_,_,_,_)``.
    /// - Throws: as the `(x, y)` form.
    @discardableResult
    public func fit(
        _ dataset: Dataset<(Tensor, Tensor, Tensor)>, epochs: Int = 1, stepsPerEpoch: Int? = nil,
        validationData: Dataset<(Tensor, Tensor, Tensor)>? = nil, validationSteps: Int? = nil,
        callbacks: [Callback] = [], verbosity: Verbosity = .auto, initialEpoch: Int = 0
    ) throws -> History {
        try fit(dataset.map(Self.batch), epochs: epochs, stepsPerEpoch: stepsPerEpoch,
                validationData: validationData?.map(Self.batch), validationSteps: validationSteps,
                callbacks: callbacks, verbosity: verbosity, initialEpoch: initialEpoch)
    }

    /// Trains on a dataset of ``TrainingBatch``es: several inputs or outputs, sample weights; see
    /// ``fit(_:epochs:stepsPerEpoch:validationData:validationSteps:callbacks:verbosity:initialEpoch:)-(Dataset<(Tensor,Tensor)>,_,_,_,_,_,_,_)``.
    /// - Throws: as the `(x, y)` form.
    @discardableResult
    public func fit(
        _ dataset: Dataset<TrainingBatch>, epochs: Int = 1, stepsPerEpoch: Int? = nil,
        validationData: Dataset<TrainingBatch>? = nil, validationSteps: Int? = nil,
        callbacks: [Callback] = [], verbosity: Verbosity = .auto, initialEpoch: Int = 0
    ) throws -> History {
        try Self.checkSteps(dataset, steps: stepsPerEpoch, operation: "fit", stepsName: "stepsPerEpoch")
        if let validationData {
            try Self.checkSteps(validationData, steps: validationSteps, operation: "fit", stepsName: "validationSteps")
        }
        var knownSteps: Int? = stepsPerEpoch
        if knownSteps == nil, case .finite(let count) = dataset.cardinality { knownSteps = count }
        let allCallbacks = CallbackList(callbacks + Self.defaultProgressCallbacks(verbosity), model: self)
        allCallbacks.setParameters(TrainingParameters(epochs: epochs, steps: knownSteps ?? 0, verbosity: verbosity))
        let history = History()
        self.history = history
        stopTraining = false
        stopReason = nil
        try allCallbacks.onTrainBegin(logs: Logs())
        let persistent = stepsPerEpoch == nil ? nil : dataset.makeThrowingIterator()
        var lastLogs = Logs()
        // The first epoch's batches (and first validation pass) are checked: once over the data.
        let validator = TargetValidator(model: self)
        for epoch in initialEpoch..<Swift.max(epochs, initialEpoch) {
            resetMetrics()
            pendingEpochLogs = Logs()
            try allCallbacks.onEpochBegin(epoch, logs: Logs())
            let iterator = persistent ?? dataset.makeThrowingIterator()
            var logs = Logs()
            var step = 0
            var ranOut = false
            while stepsPerEpoch.map({ step < $0 }) ?? true {
                guard let batch = try iterator.next() else {
                    ranOut = stepsPerEpoch != nil
                    break
                }
                if epoch == initialEpoch {
                    try validator.validate(batch, dataName: "batch \(step) of the training dataset")
                }
                try allCallbacks.onTrainBatchBegin(step, logs: logs)
                logs = try trainStep(batch)
                try allCallbacks.onTrainBatchEnd(step, logs: logs)
                step += 1
                if stopTraining { break }
            }
            if ranOut && verbosity != .silent {
                print("Your input ran out of data; interrupting training. Make sure that your dataset can generate at least stepsPerEpoch * epochs batches (use repeat()).")
            }
            if step == 0 {
                if ranOut { break }
                throw LayerError.invalidData(message: "fit: epoch \(epoch + 1) got no batches from the dataset")
            }
            if knownSteps == nil {
                // Like Keras, learn the epoch length from the first epoch for the progress bar.
                knownSteps = step
                allCallbacks.setParameters(TrainingParameters(epochs: epochs, steps: step, verbosity: verbosity))
            }
            if let validationData {
                let validationLogs = try evaluate(
                    validationData, steps: validationSteps, verbosity: .silent, callbacks: allCallbacks.callbacks,
                    validator: epoch == initialEpoch ? validator : nil)
                for (name, value) in validationLogs { logs["val_" + name] = value }
            }
            try allCallbacks.onEpochEnd(epoch, logs: &logs)
            history.append(epoch: epoch, logs: logs)
            lastLogs = logs
            if stopTraining || ranOut { break }
        }
        try allCallbacks.onTrainEnd(logs: lastLogs)
        return history
    }

    /// The loss and metrics over a dataset of `(x, y)` batches (all of them, or the first `steps`),
    /// without training; metrics are reset first.
    ///
    /// - Throws: ``DatasetError/invalidArgument(operation:message:)`` for a dataset that repeats
    ///   forever without `steps`; ``LayerError`` for an uncompiled model, no batches, or a batch that
    ///   does not fit; the ``DatasetError`` of the pipeline.
    public func evaluate(
        _ dataset: Dataset<(Tensor, Tensor)>, steps: Int? = nil, verbosity: Verbosity = .auto, callbacks: [Callback] = []
    ) throws -> Logs {
        try evaluate(dataset.map(Self.batch), steps: steps, verbosity: verbosity, callbacks: callbacks)
    }

    /// The loss and metrics over a dataset of `(x, y, sampleWeight)` batches.
    /// - Throws: as the `(x, y)` form.
    public func evaluate(
        _ dataset: Dataset<(Tensor, Tensor, Tensor)>, steps: Int? = nil, verbosity: Verbosity = .auto, callbacks: [Callback] = []
    ) throws -> Logs {
        try evaluate(dataset.map(Self.batch), steps: steps, verbosity: verbosity, callbacks: callbacks)
    }

    /// The loss and metrics over a dataset of ``TrainingBatch``es (several inputs or outputs, weights).
    /// Each batch's targets are checked before its step, as `fit` checks them.
    /// - Throws: as the `(x, y)` form, and ``TargetError`` for targets the losses or metrics cannot take.
    public func evaluate(
        _ dataset: Dataset<TrainingBatch>, steps: Int? = nil, verbosity: Verbosity = .auto, callbacks: [Callback] = []
    ) throws -> Logs {
        try evaluate(dataset, steps: steps, verbosity: verbosity, callbacks: callbacks, validator: TargetValidator(model: self))
    }

    /// `evaluate`, checking each batch's targets with `validator` when one is given.
    func evaluate(
        _ dataset: Dataset<TrainingBatch>, steps: Int?, verbosity: Verbosity, callbacks: [Callback], validator: TargetValidator?
    ) throws -> Logs {
        try Self.checkSteps(dataset, steps: steps, operation: "evaluate", stepsName: "steps")
        let allCallbacks = CallbackList(callbacks, model: self)
        resetMetrics()
        try allCallbacks.onTestBegin(logs: Logs())
        var logs = Logs()
        let iterator = dataset.makeThrowingIterator()
        var step = 0
        while steps.map({ step < $0 }) ?? true, let batch = try iterator.next() {
            try validator?.validate(batch, dataName: "batch \(step) of the evaluation dataset")
            try allCallbacks.onTestBatchBegin(step, logs: logs)
            logs = try testStep(batch)
            try allCallbacks.onTestBatchEnd(step, logs: logs)
            step += 1
        }
        guard step > 0 else { throw LayerError.invalidData(message: "evaluate: the dataset yielded no batches") }
        try allCallbacks.onTestEnd(logs: logs)
        if verbosity != .silent { print("\(step)/\(step) - \(logs)") }
        return logs
    }

    /// The model's outputs for a dataset of input batches (all of them, or the first `steps`),
    /// concatenated along the first axis (one input, one output).
    ///
    /// - Throws: ``DatasetError/invalidArgument(operation:message:)`` for a dataset that repeats
    ///   forever without `steps`; ``LayerError`` when a batch does not fit the model; the
    ///   ``DatasetError`` of the pipeline.
    public func predict(_ dataset: Dataset<Tensor>, steps: Int? = nil, callbacks: [Callback] = []) throws -> Tensor {
        try Self.checkSteps(dataset, steps: steps, operation: "predict", stepsName: "steps")
        let allCallbacks = CallbackList(callbacks, model: self)
        try allCallbacks.onPredictBegin(logs: Logs())
        var pieces: [Tensor] = []
        let iterator = dataset.makeThrowingIterator()
        var step = 0
        while steps.map({ step < $0 }) ?? true, let x = try iterator.next() {
            try allCallbacks.onPredictBatchBegin(step, logs: Logs())
            pieces.append(try predictStep([x])[0])
            try allCallbacks.onPredictBatchEnd(step, logs: Logs())
            step += 1
        }
        try allCallbacks.onPredictEnd(logs: Logs())
        guard !pieces.isEmpty else { throw LayerError.invalidData(message: "predict: the dataset yielded no batches") }
        return Tensor(concatenating: pieces, alongAxis: 0)
    }

    /// The model's outputs for the `x` of each `(x, y)` batch (the targets are ignored, as in Keras).
    /// - Throws: as ``predict(_:steps:callbacks:)-(Dataset<Tensor>,_,_)``.
    public func predict(_ dataset: Dataset<(Tensor, Tensor)>, steps: Int? = nil, callbacks: [Callback] = []) throws -> Tensor {
        try predict(dataset.map { $0.0 }, steps: steps, callbacks: callbacks)
    }

    private static func batch(_ pair: (Tensor, Tensor)) -> TrainingBatch { TrainingBatch(inputs: [pair.0], targets: [pair.1]) }
    private static func batch(_ triple: (Tensor, Tensor, Tensor)) -> TrainingBatch {
        TrainingBatch(inputs: [triple.0], targets: [triple.1], sampleWeight: triple.2)
    }

    /// Refuses endless data without a step count, and step counts below 1.
    private static func checkSteps<E>(_ dataset: Dataset<E>, steps: Int?, operation: String, stepsName: String) throws(DatasetError) {
        if let steps {
            guard steps > 0 else { throw .invalidArgument(operation: operation, message: "\(stepsName) must be positive, got \(steps)") }
        } else if dataset.cardinality == .infinite {
            throw .invalidArgument(operation: operation, message: "the dataset repeats forever; give \(stepsName)")
        }
    }
}
