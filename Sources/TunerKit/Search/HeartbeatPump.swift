import Foundation
import StudyStore
import Synchronization

/// Sends the heartbeats of this process's running trials from a background thread with its own store
/// connection, so a long epoch never looks like a dead worker; marks a trial lost when the store says
/// another worker took it over.
final class HeartbeatPump: Sendable {
    private struct Entry: Sendable {
        var worker: String
        var lost: Bool
    }

    private let storagePath: String
    private let interval: Double
    private let busyTimeout: Double
    private let responseTimeout: Double?
    private let entries = Mutex<[Int64: Entry]>([:])
    private let stopped = Mutex(false)
    private let finished = DispatchSemaphore(value: 0)

    init(storagePath: String, interval: Double, busyTimeout: Double, responseTimeout: Double?) {
        self.storagePath = storagePath
        self.interval = interval
        self.busyTimeout = busyTimeout
        self.responseTimeout = responseTimeout
    }

    /// Starts the background thread.
    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "tuner-heartbeat"
        thread.start()
    }

    /// Stops the thread and waits for it.
    func stop() {
        stopped.withLock { $0 = true }
        finished.wait()
    }

    func register(trial id: Int64, worker: String) {
        entries.withLock { $0[id] = Entry(worker: worker, lost: false) }
    }

    func unregister(trial id: Int64) {
        _ = entries.withLock { $0.removeValue(forKey: id) }
    }

    /// Whether the store said the trial no longer belongs to its worker.
    func isLost(trial id: Int64) -> Bool {
        entries.withLock { $0[id]?.lost ?? false }
    }

    private func run() {
        defer { finished.signal() }
        // Opened again at each beat until it opens: a lock held at the start must not silence the heartbeats.
        var store = try? openStudyStorage(storagePath, busyTimeout: busyTimeout, responseTimeout: responseTimeout)
        var next = Date().addingTimeInterval(interval)
        while !stopped.withLock({ $0 }) {
            Thread.sleep(forTimeInterval: min(0.05, interval / 4))
            guard Date() >= next else { continue }
            next = Date().addingTimeInterval(interval)
            if store == nil { store = try? openStudyStorage(storagePath, busyTimeout: busyTimeout, responseTimeout: responseTimeout) }
            guard let store else { continue }
            for (id, entry) in entries.withLock({ $0 }) where !entry.lost {
                do {
                    try store.heartbeat(trial: id, worker: entry.worker)
                } catch StoreError.trialNotRunning, StoreError.trialOwnedByAnotherWorker {
                    entries.withLock { $0[id]?.lost = true }
                } catch {
                    // A busy database delays one heartbeat; the next try comes after `interval`.
                }
            }
        }
    }
}
