import Neural

/// What a trial's `fit` is asked to do — Keras Tuner's `**fit_kwargs` as a value: the data given to
/// `search` (tensors, or a dataset of batches), the epochs (Hyperband changes them per trial), and
/// callbacks that include the tuner's own reporter. A `HyperModel.fit` override may change any field
/// before calling `model.fit(arguments)`.
public struct FitArguments {
    /// The training data, when `search` was given tensors (nil when it was given a dataset).
    public var data: ModelData?
    /// Data to validate on after each epoch (`val_` metrics), if any.
    public var validationData: ModelData?
    /// The training batches, when `search` was given a dataset.
    public var dataset: Dataset<TrainingBatch>?
    /// Validation batches for a dataset search.
    public var validationDataset: Dataset<TrainingBatch>?
    /// Batches per epoch for a dataset search (needed when the dataset repeats forever).
    public var stepsPerEpoch: Int?
    /// Validation batches per epoch for a dataset search.
    public var validationSteps: Int?
    /// The fraction of `data` to hold out for validation when `validationData` is nil.
    public var validationSplit: Float
    /// Samples per batch.
    public var batchSize: Int
    /// The epoch to stop before (an exclusive end, as in Keras).
    public var epochs: Int
    /// The epoch to start at (a Hyperband promotion continues its parent's training).
    public var initialEpoch: Int
    /// Whether to shuffle each epoch.
    public var shuffle: Bool
    /// Per-class weights for the loss, if any.
    public var classWeight: [Int: Float]?
    /// The callbacks for this trial: the user's (made fresh per trial) and the tuner's reporter.
    public var callbacks: [Callback]
    /// How much `fit` prints.
    public var verbosity: Verbosity

    /// Arguments for training on a dataset of batches (each element is already a batch, as in Keras).
    public init(
        dataset: Dataset<TrainingBatch>, validationDataset: Dataset<TrainingBatch>? = nil, stepsPerEpoch: Int? = nil,
        validationSteps: Int? = nil, epochs: Int = 1, initialEpoch: Int = 0, callbacks: [Callback] = [],
        verbosity: Verbosity = .silent
    ) {
        self.data = nil
        self.validationData = nil
        self.dataset = dataset
        self.validationDataset = validationDataset
        self.stepsPerEpoch = stepsPerEpoch
        self.validationSteps = validationSteps
        self.validationSplit = 0
        self.batchSize = 32
        self.epochs = epochs
        self.initialEpoch = initialEpoch
        self.shuffle = false
        self.classWeight = nil
        self.callbacks = callbacks
        self.verbosity = verbosity
    }

    /// Arguments with Keras's defaults for the ones not given.
    public init(
        data: ModelData, validationData: ModelData? = nil, validationSplit: Float = 0, batchSize: Int = 32,
        epochs: Int = 1, initialEpoch: Int = 0, shuffle: Bool = true, classWeight: [Int: Float]? = nil,
        callbacks: [Callback] = [], verbosity: Verbosity = .silent
    ) {
        self.data = data
        self.validationData = validationData
        self.validationSplit = validationSplit
        self.batchSize = batchSize
        self.epochs = epochs
        self.initialEpoch = initialEpoch
        self.shuffle = shuffle
        self.classWeight = classWeight
        self.callbacks = callbacks
        self.verbosity = verbosity
    }
}

extension Model {
    /// Trains with everything `arguments` says (see `fit(_:batchSize:epochs:...)` and the dataset form).
    ///
    /// - Throws: what `fit` throws (bad data, a failing callback, an uncompiled model);
    ///   `LayerError.invalidData` when the arguments hold neither tensors nor a dataset.
    public func fit(_ arguments: FitArguments) throws -> History {
        if let dataset = arguments.dataset {
            return try fit(
                dataset, epochs: arguments.epochs, stepsPerEpoch: arguments.stepsPerEpoch,
                validationData: arguments.validationDataset, validationSteps: arguments.validationSteps,
                callbacks: arguments.callbacks, verbosity: arguments.verbosity, initialEpoch: arguments.initialEpoch)
        }
        guard let data = arguments.data else {
            throw LayerError.invalidData(message: "fit: the arguments hold neither tensors nor a dataset")
        }
        return try fit(
            data, batchSize: arguments.batchSize, epochs: arguments.epochs,
            verbosity: arguments.verbosity, callbacks: arguments.callbacks,
            validationSplit: arguments.validationSplit, validationData: arguments.validationData,
            shuffle: arguments.shuffle, classWeight: arguments.classWeight, initialEpoch: arguments.initialEpoch)
    }
}
