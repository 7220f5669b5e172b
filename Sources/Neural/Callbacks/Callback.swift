/// Hooks into `fit`, `evaluate` and `predict` (Keras's `Callback`): override the ones you need.
///
/// `model` is set before training starts. Setting `model.stopTraining = true` ends `fit` after the
/// current batch (EarlyStopping does so at an epoch's end).
open class Callback {
    /// The model being trained, set by `fit` / `evaluate` / `predict`.
    public weak var model: Model?

    /// Creates a callback.
    public init() {}

    /// Before the first epoch.
    open func onTrainBegin(logs: Logs) throws {}
    /// After the last epoch (or when training stopped).
    open func onTrainEnd(logs: Logs) throws {}
    /// Before each epoch; `epoch` counts from 0 (or from `initialEpoch`).
    open func onEpochBegin(_ epoch: Int, logs: Logs) throws {}
    /// After each epoch, with the training metrics and the `val_` metrics.
    open func onEpochEnd(_ epoch: Int, logs: Logs) throws {}
    /// Before each training batch.
    open func onTrainBatchBegin(_ batch: Int, logs: Logs) throws {}
    /// After each training batch, with the running metrics of the epoch.
    open func onTrainBatchEnd(_ batch: Int, logs: Logs) throws {}
    /// Before `evaluate` (and the validation pass of each epoch).
    open func onTestBegin(logs: Logs) throws {}
    /// After `evaluate`.
    open func onTestEnd(logs: Logs) throws {}
    /// Before each evaluation batch.
    open func onTestBatchBegin(_ batch: Int, logs: Logs) throws {}
    /// After each evaluation batch.
    open func onTestBatchEnd(_ batch: Int, logs: Logs) throws {}
    /// Before `predict`.
    open func onPredictBegin(logs: Logs) throws {}
    /// After `predict`.
    open func onPredictEnd(logs: Logs) throws {}
    /// Before each prediction batch.
    open func onPredictBatchBegin(_ batch: Int, logs: Logs) throws {}
    /// After each prediction batch.
    open func onPredictBatchEnd(_ batch: Int, logs: Logs) throws {}

    /// Training settings `fit` hands to its callbacks before ``onTrainBegin(logs:)``: epochs and steps
    /// per epoch (the progress bar needs them).
    open func setParameters(_ parameters: TrainingParameters) {}
}

/// What `fit` tells callbacks about the run ahead.
public struct TrainingParameters: Sendable, Equatable {
    /// Epochs to run up to (exclusive end of the epoch range).
    public var epochs: Int
    /// Training batches per epoch.
    public var steps: Int
    /// How much to print.
    public var verbosity: Verbosity
}

/// How much `fit`, `evaluate` and `predict` print.
public enum Verbosity: Sendable, Equatable {
    /// Nothing.
    case silent
    /// A Keras progress bar redrawn in place (on a terminal).
    case progressBar
    /// One line per epoch (what Keras prints when output is not a terminal).
    case oneLinePerEpoch
    /// A progress bar on a terminal, one line per epoch otherwise.
    case auto
}
