import Foundation
import Synchronization

/// Saves the model (or only its weights) during training (Keras 3's `ModelCheckpoint`): at each
/// epoch's end, or every `n` batches, to a path whose placeholders are filled in with the epoch and
/// the logs (`"checkpoints/model-{epoch:02d}-{val_loss:.4f}.keras"`; see below). With `saveBestOnly`,
/// only when the monitored quantity improves on the best so far (a missing quantity warns and saves).
/// The parent directory is created when missing.
///
/// It writes through the `save` closure given at creation, or else ``defaultSave`` (the whole model,
/// ``Model/save(to:)``) / ``defaultSaveWeights`` (`saveWeightsOnly`, ``Model/saveWeights(to:)``).
///
/// Placeholders follow Python's `str.format`: `{epoch}` (counted from 1), `{batch}` (from 1, when saving
/// every `n` batches), any logged name (`{val_loss}`, `{accuracy}`), with an optional
/// `[0][width][.precision][type]` specification (`{epoch:02d}`, `{val_loss:.4f}`); `{{` and `}}` are
/// braces. Unlike Keras, the file extension is not checked, since the file format is the writer's.
///
/// ```swift
/// let checkpoint = try ModelCheckpoint(filepath: "my_checkpoints.weights", saveWeightsOnly: true)
/// try model.fit(x, y, epochs: 10, callbacks: [checkpoint])
/// ```
public final class ModelCheckpoint: MonitorCallback {
    /// Writes a model (or its weights) to a path.
    public typealias Writer = (Model, String) throws -> Void
    /// A writer usable by every checkpoint (``defaultSave``, ``defaultSaveWeights``).
    public typealias SharedWriter = @Sendable (Model, String) throws -> Void

    /// When checkpoints are written.
    public enum SaveFrequency: Sendable, Equatable {
        /// At the end of each epoch (Keras's `"epoch"`, the default).
        case epoch
        /// Every this many training batches (Keras's integer `save_freq`), counted across epochs.
        case batches(Int)
    }

    /// Writes a whole model for checkpoints created without `save`: ``Model/save(to:)`` (a directory
    /// with the configuration, the weights and the optimizer state).
    public static let defaultSave: SharedWriter = { model, path in try model.save(to: path) }

    /// Writes a model's weights for checkpoints created without `save` with `saveWeightsOnly`:
    /// ``Model/saveWeights(to:)`` (safetensors).
    public static let defaultSaveWeights: SharedWriter = { model, path in try model.saveWeights(to: path) }

    /// The path template as given.
    public let filepath: String
    /// Whether only improvements of the monitored quantity are saved.
    public let saveBestOnly: Bool
    /// Whether only the weights are saved (through ``defaultSaveWeights`` when no `save` is given).
    public let saveWeightsOnly: Bool
    /// When checkpoints are written.
    public let saveFrequency: SaveFrequency
    /// Whether to print Keras's messages about each save.
    public let verbose: Bool
    /// Every path written so far, in order.
    public private(set) var savedPaths: [String] = []

    private let template: FilepathTemplate
    private let save: Writer?
    private var currentEpoch = 0
    private var batchesSinceLastSave = 0
    private var lastBatchSeen: Int?

    /// Creates the callback; the defaults are Keras's (`val_loss`, every epoch, everything saved).
    /// `initialValueThreshold` is the best value to beat at first with `saveBestOnly`; `save` writes
    /// the file (by default ``defaultSave`` or ``defaultSaveWeights``, read when saving).
    ///
    /// - Throws: ``CallbackError/badFilepathTemplate(template:reason:)`` for a template that does not
    ///   parse, ``CallbackError/invalidArgument(callback:message:)`` for a batch frequency below 1.
    public init(
        filepath: String, monitor: String = "val_loss", verbose: Bool = false, saveBestOnly: Bool = false,
        saveWeightsOnly: Bool = false, mode: MonitorMode = .auto, saveFrequency: SaveFrequency = .epoch,
        initialValueThreshold: Float? = nil, save: Writer? = nil
    ) throws {
        if case let .batches(count) = saveFrequency, count < 1 {
            throw CallbackError.invalidArgument(callback: "ModelCheckpoint", message: "saveFrequency .batches(\(count)) must save every 1 or more batches")
        }
        template = try FilepathTemplate(filepath)
        self.filepath = filepath
        self.saveBestOnly = saveBestOnly
        self.saveWeightsOnly = saveWeightsOnly
        self.saveFrequency = saveFrequency
        self.verbose = verbose
        self.save = save
        super.init(monitor: monitor, mode: mode, minDelta: 0, baseline: initialValueThreshold)
    }

