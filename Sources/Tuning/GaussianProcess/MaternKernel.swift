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
public struct MaternKernel: Sendable, Codable, Hashable {
    /// The prior variance of the function (`k(a, a)`), in the units of the targets the process sees.
    public let amplitude: Double
    /// One positive length scale per unit-cube dimension.
    public let lengthScales: [Double]

    /// The number of input dimensions (the count of `lengthScales`).
    public var dimensionCount: Int { lengthScales.count }

    /// A kernel with the given amplitude and length scales.
    ///
    /// Throws `GaussianProcessError.invalidHyperparameter` when the amplitude or a length scale is not a
    /// positive finite number, or when there are no length scales.
    public init(amplitude: Double, lengthScales: [Double]) throws(GaussianProcessError) {
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
    }

    /// Creates a kernel from values already validated by the caller (the fitting code's log parameters).
    init(uncheckedAmplitude amplitude: Double, lengthScales: [Double]) {
        self.amplitude = amplitude
        self.lengthScales = lengthScales
    }

    /// The covariance of two points. Both must have `dimensionCount` coordinates (traps otherwise:
    /// points reaching the kernel have been validated by the Gaussian process).
    public func callAsFunction(_ a: [Double], _ b: [Double]) -> Double {
        precondition(
            a.count == lengthScales.count && b.count == lengthScales.count,
            "MaternKernel: points have \(a.count) and \(b.count) coordinates, expected \(lengthScales.count)")
        var squared = 0.0
        for k in 0..<lengthScales.count {
            let delta = (a[k] - b[k]) / lengthScales[k]
            squared += delta * delta
        }
        return amplitude * Self.correlation(distance: squared.squareRoot())
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
