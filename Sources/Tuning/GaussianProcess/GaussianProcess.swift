#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A Gaussian-process regression model with a Matérn-5/2 kernel, conditioned on observations.
///
/// The targets are standardized (mean 0, standard deviation 1) before the model sees them, so the
/// hyperparameters (amplitude and noise variance especially) are in standardized units whatever the
/// scale of the scores; predictions are returned in the original units. Building a process factors its
/// covariance matrix once with LAPACK (`dpotrf`, with jitter when needed); every prediction reuses the
/// factor. Use `GaussianProcess.fit(inputs:targets:options:seed:warmStart:)` to choose the
/// hyperparameters by maximum a posteriori estimation, or the initializer to fix them yourself.
public struct GaussianProcess: Sendable {
    /// Kernel and noise parameters of a Gaussian process, in standardized target units.
    public struct Hyperparameters: Sendable, Codable, Hashable {
        /// The Matérn-5/2 kernel (amplitude, one length scale per dimension, and the additive
        /// component's amplitude, 0 when it has none).
        public let kernel: MaternKernel
        /// The variance of the observation noise, added on the diagonal of the training covariance.
        public let noiseVariance: Double

        /// Hyperparameters with the given kernel and noise variance.
        ///
        /// Throws `GaussianProcessError.invalidHyperparameter` when the noise variance is negative or
        /// not finite.
        public init(kernel: MaternKernel, noiseVariance: Double) throws(GaussianProcessError) {
            guard noiseVariance.isFinite, noiseVariance >= 0 else {
                throw .invalidHyperparameter("the noise variance must be finite and >= 0, got \(noiseVariance)")
            }
            self.kernel = kernel
            self.noiseVariance = noiseVariance
        }

        init(unchecked kernel: MaternKernel, noiseVariance: Double) {
            self.kernel = kernel
            self.noiseVariance = noiseVariance
        }

        /// The fitting code's coordinates: log amplitude, log length scales, log noise variance, and the
        /// log additive amplitude when the kernel has an additive component.
        var logParameters: [Double] {
            let plain = [log(kernel.amplitude)] + kernel.lengthScales.map { log($0) } + [log(Swift.max(noiseVariance, 1e-300))]
            return kernel.additiveAmplitude > 0 ? plain + [log(kernel.additiveAmplitude)] : plain
        }

        /// Hyperparameters from the fitting code's coordinates for `d` dimensions: `d + 2` of them
        /// (no additive component) or `d + 3` (the last is the log additive amplitude).
        init(logParameters theta: [Double], dimensionCount d: Int) {
            kernel = MaternKernel(
                uncheckedAmplitude: exp(theta[0]), lengthScales: (0..<d).map { exp(theta[1 + $0]) },
                additiveAmplitude: theta.count > d + 2 ? exp(theta[d + 2]) : 0)
            noiseVariance = exp(theta[d + 1])
        }

        /// Checks the values (which may come from decoded JSON) and the dimension.
        func validate(dimensionCount: Int) throws(GaussianProcessError) {
            _ = try MaternKernel(
                amplitude: kernel.amplitude, lengthScales: kernel.lengthScales, additiveAmplitude: kernel.additiveAmplitude)
            _ = try Hyperparameters(kernel: kernel, noiseVariance: noiseVariance)
            guard kernel.dimensionCount == dimensionCount else {
                throw .dimensionMismatch(
                    expected: dimensionCount, found: kernel.dimensionCount, context: "the kernel's length scales")
            }
        }
    }

    /// Posterior means and variances of the latent function at a batch of points, in target units.
    public struct Prediction: Sendable, Hashable {
        /// The posterior mean at each point.
        public var mean: [Double]
        /// The posterior variance of the noise-free function at each point (>= 0).
        public var variance: [Double]
    }

    /// The kernel and noise the process was conditioned with (standardized units).
    public let hyperparameters: Hyperparameters
    /// The mean subtracted from the targets before conditioning.
    public let targetMean: Double
    /// The standard deviation the targets were divided by (1 when they were all equal).
    public let targetScale: Double
    /// The jitter that had to be added to the diagonal for the Cholesky factorization (usually 0).
    public let jitter: Double
    /// The log marginal likelihood of the standardized targets under the hyperparameters.
    public let logMarginalLikelihood: Double
    /// The number of training points.
    public let count: Int
    /// The number of coordinates of a point.
    public let dimensionCount: Int

