import Foundation
import Testing
import Tuning

@Suite struct GaussianProcessTests {
    let toyInputs: [[Double]] = [[0.05], [0.2], [0.35], [0.5], [0.65], [0.8]]
    var toyTargets: [Double] { toyInputs.map { 3 * sin(7 * $0[0]) + 10 } }

    @Test func fittedPosteriorInterpolatesWithSmallVarianceAtTheData() throws {
        let process = try GaussianProcess.fit(inputs: toyInputs, targets: toyTargets, seed: 1)
        let atData = try process.predict(toyInputs)
        for i in toyInputs.indices {
            #expect(abs(atData.mean[i] - toyTargets[i]) < 1e-2, "point \(i)")
            #expect(atData.variance[i] < 1e-3)
        }
        // Between data points the variance is larger, and far away (x = 1) larger still.
        let between = try process.predict([[0.275]]).variance[0]
        let far = try process.predict([[1.0]]).variance[0]
        #expect(between > atData.variance.max() ?? 0)
        #expect(far > 10 * between)
        // Far from the data the mean goes back toward the prior mean (the targets' mean).
        #expect(far <= process.hyperparameters.kernel.variance * process.targetScale * process.targetScale * 1.0001)
        #expect(process.targetMean > 9 && process.targetMean < 11)
    }

    /// The batched LAPACK/BLAS prediction against the textbook formulas with a hand-written solve.
    @Test func predictionMatchesADirectComputation() throws {
        let kernel = try MaternKernel(amplitude: 1.5, lengthScales: [0.3, 0.7])
        let hyper = try GaussianProcess.Hyperparameters(kernel: kernel, noiseVariance: 0.01)
        let inputs: [[Double]] = [[0.1, 0.2], [0.5, 0.9], [0.8, 0.3], [0.3, 0.6]]
        let targets: [Double] = [1, -2, 0.5, 3]
        let process = try GaussianProcess(inputs: inputs, targets: targets, hyperparameters: hyper)
        let queries: [[Double]] = [[0.2, 0.2], [0.9, 0.9], [0.5, 0.5]]
        let prediction = try process.predict(queries)

        let expected = DirectPosterior.predict(kernel: kernel, noise: 0.01, inputs: inputs, targets: targets, queries: queries)
        for (q, reference) in expected.enumerated() {
            #expect(abs(prediction.mean[q] - reference.mean) < 1e-10)
            #expect(abs(prediction.variance[q] - reference.variance) < 1e-10)
        }
    }

    /// Two identical points and no noise make the covariance singular: jitter rescues it.
    @Test func singularCovarianceIsRescuedByJitter() throws {
        let kernel = try MaternKernel(amplitude: 1, lengthScales: [0.5])
        let hyper = try GaussianProcess.Hyperparameters(kernel: kernel, noiseVariance: 0)
        let process = try GaussianProcess(inputs: [[0.3], [0.3], [0.3], [0.7]], targets: [1, 1, 1, 2], hyperparameters: hyper)
        #expect(process.jitter > 0)
        #expect(process.jitter <= 1e-3 * 1.0001)
        let prediction = try process.predict([[0.3], [0.5]])
        #expect(abs(prediction.mean[0] - 1) < 1e-3)
        #expect(prediction.variance.allSatisfy { $0.isFinite && $0 >= 0 })
        // Distinct points need none.
        let clean = try GaussianProcess(inputs: [[0.1], [0.7]], targets: [1, 2], hyperparameters: hyper)
        #expect(clean.jitter == 0)
    }

