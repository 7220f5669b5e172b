import Foundation
import Testing
import Tuning

@Suite struct MaternKernelTests {
    @Test func valuesMatchTheClosedForm() throws {
        let kernel = try MaternKernel(amplitude: 2, lengthScales: [0.5, 2])
        #expect(kernel([0.3, 0.7], [0.3, 0.7]) == 2)
        // r = sqrt((0.5/0.5)^2 + 0/2) = 1: (1 + √5 + 5/3) e^{-√5}.
        let atOne = (1 + 5.0.squareRoot() + 5.0 / 3) * exp(-5.0.squareRoot())
        #expect(abs(kernel([0, 0], [0.5, 0]) - 2 * atOne) < 1e-14)
        #expect(abs(atOne - 0.5239941088318203) < 1e-12)
        // ARD: the same offset along the long length scale correlates more.
        #expect(kernel([0, 0], [0, 0.5]) > kernel([0, 0], [0.5, 0]))
        #expect(abs(kernel([0.1, 0.9], [0.4, 0.2]) - kernel([0.4, 0.2], [0.1, 0.9])) < 1e-15)
    }

    @Test func invalidHyperparametersAreRejected() {
        #expect(throws: GaussianProcessError.self) { try MaternKernel(amplitude: 0, lengthScales: [1]) }
        #expect(throws: GaussianProcessError.self) { try MaternKernel(amplitude: 1, lengthScales: [1, -1]) }
        #expect(throws: GaussianProcessError.self) { try MaternKernel(amplitude: 1, lengthScales: []) }
        #expect(throws: GaussianProcessError.self) { try MaternKernel(amplitude: .nan, lengthScales: [1]) }
    }

    /// The analytic gradient of the log marginal likelihood against central differences in log space.
    @Test func logMarginalLikelihoodGradientMatchesFiniteDifferences() throws {
        var inputs: [[Double]] = []
        var targets: [Double] = []
        for i in 0..<14 {
            let x = [Double(i) * 0.37.truncatingRemainder(dividingBy: 1), Double((i * 7) % 11) / 11, Double(i) / 14]
            inputs.append(x.map { $0.truncatingRemainder(dividingBy: 1) })
            targets.append(sin(6 * x[0]) + x[1] * x[1] - 0.5 * x[2])
        }
        let theta = [log(1.3), log(0.4), log(0.9), log(2.5), log(0.01)]
        func hyperparameters(_ theta: [Double]) throws -> GaussianProcess.Hyperparameters {
            try GaussianProcess.Hyperparameters(
                kernel: MaternKernel(amplitude: exp(theta[0]), lengthScales: [exp(theta[1]), exp(theta[2]), exp(theta[3])]),
                noiseVariance: exp(theta[4]))
        }
        try LikelihoodGradientCheck.expectMatchesCentralDifferences(
            inputs: inputs, targets: targets, theta: theta, hyperparameters: hyperparameters)
    }

    /// The log marginal likelihood against a direct evaluation with an explicit inverse (2 points).
    @Test func logMarginalLikelihoodMatchesTheTwoPointFormula() throws {
        let kernel = try MaternKernel(amplitude: 0.8, lengthScales: [0.3])
        let hyper = try GaussianProcess.Hyperparameters(kernel: kernel, noiseVariance: 0.05)
        let result = try GaussianProcess.logMarginalLikelihood(inputs: [[0.2], [0.5]], targets: [1, 3], hyperparameters: hyper)
        // Standardized targets are -1 and 1.
        let a = 0.85, b = kernel([0.2], [0.5])
        let determinant = a * a - b * b
        let quadratic = (a * 1 + a * 1 + 2 * b) / determinant // yᵀK⁻¹y with y = (-1, 1)
        let expected = -0.5 * quadratic - 0.5 * log(determinant) - log(2 * Double.pi)
        #expect(abs(result.value - expected) < 1e-12)
    }
}
