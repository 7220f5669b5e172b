/// The logarithm of the probability of improvement for minimization, computed without underflow.
///
/// With a Gaussian posterior of mean μ and standard deviation σ and a target `f* − margin`,
/// `PI = Φ(z)` with `z = (f* − margin − μ)/σ`. Far below the target `Φ(z)` underflows and a maximizer
/// would see a flat zero; `log Φ(z)` (`StandardNormal.logCDF`) stays finite.
public enum LogProbabilityOfImprovement {
    /// `log PI` for minimization at a posterior `mean` and `standardDeviation`: the log probability of
    /// a value below `incumbent − margin`. A zero standard deviation gives 0 or −∞.
    public static func value(mean: Double, standardDeviation: Double, incumbent: Double, margin: Double) -> Double {
        let target = incumbent - margin
        guard standardDeviation > 0 else { return mean < target ? 0 : -.infinity }
        return StandardNormal.logCDF((target - mean) / standardDeviation)
    }
}
