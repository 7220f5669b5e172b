import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A worker's name in the store, `host:pid:slot`, from which another worker on the same host can tell
/// that the process is gone (and need not wait for its heartbeat to go stale).
struct WorkerIdentity: Equatable, CustomStringConvertible {
    let host: String
    let processID: Int32
    let slot: Int

    private static let nextSlot = Atomic<Int>(0)
    /// The slots of this process's workers that are working now.
    private static let liveSlots = Mutex<Set<Int>>([])

    /// The prefix of workers outside the tuner (`tuner ask`): never judged by heartbeats.
    static let externalPrefix = "ask:"

    /// The identity of an external program asking for a trial through this process.
    static func external() -> WorkerIdentity {
        let slot = nextSlot.add(1, ordering: .relaxed).newValue
        return WorkerIdentity(host: externalPrefix + ProcessInfo.processInfo.hostName, processID: getpid(), slot: slot)
    }

    /// A new identity in this process: every worker thread of every search gets its own slot, so two
    /// searches in one process never look like one worker to the oracle.
    static func next() -> WorkerIdentity {
        let slot = nextSlot.add(1, ordering: .relaxed).newValue
        return WorkerIdentity(host: ProcessInfo.processInfo.hostName, processID: getpid(), slot: slot)
    }

    /// Parses `host:pid:slot`; nil for names written otherwise (`tuner tell`, other tools).
    init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 3, let slot = Int(parts[parts.count - 1]), let pid = Int32(parts[parts.count - 2]) else { return nil }
        self.init(host: parts[0..<(parts.count - 2)].joined(separator: ":"), processID: pid, slot: slot)
    }

    init(host: String, processID: Int32, slot: Int) {
        self.host = host
        self.processID = processID
        self.slot = slot
    }

    var description: String { "\(host):\(processID):\(slot)" }

    /// Records that this worker of this process is working (until `retire()`).
    func markLive() {
        _ = Self.liveSlots.withLock { $0.insert(slot) }
    }

    /// Records that this worker of this process stopped working.
    func retire() {
        _ = Self.liveSlots.withLock { $0.remove(slot) }
    }

    /// Whether this is a worker of this very process that is still working: its heartbeats can be late
    /// (another process held the database past the busy timeout) but it has not died, so its trial
    /// must not be taken from it — it is about to store a result it holds in memory.
    var isLiveInThisProcess: Bool {
        guard host == ProcessInfo.processInfo.hostName, processID == getpid() else { return false }
        return Self.liveSlots.withLock { $0.contains(slot) }
    }

    /// Whether this worker's process is known to have exited: same host, another pid, and no such process.
    var processIsGone: Bool {
        guard host == ProcessInfo.processInfo.hostName, processID != getpid(), processID > 0 else { return false }
        return kill(processID, 0) != 0 && errno == ESRCH
    }
}
