import Foundation
import Testing
import Tuning

// Reference computations the Gaussian-process tests check the fast paths against.

/// The textbook Gaussian-process posterior, computed directly (a Gauss-Jordan inverse of the covariance,
/// the kernel evaluated pair by pair) as the reference the batched LAPACK/BLAS predictions are checked
/// against: targets standardized as `GaussianProcess` does, `noise` added on the diagonal.
enum DirectPosterior {
    /// The posterior mean and variance at each of `queries`, in the targets' units.
    static func predict(kernel: MaternKernel, noise: Double, inputs: [[Double]], targets: [Double],
                        queries: [[Double]]) -> [(mean: Double, variance: Double)] {
        let n = inputs.count
        let mean = targets.reduce(0, +) / Double(n)
        let scale = (targets.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)).squareRoot()
        let y = targets.map { ($0 - mean) / scale }
        var k = (0..<n).map { i in (0..<n).map { j in kernel(inputs[i], inputs[j]) + (i == j ? noise : 0) } }
        var inverse = (0..<n).map { i in (0..<n).map { j in i == j ? 1.0 : 0.0 } }
        for column in 0..<n {
            let pivot = k[column][column]
            for j in 0..<n { k[column][j] /= pivot; inverse[column][j] /= pivot }
            for row in 0..<n where row != column {
                let factor = k[row][column]
                for j in 0..<n { k[row][j] -= factor * k[column][j]; inverse[row][j] -= factor * inverse[column][j] }
            }
        }
        return queries.map { query in
            let cross = inputs.map { kernel($0, query) }
            var standardizedMean = 0.0, explained = 0.0
            for i in 0..<n {
                for j in 0..<n {
                    standardizedMean += cross[i] * inverse[i][j] * y[j]
                    explained += cross[i] * inverse[i][j] * cross[j]
                }
            }
            return (mean + scale * standardizedMean, scale * scale * (kernel.variance - explained))
        }
    }
}

/// The analytic gradient of `GaussianProcess.logMarginalLikelihood` against central differences of
/// its value in log-parameter space, at `theta` (`hyperparameters` maps it to the process's settings).
enum LikelihoodGradientCheck {
    /// Records an issue for each coordinate of `theta` whose analytic derivative is more than 1e-6
    /// (relative, plus 1e-6 absolute) from the central difference with step 1e-5.
    static func expectMatchesCentralDifferences(
        inputs: [[Double]], targets: [Double], theta: [Double],
        hyperparameters: ([Double]) throws -> GaussianProcess.Hyperparameters,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let analytic = try GaussianProcess.logMarginalLikelihood(
            inputs: inputs, targets: targets, hyperparameters: hyperparameters(theta))
        #expect(analytic.gradient.count == theta.count, sourceLocation: sourceLocation)
        let h = 1e-5
        for i in 0..<theta.count {
            var plus = theta, minus = theta
            plus[i] += h
            minus[i] -= h
            let numeric = try (
                GaussianProcess.logMarginalLikelihood(inputs: inputs, targets: targets, hyperparameters: hyperparameters(plus)).value
                    - GaussianProcess.logMarginalLikelihood(inputs: inputs, targets: targets, hyperparameters: hyperparameters(minus)).value
            ) / (2 * h)
            #expect(abs(analytic.gradient[i] - numeric) <= 1e-6 * (1 + abs(numeric)), "parameter \(i) at \(theta)",
                    sourceLocation: sourceLocation)
        }
    }
}
