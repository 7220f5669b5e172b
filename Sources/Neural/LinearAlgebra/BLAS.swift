import BLASThreads
import Foundation

/// Settings of the BLAS library behind matrix products.
public enum BLAS {
    /// The number of threads OpenBLAS uses for one product. Parallel trials each run with one thread;
    /// never set more threads than cores. Values below 1 are treated as 1.
    public static var threadCount: Int { BLASThreads.count }

    /// Sets the number of threads OpenBLAS uses (process-wide).
    public static func setThreadCount(_ count: Int) {
        BLASThreads.setCount(count)
    }

    /// Runs `body` with OpenBLAS on `count` threads, held for the whole run (`BLASThreads.withThreadCount`,
    /// the lock the Gaussian process shares): callers asking for the same count run at the same time, one
    /// asking for another waits until they are done, and the count before the first is set back after
    /// the last. OpenBLAS's results depend on its thread count, so whatever must give the same numbers
    /// twice (a seeded search) runs inside this. Not for a nested call with another count on the same
    /// thread (it would wait for itself).
    public static func withThreadCount<T>(_ count: Int, _ body: () throws -> T) rethrows -> T {
        try BLASThreads.withThreadCount(count, body)
    }
}
