import Foundation
import Neural

/// Where a study's checkpoints live and how one is written and read: one safetensors file per kept
/// trial holding the weights of its best epoch (`weights/<index>`, in `model.weights` order) and the
/// optimizer's state (`optimizer/<key>`), so a Hyperband promotion continues training exactly where
/// its parent was. Weights go by position, not by name: a rebuilt model gets new layer names
/// (`dense_7` becomes `dense_12`) but the same weights in the same order.
///
/// Files sit beside the storage: `tuner.sqlite` keeps them in `tuner.sqlite.checkpoints/<folder>/`, the
/// folder named by `CheckpointFolderName`, an injective encoding of the study name. Removing a study's
/// files never reaches outside that root: see `removeFiles(_:)`.
struct CheckpointFiles: Sendable {
    /// The folder holding every study's checkpoint folders.
    let root: String

    /// Checkpoint paths are absolute (the storage path resolved against the current folder), because
    /// they are stored in the database and read by workers that may run in other folders.
    init(storagePath: String) {
        root = URL(fileURLWithPath: storagePath).standardizedFileURL.path + ".checkpoints"
    }

    /// The folder of one study (its name encoded by `CheckpointFolderName`).
    func directory(study: String) -> String {
        root + "/" + CheckpointFolderName.forStudy(study)
    }

    /// The file for a trial's checkpoint at an epoch.
    func path(study: String, trial: Int, epoch: Int) -> String {
        directory(study: study) + "/trial-\(trial)-epoch-\(epoch + 1).safetensors"
    }

    /// Removes checkpoint files listed by the store and returns how many were removed. A file is removed
    /// only when its folder, with symbolic links resolved, is the root or inside it, and it is a regular
    /// file or a link (the link is removed, never its target); anything else — a path written by an older
    /// version outside the root (a study named `..`), a folder, a device — is left alone. Folders left
    /// empty inside the root are removed too with `removingEmptyFolders` (when a study goes: its folder,
    /// or one named the old way) — not while a search runs, where another trial may be about to write there.
    @discardableResult
    func removeFiles(_ paths: [String], removingEmptyFolders: Bool = false) -> Int {
        guard let resolvedRoot = Self.resolved(root) else { return 0 }
        var removed = 0
        for path in paths {
            let name = (path as NSString).lastPathComponent
            guard !name.isEmpty, name != ".", name != "..", !path.hasSuffix("/"),
                  let folder = Self.resolved((path as NSString).deletingLastPathComponent),
                  folder == resolvedRoot || folder.hasPrefix(resolvedRoot + "/") else { continue }
            let file = folder + "/" + name
            var info = stat()
            guard lstat(file, &info) == 0 else { continue }
            let type = info.st_mode & S_IFMT
            guard type == S_IFREG || type == S_IFLNK, unlink(file) == 0 else { continue }
            removed += 1
            var emptied = folder
            while removingEmptyFolders, emptied.hasPrefix(resolvedRoot + "/"), rmdir(emptied) == 0 {
                emptied = (emptied as NSString).deletingLastPathComponent
            }
        }
        return removed
    }

    /// Removes a study's folder when it is empty (after `removeFiles` removed what the store listed).
    /// A folder still holding files (a checkpoint written by a worker killed before recording it) is
    /// kept rather than removed with contents nobody listed; so is a link in its place.
    func removeStudyDirectory(_ study: String) {
        let folder = directory(study: study)
        var info = stat()
        guard lstat(folder, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return }
        _ = rmdir(folder)
    }

    /// `path` with symbolic links, `.` and `..` resolved, or nil when it does not exist.
    private static func resolved(_ path: String) -> String? {
        guard let pointer = realpath(path.isEmpty ? "." : path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// Writes `model`'s weights and its optimizer's state to `path` (atomically, through a temporary file).
    ///
    /// - Throws: `SavingError` / `SafetensorsError` when the model has no weights or the file cannot be written.
    static func write(_ model: Model, to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            // Foundation's own text is "Error Domain=NSCocoaErrorDomain Code=..."; the trial's stored
            // reason should say what the system said.
            let reason = FileErrorReason.reason(for: error).map { " (\($0))" } ?? ""
            throw SafetensorsError.io(path: folder, reason: "cannot create the checkpoint folder" + reason)
        }
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
