import Foundation
import StudyStore

/// Removing a study for good: its rows (trials, metrics, oracle state, checkpoint records, source)
/// in one transaction, then its checkpoint files and folder.
public enum StudyDeletion {
    /// Deletes study `name` from the storage at `storagePath` and returns how many checkpoint files were
    /// removed (files already gone are not counted).
    ///
    /// - Throws: `StoreError.studyNotFound` and other store errors; nothing is removed then.
    @discardableResult
    public static func delete(study name: String, storagePath: String) throws -> Int {
        let store = try StudyStore(path: storagePath, busyTimeout: 30)
        let files = try store.deleteStudy(named: name)
        var removed = 0
        for file in files where (try? FileManager.default.removeItem(atPath: file)) != nil { removed += 1 }
        CheckpointFiles(storagePath: storagePath).removeStudyDirectory(name)
        return removed
    }
}
