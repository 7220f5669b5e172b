import Foundation
import StudyStore

/// Keeps a search going through a storage that is unavailable for a while: a lock another process holds
/// past the busy timeout (`StoreError.locked`), or a PostgreSQL connection lost to a server restart or a
/// network failure (`StoreError.connectionLost`; the storage connects again at the next call). What a
/// trial already computed stays in memory and the call is tried again, with a growing pause and a line
/// saying so, until it goes through. The search loop's own calls (asking for the next trial, settling
/// abandoned ones) wait the same way instead of ending the search. Every other error (the trial was
/// taken over, a full disk) is thrown as it is.
enum StoreRetry {
    /// The first pause, in seconds.
    static let firstPause = 0.25
    /// The longest pause between two tries, in seconds.
    static let longestPause = 30.0

    /// Whether `error` passes with time (a lock, a lost connection), so the call is worth another try.
    static func isTransient(_ error: any Error) -> Bool {
        switch error as? StoreError {
        case .locked, .connectionLost: return true
        default: return false
        }
    }

    /// Runs `write` until it does not fail with a transient error; `action` says what could not be done
    /// ("store the result of trial 3") in the line printed before each new try. A search being
    /// interrupted (Ctrl-C) stops waiting for a lost server: the error is thrown.
    ///
    /// - Throws: whatever `write` throws that is not transient, or the transient error once the search
    ///   was interrupted while the server stayed unreachable.
    static func untilStored<T>(_ action: String, progress: SearchProgress, _ write: () throws -> T) throws -> T {
        var pause = firstPause
        while true {
            do {
                return try write()
            } catch let error where isTransient(error) {
                if case StoreError.connectionLost = error, SearchInterruption.isRequested { throw error }
                progress.warning("tuner: could not \(action): \(reason(error)); nothing is lost, trying again in \(pause) s.")
                Thread.sleep(forTimeInterval: pause)
                pause = min(pause * 2, longestPause)
            }
        }
    }

    /// Why a transient error happened, in the words of the retry line.
    static func reason(_ error: any Error) -> String {
        switch error as? StoreError {
        case .locked(let path, let timeout):
            return "the database at \(path) stayed locked by another process for more than \(timeout) s"
        case .connectionLost(let location, let detail):
            return "lost the connection to the database at \(location) (\(detail))"
        default:
            return String(describing: error)
        }
    }
}
