import Testing
import Tuning

/// The jitter policy of the LAPACK factorization, on matrices a kernel cannot produce.
@Suite struct CholeskyFactorizationTests {
    @Test func indefiniteMatrixFailsWithATypedErrorAfterTheLargestJitter() {
        // Eigenvalues 3 and -1: no jitter up to 1e-3 of the diagonal makes it positive definite.
        #expect(throws: GaussianProcessError.notPositiveDefinite(largestJitter: 1e-3)) {
            try CholeskyFactor(symmetric: [1, 2, 2, 1], order: 2)
        }
        #expect(throws: GaussianProcessError.self) { try CholeskyFactor(symmetric: [1, 2, 2], order: 2) }
    }

    @Test func semidefiniteMatrixGetsTheSmallestSufficientJitter() throws {
        // Rank one (all ones): singular, rescued by the first positive jitter.
        let factor = try CholeskyFactor(symmetric: [Double](repeating: 1, count: 9), order: 3)
        #expect(factor.jitter > 0 && factor.jitter <= 1e-7)
        // L Lᵀ reproduces the jittered matrix.
        for i in 0..<3 {
            for j in 0...i {
                var product = 0.0
                for k in 0...j { product += factor.lower[i * 3 + k] * factor.lower[j * 3 + k] }
                #expect(abs(product - (1 + (i == j ? factor.jitter : 0))) < 1e-12)
            }
        }
    }

    @Test func positiveDefiniteMatrixNeedsNoJitter() throws {
        let factor = try CholeskyFactor(symmetric: [4, 2, 2, 3], order: 2)
        #expect(factor.jitter == 0)
        #expect(factor.lower == [2, 0, 1, 2.0.squareRoot()])
    }
}
