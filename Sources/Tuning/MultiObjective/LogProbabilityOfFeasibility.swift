#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The logarithm of the probability that a constraint is satisfied (value ≤ 0) under a Gaussian
/// prediction, computed without underflow: `log Φ((0 − μ)/σ)`.
public enum LogProbabilityOfFeasibility {
    /// `log Φ(z)` for the standard normal distribution function, accurate for very negative `z`
    /// (where Φ underflows, an asymptotic series is used).
    public static func logNormalCDF(_ z: Double) -> Double {
        if z.isNaN { return .nan }
        if z > -30 { return log(0.5 * erfc(-z / 2.0.squareRoot())) }
        if z == -.infinity { return -.infinity }
        // Φ(z) = φ(z)/|z| · (1 − 1/z² + 3/z⁴ − 15/z⁶ + …) for z → −∞.
        let inverseSquare = 1 / (z * z)
        let series = 1 - inverseSquare * (1 - inverseSquare * (3 - 15 * inverseSquare))
        return -0.5 * z * z - 0.5 * log(2 * Double.pi) - log(-z) + log(series)
    }

    /// `log P(c ≤ threshold)` for a prediction of `mean` and `standardDeviation` (0 when the standard
    /// deviation is 0 and the mean satisfies the bound, −∞ when it does not).
    public static func value(mean: Double, standardDeviation: Double, threshold: Double = 0) -> Double {
        guard standardDeviation > 0 else { return mean <= threshold ? 0 : -.infinity }
        return logNormalCDF((threshold - mean) / standardDeviation)
    }
}
