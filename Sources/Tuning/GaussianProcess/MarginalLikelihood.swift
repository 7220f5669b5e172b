#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The negative log marginal likelihood of standardized targets and its analytic gradient with respect
/// to the log hyperparameters `θ = (log amplitude, log ℓ_1 … log ℓ_d, log noise variance)`.
///
/// `-log p(y | θ) = ½ yᵀK⁻¹y + ½ log|K| + (n/2) log 2π` and
/// `∂/∂θ_j = -½ tr((ααᵀ - K⁻¹) ∂K/∂θ_j)` with `α = K⁻¹y`. For the Matérn-5/2 kernel,
/// `∂K/∂log amplitude = K_f` (the noise-free part), `∂K/∂log noise = noise · I` and
/// `∂k/∂log ℓ_c = amplitude · (5/3)(1 + √5 r) e^{-√5 r} · (Δ_c/ℓ_c)²`.
///
/// With the additive component (`MaternKernel.additiveAmplitude`, when `hasAdditiveComponent`), θ has
/// one more entry, log additive amplitude `s_a`, after the log noise (so the plain layout is a prefix):
/// `∂K/∂log s_a` is the additive part and each length scale gets
/// `(s_a/d) · (5/3)(1 + √5 ρ_c) e^{-√5 ρ_c} ρ_c²` more, `ρ_c = |Δ_c|/ℓ_c`.
///
/// A reference type because one fit evaluates it a few hundred times on the same data: the three n×n
/// buffers (covariance, factor, length-scale factor) are allocated once. Not shared between threads.
final class MarginalLikelihood {
    let count: Int
    let dimensionCount: Int
    /// Whether θ ends with the log additive amplitude.
    let hasAdditiveComponent: Bool
    private let inputs: [Double]
    private let targets: [Double]
    private var scaled: [Double]
    private var covariance: [Double]
    private var factor: [Double]
    private var lengthScaleFactors: [Double]
    private var weights: [Double]
    /// The last error of an evaluation (kept so a fit that fails everywhere can say why).
    private(set) var lastError: GaussianProcessError?

    /// A workspace for the row-major `inputs` (n×d) and their standardized `targets`.
    init(flatInputs: [Double], dimensionCount: Int, standardizedTargets: [Double], hasAdditiveComponent: Bool = false) {
        count = standardizedTargets.count
        self.dimensionCount = dimensionCount
        self.hasAdditiveComponent = hasAdditiveComponent
        inputs = flatInputs
        targets = standardizedTargets
        scaled = flatInputs
        covariance = [Double](repeating: 0, count: count * count)
        factor = covariance
        lengthScaleFactors = covariance
        weights = standardizedTargets
    }

    /// The negative log marginal likelihood at `theta` and, when `wantsGradient`, its gradient (empty
    /// otherwise). Nil when the covariance cannot be factored even with jitter.
    func evaluate(_ theta: [Double], wantsGradient: Bool) -> (value: Double, gradient: [Double])? {
        do {
            return try evaluateThrowing(theta, wantsGradient: wantsGradient)
        } catch {
            lastError = error
            return nil
        }
    }

