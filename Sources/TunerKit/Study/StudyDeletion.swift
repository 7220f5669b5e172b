import Foundation
import StudyStore

/// Removing a study for good: its rows (trials, metrics, oracle state, checkpoint records, source)
/// in one transaction, then its checkpoint files and folder — only those inside the storage's checkpoint
/// folder (see `CheckpointFiles.removeFiles`), whatever the study is called.
public enum StudyDeletion {
    /// Deletes study `name` from the storage at `storagePath` and returns how many checkpoint files were
    /// removed (files already gone, or outside the checkpoint folder, are not counted).
    ///
    /// - Throws: `StoreError.studyNotFound`, `StudyNameError` for a name no study can have, and other
    ///   store errors; nothing is removed then.
    @discardableResult
    public static func delete(study name: String, storagePath: String) throws -> Int {
        let store = try openStudyStorage(storagePath, busyTimeout: 30)
        return removeCheckpointFiles(try store.deleteStudy(named: name), study: name, storagePath: storagePath)
    }

    /// Removes the checkpoint files of a study replaced by other means (`tuner import --replace`): only
    /// files inside the storage's checkpoint folder, then the study's folder when it is left empty.
    /// Returns how many files were removed.
    @discardableResult
    public static func removeCheckpointFiles(_ paths: [String], study name: String, storagePath: String) -> Int {
        let checkpoints = CheckpointFiles(storagePath: storagePath)
        let removed = checkpoints.removeFiles(paths, removingEmptyFolders: true)
        checkpoints.removeStudyDirectory(name)
        return removed
    }
}