    /// Training inputs, row-major `count`×`dimensionCount`.
    let inputs: [Double]
    /// Training inputs divided by the length scales, row-major.
    let scaledInputs: [Double]
    /// The additive component's table of the training inputs (nil without one).
    let additiveTerms: AdditiveTerms?
    /// Standardized targets.
    let standardizedTargets: [Double]
    /// The lower Cholesky factor of the training covariance, column-major.
    let factor: [Double]
    /// `K⁻¹ y` for the standardized targets.
    let weights: [Double]

    /// Conditions a process with fixed hyperparameters on `inputs` (one point per row) and `targets`.
    ///
    /// Throws `GaussianProcessError.emptyTrainingSet` without points, `.dimensionMismatch` when the
    /// counts of points and targets differ or a point does not have one coordinate per length scale,
    /// `.nonFiniteValue` for NaN or infinite data, `.invalidHyperparameter` for invalid (for example
    /// decoded) hyperparameters, and `.notPositiveDefinite` when jitter cannot rescue the factorization.
    public init(inputs: [[Double]], targets: [Double], hyperparameters: Hyperparameters) throws(GaussianProcessError) {
        let d = hyperparameters.kernel.dimensionCount
        let flat = try Self.validatedFlatInputs(inputs, targets: targets, dimensionCount: d)
        try hyperparameters.validate(dimensionCount: d)
        let (mean, scale) = Self.standardization(of: targets)
        try self.init(
            flatInputs: flat, dimensionCount: d, standardizedTargets: targets.map { ($0 - mean) / scale },
            targetMean: mean, targetScale: scale, hyperparameters: hyperparameters)
    }

    /// The designated initializer on validated data: standardized targets and their standardization.
    init(
        flatInputs: [Double], dimensionCount d: Int, standardizedTargets y: [Double],
        targetMean: Double, targetScale: Double, hyperparameters: Hyperparameters
    ) throws(GaussianProcessError) {
        let n = y.count
        guard n > 0 else { throw .emptyTrainingSet }
        let kernel = hyperparameters.kernel
        let scaled = Self.scaled(flatInputs, dimensionCount: d, lengthScales: kernel.lengthScales)
        let terms = kernel.additiveAmplitude > 0
            ? AdditiveTerms(flatPoints: flatInputs, dimensionCount: d, inverseLengths: kernel.lengthScales.map { 1 / $0 })
            : nil
        let table = terms?.table ?? []
        let tabulated = terms?.isTabulated ?? false
        var factor = [Double](repeating: 0, count: n * n)
        var weights = y
        var jitter = 0.0
        var halfLogDeterminant = 0.0
        try table.withUnsafeBufferPointer { (t) throws(GaussianProcessError) in
            try scaled.withUnsafeBufferPointer { (z) throws(GaussianProcessError) in
                try factor.withUnsafeMutableBufferPointer { (l) throws(GaussianProcessError) in
                    // Both buffers are non-empty (n > 0), so their base addresses exist.
                    guard let lBase = l.baseAddress else { return }
                    // The additive table, once (an empty array's buffer may still have a base address,
                    // so whether there is a component decides).
                    let tBase = terms == nil ? nil : t.baseAddress
                    jitter = try CholeskyFactorization.factorize(order: n, into: lBase) { k in
                        // The lower triangle of the training covariance, column-major.
                        for j in 0..<n {
                            k[j * n + j] = kernel.variance + hyperparameters.noiseVariance
                            for i in (j + 1)..<n {
                                var squared = 0.0
                                for c in 0..<d {
                                    let delta = z[i * d + c] - z[j * d + c]
                                    squared += delta * delta
                                }
                                k[j * n + i] = kernel.amplitude * MaternKernel.correlation(distance: squared.squareRoot())
                                if let tBase {
                                    k[j * n + i] += kernel.additiveAmplitude * AdditiveTerms.meanCorrelation(
                                        tBase + 3 * d * i, tBase + 3 * d * j, dimensionCount: d, tabulated: tabulated)
                                }
                            }
                        }
                    }
                    try weights.withUnsafeMutableBufferPointer { (w) throws(GaussianProcessError) in
                        guard let wBase = w.baseAddress else { return }
                        try CholeskyFactorization.solve(factor: lBase, order: n, rightHandSide: wBase)
                    }
                    halfLogDeterminant = CholeskyFactorization.halfLogDeterminant(factor: lBase, order: n)
                }
            }
        }
        var dataFit = 0.0
        for i in 0..<n { dataFit += y[i] * weights[i] }
        self.hyperparameters = hyperparameters
        self.targetMean = targetMean
        self.targetScale = targetScale
        self.jitter = jitter
        self.logMarginalLikelihood = -0.5 * dataFit - halfLogDeterminant - 0.5 * Double(n) * log(2 * Double.pi)
        self.count = n
        self.dimensionCount = d
        self.inputs = flatInputs
        self.scaledInputs = scaled
        self.additiveTerms = terms
        self.standardizedTargets = y
        self.factor = factor
        self.weights = weights
    }

