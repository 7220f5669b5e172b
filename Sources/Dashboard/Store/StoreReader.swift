import Dispatch
import Foundation
import StudyStore
import Synchronization

/// The server's way to the store: a few connections, each confined to a serial dispatch queue of its own,
/// so the storage's blocking calls never run on an event loop or hold up Swift's cooperative threads.
/// Every call goes through `read` and only reads (`read { }`, `snapshot`, `changes`): the dashboard never
/// writes, so it can never hold the write lock a worker waits for.
///
/// A connection is opened on its first use and dropped after a failure of the storage itself (a server
/// gone, a file that cannot be opened), so the next request opens a new one: a storage that comes back
/// is used again without restarting the dashboard.
final class StoreReader: Sendable {
    /// The storage string (for opening; never shown: it may hold a password).
    private let storage: String
    /// The storage as it may be shown (a connection string without its password).
    let displayedLocation: String
    private let connections: [ReaderConnection]
    private let next = Mutex(0)

    /// Readers of `storage` over `count` connections (at least one).
    init(storage: String, count: Int) {
        self.storage = storage
        displayedLocation = displayedStorageLocation(storage)
        connections = (0..<max(1, count)).map { ReaderConnection(storage: storage, index: $0) }
    }

    /// Runs `body` on the next connection's queue and returns its result.
    ///
    /// - Throws: `DashboardProblem.storageMissing` when an SQLite file does not exist (it is never
    ///   created); the `StoreError` of opening the storage; whatever `body` throws.
    func read<T: Sendable>(_ body: @escaping @Sendable (any StudyStorage) throws -> T) async throws -> T {
        let index = next.withLock { value in
            defer { value = (value + 1) % connections.count }
            return value
        }
        return try await connections[index].run(body)
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

    func run<T: Sendable>(_ body: @escaping @Sendable (any StudyStorage) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try self.perform(body) })
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
