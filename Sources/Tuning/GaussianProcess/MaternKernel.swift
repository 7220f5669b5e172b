#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The ARD Matérn-5/2 covariance: `k(a, b) = amplitude · (1 + √5 r + 5r²/3) · exp(-√5 r)` with
/// `r² = Σ_k ((a_k - b_k) / lengthScales[k])²`.
///
/// Matérn-5/2 rather than the squared exponential because validation scores are twice differentiable
/// at best; one length scale per unit-cube dimension (automatic relevance determination) so irrelevant
/// hyperparameters get long length scales. One-hot coordinates of a categorical variable are ordinary
/// dimensions here with their own length scales; `UnitCubeSpace` projects candidates onto one-hot
/// vertices, which makes the distance between two categories independent of their order (see
/// `UnitCubeSpace`). The observation noise is not part of the kernel: it is
/// `GaussianProcess.Hyperparameters.noiseVariance`, added on the diagonal of the training covariance.
///
/// **Additive component.** With `additiveAmplitude > 0` the covariance also has
/// `additiveAmplitude · (1/d) Σ_k m(|a_k - b_k| / lengthScales[k])`, `m` the one-dimensional Matérn-5/2
/// correlation (same length scales as the product). The product part correlates two points only when
/// they are close in every coordinate; the additive part lets what was learned about one coordinate at
/// one point carry to points that differ in the others, which is what separable objectives (a sum of
/// one-coordinate terms: Styblinski–Tang, Michalewicz, Levy) reward. `k(a, a)` is
/// `amplitude + additiveAmplitude`; an additive amplitude of 0 is the plain ARD kernel.
public struct MaternKernel: Sendable, Codable, Hashable {
    /// The prior variance of the product (ARD) part, in the units of the targets the process sees.
    public let amplitude: Double
    /// One positive length scale per unit-cube dimension.
    public let lengthScales: [Double]
    /// The prior variance of the additive part (0: none). Absent in kernels encoded before it existed,
    /// which decode with 0.
    public let additiveAmplitude: Double

    /// The prior variance of the function, `k(a, a)`.
    public var variance: Double { amplitude + additiveAmplitude }

    /// The number of input dimensions (the count of `lengthScales`).
    public var dimensionCount: Int { lengthScales.count }

    /// A kernel with the given amplitude, length scales and additive amplitude (0, the default: the
    /// plain ARD kernel).
    ///
    /// Throws `GaussianProcessError.invalidHyperparameter` when the amplitude or a length scale is not a
    /// positive finite number, when there are no length scales, or when the additive amplitude is
    /// negative or not finite.
    public init(amplitude: Double, lengthScales: [Double], additiveAmplitude: Double = 0) throws(GaussianProcessError) {
        guard additiveAmplitude.isFinite, additiveAmplitude >= 0 else {
            throw .invalidHyperparameter("the additive amplitude must be finite and >= 0, got \(additiveAmplitude)")
        }
        guard amplitude.isFinite, amplitude > 0 else {
            throw .invalidHyperparameter("the kernel amplitude must be positive and finite, got \(amplitude)")
        }
        guard !lengthScales.isEmpty else {
            throw .invalidHyperparameter("the kernel needs one length scale per dimension, got none")
        }
        if let index = lengthScales.firstIndex(where: { !($0.isFinite && $0 > 0) }) {
            throw .invalidHyperparameter(
                "length scale \(index) must be positive and finite, got \(lengthScales[index])")
        }
        self.amplitude = amplitude
        self.lengthScales = lengthScales
        self.additiveAmplitude = additiveAmplitude
    }

    /// Creates a kernel from values already validated by the caller (the fitting code's log parameters).
    init(uncheckedAmplitude amplitude: Double, lengthScales: [Double], additiveAmplitude: Double = 0) {
        self.amplitude = amplitude
        self.lengthScales = lengthScales
        self.additiveAmplitude = additiveAmplitude
    }

    private enum CodingKeys: String, CodingKey {
        case amplitude, lengthScales, additiveAmplitude
    }