    func evaluateThrowing(_ theta: [Double], wantsGradient: Bool) throws(GaussianProcessError) -> (value: Double, gradient: [Double]) {
        let n = count, d = dimensionCount
        let amplitude = exp(theta[0])
        let noise = exp(theta[d + 1])
        let additiveAmplitude = hasAdditiveComponent ? exp(theta[d + 2]) : 0
        for index in 0..<(n * d) { scaled[index] = inputs[index] * exp(-theta[1 + index % d]) }
        let sqrt5 = MaternKernel.sqrt5
        let terms = hasAdditiveComponent
            ? AdditiveTerms(flatPoints: inputs, dimensionCount: d, inverseLengths: (0..<d).map { exp(-theta[1 + $0]) })
            : nil
        let tabulated = terms?.isTabulated ?? false
        let table = terms?.table ?? []
        let perTerm = additiveAmplitude / Double(d)

        var halfLogDeterminant = 0.0
        var gradient: [Double] = []
        try table.withUnsafeBufferPointer { (t) throws(GaussianProcessError) in
            try scaled.withUnsafeBufferPointer { (z) throws(GaussianProcessError) in
                try covariance.withUnsafeMutableBufferPointer { (k) throws(GaussianProcessError) in
                    try lengthScaleFactors.withUnsafeMutableBufferPointer { (g) throws(GaussianProcessError) in
                        try factor.withUnsafeMutableBufferPointer { (l) throws(GaussianProcessError) in
                            try weights.withUnsafeMutableBufferPointer { (w) throws(GaussianProcessError) in
                                guard let kBase = k.baseAddress, let lBase = l.baseAddress, let wBase = w.baseAddress
                                else { return }
                                // The additive table (empty and unused without the component: an empty
                                // array's buffer may still have a base address, so the flag decides).
                                let tBase = terms == nil ? nil : t.baseAddress
                                // Lower triangle of K (column-major) and, for the gradient, of the
                                // length-scale factor amplitude·(5/3)(1 + √5 r)e^{-√5 r}.
                                for j in 0..<n {
                                    kBase[j * n + j] = amplitude + additiveAmplitude + noise
                                    for i in (j + 1)..<n {
                                        var squared = 0.0
                                        for c in 0..<d {
                                            let delta = z[i * d + c] - z[j * d + c]
                                            squared += delta * delta
                                        }
                                        let s = sqrt5 * squared.squareRoot()
                                        let e = exp(-s)
                                        kBase[j * n + i] = amplitude * (1 + s + s * s / 3) * e
                                        if let tBase {
                                            kBase[j * n + i] += additiveAmplitude * AdditiveTerms.meanCorrelation(
                                                tBase + 3 * d * i, tBase + 3 * d * j, dimensionCount: d, tabulated: tabulated)
                                        }
                                        if wantsGradient { g[j * n + i] = amplitude * (5.0 / 3.0) * (1 + s) * e }
                                    }
                                }
                                _ = try CholeskyFactorization.factorize(kBase, into: lBase, order: n)
                                for i in 0..<n { wBase[i] = targets[i] }
                                try CholeskyFactorization.solve(factor: lBase, order: n, rightHandSide: wBase)
                                halfLogDeterminant = CholeskyFactorization.halfLogDeterminant(factor: lBase, order: n)
                                guard wantsGradient else { return }

                                try CholeskyFactorization.invert(factor: lBase, order: n)
                                var amplitudeGradient = 0.0, noiseGradient = 0.0, additiveGradient = 0.0
                                var lengthGradient = [Double](repeating: 0, count: d)
                                for j in 0..<n {
                                    let alphaJ = wBase[j]
                                    let diagonalWeight = alphaJ * alphaJ - lBase[j * n + j]
                                    amplitudeGradient += 0.5 * diagonalWeight * amplitude
                                    noiseGradient += 0.5 * diagonalWeight * noise
                                    additiveGradient += 0.5 * diagonalWeight * additiveAmplitude
                                    for i in (j + 1)..<n {
                                        // Off-diagonal terms appear twice in the trace, cancelling the ½.
                                        let weight = wBase[i] * alphaJ - lBase[j * n + i]
                                        let lengthWeight = weight * g[j * n + i]
                                        for c in 0..<d {
                                            let delta = z[i * d + c] - z[j * d + c]
                                            lengthGradient[c] += lengthWeight * delta * delta
                                        }
                                        guard let tBase else {
                                            amplitudeGradient += weight * kBase[j * n + i]
                                            continue
                                        }
                                        // The additive part, term by term (its value, then each length
                                        // scale's share); the product part is what is left of K.
                                        var additive = 0.0
                                        let additiveWeight = weight * perTerm
                                        for c in 0..<d {
                                            let (s, e, difference) = AdditiveTerms.term(
                                                tBase + 3 * (i * d + c), tBase + 3 * (j * d + c), tabulated: tabulated)
                                            additive += (1 + s + s * s / 3) * e
                                            lengthGradient[c] += additiveWeight * (5.0 / 3.0) * (1 + s) * e * difference * difference
                                        }
                                        additive *= perTerm
                                        additiveGradient += weight * additive
                                        amplitudeGradient += weight * (kBase[j * n + i] - additive)
                                    }
                                }
                                // These are derivatives of the log likelihood; the objective is its negative.
                                gradient = [-amplitudeGradient] + lengthGradient.map { -$0 } + [-noiseGradient]
                                if hasAdditiveComponent { gradient.append(-additiveGradient) }
                            }
                        }
                    }
                }
            }
        }
        var dataFit = 0.0
        for i in 0..<n { dataFit += targets[i] * weights[i] }
        let value = 0.5 * dataFit + halfLogDeterminant + 0.5 * Double(n) * log(2 * Double.pi)
        return (value, gradient)
    }
}
