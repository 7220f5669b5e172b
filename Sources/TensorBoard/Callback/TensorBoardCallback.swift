import Foundation
import Neural

/// Keras's `keras.callbacks.TensorBoard(log_dir)` for `fit`: writes what a training run does into
/// `logDirectory` for `tensorboard --logdir`, in the folders and under the tags Keras 3 uses, so that runs
/// of this library and of Keras compare in one TensorBoard.
///
/// ```swift
/// let runLogDir = "my_logs/run_\(timestamp)"
/// let tensorBoard = try TensorBoardCallback(logDir: runLogDir, histogramFreq: 1)
/// let history = try model.fit(xTrain, yTrain, epochs: 20, validationData: (xValid, yValid), callbacks: [tensorBoard])
/// ```
///
/// - `train/`: each epoch's training metrics as `epoch_<name>` (`epoch_loss`, `epoch_accuracy`) and the
///   optimizer's learning rate as `epoch_learning_rate`, at step `epoch`; with `updateFreq: .batch(n)`,
///   every n-th training batch's running metrics as `batch_<name>` at the count of batches since training
///   began (from 1, across epochs); with `histogramFreq: n`, every n-th epoch each weight's histogram as
///   `<layer>/<weight>/histogram` (`dense/kernel/histogram`), and with `writeImages` each bias and 2-D
///   kernel as a grayscale image `<layer>/<weight>/image`.
/// - `validation/`: each epoch's `val_` metrics without the prefix (`epoch_loss` is `val_loss`), and, at
///   the end of each validation pass, `evaluation_<name>_vs_iterations` at the optimizer's iteration count.
///
/// Differences from Keras, and why: a weight's tag is its path (`dense_1/kernel/histogram`), as TF-Keras
/// 2 wrote it: Keras 3 uses the bare name (`kernel/histogram`), which makes every layer's kernel one series.
/// Convolution kernels are not drawn as images (Keras draws them only in rare shapes). The graph, profiler
/// and embeddings are not written. Named `TensorBoardCallback`, not `TensorBoard`: a type named like its
/// module hides the module's name (`TensorBoard.SummaryWriter` would no longer compile).
///
/// A write that fails throws from the callback method, which ends `fit` as any callback error does.
public final class TensorBoardCallback: Callback {
    /// How often training metrics are written (Keras's `update_freq`).
    public enum UpdateFrequency: Sendable, Equatable {
        /// At the end of each epoch only (`"epoch"`).
        case epoch
        /// Also every `n` training batches (`"batch"` is `.batch(1)`, an integer `n` is `.batch(n)`).
        case batch(Int)
    }

    /// The run's folder; `train/` and `validation/` are made in it.
    public let logDirectory: String
    /// Every how many epochs weight histograms are written; 0 for never.
    public let histogramFrequency: Int
    /// How often training metrics are written.
    public let updateFrequency: UpdateFrequency
    /// Whether weights are also written as images when their histograms are.
    public let writeImages: Bool

    private var writers: [String: SummaryWriter] = [:]
    private var globalTrainBatch = 0

    /// A callback writing into `logDir`.
    ///
    /// - Parameters:
    ///   - histogramFreq: Every how many epochs each weight's histogram is written (0: never).
    ///   - updateFreq: `.epoch` (the default) or `.batch(n)`.
    ///   - writeImages: Draw biases and 2-D kernels as images at each histogram epoch.
    /// - Throws: ``TensorBoardCallbackError/invalidArgument(name:message:)`` for an empty `logDir`, a
    ///   negative `histogramFreq` or `.batch(n)` with `n` below 1.
    public init(logDir: String = "logs", histogramFreq: Int = 0, updateFreq: UpdateFrequency = .epoch,
                writeImages: Bool = false) throws(TensorBoardCallbackError) {
        guard !logDir.isEmpty else { throw .invalidArgument(name: "logDir", message: "is empty; give the run's folder") }
        guard histogramFreq >= 0 else {
            throw .invalidArgument(name: "histogramFreq", message: "must be 0 (never) or more, got \(histogramFreq)")
        }
        if case .batch(let n) = updateFreq, n < 1 {
            throw .invalidArgument(name: "updateFreq", message: "a batch frequency must be at least 1, got \(n)")
        }
        logDirectory = logDir
        histogramFrequency = histogramFreq
        updateFrequency = updateFreq
        self.writeImages = writeImages
    }