    /// The posterior mean of the latent function at each training point, in standardized units.
    ///
    /// Closed form instead of a prediction: with `K = K_f + (σ² + jitter)·I` and weights `w = K⁻¹ y`,
    /// `K_f w = y − (σ² + jitter)·w`, so this costs O(n) where `predictStandardized` would spend O(n³)
    /// on variances nobody reads.
    func standardizedMeansAtTrainingPoints() -> [Double] {
        let diagonal = hyperparameters.noiseVariance + jitter
        return zip(standardizedTargets, weights).map { $0 - diagonal * $1 }
    }

    /// The same model conditioned on extra (for example fantasized) standardized observations, with the
    /// same hyperparameters and standardization.
    func conditioned(onFlatInputs extraInputs: [Double], standardizedTargets extraTargets: [Double])
        throws(GaussianProcessError) -> GaussianProcess
    {
        try GaussianProcess(
            flatInputs: inputs + extraInputs, dimensionCount: dimensionCount,
            standardizedTargets: standardizedTargets + extraTargets, targetMean: targetMean,
            targetScale: targetScale, hyperparameters: hyperparameters)
    }

    /// The posterior mean and variance of the function at each of `points`, in target units.
    ///
    /// Throws `GaussianProcessError.dimensionMismatch` when a point does not have `dimensionCount`
    /// coordinates and `.nonFiniteValue` when a coordinate is NaN or infinite.
    public func predict(_ points: [[Double]]) throws(GaussianProcessError) -> Prediction {
        var flat: [Double] = []
        flat.reserveCapacity(points.count * dimensionCount)
        for (index, point) in points.enumerated() {
            guard point.count == dimensionCount else {
                throw .dimensionMismatch(expected: dimensionCount, found: point.count, context: "point \(index) to predict")
            }
            guard point.allSatisfy(\.isFinite) else { throw .nonFiniteValue(context: "point \(index) to predict") }
            flat += point
        }
        let standardized = predictStandardized(flatPoints: flat)
        let variances = standardized.variance.map { $0 * targetScale * targetScale }
        return Prediction(mean: standardized.mean.map { targetMean + targetScale * $0 }, variance: variances)
    }

