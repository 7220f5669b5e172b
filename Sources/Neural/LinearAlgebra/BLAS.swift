import CLinearAlgebra

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
}