    /// Decodes a kernel; one encoded before the additive component existed has none (0).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        amplitude = try container.decode(Double.self, forKey: .amplitude)
        lengthScales = try container.decode([Double].self, forKey: .lengthScales)
        additiveAmplitude = try container.decodeIfPresent(Double.self, forKey: .additiveAmplitude) ?? 0
    }

    /// Encodes the kernel; without an additive component it is written as before the component existed.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(amplitude, forKey: .amplitude)
        try container.encode(lengthScales, forKey: .lengthScales)
        if additiveAmplitude > 0 { try container.encode(additiveAmplitude, forKey: .additiveAmplitude) }
    }

    /// The covariance of two points. Both must have `dimensionCount` coordinates (traps otherwise:
    /// points reaching the kernel have been validated by the Gaussian process).
    public func callAsFunction(_ a: [Double], _ b: [Double]) -> Double {
        precondition(
            a.count == lengthScales.count && b.count == lengthScales.count,
            "MaternKernel: points have \(a.count) and \(b.count) coordinates, expected \(lengthScales.count)")
        var squared = 0.0, additive = 0.0
        for k in 0..<lengthScales.count {
            let delta = (a[k] - b[k]) / lengthScales[k]
            squared += delta * delta
            if additiveAmplitude > 0 { additive += Self.correlation(distance: abs(delta)) }
        }
        return amplitude * Self.correlation(distance: squared.squareRoot())
            + additiveAmplitude * additive / Double(lengthScales.count)
    }

    /// The Matérn-5/2 correlation `(1 + √5 r + 5r²/3) · exp(-√5 r)` at a scaled distance `r ≥ 0`.
    @inline(__always)
    public static func correlation(distance r: Double) -> Double {
        let s = sqrt5 * r
        return (1 + s + s * s / 3) * exp(-s)
    }

    /// `-r · d(correlation)/dr`, which is what the derivative with respect to a log length scale needs:
    /// `∂k/∂log ℓ_k = amplitude · (5/3)(1 + √5 r) exp(-√5 r) · (Δ_k / ℓ_k)²`; this returns the factor
    /// `(5/3)(1 + √5 r) exp(-√5 r)` (finite at r = 0, unlike the derivative in r divided by r).
    @inline(__always)
    static func lengthScaleFactor(distance r: Double, exponential: Double) -> Double {
        (5.0 / 3.0) * (1 + sqrt5 * r) * exponential
    }

    static let sqrt5 = 5.0.squareRoot()
}

/// The additive component's one-dimensional terms for a set of points, in a form that needs no
/// exponential per pair: with `z = (x - ½)/ℓ` per coordinate, `exp(-√5 |z_i - z_j|)` is
/// `down_i · up_j` when `z_i ≥ z_j` (and `down_j · up_i` otherwise), with `up = exp(√5 z)` and
/// `down = exp(-√5 z)` tabulated once per point. Without it the additive part would cost `d`
/// exponentials per pair, several times the product part, in every fit and prediction. Inputs lie in
/// the unit cube and length scales are at least 0.01 in a fit, so `√5 |z| ≤ 112` and the table stays
/// far from overflow; the products carry a few ulps of rounding. Tables with larger `√5 |z|` (hand-set
/// tiny length scales) fall back to one exponential per term.
struct AdditiveTerms {
    /// Per point, per coordinate: the centred scaled coordinate `z`, `exp(√5 z)` and `exp(-√5 z)`;
    /// `3d` values per point, row-major. One array read through one pointer keeps the pair loops free
    /// of reference counting and bounds checks.
    var table: [Double]
    let dimensionCount: Int
    /// Whether every exponential is a normal number, so their products are exact to a few ulps.
    let isTabulated: Bool

    /// The table of row-major `points` (d coordinates each) for `inverseLengths` (one per coordinate).
    init(flatPoints points: [Double], dimensionCount d: Int, inverseLengths: [Double]) {
        dimensionCount = d
        table = [Double](repeating: 0, count: 3 * points.count)
        var largest = 0.0
        for index in points.indices {
            let z = (points[index] - 0.5) * inverseLengths[index % d]
            let e = exp(MaternKernel.sqrt5 * z)
            table[3 * index] = z
            table[3 * index + 1] = e
            table[3 * index + 2] = 1 / e
            largest = Swift.max(largest, abs(z))
        }
        isTabulated = MaternKernel.sqrt5 * largest < 600
    }

    /// The scaled distance `s = √5 |z_a - z_b|`, `exp(-s)` and the signed difference `z_a - z_b` of
    /// one coordinate, `a` and `b` pointing at that coordinate's three values in two tables.
    @inline(__always)
    static func term(
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, tabulated: Bool
    ) -> (s: Double, exponential: Double, difference: Double) {
        let difference = a[0] - b[0]
        let s = MaternKernel.sqrt5 * abs(difference)
        let e = tabulated ? (difference >= 0 ? a[2] * b[1] : b[2] * a[1]) : exp(-s)
        return (s, e, difference)
    }

    /// `(1/d) Σ_k m(|z_ak - z_bk|)` for the rows starting at `a` and `b` (`3d` values each).
    @inline(__always)
    static func meanCorrelation(
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, dimensionCount d: Int, tabulated: Bool
    ) -> Double {
        var sum = 0.0
        for k in 0..<d {
            let (s, e, _) = term(a + 3 * k, b + 3 * k, tabulated: tabulated)
            sum += (1 + s + s * s / 3) * e
        }
        return sum / Double(d)
    }
}