    @Test func malformedDataGivesTypedErrors() throws {
        let hyper = try GaussianProcess.Hyperparameters(kernel: MaternKernel(amplitude: 1, lengthScales: [1]), noiseVariance: 1e-4)
        #expect(throws: GaussianProcessError.emptyTrainingSet) {
            try GaussianProcess(inputs: [], targets: [], hyperparameters: hyper)
        }
        #expect(throws: GaussianProcessError.nonFiniteValue(context: "target 1")) {
            try GaussianProcess(inputs: [[0.1], [0.2]], targets: [1, .nan], hyperparameters: hyper)
        }
        #expect(throws: GaussianProcessError.dimensionMismatch(expected: 1, found: 2, context: "training point 1")) {
            try GaussianProcess(inputs: [[0.1], [0.2, 0.3]], targets: [1, 2], hyperparameters: hyper)
        }
        #expect(throws: GaussianProcessError.self) {
            try GaussianProcess.Hyperparameters(kernel: MaternKernel(amplitude: 1, lengthScales: [1]), noiseVariance: -1)
        }
        let message = GaussianProcessError.notPositiveDefinite(largestJitter: 1e-3).description
        #expect(message.contains("not positive definite") && message.contains("noise"))
    }

    @Test func fitIsDeterministicForASeedAndUsesTheWarmStart() throws {
        let first = try GaussianProcess.fit(inputs: toyInputs, targets: toyTargets, seed: 9)
        let second = try GaussianProcess.fit(inputs: toyInputs, targets: toyTargets, seed: 9)
        #expect(first.hyperparameters == second.hyperparameters)
        let warm = try GaussianProcess.fit(
            inputs: toyInputs, targets: toyTargets, seed: 10, warmStart: first.hyperparameters)
        #expect(abs(warm.logMarginalLikelihood - first.logMarginalLikelihood) < 1e-3)
    }

    /// A fixed (not fitted) noise stays at Keras Tuner's alpha; a fitted one respects its lower bound.
    @Test func noiseOptionsAreHonoured() throws {
        var fixed = GaussianProcess.FitOptions()
        fixed.fitsNoise = false
        fixed.noiseVariance = 0.02
        let fixedModel = try GaussianProcess.fit(inputs: toyInputs, targets: toyTargets, options: fixed)
        #expect(abs(fixedModel.hyperparameters.noiseVariance - 0.02) < 1e-15)
        let fitted = try GaussianProcess.fit(inputs: toyInputs, targets: toyTargets)
        #expect(fitted.hyperparameters.noiseVariance >= 1e-6 * 0.9999)
        #expect(fitted.hyperparameters.noiseVariance < 0.01)
    }

    /// Noisy data: the fitted noise grows to explain the scatter instead of interpolating it.
    @Test func noisyDataGetsAFittedNoise() throws {
        var inputs: [[Double]] = [], targets: [Double] = []
        for i in 0..<40 {
            let x = Double(i) / 39
            inputs.append([x])
            // A deterministic ±0.5 "noise" on a smooth trend.
            targets.append(x + (i % 2 == 0 ? 0.5 : -0.5) * (i % 3 == 0 ? 1 : 0.6))
        }
        let process = try GaussianProcess.fit(inputs: inputs, targets: targets, seed: 3)
        #expect(process.hyperparameters.noiseVariance > 0.1)
    }
    /// The fit ends at a stationary point of the log posterior (LML plus the default log-normal priors):
    /// a zero gradient inside the bounds, a gradient pushing outward at an active bound.
    @Test func fitEndsAtAStationaryPointOfThePosterior() throws {
        var inputs: [[Double]] = [], targets: [Double] = []
        for i in 0..<15 {
            let x = [Double((i * 7) % 15) / 14, Double((i * 4) % 15) / 14]
            inputs.append(x)
            targets.append(sin(5 * x[0]) + 0.3 * x[1])
        }
        let options = GaussianProcess.FitOptions()
        let process = try GaussianProcess.fit(inputs: inputs, targets: targets, options: options, seed: 4)
        let hyper = process.hyperparameters
        let gradient = try GaussianProcess.logMarginalLikelihood(inputs: inputs, targets: targets, hyperparameters: hyper).gradient
        let theta = [log(hyper.kernel.amplitude)] + hyper.kernel.lengthScales.map { log($0) } + [log(hyper.noiseVariance)]
        let means = [log(1.0), log(0.4 * 2.0.squareRoot()), log(0.4 * 2.0.squareRoot()), log(1e-4)]
        let deviations = [1.5, 1, 1, 3]
        let lower = [log(0.01), log(0.01), log(0.01), log(1e-6)]
        let upper = [log(100.0), log(100.0), log(100.0), log(1.0)]
        for i in 0..<4 {
            let posterior = gradient[i] - (theta[i] - means[i]) / (deviations[i] * deviations[i])
            if theta[i] <= lower[i] + 1e-9 {
                #expect(posterior < 1e-4, "parameter \(i) at its lower bound")
            } else if theta[i] >= upper[i] - 1e-9 {
                #expect(posterior > -1e-4, "parameter \(i) at its upper bound")
            } else {
                #expect(abs(posterior) < 1e-3, "parameter \(i): \(posterior)")
            }
        }
    }
}
