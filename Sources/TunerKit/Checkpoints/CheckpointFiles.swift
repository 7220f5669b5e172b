import Foundation
import Neural

/// Where a study's checkpoints live and how one is written and read: one safetensors file per kept
/// trial holding the weights of its best epoch (`weights/<index>`, in `model.weights` order) and the
/// optimizer's state (`optimizer/<key>`), so a Hyperband promotion continues training exactly where
/// its parent was. Weights go by position, not by name: a rebuilt model gets new layer names
/// (`dense_7` becomes `dense_12`) but the same weights in the same order.
///
/// Files sit beside the storage: `tuner.sqlite` keeps them in `tuner.sqlite.checkpoints/<study>/`.
struct CheckpointFiles: Sendable {
    /// The folder holding every study's checkpoint folders.
    let root: String

    /// Checkpoint paths are absolute (the storage path resolved against the current folder), because
    /// they are stored in the database and read by workers that may run in other folders.
    init(storagePath: String) {
        root = URL(fileURLWithPath: storagePath).standardizedFileURL.path + ".checkpoints"
    }

    /// The folder of one study (its name made safe for a path).
    func directory(study: String) -> String {
        let safe = String(study.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
        return root + "/" + (safe.isEmpty ? "_" : safe)
    }

    /// The file for a trial's checkpoint at an epoch.
    func path(study: String, trial: Int, epoch: Int) -> String {
        directory(study: study) + "/trial-\(trial)-epoch-\(epoch + 1).safetensors"
    }

    /// Removes a study's whole checkpoint folder (after the study was deleted or overwritten).
    func removeStudyDirectory(_ study: String) {
        try? FileManager.default.removeItem(atPath: directory(study: study))
    }

    /// Writes `model`'s weights and its optimizer's state to `path` (atomically, through a temporary file).
    ///
    /// - Throws: `SavingError` / `SafetensorsError` when the model has no weights or the file cannot be written.
    static func write(_ model: Model, to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var tensors: [String: Tensor] = [:]
        withoutRecording {
            for (index, variable) in model.weights.enumerated() { tensors[weightKey(index)] = variable.value }
        }
        if let optimizer = model.optimizer {
            let state = withoutRecording { optimizer.stateTensors(for: model.trainableWeights) }
            for (key, tensor) in state { tensors["optimizer/" + key] = tensor }
        }
        try SafetensorsFile.write(tensors, metadata: ["format": "tuner.checkpoint"], to: path)
    }

    private static func weightKey(_ index: Int) -> String {
        "weights/" + String(index)
    }

    /// Loads a checkpoint written by `write(_:to:)` into `model` (built, with the same architecture),
    /// restoring the optimizer's state when both have one.
    ///
    /// - Throws: `SafetensorsError` for a missing or damaged file, `SavingError.weightsMismatch` when
    ///   the architecture differs, `OptimizerError` when the optimizer state does not fit.
    static func load(into model: Model, from path: String) throws {
        let (tensors, _) = try SafetensorsFile.read(from: path)
        var optimizerState: [String: Tensor] = [:]
        for (key, tensor) in tensors where key.hasPrefix("optimizer/") { optimizerState[String(key.dropFirst(10))] = tensor }
        let variables = model.weights
        let stored = tensors.keys.filter { $0.hasPrefix("weights/") }.count
        var mismatches: [SavingError.ShapeMismatch] = []
        for (index, variable) in variables.enumerated() {
            if let tensor = tensors[weightKey(index)], tensor.shape != variable.shape {
                mismatches.append(.init(name: variable.name, expected: variable.shape, found: tensor.shape))
            }
        }
        guard stored == variables.count, mismatches.isEmpty else {
            throw SavingError.weightsMismatch(
                path: path, missing: stored < variables.count ? ["\(variables.count - stored) weights"] : [],
                unexpected: stored > variables.count ? ["\(stored - variables.count) weights"] : [],
                shapeMismatches: mismatches)
        }
        for (index, variable) in variables.enumerated() {
            if let tensor = tensors[weightKey(index)] { variable.assign(tensor) }
        }
        if let optimizer = model.optimizer, !optimizerState.isEmpty {
            try optimizer.loadState(optimizerState, for: model.trainableWeights)
        }
    }
}
