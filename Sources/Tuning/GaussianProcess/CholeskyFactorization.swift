import BLASThreads
import CLinearAlgebra
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// LAPACKE and CBLAS calls of the Gaussian process, on column-major Double matrices.
///
/// Each runs on one OpenBLAS thread, held through `BLASThreads` (the lock the tensor core shares):
/// OpenBLAS rounds differently on two threads, and a resumed search must make exactly the suggestions
/// the uninterrupted one made, whatever a concurrent training set the count to. One thread is also the
/// fastest for these small matrices.
///
/// Column-major everywhere because LAPACKE transposes row-major inputs into a temporary copy; for a
/// symmetric matrix the two layouts hold the same numbers, so nothing is lost.
enum CholeskyFactorization {
    /// Jitters tried in turn, relative to the mean of the diagonal: none first, then 1e-8 growing
    /// tenfold to 1e-3. Beyond that the model would be a different model, not a regularized one.
    static let relativeJitters: [Double] = [0, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3]

    /// Fills `factor` with a symmetric `order`×`order` matrix through `fill` (only the lower triangle
    /// is read) and replaces it with its lower Cholesky factor, refilling it and adding growing jitter
    /// to the diagonal until LAPACK's `dpotrf` succeeds. Returns the absolute jitter added (0 when none
    /// was needed). Refilling instead of keeping a copy halves the memory of large factorizations; it
    /// only costs anything on the rare retries.
    ///
    /// Throws `GaussianProcessError.notPositiveDefinite` when even the largest jitter fails.
    static func factorize(
        order: Int, into factor: UnsafeMutablePointer<Double>, fill: (UnsafeMutablePointer<Double>) -> Void
    ) throws(GaussianProcessError) -> Double {
        let n = order
        var diagonalMean = 0.0
        var lastJitter = 0.0
        for relative in relativeJitters {
            fill(factor)
            if relative == 0 {
                for i in 0..<n { diagonalMean += factor[i * n + i] }
                diagonalMean = Swift.max(diagonalMean / Double(Swift.max(n, 1)), Double.leastNormalMagnitude)
            }
            let jitter = relative * diagonalMean
            lastJitter = jitter
            if jitter > 0 { for i in 0..<n { factor[i * n + i] += jitter } }
            let info = BLASThreads.withThreadCount(1) { LAPACKE_dpotrf(LAPACK_COL_MAJOR, lowerTriangle, Int32(n), factor, Int32(n)) }
            if info == 0 { return jitter }
            if info < 0 { throw .lapackFailure(routine: "dpotrf", info: Int(info)) }
        }
        throw .notPositiveDefinite(largestJitter: lastJitter)
    }

    /// `factorize(order:into:fill:)` for a matrix kept in `source` (copied before each attempt).
    static func factorize(
        _ source: UnsafePointer<Double>, into factor: UnsafeMutablePointer<Double>, order: Int
    ) throws(GaussianProcessError) -> Double {
        try factorize(order: order, into: factor) { $0.update(from: source, count: order * order) }
    }

    /// Solves `L Lᵀ x = b` in place for one right-hand side, `factor` being `dpotrf`'s output.
    static func solve(
        factor: UnsafePointer<Double>, order: Int, rightHandSide: UnsafeMutablePointer<Double>
    ) throws(GaussianProcessError) {
        let info = BLASThreads.withThreadCount(1) {
            LAPACKE_dpotrs(LAPACK_COL_MAJOR, lowerTriangle, Int32(order), 1, factor, Int32(order), rightHandSide, Int32(order))
        }
        if info != 0 { throw .lapackFailure(routine: "dpotrs", info: Int(info)) }
    }

    /// Replaces the lower triangle of `factor` (a `dpotrf` output) with that of the inverse matrix.
    static func invert(factor: UnsafeMutablePointer<Double>, order: Int) throws(GaussianProcessError) {
        let info = BLASThreads.withThreadCount(1) { LAPACKE_dpotri(LAPACK_COL_MAJOR, lowerTriangle, Int32(order), factor, Int32(order)) }
        if info != 0 { throw .lapackFailure(routine: "dpotri", info: Int(info)) }
    }

