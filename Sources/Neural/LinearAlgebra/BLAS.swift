import CLinearAlgebra
import Foundation

/// Settings of the BLAS library behind matrix products.
public enum BLAS {
    /// The number of threads OpenBLAS uses for one product. Parallel trials each run with one thread;
    /// never set more threads than cores. Values below 1 are treated as 1.
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
    }

    /// Sets the number of threads OpenBLAS uses (process-wide).
    public static func setThreadCount(_ count: Int) {
        openblas_set_num_threads(Int32(Swift.max(1, count)))
    }

    /// Runs `body` with OpenBLAS on `count` threads, held for the whole run: callers asking for the same
    /// count run at the same time, one asking for another waits until they are done, and the count
    /// before the first is set back after the last. OpenBLAS's results depend on its thread count, so
    /// whatever must give the same numbers twice (a seeded search) runs inside this. Not for a nested
    /// call with another count on the same thread (it would wait for itself).
    public static func withThreadCount<T>(_ count: Int, _ body: () throws -> T) rethrows -> T {
        let count = Swift.max(1, count)
        threadCountHold.lock()
        while let held = threadCountHeld, held.count != count { threadCountHold.wait() }
        if let held = threadCountHeld {
            threadCountHeld = (count, held.holders + 1, held.previous)
        } else {
            threadCountHeld = (count, 1, threadCount)
            setThreadCount(count)
        }
        threadCountHold.unlock()
        defer {
            threadCountHold.lock()
            if let held = threadCountHeld {
                if held.holders == 1 {
                    setThreadCount(held.previous)
                    threadCountHeld = nil
                    threadCountHold.broadcast()
                } else {
                    threadCountHeld = (held.count, held.holders - 1, held.previous)
                }
            }
            threadCountHold.unlock()
        }
        return try body()
    }

    /// Guards `threadCountHeld`.
    private static let threadCountHold = NSCondition()
    /// The count `withThreadCount` holds, how many callers hold it, and the count before them.
    nonisolated(unsafe) private static var threadCountHeld: (count: Int, holders: Int, previous: Int)?
}
