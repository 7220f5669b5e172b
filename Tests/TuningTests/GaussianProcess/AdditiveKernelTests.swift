import Foundation
import Testing
import Tuning

/// The kernel's additive component (`MaternKernel.additiveAmplitude`): its value, the likelihood's
/// gradient, every prediction path, the fit, and decoding of states saved before it existed.
@Suite struct AdditiveKernelTests {
    static func matern(_ r: Double) -> Double {
        let s = 5.0.squareRoot() * r
        return (1 + s + s * s / 3) * exp(-s)
    }

    @Test func valueIsTheProductPlusTheMeanOfOneDimensionalTerms() throws {
        let kernel = try MaternKernel(amplitude: 2, lengthScales: [0.5, 0.25], additiveAmplitude: 0.6)
        #expect(abs(kernel([0.3, 0.7], [0.3, 0.7]) - 2.6) < 1e-15)
        #expect(kernel.variance == 2.6)
        let a = [0.1, 0.9], b = [0.4, 0.2]
        let product = 2 * Self.matern(((0.3 / 0.5) * (0.3 / 0.5) + (0.7 / 0.25) * (0.7 / 0.25)).squareRoot())
        let additive = 0.6 * (Self.matern(0.3 / 0.5) + Self.matern(0.7 / 0.25)) / 2
        #expect(abs(kernel(a, b) - (product + additive)) < 1e-14)
        // Points equal in one coordinate stay correlated through that coordinate's term however far
        // apart they are in the other: the product part alone has almost nothing left there.
        let plain = try MaternKernel(amplitude: 2, lengthScales: [0.5, 0.01])
        let far = try MaternKernel(amplitude: 2, lengthScales: [0.5, 0.01], additiveAmplitude: 0.6)
        #expect(plain([0.2, 0.0], [0.2, 1.0]) < 1e-40)
        #expect(abs(far([0.2, 0.0], [0.2, 1.0]) - 0.3) < 1e-12)
        #expect(throws: GaussianProcessError.self) { try MaternKernel(amplitude: 1, lengthScales: [1], additiveAmplitude: -1) }
        #expect(throws: GaussianProcessError.self) { try MaternKernel(amplitude: 1, lengthScales: [1], additiveAmplitude: .nan) }
    }

    static func data() -> (inputs: [[Double]], targets: [Double]) {
        var inputs: [[Double]] = []
        var targets: [Double] = []
        for i in 0..<15 {
            let x = [
                (Double(i) * 0.37).truncatingRemainder(dividingBy: 1), Double((i * 7) % 11) / 11,
                (Double(i) * 0.61 + 0.05).truncatingRemainder(dividingBy: 1),
            ]
            inputs.append(x)
            targets.append(sin(6 * x[0]) + x[1] * x[1] - 0.5 * x[2] + 0.3 * x[0] * x[2])
        }
        return (inputs, targets)
    }

    /// The analytic gradient of the log marginal likelihood, with the additive amplitude as the last
    /// coordinate, against central differences in log space.
    @Test func logMarginalLikelihoodGradientMatchesFiniteDifferences() throws {
        let (inputs, targets) = Self.data()
        func hyperparameters(_ theta: [Double]) throws -> GaussianProcess.Hyperparameters {
            try GaussianProcess.Hyperparameters(
                kernel: MaternKernel(
                    amplitude: exp(theta[0]), lengthScales: [exp(theta[1]), exp(theta[2]), exp(theta[3])],
                    additiveAmplitude: exp(theta[5])),
                noiseVariance: exp(theta[4]))
        }
        // A balanced mix, and one where a short length scale and a large additive part dominate.
        for theta in [
            [log(1.3), log(0.4), log(0.9), log(2.5), log(0.01), log(0.7)],
            [log(0.2), log(0.05), log(0.3), log(1.1), log(1e-3), log(3.0)],
        ] {
            try LikelihoodGradientCheck.expectMatchesCentralDifferences(
                inputs: inputs, targets: targets, theta: theta, hyperparameters: hyperparameters)
        }
    }

    /// Means and variances of the batched prediction (whose additive terms come from exponential
    /// tables, `AdditiveTerms`) against the textbook formulas with the kernel evaluated directly.
    @Test func predictionMatchesADirectComputation() throws {
        // The second kernel's tiny length scale is beyond the tables' range: the direct fallback.
        for lengthScales in [[0.3, 0.7], [0.3, 1e-4]] {
            let kernel = try MaternKernel(amplitude: 1.5, lengthScales: lengthScales, additiveAmplitude: 0.8)
            let hyper = try GaussianProcess.Hyperparameters(kernel: kernel, noiseVariance: 0.01)
            let inputs: [[Double]] = [[0.1, 0.2], [0.5, 0.9], [0.8, 0.3], [0.3, 0.6], [0.95, 0.05]]
            let targets: [Double] = [1, -2, 0.5, 3, 0.2]
            let process = try GaussianProcess(inputs: inputs, targets: targets, hyperparameters: hyper)
            let queries: [[Double]] = [[0.2, 0.2], [0.9, 0.9], [0.5, 0.5], [0.1, 0.95], [0.0, 1.0]]
            let prediction = try process.predict(queries)

            let expected = DirectPosterior.predict(kernel: kernel, noise: 0.01, inputs: inputs, targets: targets, queries: queries)
            for (q, reference) in expected.enumerated() {
                #expect(abs(prediction.mean[q] - reference.mean) < 1e-9, "query \(q), \(lengthScales)")
                #expect(abs(prediction.variance[q] - reference.variance) < 1e-9, "query \(q), \(lengthScales)")
            }
        }
    }

