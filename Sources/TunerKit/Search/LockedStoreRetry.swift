import Foundation
import StudyStore

/// Stores something a trial already computed even when another process holds the database longer
/// than the busy timeout: the value stays in memory and the write is tried again, with a growing
/// pause and a line saying so, until it goes through. The search loop's own calls (asking for the
/// next trial, settling abandoned ones) wait the same way instead of ending the search. Only `StoreError.locked` is retried; every
/// other error (the trial was taken over, a full disk) is thrown as it is.
enum LockedStoreRetry {
    /// The longest pause between two tries, in seconds.
    static let longestPause = 30.0

    /// Runs `write` until it does not fail with `StoreError.locked`; `action` says what could not be
    /// done ("store the result of trial 3") in the line printed before each new try.
    ///
    /// - Throws: whatever `write` throws other than `StoreError.locked`.
    static func untilStored<T>(_ action: String, progress: SearchProgress, _ write: () throws -> T) throws -> T {
        var pause = 0.25
        while true {
            do {
                return try write()
            } catch StoreError.locked(let path, let timeout) {
                progress.warning(
                    "tuner: could not \(action): the database at \(path) stayed locked by another process for more than "
                        + "\(timeout) s; nothing is lost, trying again in \(pause) s.")
                Thread.sleep(forTimeInterval: pause)
                pause = min(pause * 2, longestPause)
            }
        }
    }
}