    /// Lets the missing-quantity warning through once more (the best value is kept across `fit`
    /// calls, as in Keras).
    public override func onTrainBegin(logs: Logs) throws {
        resetWarnings()
    }

    /// Remembers the epoch for paths written from batch hooks.
    public override func onEpochBegin(_ epoch: Int, logs: Logs) throws {
        currentEpoch = epoch
    }

    /// Saves every `n` batches with `.batches(n)`.
    /// - Throws: what saving throws (see ``onEpochEnd(_:logs:)``).
    public override func onTrainBatchEnd(_ batch: Int, logs: Logs) throws {
        guard case let .batches(frequency) = saveFrequency else { return }
        // Batches restart from 0 each epoch; count them across epochs as Keras does.
        if let lastBatchSeen, batch > lastBatchSeen {
            batchesSinceLastSave += batch - lastBatchSeen
        } else {
            batchesSinceLastSave += batch + 1
        }
        lastBatchSeen = batch
        guard batchesSinceLastSave >= frequency else { return }
        batchesSinceLastSave = 0
        try saveModel(epoch: currentEpoch, batch: batch, logs: logs)
    }

    /// Saves at the end of each epoch with `.epoch`.
    /// - Throws: ``CallbackError`` for a path that cannot be filled in or a directory that cannot be
    ///   created, ``CallbackError/cannotInferMode(callback:monitor:)`` with `saveBestOnly` and an
    ///   undecidable `.auto` mode, and whatever the writer throws.
    public override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
        guard saveFrequency == .epoch else { return }
        try saveModel(epoch: epoch, batch: nil, logs: logs)
    }

    private func saveModel(epoch: Int, batch: Int?, logs: Logs) throws {
        guard let model else { return }
        // Keras settles the direction at the first epoch's end; it matters only when keeping the best.
        if saveBestOnly { _ = try resolvedMode() }
        var integers = [("epoch", epoch + 1)]
        if let batch { integers.append(("batch", batch + 1)) }
        let path = try template.filled(integers: integers, logs: logs)
        guard try shouldSave(epoch: epoch, logs: logs, path: path) else { return }
        // The default whole-model save writes a directory (Model.save(to:)), which a fixed path
        // (saveBestOnly) overwrites at each improvement; every other writer gets a file path.
        try Self.prepareParentDirectory(of: path, allowingDirectory: save == nil && !saveWeightsOnly)
        if let save {
            try save(model, path)
        } else {
            let shared = saveWeightsOnly ? Self.defaultSaveWeights : Self.defaultSave
            try shared(model, path)
        }
        savedPaths.append(path)
        if verbose { print("\nEpoch \(epoch + 1): finished saving model to \(path)") }
    }

    private func shouldSave(epoch: Int, logs: Logs, path: String) throws -> Bool {
        guard saveBestOnly else {
            if verbose { print("\nEpoch \(epoch + 1): saving model to \(path)") }
            return true
        }
        // Keras saves when the quantity is missing, after a warning.
        guard let current = monitoredValue(in: logs, purpose: "saving only the best model") else { return true }
        let bestText = best.map { String(format: "%.5f", Double($0)) } ?? "None"
        if try isImprovement(current, over: best) {
            if verbose {
                print("\nEpoch \(epoch + 1): \(monitor) improved from \(bestText) to \(String(format: "%.5f", Double(current))), saving model to \(path)")
            }
            best = current
            return true
        }
        if verbose { print("\nEpoch \(epoch + 1): \(monitor) did not improve from \(bestText)") }
        return false
    }

    /// Creates the parent directory when missing; refuses a path that is an existing directory
    /// unless `allowingDirectory` (the writer saves a directory there).
    private static func prepareParentDirectory(of path: String, allowingDirectory: Bool) throws(CallbackError) {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        if !allowingDirectory, files.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw .fileWriteFailed(path: path, reason: "it is a directory; give ModelCheckpoint a file path")
        }
        let parent = (path as NSString).deletingLastPathComponent
        guard !parent.isEmpty, !files.fileExists(atPath: parent) else { return }
        do {
            try files.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw .fileWriteFailed(path: parent, reason: "cannot create the directory: \(error.localizedDescription)")
        }
    }
}
