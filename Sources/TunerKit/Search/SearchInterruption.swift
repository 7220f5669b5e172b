#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The process-wide request to stop searching, set when the user presses Ctrl-C or the process gets
/// SIGTERM (signals belong to the process, so this is process-wide too).
///
/// A search that sees it starts no new trial; a running trial stops at its next step (a model at the
/// next batch or epoch, a command once its process group has ended) and is put back to WAITING, so a
/// resume runs it again. The commands running now are registered here by their process group, so
/// the signal reaches them at once — they run in groups of their own, which a terminal's Ctrl-C does
/// not reach.
///
/// Nothing here runs inside a signal handler: the tuner's handlers are dispatch sources, and `request`
/// only sets atomics and sends signals.
public enum SearchInterruption {
    private static let signalNumber = Atomic<Int32>(0)
    private static let processGroups = Mutex<Set<Int32>>([])

    /// The signal that interrupted the search (`SIGINT`, `SIGTERM`), or nil while none did.
    public static var signal: Int32? {
        let value = signalNumber.load(ordering: .acquiring)
        return value == 0 ? nil : value
    }

    /// Whether the search was asked to stop.
    public static var isRequested: Bool { signal != nil }

    /// Asks every search of this process to stop because of `signal`, and passes the signal on to
    /// the process group of every running command. Returns false when a stop was already requested
    /// (a second Ctrl-C: the caller should exit at once, after `killRunningCommands()`).
    @discardableResult
    public static func request(signal: Int32) -> Bool {
        let first = signalNumber.compareExchange(expected: 0, desired: signal, ordering: .acquiringAndReleasing).exchanged
        if first {
            for group in processGroups.withLock({ $0 }) { kill(-group, signal) }
        }
        return first
    }

    /// Forgets an interruption, so that a later search in this process runs (a program that handled
    /// `TunerError.interrupted` and wants to go on; the `tuner` command exits instead).
    public static func clear() {
        signalNumber.store(0, ordering: .releasing)
    }

    /// Kills the process group of every running command with SIGKILL (before an immediate exit).
    public static func killRunningCommands() {
        for group in processGroups.withLock({ $0 }) { kill(-group, SIGKILL) }
    }

    /// Records a command's process group while it runs, so an interruption reaches it.
    public static func register(processGroup: Int32) {
        _ = processGroups.withLock { $0.insert(processGroup) }
    }

    /// Forgets a command's process group once it is over.
    public static func unregister(processGroup: Int32) {
        _ = processGroups.withLock { $0.remove(processGroup) }
    }

    /// The conventional exit status of a process ended by `signal`: 128 + its number (130 for SIGINT,
    /// 143 for SIGTERM).
    public static func exitStatus(for signal: Int32) -> Int32 { 128 + signal }

    /// The signal's name, for messages.
    public static func name(of signal: Int32) -> String {
        switch signal {
        case SIGINT: return "SIGINT (Ctrl-C)"
        case SIGTERM: return "SIGTERM"
        case SIGHUP: return "SIGHUP"
        default: return "signal \(signal)"
        }
    }
}
