#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The standard normal arithmetic of the Parzen estimators' kernels: log probability masses of
/// intervals and the inverse of the cumulative distribution, accurate far into the tails.
///
/// The formulas follow Optuna's `_truncnorm` (itself from SciPy): masses are computed in the left
/// tail, where `erfc` keeps its relative precision, and the right tail by symmetry; below −20 the
/// log CDF uses its asymptotic series, since `erfc` underflows near −38 and a kernel of bandwidth
/// 1/100 of the range reaches −100 standard deviations from its centre.
enum TruncatedNormal {
    /// `log(√(2π))`.
    static let logSqrtTwoPi = 0.5 * log(2 * Double.pi)

    /// The standard normal CDF `Φ(x)`, through `erfc` so that the left tail keeps its precision.
    static func cdf(_ x: Double) -> Double {
        0.5 * erfc(-x / 2.0.squareRoot())
    }

    /// `log Φ(x)`: `log(Φ)` down to −20, the asymptotic series (as SciPy's `log_ndtr`) below.
    static func logCDF(_ x: Double) -> Double {
        if x > 6 { return -cdf(-x) }  // log(1 − ε) ≈ −ε, with ε = Φ(−x) exact.
        if x > -20 { return log(cdf(x)) }
        // log Φ(x) = −x²/2 − log(−x) − log√(2π) + log(1 − 1/x² + 3/x⁴ − 15/x⁶ + …).
        let leading = -0.5 * x * x - log(-x) - logSqrtTwoPi
        var lastTotal = 0.0, total = 1.0, numerator = 1.0, denominatorFactor = 1.0
        let inverseSquare = 1 / (x * x)
        var sign = 1.0
        var term = 0
        while abs(lastTotal - total) > Double.ulpOfOne && term < 100 {
            term += 1
            lastTotal = total
            sign = -sign
            denominatorFactor *= inverseSquare
            numerator *= Double(2 * term - 1)
            total += sign * numerator * denominatorFactor
        }
        return leading + log(total)
    }

    /// `log(Φ(b) − Φ(a))` for `a ≤ b`: the log probability that a standard normal falls in `[a, b]`.
    /// Intervals narrower than 1e-6 use the midpoint rule, whose relative error (about width²) is far
    /// below the cancellation the difference of two CDFs would suffer there.
    static func logMass(from a: Double, to b: Double) -> Double {
        let width = b - a
        if width < 1e-6 {
            let middle = 0.5 * (a + b)
            return -0.5 * middle * middle - logSqrtTwoPi + log(Swift.max(width, Double.leastNonzeroMagnitude))
        }
        if b <= 0 { return logDifference(logCDF(b), logCDF(a)) }
        if a > 0 { return logDifference(logCDF(-a), logCDF(-b)) }
        // Straddling 0: 1 − Φ(a) − Φ(−b) has no cancellation worth worrying about (it is ≥ the
        // mass of [0, min(|a|, b)]) and avoids log1mexp's loss near a mass of 1.
        return log1p(-cdf(a) - cdf(-b))
    }

    /// `log(exp(p) − exp(q))` for `p ≥ q`.
    private static func logDifference(_ p: Double, _ q: Double) -> Double {
        p + log1p(-exp(q - p))
    }

    /// The log density of the standard normal at `x`.
    static func logDensity(_ x: Double) -> Double {
        -0.5 * x * x - logSqrtTwoPi
    }

    /// The point `x` in `[a, b]` (with `a ≤ 0 ≤ b`, as for every kernel of a Parzen estimator, whose
    /// centre lies in its range) where the normal truncated to `[a, b]` has CDF `q`, so that a uniform
    /// `q` gives a sample of the truncated normal. The lower half of the mass is inverted from below
    /// and the upper half from above, so neither end loses precision to `1 − p`.
    static func truncatedQuantile(_ q: Double, lower a: Double, upper b: Double) -> Double {
        let lowerTail = cdf(a), upperTail = cdf(-b)
        let mass = Swift.max(1 - lowerTail - upperTail, 0)
        let below = lowerTail + q * mass
        let x: Double
        if below <= 0.5 {
            x = quantile(below)
        } else {
            x = -quantile(upperTail + (1 - q) * mass)
        }
        return Swift.min(Swift.max(x, a), b)
    }

    /// The standard normal quantile `Φ⁻¹(p)`: Acklam's rational approximation (relative error
    /// 1.2e-9) refined by two Halley steps on `Φ`, which bring it to the precision of `erfc`.
    static func quantile(_ p: Double) -> Double {
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        let low = 0.02425
        var x: Double
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            x = (((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q
                - 2.549732539343734e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00)
                / ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q
                    + 3.754408661907416e+00) * q + 1)
        } else if p <= 1 - low {
            let q = p - 0.5, r = q * q
            x = (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r
                + 1.383577518672690e+02) * r - 3.066479806614716e+01) * r + 2.506628277459239e+00) * q
                / (((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r - 1.556989798598866e+02) * r
                    + 6.680131188771972e+01) * r - 1.328068155288572e+01) * r + 1)
        } else {
            let q = (-2 * log1p(-p)).squareRoot()
            x = -(((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q
                - 2.549732539343734e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00)
                / ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q
                    + 3.754408661907416e+00) * q + 1)
        }
        // Halley's method on Φ(x) − p; in the upper half the error is taken through the upper tail.
        for _ in 0..<2 {
            let error = x <= 0 ? cdf(x) - p : (1 - p) - cdf(-x)
            let u = error * exp(0.5 * x * x + logSqrtTwoPi)
            x -= u / (1 + 0.5 * x * u)
        }
        return x
    }
}
