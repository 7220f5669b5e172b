import Foundation
import StudyStore

/// Removing a study for good: its rows (trials, metrics, oracle state, checkpoint records, source)
/// in one transaction, then its checkpoint files and folder.
public enum StudyDeletion {
    /// Deletes study `name` from the storage at `storagePath` and returns how many checkpoint files went.
    ///
    /// - Throws: `StoreError.studyNotFound` and other store errors; nothing is removed then.
    @discardableResult
    public static func delete(study name: String, storagePath: String) throws -> Int {
        let store = try StudyStore(path: storagePath, busyTimeout: 30)
        let files = try store.deleteStudy(named: name)
        for file in files { try? FileManager.default.removeItem(atPath: file) }
        CheckpointFiles(storagePath: storagePath).removeStudyDirectory(name)
        return files.count
    }
}
