#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The standard normal distribution's functions that the acquisition functions share.
public enum StandardNormal {
    /// `log Φ(z)`, the logarithm of the standard normal distribution function, for any `z` (−∞ for
    /// z = −∞, NaN for NaN), without underflow: `Φ(z)` itself underflows a Double below about z = −38,
    /// where a maximizer would see a flat zero.
    /// - `z > −1`: `log(½·erfc(−z/√2))` directly;
    /// - `−25 < z ≤ −1`: `log(½·erfcx(x)) − x²` with `x = −z/√2` and `erfcx(x) = exp(x²)·erfc(x)`, finite here;
    /// - `z ≤ −25`: the asymptotic series `Φ(z) = φ(z)/|z| · (1 − 1/z² + 3/z⁴ − …)`.
    ///
    /// The log probability of improvement (`LogProbabilityOfImprovement`) and of feasibility
    /// (`LogProbabilityOfFeasibility`) are both this function of a standardized distance.
    public static func logCDF(_ z: Double) -> Double {
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
}
