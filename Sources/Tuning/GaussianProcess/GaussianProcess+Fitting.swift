#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension GaussianProcess {
    /// A log-normal prior: the logarithm of the parameter is normal with mean `log(median)` and
    /// standard deviation `logStandardDeviation`.
    public struct LogNormalPrior: Sendable, Codable, Hashable {
        /// The median of the parameter.
        public var median: Double
        /// The standard deviation of the parameter's logarithm (1 means a factor e is one sigma).
        public var logStandardDeviation: Double

        /// A log-normal prior with the given median and standard deviation of the logarithm.
        public init(median: Double, logStandardDeviation: Double) {
            self.median = median
            self.logStandardDeviation = logStandardDeviation
        }
    }

    /// How `GaussianProcess.fit` chooses the hyperparameters: bounds and weak priors (all in
    /// standardized target units, inputs in the unit cube), restarts and the cost controls.
    ///
    /// The defaults are chosen for hyperparameter tuning: `noiseVariance` is Keras Tuner's `alpha`
    /// (1e-4), used as the median of the noise prior and as the noise when `fitsNoise` is false; the
    /// noise never goes below `minimumNoiseVariance` (1e-6). Length scales get a log-normal prior with
    /// median `0.4·√d` (longer in more dimensions, as distances between points grow like `√d`), which
    /// keeps a handful of points from being explained by absurdly short length scales.
    public struct FitOptions: Sendable, Codable, Hashable {
        /// The number of L-BFGS runs, started from the best of the warm start, the prior medians and
        /// `2·restarts` draws from the priors.
        public var restarts = 3
        /// The number of L-BFGS runs when a warm start (the previous fit) is given.
        public var warmRestarts = 2
        /// The number of L-BFGS iterations per run at most.
        public var maximumIterations = 100
        /// The noise variance (Keras Tuner's `alpha`): the prior median of a fitted noise, or the fixed
        /// noise when `fitsNoise` is false.
        public var noiseVariance = 1e-4
        /// Whether the noise variance is fitted (true) or fixed to `noiseVariance` (false).
        public var fitsNoise = true
        /// The smallest noise variance a fit may choose.
        public var minimumNoiseVariance = 1e-6
        /// The largest noise variance a fit may choose (1 means all variance is noise).
        public var maximumNoiseVariance = 1.0
        /// The standard deviation of the log noise variance's normal prior (its median is `noiseVariance`).
        public var noiseLogStandardDeviation = 3.0
        /// Bounds of the kernel amplitude.
        public var amplitudeBounds: ClosedRange<Double> = 0.01...100
        /// The prior of the kernel amplitude.
        public var amplitudePrior = LogNormalPrior(median: 1, logStandardDeviation: 1.5)
        /// Bounds of every length scale.
        public var lengthScaleBounds: ClosedRange<Double> = 0.01...100
        /// The prior of every length scale; nil means median `0.4·√d` and log standard deviation 1.
        public var lengthScalePrior: LogNormalPrior?
        /// With more observations than this, the hyperparameters are fitted on this many of them (the
        /// best eighth and a random sample of the rest) and the process is then conditioned on all of
        /// them: the fit costs O(m³) per evaluation instead of O(n³).
        public var maximumFitPoints = 256
        /// The prior of the kernel's additive amplitude (`MaternKernel.additiveAmplitude`, a sum of
        /// one-dimensional Matérn terms beside the ARD product); nil fits no additive component. Fitted
        /// like the other hyperparameters, so the likelihood can switch it off (down to
        /// `additiveAmplitudeBounds`' lower bound) on objectives that are not separable. The default,
        /// median 0.1 (a tenth of the product amplitude's median) with a log standard deviation of 2,
        /// starts the fit near the plain product kernel and lets the data raise the additive share
        /// within a few sigma; measured on the GP suite in docs/gp-benchmark-suite.md ("The additive
        /// kernel component"). Optional so that options saved before it existed decode unchanged:
        /// without the component, so a saved search resumes exactly as it would have.
        public var additiveAmplitudePrior: LogNormalPrior? = LogNormalPrior(median: 0.1, logStandardDeviation: 2)
        /// Bounds of the additive amplitude when it is fitted; nil means `1e-4...100`.
        public var additiveAmplitudeBounds: ClosedRange<Double>?

        /// The default options (see the type's documentation).
        public init() {}

        /// The bounds of the additive amplitude when it is fitted.
        var effectiveAdditiveAmplitudeBounds: ClosedRange<Double> { additiveAmplitudeBounds ?? 1e-4...100 }

        /// Checks that every setting is usable.
        func validate() throws(GaussianProcessError) {
            func check(_ condition: Bool, _ message: String) throws(GaussianProcessError) {
                if !condition { throw .invalidHyperparameter("fit options: \(message)") }
            }
            try check(restarts >= 1 && warmRestarts >= 1, "restarts and warmRestarts must be at least 1")
            try check(maximumIterations >= 0, "maximumIterations must be >= 0")
            try check(maximumFitPoints >= 2, "maximumFitPoints must be at least 2")
            try check(noiseVariance.isFinite && noiseVariance > 0, "noiseVariance must be positive, got \(noiseVariance)")
            try check(minimumNoiseVariance > 0 && minimumNoiseVariance <= maximumNoiseVariance
                && maximumNoiseVariance.isFinite, "need 0 < minimumNoiseVariance <= maximumNoiseVariance")
            try check(amplitudeBounds.lowerBound > 0 && amplitudeBounds.upperBound.isFinite, "amplitude bounds must be positive and finite")
            try check(lengthScaleBounds.lowerBound > 0 && lengthScaleBounds.upperBound.isFinite, "length-scale bounds must be positive and finite")
            if additiveAmplitudePrior != nil {
                let bounds = effectiveAdditiveAmplitudeBounds
                try check(bounds.lowerBound > 0 && bounds.upperBound.isFinite, "additive amplitude bounds must be positive and finite")
            }
            for prior in [amplitudePrior, lengthScalePrior ?? amplitudePrior, additiveAmplitudePrior ?? amplitudePrior] {
                try check(prior.median > 0 && prior.median.isFinite && prior.logStandardDeviation > 0
                    && prior.logStandardDeviation.isFinite, "priors need a positive median and standard deviation")
            }
            try check(noiseLogStandardDeviation > 0 && noiseLogStandardDeviation.isFinite,
                      "noiseLogStandardDeviation must be positive")
        }

        /// Bounds, prior means and prior standard deviations of θ in `d` dimensions.
        func logSpace(dimensionCount d: Int) -> (lower: [Double], upper: [Double], mean: [Double], deviation: [Double]) {
            let lengthPrior = lengthScalePrior
                ?? LogNormalPrior(median: 0.4 * Double(d).squareRoot(), logStandardDeviation: 1)
            var lower = [log(amplitudeBounds.lowerBound)], upper = [log(amplitudeBounds.upperBound)]
            var mean = [log(amplitudePrior.median)], deviation = [amplitudePrior.logStandardDeviation]
            for _ in 0..<d {
                lower.append(log(lengthScaleBounds.lowerBound)); upper.append(log(lengthScaleBounds.upperBound))
                mean.append(log(lengthPrior.median)); deviation.append(lengthPrior.logStandardDeviation)
            }
            if fitsNoise {
                lower.append(log(minimumNoiseVariance)); upper.append(log(maximumNoiseVariance))
            } else {
                lower.append(log(noiseVariance)); upper.append(log(noiseVariance))
            }
            mean.append(log(noiseVariance)); deviation.append(noiseLogStandardDeviation)
            if let additivePrior = additiveAmplitudePrior {
                let bounds = effectiveAdditiveAmplitudeBounds
                lower.append(log(bounds.lowerBound)); upper.append(log(bounds.upperBound))
                mean.append(log(additivePrior.median)); deviation.append(additivePrior.logStandardDeviation)
            }
            return (lower, upper, mean, deviation)
        }
    }

    /// Fits the hyperparameters to `inputs` (one point per row, in the unit cube) and `targets` by
    /// maximizing the log marginal likelihood plus the log priors of `options` (L-BFGS with analytic
    /// gradients and box bounds in log space, from several starts), then conditions on all the data.
    ///
    /// `seed` drives the random restarts and subsampling: the same data, options, seed and warm start
    /// give the same model. `warmStart` (typically the previous fit of a growing data set) is one of
    /// the starting points; it is ignored when its dimension differs.
    ///
    /// Throws `GaussianProcessError` for empty, mismatched or non-finite data, invalid options, or when
    /// no starting point gives a positive-definite covariance (`.notPositiveDefinite`).
    public static func fit(
        inputs: [[Double]], targets: [Double], options: FitOptions = FitOptions(), seed: UInt64 = 0,
        warmStart: Hyperparameters? = nil
    ) throws(GaussianProcessError) -> GaussianProcess {
        guard let d = inputs.first?.count, d > 0 else {
            throw inputs.isEmpty ? .emptyTrainingSet : .dimensionMismatch(expected: 1, found: 0, context: "training point 0")
        }
        let flat = try validatedFlatInputs(inputs, targets: targets, dimensionCount: d)
        let (mean, scale) = standardization(of: targets)
        var random = TuningRandom(seed: seed)
        return try fit(
            flatInputs: flat, dimensionCount: d, standardizedTargets: targets.map { ($0 - mean) / scale },
            targetMean: mean, targetScale: scale, options: options, random: &random, warmStart: warmStart)
    }

    /// The log marginal likelihood of `targets` (standardized first, as `fit` does) under
    /// `hyperparameters`, and its gradient with respect to (log amplitude, log length scales…, log
    /// noise variance, and log additive amplitude when the kernel has an additive component). Priors
    /// are not included.
    ///
    /// Throws like `init(inputs:targets:hyperparameters:)`.
    public static func logMarginalLikelihood(
        inputs: [[Double]], targets: [Double], hyperparameters: Hyperparameters
    ) throws(GaussianProcessError) -> (value: Double, gradient: [Double]) {
        let d = hyperparameters.kernel.dimensionCount
        let flat = try validatedFlatInputs(inputs, targets: targets, dimensionCount: d)
        try hyperparameters.validate(dimensionCount: d)
        let (mean, scale) = standardization(of: targets)
        let likelihood = MarginalLikelihood(
            flatInputs: flat, dimensionCount: d, standardizedTargets: targets.map { ($0 - mean) / scale },
            hasAdditiveComponent: hyperparameters.kernel.additiveAmplitude > 0)
        let negative = try likelihood.evaluateThrowing(hyperparameters.logParameters, wantsGradient: true)
        return (-negative.value, negative.gradient.map { -$0 })
    }

    /// The fit on validated, standardized data with the caller's random stream.
    static func fit(
        flatInputs: [Double], dimensionCount d: Int, standardizedTargets y: [Double],
        targetMean: Double, targetScale: Double, options: FitOptions, random: inout TuningRandom,
        warmStart: Hyperparameters?
    ) throws(GaussianProcessError) -> GaussianProcess {
        try options.validate()
        let n = y.count
        guard n > 0 else { throw .emptyTrainingSet }

        // Subsample large data sets for the hyperparameters only; keep the best points, whose
        // neighbourhood matters most to the acquisition, and a uniform sample of the rest.
        var fitInputs = flatInputs, fitTargets = y
        if n > options.maximumFitPoints {
            let order = (0..<n).sorted { (y[$0], $0) < (y[$1], $1) }
            let bestCount = options.maximumFitPoints / 8
            let rest = Array(order[bestCount...])
            let sampled = random.sample(options.maximumFitPoints - bestCount, from: rest.count).map { rest[$0] }
            let chosen = (Array(order[..<bestCount]) + sampled).sorted()
            fitInputs = chosen.flatMap { flatInputs[($0 * d)..<($0 * d + d)] }
            fitTargets = chosen.map { y[$0] }
        }
        let likelihood = MarginalLikelihood(
            flatInputs: fitInputs, dimensionCount: d, standardizedTargets: fitTargets,
            hasAdditiveComponent: options.additiveAmplitudePrior != nil)
        let space = options.logSpace(dimensionCount: d)
        func objective(_ theta: [Double], wantsGradient: Bool) -> (value: Double, gradient: [Double])? {
            guard var result = likelihood.evaluate(theta, wantsGradient: wantsGradient) else { return nil }
            for i in 0..<theta.count {
                let standardized = (theta[i] - space.mean[i]) / space.deviation[i]
                result.value += 0.5 * standardized * standardized
                if wantsGradient { result.gradient[i] += standardized / space.deviation[i] }
            }
            return result
        }
        func clamp(_ theta: [Double]) -> [Double] {
            (0..<theta.count).map { Swift.min(space.upper[$0], Swift.max(space.lower[$0], theta[$0])) }
        }

        // Starting points: the warm start, the prior medians and draws from the priors, ranked by the
        // objective (one Cholesky each) so the L-BFGS runs start from the most promising ones.
        var starts: [[Double]] = []
        let hasWarmStart = warmStart.map { $0.kernel.dimensionCount == d && (try? $0.validate(dimensionCount: d)) != nil } ?? false
        if hasWarmStart, let warmStart {
            // A warm start from a fit with (without) the additive component is used without (with the
            // prior median of) it when the options changed between the fits.
            var theta = Array(warmStart.logParameters.prefix(space.mean.count))
            if theta.count < space.mean.count { theta += space.mean[theta.count...] }
            starts.append(clamp(theta))
        }
        starts.append(clamp(space.mean))
        let runs = hasWarmStart ? options.warmRestarts : options.restarts
        for _ in 0..<(2 * runs) {
            starts.append(clamp((0..<space.mean.count).map { space.mean[$0] + space.deviation[$0] * random.normal() }))
        }
        let ranked = starts.enumerated().compactMap { index, theta -> (value: Double, index: Int)? in
            guard let value = objective(theta, wantsGradient: false)?.value, value.isFinite else { return nil }
            return (value, index)
        }.sorted { ($0.value, $0.index) < ($1.value, $1.index) }

        let optimizer = ProjectedLBFGS(maximumIterations: options.maximumIterations)
        var best: (theta: [Double], value: Double)?
        for candidate in ranked.prefix(runs) {
            guard let result = optimizer.minimize(
                from: starts[candidate.index], lower: space.lower, upper: space.upper,
                objective: { objective($0, wantsGradient: true) })
            else { continue }
            if best == nil || result.value < best?.value ?? .infinity { best = (result.point, result.value) }
        }
        guard let best else {
            throw likelihood.lastError ?? .notPositiveDefinite(largestJitter: 0)
        }
        return try GaussianProcess(
            flatInputs: flatInputs, dimensionCount: d, standardizedTargets: y, targetMean: targetMean,
            targetScale: targetScale, hyperparameters: Hyperparameters(logParameters: best.theta, dimensionCount: d))
    }
}
