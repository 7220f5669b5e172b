import Foundation

/// Runs `body` on a new thread and waits for its result without blocking a cooperative thread.
///
/// Swift's cooperative pool has one thread per core (two on the project's machines): a test that
/// waits on processes or trains for seconds on one of them starves every in-process server the other
/// tests run meanwhile.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