    static func separable(_ x: [Double]) -> Double {
        // Styblinski–Tang on [-5, 5]^d: a sum of one-coordinate terms with two basins each.
        x.reduce(0) { sum, u in
            let v = 10 * u - 5
            return sum + 0.5 * (v * v * v * v - 16 * v * v + 5 * v)
        }
    }

    /// On a separable function the (default) fit keeps the additive part (far above its lower bound
    /// of 1e-4; here about 0.11 beside a product amplitude of about 2, near the prior's median: a small
    /// share of the variance, but the only correlation left between points far apart in some
    /// coordinates) and explains the data better than the plain kernel.
    @Test func theFitKeepsTheAdditivePartOnASeparableFunction() throws {
        var random = TuningRandom(seed: 5)
        let inputs = (0..<40).map { _ in (0..<4).map { _ in random.nextDouble() } }
        let process = try GaussianProcess.fit(inputs: inputs, targets: inputs.map(Self.separable), seed: 3)
        let kernel = process.hyperparameters.kernel
        #expect(kernel.additiveAmplitude > 0.01)
        var plainOptions = GaussianProcess.FitOptions()
        plainOptions.additiveAmplitudePrior = nil
        let plain = try GaussianProcess.fit(inputs: inputs, targets: inputs.map(Self.separable), options: plainOptions, seed: 3)
        #expect(plain.hyperparameters.kernel.additiveAmplitude == 0)
        #expect(process.logMarginalLikelihood > plain.logMarginalLikelihood)
    }

    /// A warm start from a fit without the component serves a fit with it, and the other way round.
    @Test func warmStartsCrossTheOptionChange() throws {
        let (inputs, targets) = Self.data()
        var plainOptions = GaussianProcess.FitOptions()
        plainOptions.additiveAmplitudePrior = nil
        let plain = try GaussianProcess.fit(inputs: inputs, targets: targets, options: plainOptions, seed: 1)
        #expect(plain.hyperparameters.kernel.additiveAmplitude == 0)
        let additive = try GaussianProcess.fit(inputs: inputs, targets: targets, seed: 1, warmStart: plain.hyperparameters)
        #expect(additive.hyperparameters.kernel.additiveAmplitude > 0)
        let back = try GaussianProcess.fit(
            inputs: inputs, targets: targets, options: plainOptions, seed: 1, warmStart: additive.hyperparameters)
        #expect(back.hyperparameters.kernel.additiveAmplitude == 0)
    }

    /// Kernels and fit options saved before the component existed decode without it (so a saved search
    /// resumes as it would have); a kernel without it encodes as before.
    @Test func statesSavedBeforeTheComponentDecode() throws {
        let old = #"{"amplitude":1.5,"lengthScales":[0.25,2]}"#
        let kernel = try JSONDecoder().decode(MaternKernel.self, from: Data(old.utf8))
        #expect(kernel == (try MaternKernel(amplitude: 1.5, lengthScales: [0.25, 2])))
        let encoded = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(kernel)) as? [String: Any])
        #expect(encoded["additiveAmplitude"] == nil)
        let additive = try MaternKernel(amplitude: 1.5, lengthScales: [0.25, 2], additiveAmplitude: 0.4)
        #expect(try JSONDecoder().decode(MaternKernel.self, from: JSONEncoder().encode(additive)) == additive)

        var options = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(GaussianProcess.FitOptions())) as? [String: Any])
        options.removeValue(forKey: "additiveAmplitudePrior")
        options.removeValue(forKey: "additiveAmplitudeBounds")
        let decoded = try JSONDecoder().decode(GaussianProcess.FitOptions.self, from: JSONSerialization.data(withJSONObject: options))
        #expect(decoded.additiveAmplitudePrior == nil)
        #expect(GaussianProcess.FitOptions().additiveAmplitudePrior != nil)
    }

    /// A search with the component is deterministic and resumes exactly from its saved state.
    @Test func aSearchWithTheComponentResumesExactly() throws {
        let space = try UnitCubeSpace(continuousDimensions: 3)
        var configuration = BayesianOptimizer.Configuration()
        configuration.fitOptions.additiveAmplitudePrior = .init(median: 0.1, logStandardDeviation: 2)
        func run(_ optimizer: inout BayesianOptimizer, steps: Int, observations: inout [BayesianOptimizer.Observation]) throws {
            for _ in 0..<steps {
                let point = try optimizer.suggest(observations: observations, space: space)
                observations.append(.init(point: point, value: Self.separable(point)))
            }
        }
        var first = try BayesianOptimizer(configuration: configuration, seed: 8)
        var firstObservations: [BayesianOptimizer.Observation] = []
        try run(&first, steps: 14, observations: &firstObservations)
        var second = try BayesianOptimizer(configuration: configuration, seed: 8)
        var observations: [BayesianOptimizer.Observation] = []
        try run(&second, steps: 8, observations: &observations)
        #expect((second.lastHyperparameters?.kernel.additiveAmplitude ?? 0) > 0)
        var resumed = try JSONDecoder().decode(BayesianOptimizer.self, from: JSONEncoder().encode(second))
        try run(&resumed, steps: 6, observations: &observations)
        #expect(observations == firstObservations)
        #expect(resumed.lastHyperparameters == first.lastHyperparameters)
    }
}
