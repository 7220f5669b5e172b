/// The logarithm of the probability that a constraint is satisfied (value ≤ 0) under a Gaussian
/// prediction, computed without underflow: `log Φ((0 − μ)/σ)` (`StandardNormal.logCDF`).
public enum LogProbabilityOfFeasibility {
    /// `log P(c ≤ threshold)` for a prediction of `mean` and `standardDeviation` (0 when the standard
    /// deviation is 0 and the mean satisfies the bound, −∞ when it does not).
    public static func value(mean: Double, standardDeviation: Double, threshold: Double = 0) -> Double {
        guard standardDeviation > 0 else { return mean <= threshold ? 0 : -.infinity }
        return StandardNormal.logCDF((threshold - mean) / standardDeviation)
    }
}
