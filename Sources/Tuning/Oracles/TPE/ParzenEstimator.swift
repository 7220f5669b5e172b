#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Optuna's multivariate Parzen estimator (`_ParzenEstimator`) over some dimensions of a
/// `TPESpaceEncoding`: a mixture with one kernel per observation plus a prior kernel, each kernel a
/// product over the dimensions of
/// - for numbers, a normal truncated to `[0, 1]` (its mass over the value's interval for discrete
///   values) centred on the observation, with Optuna's bandwidth: the larger gap to the neighbouring
///   observation (the range's ends counting as neighbours, except for the outermost observations, which
///   use their inner gap only), clipped to `[1 / min(100, n + 2), 1]` (the "magic clip", `n + 1`
///   kernels); the prior kernel is centred on the middle with the whole range as bandwidth;
/// - for categories, Optuna's categorical kernel: weight `priorWeight / (n + 1)` on every category
///   plus 1 on the observed one, normalized; the prior kernel is uniform.
///
/// The observation kernels carry the weights given (Optuna's ramp that fades old observations) and
/// the prior kernel `priorWeight`, normalized together; with no observations the prior kernel alone.
///
/// Everything is kept in flat arrays (kernel-major within each dimension), so scoring a candidate
/// walks contiguous memory and allocates nothing.
struct ParzenEstimator: Sendable {
    /// The dimensions modelled, as the encoding describes them.
    let dimensions: [TPESpaceEncoding.Dimension]
    /// The number of kernels (observations plus the prior).
    let kernelCount: Int
    /// The log weight of each kernel.
    private let logWeights: [Double]
    /// The cumulative weights, for drawing a kernel.
    private let cumulativeWeights: [Double]
    /// For each dimension, where its parameters start: in the numeric arrays (`kernel` added) for
    /// numbers, in `categoryProbabilities` (`kernel * count + category` added) for categories.
    private let offsets: [Int]
    /// Numeric dimensions: each kernel's centre, bandwidth and the log of its mass on `[0, 1]`, and
    /// for continuous ones `log σ + log mass` (the density's normalizer, once rather than per candidate).
    private let centres: [Double]
    private let bandwidths: [Double]
    private let logNormalizers: [Double]
    private let logDensityNormalizers: [Double]
    /// Categorical dimensions: each kernel's probabilities and their logs.
    private let categoryProbabilities: [Double]
    private let logCategoryProbabilities: [Double]

    /// An estimator of `observations` (each a row of `dimensions.count` coordinates, in
    /// `TPESpaceEncoding.Observation` form) weighted by `weights` (same count, non-negative, not all
    /// zero unless empty), with the prior kernel weighted `priorWeight` (positive).
    init(
        dimensions: [TPESpaceEncoding.Dimension], observations: [[Double]], weights: [Double], priorWeight: Double
    ) {
        self.dimensions = dimensions
        let count = observations.count
        let kernels = count + 1
        kernelCount = kernels
        // Optuna: with no observation the prior alone (weight 1), else the weights and the prior's.
        var rawWeights = count == 0 ? [] : weights
        rawWeights.append(count == 0 ? 1 : priorWeight)
        let total = rawWeights.reduce(0, +)
        var logWeights = [Double](repeating: 0, count: kernels)
        var cumulative = [Double](repeating: 0, count: kernels)
        var running = 0.0
        for kernel in 0..<kernels {
            let weight = rawWeights[kernel] / total
            logWeights[kernel] = log(weight)
            running += weight
            cumulative[kernel] = running
        }
        cumulative[kernels - 1] = 1
        self.logWeights = logWeights
        cumulativeWeights = cumulative

        var offsets: [Int] = []
        var centres: [Double] = [], bandwidths: [Double] = [], logNormalizers: [Double] = []
        var probabilities: [Double] = []
        let magicClip = 1 / Swift.min(100, 1 + Double(kernels))
        var column = [Double](repeating: 0, count: count)
        for (dimension, kind) in dimensions.enumerated() {
            for row in 0..<count { column[row] = observations[row][dimension] }
            if case .categorical(let categories) = kind {
                offsets.append(probabilities.count)
                if count == 0 {
                    probabilities += [Double](repeating: 1 / Double(categories), count: categories)
                    continue
                }
                let smoothing = priorWeight / Double(kernels)
                let observedTotal = 1 + smoothing * Double(categories)
                for row in 0..<count {
                    let observed = Int(column[row])
                    for category in 0..<categories {
                        probabilities.append((smoothing + (category == observed ? 1 : 0)) / observedTotal)
                    }
                }
                probabilities += [Double](repeating: 1 / Double(categories), count: categories)
                continue
            }
            offsets.append(centres.count)
            let sigmas = Self.bandwidths(of: column, minimum: magicClip)
            for kernel in 0..<kernels {
                let centre = kernel < count ? column[kernel] : 0.5
                let sigma = kernel < count ? sigmas[kernel] : 1
                centres.append(centre)
                bandwidths.append(sigma)
                logNormalizers.append(TruncatedNormal.logMass(from: -centre / sigma, to: (1 - centre) / sigma))
            }
        }
        self.offsets = offsets
        self.centres = centres
        self.bandwidths = bandwidths
        self.logNormalizers = logNormalizers
        logDensityNormalizers = zip(bandwidths, logNormalizers).map { log($0) + $1 }
        categoryProbabilities = probabilities
        logCategoryProbabilities = probabilities.map { log($0) }
    }

