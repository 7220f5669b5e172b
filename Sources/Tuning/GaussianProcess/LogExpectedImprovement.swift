#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The logarithm of expected improvement for minimization, computed without underflow.
///
/// With a Gaussian posterior of mean μ and standard deviation σ and the best value so far `f*`,
/// `EI = σ · h(z)` with `z = (f* − μ)/σ` and `h(z) = φ(z) + zΦ(z)`. Far from the incumbent `h(z)`
/// underflows (below about z = −38) and plain EI becomes a flat zero that an optimizer cannot climb;
/// `log h` stays finite and informative everywhere. Following Ament et al., "Unexpected Improvements to
/// Expected Improvement for Bayesian Optimization" (NeurIPS 2023):
/// - `z > −1`: `log(φ(z) + zΦ(z))` directly (no cancellation there);
/// - `−25 < z ≤ −1`: `log φ(z) + log1mexp(log(erfcx(−z/√2)·|z|) + log(√(π/2)))`, with the scaled
///   complementary error function `erfcx(x) = exp(x²)·erfc(x)`, which is finite here;
/// - `z ≤ −25`: the asymptotic series `h(z) = φ(z)/z² · (1 − 3/z² + 15/z⁴ − …)`, accurate to rounding
///   at that distance (where the paper's last branch keeps only the leading term).
public enum LogExpectedImprovement {
    /// `log h(z)` with `h(z) = φ(z) + zΦ(z)`, for any finite `z` (−∞ for z = −∞, NaN for NaN).
    public static func logH(_ z: Double) -> Double {
        if z.isNaN { return .nan }
        if z > -1 {
            let density = exp(-0.5 * z * z) / (2 * Double.pi).squareRoot()
            let cumulative = 0.5 * erfc(-z / 2.0.squareRoot())
            return log(density + z * cumulative)
        }
        let logDensity = -0.5 * z * z - 0.5 * log(2 * Double.pi)
        if z > -25 {
            let x = -z / 2.0.squareRoot()
            let scaled = exp(x * x) * erfc(x)
            return logDensity + log1mexp(log(scaled * (-z)) + 0.5 * log(Double.pi / 2))
        }
        if z == -.infinity { return -.infinity }
        // h(z) = φ(z) Σ_k (−1)^k (2k+1)!! / z^(2k+2); terms shrink fast for |z| ≥ 25.
        let inverseSquare = 1 / (z * z)
        var term = 1.0, series = 1.0
        for k in 1...12 {
            term *= -Double(2 * k + 1) * inverseSquare
            series += term
        }
        return logDensity + log(inverseSquare) + log(series)
    }

    /// `log EI` for minimization at a posterior `mean` and `standardDeviation` against the best value
    /// `incumbent`. A zero standard deviation gives `log(max(incumbent − mean, 0))`.
    public static func value(mean: Double, standardDeviation: Double, incumbent: Double) -> Double {
        guard standardDeviation > 0 else {
            return incumbent > mean ? log(incumbent - mean) : -.infinity
        }
        return log(standardDeviation) + logH((incumbent - mean) / standardDeviation)
    }

    /// Plain expected improvement for minimization (underflows to 0 far from the incumbent; for
    /// comparison and display, the optimizer uses `value`).
    public static func expectedImprovement(mean: Double, standardDeviation: Double, incumbent: Double) -> Double {
        guard standardDeviation > 0 else { return Swift.max(incumbent - mean, 0) }
        let z = (incumbent - mean) / standardDeviation
        let density = exp(-0.5 * z * z) / (2 * Double.pi).squareRoot()
        let cumulative = 0.5 * erfc(-z / 2.0.squareRoot())
        return standardDeviation * (density + z * cumulative)
    }

    /// `log(1 − eˣ)` for `x < 0`, accurate both near 0 and for very negative `x` (Mächler, 2012).
    static func log1mexp(_ x: Double) -> Double {
        if x > -log(2.0) { return log(-expm1(x)) }
        return log1p(-exp(x))
    }
}

/// The acquisition function the Bayesian optimizer maximizes over candidates (targets are minimized).
public enum AcquisitionFunction: Sendable, Codable, Hashable {
    /// Log expected improvement over the best observed value (the default): balances exploration and
    /// exploitation without a parameter, and stays informative far from the incumbent.
    case logExpectedImprovement
    /// The lower confidence bound `μ − beta·σ`, minimized (Keras Tuner's `beta`, default 2.6, scales
    /// the standard deviation directly as Keras Tuner does, not its square root).
    case lowerConfidenceBound(beta: Double)
    /// Log probability of improvement on the incumbent by at least `margin` (standardized units):
    /// the most exploiting of the three, a member of scikit-optimize's `gp_hedge` portfolio.
    case logProbabilityOfImprovement(margin: Double)
    /// GP-Hedge (Hoffman, Brochu and de Freitas, 2011): every member proposes its own maximizer and
    /// one proposal is drawn by the members' past gains (`AcquisitionPortfolio`).
    case hedge(AcquisitionPortfolio)

    /// Keras Tuner's default exploration factor.
    public static let defaultBeta = 2.6

    /// Why this acquisition is unusable, or nil: a `beta` that is negative or not finite, a margin that
    /// is not finite, or a portfolio's problem (`AcquisitionPortfolio.problem()`, which checks its
    /// members with this).
    func problem() -> String? {
        switch self {
        case .logExpectedImprovement:
            return nil
        case let .lowerConfidenceBound(beta):
            return beta.isFinite && beta >= 0 ? nil : "beta must be finite and >= 0, got \(beta)"
        case let .logProbabilityOfImprovement(margin):
            return margin.isFinite ? nil : "the probability of improvement's margin must be finite, got \(margin)"
        case let .hedge(portfolio):
            return portfolio.problem()
        }
    }

    /// The score to maximize at a posterior mean and standard deviation (standardized units) given the
    /// incumbent. A portfolio is resolved by `BayesianOptimizer`, which scores each member; scored as
    /// one function it is its first member (log expected improvement for an empty one).
    func score(mean: Double, standardDeviation: Double, incumbent: Double) -> Double {
        switch self {
        case .logExpectedImprovement:
            return LogExpectedImprovement.value(mean: mean, standardDeviation: standardDeviation, incumbent: incumbent)
        case let .lowerConfidenceBound(beta):
            return -(mean - beta * standardDeviation)
        case let .logProbabilityOfImprovement(margin):
            return LogProbabilityOfImprovement.value(
                mean: mean, standardDeviation: standardDeviation, incumbent: incumbent, margin: margin)
        case let .hedge(portfolio):
            let first = portfolio.members.first ?? .logExpectedImprovement
            return first.score(mean: mean, standardDeviation: standardDeviation, incumbent: incumbent)
        }
    }
}
