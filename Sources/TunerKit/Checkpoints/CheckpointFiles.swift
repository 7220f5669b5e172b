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
///
/// A storage on a server (PostgreSQL) has no folder beside it that every worker sees: its checkpoints
/// are stored in the storage itself, as the same safetensors bytes (`keepsFiles` is false).
struct CheckpointFiles: Sendable {
    /// The folder holding every study's checkpoint folders (unused when `keepsFiles` is false).
    let root: String
    /// Whether checkpoints are files beside the storage (an SQLite file) rather than bytes stored in it.
    let keepsFiles: Bool

    /// Checkpoint paths are absolute (the storage path resolved against the current folder), because
    /// they are stored in the database and read by workers that may run in other folders. A connection
    /// string is never turned into a path (it may hold a password).
    init(storagePath: String) {
        keepsFiles = !PostgresLocation.isConnectionString(storagePath)
        root = keepsFiles ? URL(fileURLWithPath: storagePath).standardizedFileURL.path + ".checkpoints" : ""
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
        try SafetensorsFile.write(tensors(of: model), metadata: ["format": "tuner.checkpoint"], to: path)
    }

    /// The checkpoint of `model` as safetensors bytes (what a file written by `write(_:to:)` holds), for
    /// a storage that keeps checkpoints itself.
    ///
    /// - Throws: `SafetensorsError` when a tensor cannot be encoded.
    static func encode(_ model: Model) throws -> Data {
        Data(try SafetensorsFile.encode(tensors(of: model), metadata: ["format": "tuner.checkpoint"]))
    }

    /// The model's weights by position and its optimizer's state.
    private static func tensors(of model: Model) -> [String: Tensor] {
        var tensors: [String: Tensor] = [:]
        withoutRecording {
            for (index, variable) in model.weights.enumerated() { tensors[weightKey(index)] = variable.value }
        }
        if let optimizer = model.optimizer {
            let state = withoutRecording { optimizer.stateTensors(for: model.trainableWeights) }
            for (key, tensor) in state { tensors["optimizer/" + key] = tensor }
        }
        return tensors
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
        try load(into: model, tensors: SafetensorsFile.read(from: path).tensors, source: path)
    }

    /// Loads a stored checkpoint — its file, or its bytes when the storage keeps them — into `model`.
    ///
    /// - Throws: `TunerError.missingCheckpoint` when the record has neither; as `load(into:from:)`.
    static func load(into model: Model, from checkpoint: StoredCheckpoint, trial: Int) throws {
        if let path = checkpoint.path {
            try load(into: model, from: path)
        } else if let weights = checkpoint.weights {
            let source = "the stored checkpoint of trial \(trial)"
            try load(into: model, tensors: SafetensorsFile.decode([UInt8](weights), path: source).tensors, source: source)
        } else {
            throw TunerError.missingCheckpoint(trial: trial, detail: "its record has neither a file nor stored weights")
        }
    }

    private static func load(into model: Model, tensors: [String: Tensor], source path: String) throws {
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