    /// Optuna's bandwidths for centres `mus` in `[0, 1]`: sorted with the ends 0 and 1 around them,
    /// each the larger of its two gaps, the first and last (with two or more) their inner gap only,
    /// all clipped to `[minimum, 1]`. Ties keep observation order, so the result does not depend on
    /// the sorting algorithm.
    static func bandwidths(of mus: [Double], minimum: Double) -> [Double] {
        let count = mus.count
        guard count > 0 else { return [] }
        let order = (0..<count).sorted { mus[$0] != mus[$1] ? mus[$0] < mus[$1] : $0 < $1 }
        var sorted = [Double](repeating: 0, count: count + 2)
        sorted[count + 1] = 1
        for (position, index) in order.enumerated() { sorted[position + 1] = mus[index] }
        var sortedSigmas = [Double](repeating: 0, count: count)
        for position in 0..<count {
            sortedSigmas[position] = Swift.max(sorted[position + 1] - sorted[position], sorted[position + 2] - sorted[position + 1])
        }
        if count >= 2 {
            sortedSigmas[0] = sorted[2] - sorted[1]
            sortedSigmas[count - 1] = sorted[count] - sorted[count - 1]
        }
        var sigmas = [Double](repeating: 0, count: count)
        for (position, index) in order.enumerated() {
            sigmas[index] = Swift.min(Swift.max(sortedSigmas[position], minimum), 1)
        }
        return sigmas
    }

    /// Draws `count` samples into `samples` (row-major, `dimensions.count` per sample; resized if needed): a kernel by
    /// weight, then each dimension from that kernel — a unit coordinate for `.continuous`, a value
    /// index for `.discrete` and `.logInteger`, a category for `.categorical`.
    func sample(_ count: Int, into samples: inout [Double], using random: inout TuningRandom) {
        let width = dimensions.count
        // Every entry is written below, so a buffer of the right size is reused as it is.
        if samples.count != count * width { samples = [Double](repeating: 0, count: count * width) }
        for sample in 0..<count {
            let kernel = Self.firstIndex(above: random.nextDouble(), in: cumulativeWeights, count: kernelCount)
            for (dimension, kind) in dimensions.enumerated() {
                let offset = offsets[dimension]
                let value: Double
                switch kind {
                case .categorical(let categories):
                    let u = random.nextDouble()
                    var running = 0.0
                    var chosen = categories - 1
                    for category in 0..<categories {
                        running += categoryProbabilities[offset + kernel * categories + category]
                        if u < running {
                            chosen = category
                            break
                        }
                    }
                    value = Double(chosen)
                case .continuous, .discrete, .logInteger:
                    let centre = centres[offset + kernel], sigma = bandwidths[offset + kernel]
                    let q = random.nextDouble()
                    let standard = TruncatedNormal.truncatedQuantile(q, lower: -centre / sigma, upper: (1 - centre) / sigma)
                    let unit = Swift.min(Swift.max(centre + sigma * standard, 0), 1)
                    if case .continuous = kind {
                        value = unit
                    } else {
                        value = Double(TPESpaceEncoding.index(at: unit, in: kind))
                    }
                }
                samples[sample * width + dimension] = value
            }
        }
    }

    /// The log density (log probability for discrete and categorical dimensions) of each of the
    /// `count` samples in `samples` (laid out as `sample(_:into:using:)` writes them).
    ///
    /// One buffer of per-kernel totals is reused for every sample and filled dimension by dimension,
    /// so each dimension's arrays are walked contiguously and what depends only on the sample (a
    /// discrete value's interval) is computed once rather than once per kernel.
    func logDensities(of samples: [Double], count: Int) -> [Double] {
        let width = dimensions.count
        var totals = [Double](repeating: 0, count: kernelCount)
        var result = [Double](repeating: 0, count: count)
        for row in 0..<count {
            for kernel in 0..<kernelCount { totals[kernel] = logWeights[kernel] }
            for (dimension, kind) in dimensions.enumerated() {
                let offset = offsets[dimension]
                let x = samples[row * width + dimension]
                switch kind {
                case .categorical(let categories):
                    let category = Int(x)
                    for kernel in 0..<kernelCount {
                        totals[kernel] += logCategoryProbabilities[offset + kernel * categories + category]
                    }
                case .continuous:
                    for kernel in 0..<kernelCount {
                        let sigma = bandwidths[offset + kernel]
                        let standard = (x - centres[offset + kernel]) / sigma
                        totals[kernel] += TruncatedNormal.logDensity(standard) - logDensityNormalizers[offset + kernel]
                    }
                case .discrete, .logInteger:
                    let interval = TPESpaceEncoding.interval(of: Int(x), in: kind)
                    for kernel in 0..<kernelCount {
                        let centre = centres[offset + kernel], sigma = bandwidths[offset + kernel]
                        totals[kernel] += TruncatedNormal.logMass(
                            from: (interval.lower - centre) / sigma, to: (interval.upper - centre) / sigma)
                            - logNormalizers[offset + kernel]
                    }
                }
            }
            result[row] = Self.logSumExp(totals)
        }
        return result
    }

    /// `log Σ exp(values)`, `-infinity` when every value is.
    private static func logSumExp(_ values: [Double]) -> Double {
        var maximum = -Double.infinity
        for value in values where value > maximum { maximum = value }
        guard maximum > -Double.infinity else { return -Double.infinity }
        var sum = 0.0
        for value in values { sum += exp(value - maximum) }
        return maximum + log(sum)
    }

    /// The first index whose cumulative weight exceeds `u` (the last when rounding leaves none).
    private static func firstIndex(above u: Double, in cumulative: [Double], count: Int) -> Int {
        var low = 0, high = count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > u { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
