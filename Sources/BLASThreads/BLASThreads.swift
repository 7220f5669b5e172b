import CLinearAlgebra
import Foundation

/// OpenBLAS's process-wide thread count, and the one lock that holds it steady.
///
/// OpenBLAS's results depend on its thread count (a product split over two threads rounds differently
/// from one on a single thread), and the count is one setting for the whole process. So every
/// computation that must give the same numbers twice — a seeded training run, a Gaussian process whose
/// suggestions a resumed search must repeat — runs inside `withThreadCount`, and they all share this one
/// lock: the tensor core (`Neural`'s `BLAS`) and the Gaussian process (`Tuning`) alike.
public enum BLASThreads {
    /// The number of threads OpenBLAS uses for one product.
    public static var count: Int { Int(openblas_get_num_threads()) }

    /// Sets the number of threads OpenBLAS uses (process-wide; values below 1 are 1). Prefer
    /// `withThreadCount` anywhere results must repeat.
    public static func setCount(_ count: Int) {
        openblas_set_num_threads(Int32(Swift.max(1, count)))
    }

    /// Runs `body` with OpenBLAS on `count` threads, held for the whole run: callers asking for the same
    /// count run at the same time, one asking for another waits until they are done, and the count
    /// before the first is set back after the last. A nested call on a thread that holds a count already
    /// runs at that count (waiting would wait for itself).
    public static func withThreadCount<T>(_ count: Int, _ body: () throws -> T) rethrows -> T {
        let count = Swift.max(1, count)
        let thread = Thread.current.threadDictionary
        if thread[heldByThisThreadKey] != nil { return try body() }
        thread[heldByThisThreadKey] = true
        defer { thread.removeObject(forKey: heldByThisThreadKey) }
        hold.lock()
        while let held, held.count != count { hold.wait() }
        if let held {
            self.held = (count, held.holders + 1, held.previous)
        } else {
            held = (count, 1, self.count)
            setCount(count)
        }
        hold.unlock()
        defer {
            hold.lock()
            if let current = held {
                if current.holders == 1 {
                    setCount(current.previous)
                    held = nil
                    hold.broadcast()
                } else {
                    held = (current.count, current.holders - 1, current.previous)
                }
            }
            hold.unlock()
        }
        return try body()
    }

    /// Marks, in a thread's dictionary, that the thread holds the count.
    private static let heldByThisThreadKey = "BLASThreads.held"
    /// Guards `held`.
    private static let hold = NSCondition()
    /// The count `withThreadCount` holds, how many callers hold it, and the count before them.
    nonisolated(unsafe) private static var held: (count: Int, holders: Int, previous: Int)?
}