    /// `Σ log L_ii`, half the log determinant of the factored matrix.
    static func halfLogDeterminant(factor: UnsafePointer<Double>, order: Int) -> Double {
        var sum = 0.0
        for i in 0..<order { sum += log(factor[i * order + i]) }
        return sum
    }

    /// Overwrites the `order`×`columns` column-major `matrix` with `L⁻¹ · matrix` (triangular solve).
    static func solveLower(
        factor: UnsafePointer<Double>, order: Int, matrix: UnsafeMutablePointer<Double>, columns: Int
    ) {
        BLASThreads.withThreadCount(1) {
            cblas_dtrsm(
                CblasColMajor, CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit,
                blasint(order), blasint(columns), 1.0, factor, blasint(order), matrix, blasint(order))
        }
    }

    /// `result = matrixᵀ · vector` for an `rows`×`columns` column-major matrix.
    static func transposedProduct(
        matrix: UnsafePointer<Double>, rows: Int, columns: Int, vector: UnsafePointer<Double>,
        result: UnsafeMutablePointer<Double>
    ) {
        BLASThreads.withThreadCount(1) {
            cblas_dgemv(
                CblasColMajor, CblasTrans, blasint(rows), blasint(columns), 1.0, matrix, blasint(rows),
                vector, 1, 0.0, result, 1)
        }
    }

    private static let lowerTriangle = CChar(UInt8(ascii: "L"))
}

/// A lower Cholesky factor `L` with `L Lᵀ = A + jitter·I`, computed with the Gaussian process's jitter
/// policy: no jitter first, then 1e-8 to 1e-3 times the mean diagonal, growing tenfold.
///
/// Public so the policy can be checked (and reused) on matrices a kernel cannot produce; the Gaussian
/// process itself works on LAPACK's column-major buffers directly.
public struct CholeskyFactor: Sendable, Hashable {
    /// The number of rows and columns.
    public let order: Int
    /// `L`, row-major, zeros above the diagonal.
    public let lower: [Double]
    /// The jitter that had to be added to the diagonal (0 when none was needed).
    public let jitter: Double

    /// Factors the symmetric `order`×`order` matrix `symmetric` (row-major; only the lower triangle
    /// is read).
    ///
    /// Throws `GaussianProcessError.dimensionMismatch` when `symmetric` does not have `order²` entries,
    /// `.nonFiniteValue` for NaN or infinite entries, and `.notPositiveDefinite` when even the largest
    /// jitter leaves the matrix indefinite.
    public init(symmetric: [Double], order: Int) throws(GaussianProcessError) {
        guard order >= 1, symmetric.count == order * order else {
            throw .dimensionMismatch(expected: order * order, found: symmetric.count, context: "the matrix to factor")
        }
        guard symmetric.allSatisfy(\.isFinite) else { throw .nonFiniteValue(context: "an entry of the matrix to factor") }
        // A symmetric row-major matrix is its own column-major transpose: pass it as is.
        var factor = [Double](repeating: 0, count: order * order)
        var jitter = 0.0
        try symmetric.withUnsafeBufferPointer { (source) throws(GaussianProcessError) in
            try factor.withUnsafeMutableBufferPointer { (destination) throws(GaussianProcessError) in
                guard let sourceBase = source.baseAddress, let destinationBase = destination.baseAddress else { return }
                jitter = try CholeskyFactorization.factorize(sourceBase, into: destinationBase, order: order)
            }
        }
        var lower = [Double](repeating: 0, count: order * order)
        for i in 0..<order {
            for j in 0...i { lower[i * order + j] = factor[j * order + i] }
        }
        self.order = order
        self.lower = lower
        self.jitter = jitter
    }
}