    /// The folder of the training summaries: `<logDirectory>/train`.
    public var trainDirectory: String { subfolder("train") }
    /// The folder of the validation summaries: `<logDirectory>/validation`.
    public var validationDirectory: String { subfolder("validation") }

    // MARK: - Callback

    /// Starts counting training batches from 0 again.
    public override func onTrainBegin(logs: Logs) throws {
        globalTrainBatch = 0
    }

    /// Writes the running metrics as `batch_<name>` every n-th batch with `.batch(n)`.
    ///
    /// - Throws: ``SummaryWriterError`` when the `train/` event file cannot be written.
    public override func onTrainBatchEnd(_ batch: Int, logs: Logs) throws {
        globalTrainBatch += 1
        guard case .batch(let every) = updateFrequency, globalTrainBatch % every == 0 else { return }
        let train = try writer("train")
        for (name, value) in logs { try train.scalar("batch_" + name, value: Double(value), step: globalTrainBatch) }
    }

    /// Writes the epoch's metrics in `train/` and `validation/`, the learning rate, and the weights every
    /// `histogramFreq` epochs; flushes, so that a TensorBoard watching sees the epoch at once.
    ///
    /// - Throws: ``SummaryWriterError`` when an event file cannot be written (or a weight is not finite).
    public override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
        var trainLogs: [(String, Double)] = []
        var validationLogs: [(String, Double)] = []
        for (name, value) in logs {
            if name.hasPrefix("val_") {
                validationLogs.append((String(name.dropFirst(4)), Double(value)))
            } else if name != "learning_rate" {
                trainLogs.append((name, Double(value)))
            }
        }
        // Keras's `_collect_learning_rate`: the optimizer's rate now (a scheduler's log entry is the same value).
        if let rate = model?.optimizer?.currentLearningRate ?? logs["learning_rate"] {
            trainLogs.append(("learning_rate", Double(rate)))
        }
        if !trainLogs.isEmpty {
            let train = try writer("train")
            for (name, value) in trainLogs { try train.scalar("epoch_" + name, value: value, step: epoch) }
        }
        if !validationLogs.isEmpty {
            let validation = try writer("validation")
            for (name, value) in validationLogs { try validation.scalar("epoch_" + name, value: value, step: epoch) }
        }
        if histogramFrequency > 0, epoch % histogramFrequency == 0, let model { try logWeights(of: model, epoch: epoch) }
        for writer in writers.values { try writer.flush() }
    }

    /// Writes the validation pass's metrics as `evaluation_<name>_vs_iterations` at the optimizer's
    /// iteration count (Keras does so for `evaluate` and for each epoch's validation).
    ///
    /// - Throws: ``SummaryWriterError`` when the `validation/` event file cannot be written.
    public override func onTestEnd(logs: Logs) throws {
        guard let optimizer = model?.optimizer, !logs.entries.isEmpty else { return }
        let validation = try writer("validation")
        for (name, value) in logs {
            try validation.scalar("evaluation_\(name)_vs_iterations", value: Double(value), step: optimizer.iterations)
        }
    }

    /// Closes the event files (a later `fit` with this callback opens new ones).
    ///
    /// - Throws: ``SummaryWriterError`` when the last flush fails (every file is closed all the same).
    public override func onTrainEnd(logs: Logs) throws {
        let open = writers
        writers = [:]
        var firstError: SummaryWriterError?
        for writer in open.values {
            do { try writer.close() } catch { firstError = firstError ?? error }
        }
        if let firstError { throw firstError }
    }

    // MARK: - Weights

    private func logWeights(of model: Model, epoch: Int) throws {
        let train = try writer("train")
        for weight in model.weights {
            let values = weight.value.scalars
            try train.histogram("\(weight.name)/histogram", values: values, step: epoch)
            if writeImages, let image = WeightImage(values: values, shape: weight.value.shape) {
                try train.image("\(weight.name)/image", pixels: image.pixels, width: image.width, height: image.height, step: epoch)
            }
        }
    }

    private func subfolder(_ name: String) -> String {
        URL(fileURLWithPath: logDirectory).appendingPathComponent(name).path
    }

    /// The writer of `train` or `validation`, made at its first summary (as Keras makes its writers lazily,
    /// so a run without validation data has no `validation/` folder).
    private func writer(_ name: String) throws(SummaryWriterError) -> SummaryWriter {
        if let writer = writers[name] { return writer }
        let writer = try SummaryWriter(logDirectory: subfolder(name))
        writers[name] = writer
        return writer
    }
}
