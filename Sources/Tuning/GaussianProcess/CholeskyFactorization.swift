import CLinearAlgebra
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// LAPACKE and CBLAS calls of the Gaussian process, on column-major Double matrices.
///
/// Column-major everywhere because LAPACKE transposes row-major inputs into a temporary copy; for a
/// symmetric matrix the two layouts hold the same numbers, so nothing is lost.
enum CholeskyFactorization {
    /// Jitters tried in turn, relative to the mean of the diagonal: none first, then 1e-8 growing
    /// tenfold to 1e-3. Beyond that the model would be a different model, not a regularized one.
    static let relativeJitters: [Double] = [0, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3]

    /// Copies the `order`×`order` symmetric `source` (lower triangle read) into `factor` and replaces it
    /// with its lower Cholesky factor, adding growing jitter to the diagonal until LAPACK's `dpotrf`
    /// succeeds. Returns the absolute jitter added (0 when none was needed).
    ///
    /// Throws `GaussianProcessError.notPositiveDefinite` when even the largest jitter fails.
    static func factorize(
        _ source: UnsafePointer<Double>, into factor: UnsafeMutablePointer<Double>, order: Int
    ) throws(GaussianProcessError) -> Double {
        let n = order
        var diagonalMean = 0.0
        for i in 0..<n { diagonalMean += source[i * n + i] }
        diagonalMean = Swift.max(diagonalMean / Double(Swift.max(n, 1)), Double.leastNormalMagnitude)
        var lastJitter = 0.0
        for relative in relativeJitters {
            let jitter = relative * diagonalMean
            lastJitter = jitter
            factor.update(from: source, count: n * n)
            if jitter > 0 { for i in 0..<n { factor[i * n + i] += jitter } }
            let info = LAPACKE_dpotrf(LAPACK_COL_MAJOR, lowerTriangle, Int32(n), factor, Int32(n))
            if info == 0 { return jitter }
            if info < 0 { throw .lapackFailure(routine: "dpotrf", info: Int(info)) }
        }
        throw .notPositiveDefinite(largestJitter: lastJitter)
    }

    /// Solves `L Lᵀ x = b` in place for one right-hand side, `factor` being `dpotrf`'s output.
    static func solve(
        factor: UnsafePointer<Double>, order: Int, rightHandSide: UnsafeMutablePointer<Double>
    ) throws(GaussianProcessError) {
        let info = LAPACKE_dpotrs(
            LAPACK_COL_MAJOR, lowerTriangle, Int32(order), 1, factor, Int32(order),
            rightHandSide, Int32(order))
        if info != 0 { throw .lapackFailure(routine: "dpotrs", info: Int(info)) }
    }

    /// Replaces the lower triangle of `factor` (a `dpotrf` output) with that of the inverse matrix.
    static func invert(factor: UnsafeMutablePointer<Double>, order: Int) throws(GaussianProcessError) {
        let info = LAPACKE_dpotri(LAPACK_COL_MAJOR, lowerTriangle, Int32(order), factor, Int32(order))
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
        cblas_dtrsm(
            CblasColMajor, CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit,
            blasint(order), blasint(columns), 1.0, factor, blasint(order), matrix, blasint(order))
    }

    /// `result = matrixᵀ · vector` for an `rows`×`columns` column-major matrix.
    static func transposedProduct(
        matrix: UnsafePointer<Double>, rows: Int, columns: Int, vector: UnsafePointer<Double>,
        result: UnsafeMutablePointer<Double>
    ) {
        cblas_dgemv(
            CblasColMajor, CblasTrans, blasint(rows), blasint(columns), 1.0, matrix, blasint(rows),
            vector, 1, 0.0, result, 1)
    }

    private static let lowerTriangle = CChar(UInt8(ascii: "L"))
}
