#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The logarithm of the probability of improvement for minimization, computed without underflow.
///
/// With a Gaussian posterior of mean μ and standard deviation σ and a target `f* − margin`,
/// `PI = Φ(z)` with `z = (f* − margin − μ)/σ`. Far below the target `Φ(z)` underflows (below about
/// z = −38) and a maximizer sees a flat zero; `log Φ(z)` stays finite:
/// - `z > −1`: `log(½·erfc(−z/√2))` directly;
/// - `−25 < z ≤ −1`: `log(½·erfcx(x)) − x²` with `x = −z/√2` and `erfcx(x) = exp(x²)·erfc(x)`, finite here;
/// - `z ≤ −25`: the asymptotic series `Φ(z) = φ(z)/|z| · (1 − 1/z² + 3/z⁴ − …)`.
public enum LogProbabilityOfImprovement {
    /// `log Φ(z)` for any `z` (−∞ for z = −∞, NaN for NaN).
    public static func logCumulative(_ z: Double) -> Double {
        if z.isNaN { return .nan }
        if z > -1 { return log(0.5 * erfc(-z / 2.0.squareRoot())) }
        if z > -25 {
            let x = -z / 2.0.squareRoot()
            return log(0.5 * exp(x * x) * erfc(x)) - x * x
        }
        if z == -.infinity { return -.infinity }
        // Φ(z) = φ(z)/|z| Σ_k (−1)^k (2k−1)!! / z^(2k); terms shrink fast for |z| ≥ 25.
        let inverseSquare = 1 / (z * z)
        var term = 1.0, series = 1.0
        for k in 1...12 {
            term *= -Double(2 * k - 1) * inverseSquare
            series += term
        }
        return -0.5 * z * z - 0.5 * log(2 * Double.pi) - log(-z) + log(series)
    }

    /// `log PI` for minimization at a posterior `mean` and `standardDeviation`: the log probability of
    /// a value below `incumbent − margin`. A zero standard deviation gives 0 or −∞.
    public static func value(mean: Double, standardDeviation: Double, incumbent: Double, margin: Double) -> Double {
        let target = incumbent - margin
        guard standardDeviation > 0 else { return mean < target ? 0 : -.infinity }
        return logCumulative((target - mean) / standardDeviation)
    }
}