    /// Posterior mean and latent variance in standardized units for row-major points (unchecked).
    ///
    /// Points are processed in blocks so the cross-covariance stays small; each block costs one kernel
    /// pass, one `dgemv` for the means and one `dtrsm` for the variances.
    func predictStandardized(flatPoints: [Double]) -> (mean: [Double], variance: [Double]) {
        let n = count, d = dimensionCount
        let m = flatPoints.count / Swift.max(d, 1)
        var means = [Double](repeating: 0, count: m)
        var variances = [Double](repeating: 0, count: m)
        guard m > 0 else { return (means, variances) }
        let amplitude = hyperparameters.kernel.amplitude
        let additiveAmplitude = hyperparameters.kernel.additiveAmplitude
        let priorVariance = hyperparameters.kernel.variance
        let inverseLengths = hyperparameters.kernel.lengthScales.map { 1 / $0 }
        let pointTerms = additiveTerms.map { _ in
            AdditiveTerms(flatPoints: flatPoints, dimensionCount: d, inverseLengths: inverseLengths)
        }
        let trainingTable = additiveTerms?.table ?? [], pointTable = pointTerms?.table ?? []
        let tabulated = (additiveTerms?.isTabulated ?? false) && (pointTerms?.isTabulated ?? false)
        let blockSize = Swift.max(16, Swift.min(512, 262_144 / Swift.max(n, 1)))
        var cross = [Double](repeating: 0, count: n * Swift.min(blockSize, m))
        var scaledPoint = [Double](repeating: 0, count: d)
        trainingTable.withUnsafeBufferPointer { trainingTerms in
            pointTable.withUnsafeBufferPointer { pointTerms in
                scaledInputs.withUnsafeBufferPointer { z in
                    factor.withUnsafeBufferPointer { l in
                        weights.withUnsafeBufferPointer { w in
                            cross.withUnsafeMutableBufferPointer { kStar in
                                guard let lBase = l.baseAddress, let wBase = w.baseAddress, let kBase = kStar.baseAddress
                                else { return }
                                // Both tables are empty without the additive component (an empty array's
                                // buffer may still have a base address, so whether there is one decides).
                                let additiveBases = additiveTerms == nil ? nil : pointTerms.baseAddress.flatMap { point in
                                    trainingTerms.baseAddress.map { (training: $0, point: point) }
                                }
                                var start = 0
                                while start < m {
                                    let columns = Swift.min(blockSize, m - start)
                                    for c in 0..<columns {
                                        let row = (start + c) * d
                                        for k in 0..<d { scaledPoint[k] = flatPoints[row + k] * inverseLengths[k] }
                                        let column = c * n
                                        for i in 0..<n {
                                            var squared = 0.0
                                            for k in 0..<d {
                                                let delta = z[i * d + k] - scaledPoint[k]
                                                squared += delta * delta
                                            }
                                            kBase[column + i] = amplitude * MaternKernel.correlation(distance: squared.squareRoot())
                                            if let additiveBases {
                                                kBase[column + i] += additiveAmplitude * AdditiveTerms.meanCorrelation(
                                                    additiveBases.training + 3 * d * i, additiveBases.point + 3 * d * (start + c),
                                                    dimensionCount: d, tabulated: tabulated)
                                            }
                                        }
                                    }
                                    means.withUnsafeMutableBufferPointer { out in
                                        if let outBase = out.baseAddress {
                                            CholeskyFactorization.transposedProduct(
                                                matrix: kBase, rows: n, columns: columns, vector: wBase, result: outBase + start)
                                        }
                                    }
                                    CholeskyFactorization.solveLower(factor: lBase, order: n, matrix: kBase, columns: columns)
                                    for c in 0..<columns {
                                        var explained = 0.0
                                        let column = c * n
                                        for i in 0..<n { explained += kBase[column + i] * kBase[column + i] }
                                        variances[start + c] = Swift.max(0, priorVariance - explained)
                                    }
                                    start += columns
                                }
                            }
                        }
                    }
                }
            }
        }
        return (means, variances)
    }

    // MARK: - Data preparation

    /// Checks counts and finiteness and flattens the points row-major.
    static func validatedFlatInputs(
        _ inputs: [[Double]], targets: [Double], dimensionCount d: Int
    ) throws(GaussianProcessError) -> [Double] {
        guard !inputs.isEmpty else { throw .emptyTrainingSet }
        guard inputs.count == targets.count else {
            throw .dimensionMismatch(expected: inputs.count, found: targets.count, context: "the list of targets")
        }
        var flat: [Double] = []
        flat.reserveCapacity(inputs.count * d)
        for (index, point) in inputs.enumerated() {
            guard point.count == d else {
                throw .dimensionMismatch(expected: d, found: point.count, context: "training point \(index)")
            }
            guard point.allSatisfy(\.isFinite) else { throw .nonFiniteValue(context: "training point \(index)") }
            flat += point
        }
        if let index = targets.firstIndex(where: { !$0.isFinite }) { throw .nonFiniteValue(context: "target \(index)") }
        return flat
    }

    /// The mean and standard deviation used to standardize `targets` (scale 1 when they are constant).
    static func standardization(of targets: [Double]) -> (mean: Double, scale: Double) {
        let n = Double(targets.count)
        let mean = targets.reduce(0, +) / n
        let variance = targets.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        let scale = variance.squareRoot()
        // Constant targets (or a lone one) carry no scale; dividing by a rounding error would explode.
        if !(scale > 1e-12 * Swift.max(1, abs(mean))) { return (mean, 1) }
        return (mean, scale)
    }

    /// Row-major points divided coordinate-wise by the length scales.
    static func scaled(_ flat: [Double], dimensionCount d: Int, lengthScales: [Double]) -> [Double] {
        var result = flat
        for index in result.indices { result[index] /= lengthScales[index % d] }
        return result
    }
}
