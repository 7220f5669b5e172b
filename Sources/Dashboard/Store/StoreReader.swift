import Dispatch
import Foundation
import StudyStore
import Synchronization

/// The server's way to the store: a few connections, each confined to a serial dispatch queue of its own,
/// so the storage's blocking calls never run on an event loop or hold up Swift's cooperative threads.
/// Pages and live streams go through `read` and only read (`read { }`, `snapshot`, `changes`), so they
/// never hold the write lock a worker waits for; the steering forms' changes go through `write`, each one
/// short transaction of a few rows, never while a page renders.
///
/// A connection is opened on its first use and dropped after a failure of the storage itself (a server
/// gone, a file that cannot be opened), so the next request opens a new one: a storage that comes back
/// is used again without restarting the dashboard. A read that does not answer within `timeout` (a
/// PostgreSQL connection the server ended can leave a call waiting forever) fails with a 503 page, and its
/// connection is replaced by a new one with a queue of its own; the waiting thread is left behind.
final class StoreReader: Sendable {
    /// The storage string (for opening; never shown: it may hold a password).
    private let storage: String
    /// The storage as it may be shown (a connection string without its password).
    let displayedLocation: String
    /// How long one read may take.
    let timeout: Duration
    private let state: Mutex<(connections: [ReaderConnection], next: Int, made: Int)>

    /// Readers of `storage` over `count` connections (at least one), each read given `timeout`.
    init(storage: String, count: Int, timeout: Duration = .seconds(30)) {
        self.storage = storage
        self.timeout = timeout
        displayedLocation = displayedStorageLocation(storage)
        let connections = (0..<max(1, count)).map { ReaderConnection(storage: storage, index: $0) }
        state = Mutex((connections, 0, connections.count))
    }

    /// Runs `body` on the next connection's queue and returns its result.
    ///
    /// - Throws: `DashboardProblem.storageMissing` when an SQLite file does not exist (it is never
    ///   created); a 503 `DashboardProblem` when the read took longer than `timeout`; the `StoreError` of
    ///   opening the storage; whatever `body` throws.
    func read<T: Sendable>(_ body: @escaping @Sendable (any StudyStorage) throws -> T) async throws -> T {
        let (index, connection) = state.withLock { state in
            defer { state.next = (state.next + 1) % state.connections.count }
            return (state.next, state.connections[state.next])
        }
        do {
            return try await connection.run(body, timeout: timeout)
        } catch is ReadTimedOut {
            let storage = self.storage
            state.withLock { state in
                // Replaced once, by the first read that found it stuck.
                guard state.connections[index] === connection else { return }
                state.connections[index] = ReaderConnection(storage: storage, index: state.made)
                state.made += 1
            }
            throw DashboardProblem(
                status: .serviceUnavailable, title: "The study storage does not answer",
                detail: "\(displayedLocation) did not answer within \(timeout.seconds) s. The dashboard opens a new connection "
                    + "for the next request; check that the storage is reachable.")
        }
    }
}

extension StoreReader {
    /// Runs `body` in one write transaction of the next connection (`StudyStorage.write`) and returns its
    /// result: a steering form's change, a few rows, committed before any page is rendered from it.
    ///
    /// - Throws: as `read`, and whatever the transaction throws (it is rolled back).
    func write<T: Sendable>(_ body: @escaping @Sendable (any StudyStorage) throws -> T) async throws -> T {
        try await read { store in try store.write { store in try body(store) } }
    }
}

/// A read that took longer than its timeout.
private struct ReadTimedOut: Error {}

extension Duration {
    /// Whole seconds, for messages.
    var seconds: Int64 { components.seconds }
}

/// Resumes a continuation once: by the read, or by its timeout, whichever comes first.
private final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?

    init(_ continuation: CheckedContinuation<T, any Error>) { self.continuation = continuation }

    func resume(with result: Result<T, any Error>) {
        lock.lock()
        let pending = continuation
        continuation = nil
        lock.unlock()
        pending?.resume(with: result)
    }
}

/// One connection and the serial queue it lives on. Its mutable state is only touched on that queue.
private final class ReaderConnection: @unchecked Sendable {
    private let storage: String
    private let queue: DispatchQueue
    /// The open connection, if any (touched on `queue` only).
    private var store: (any StudyStorage)?

    init(storage: String, index: Int) {
        self.storage = storage
        queue = DispatchQueue(label: "tuner.dashboard.reader-\(index)")
    }

    /// Runs `body` on the queue; throws `ReadTimedOut` when it has not finished after `timeout`.
    func run<T: Sendable>(_ body: @escaping @Sendable (any StudyStorage) throws -> T, timeout: Duration) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let once = ResumeOnce(continuation)
            queue.async { once.resume(with: Result { try self.perform(body) }) }
            let (seconds, attoseconds) = timeout.components
            let nanoseconds = Int(clamping: seconds) &* 1_000_000_000 &+ Int(attoseconds / 1_000_000_000)
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(max(0, nanoseconds))) {
                once.resume(with: .failure(ReadTimedOut()))
            }
        }
    }

    /// On `queue`: opens the connection when needed and runs `body` on it, dropping the connection when
    /// the storage itself failed.
    private func perform<T>(_ body: (any StudyStorage) throws -> T) throws -> T {
        let current: any StudyStorage
        if let store {
            current = store
        } else {
            current = try open()
            store = current
        }
        do {
            return try body(current)
        } catch let error as StoreError where error.meansTheConnectionMayBeBroken {
            store = nil
            throw error
        }
    }

    private func open() throws -> any StudyStorage {
        if !PostgresLocation.isConnectionString(storage) {
            // openStudyStorage would create a missing file: a dashboard must not.
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: storage, isDirectory: &isFolder) else {
                throw DashboardProblem.storageMissing(storage)
            }
            guard !isFolder.boolValue else { throw DashboardProblem.storageIsAFolder(storage) }
        }
        return try openStudyStorage(storage)
    }
}

extension StoreError {
    /// Whether the failure may come from the connection rather than from what was asked (a missing study,
    /// damaged data, a bad argument): then the next request opens a new connection.
    var meansTheConnectionMayBeBroken: Bool {
        switch self {
        case .studyNotFound, .studyExists, .trialNotFound, .trialNotRunning, .trialOwnedByAnotherWorker, .invalidArgument,
             .damagedData, .constraintViolation:
            return false
        default:
            // The storage's own failures (.cannotOpen, .server, .locked, ...), and any kind added later.
            return true
        }
    }
}
