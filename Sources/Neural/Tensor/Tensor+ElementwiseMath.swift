#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Elementwise math (`exp`, `log`, `sqrt`, `pow`, `maximum`, ...), each with its gradient.
///
/// Unary kernels are one pass over the elements into a fresh buffer. Backward functions are written
/// with these same recorded operations, so an outer tape records them and second derivatives work.
///
/// Inside `extension Tensor` code, the unqualified names `abs`, `exp`, `log`, `sqrt`, `pow`, ... now
/// refer to these methods (Swift looks up members before globals): call the scalar functions there as
/// `Swift.abs`, `expf`, `logf`, `sqrtf`, `powf`.
extension Tensor {
    /// A tensor of the same shape whose elements are `transform` of this one's. Not recorded.
    @inline(__always)
    internal func mapUnrecorded(_ transform: (Float) -> Float) -> Tensor {
        withUnsafeBufferPointer { p in
            Tensor.make(shape: shape, count: p.count) { out in
                for i in 0..<out.count { out[i] = transform(p[i]) }
            }
        }
    }

    // MARK: - Sign and magnitude

    /// The absolute value of each element. Differentiable; the gradient at 0 is 0 (as in TensorFlow).
    public func abs() -> Tensor {
        let result = mapUnrecorded { Swift.abs($0) }
        if Tensor.isRecording {
            let x = self
            result.record(inputs: [x]) { g, _ in [g * x.sign()] }
        }
        return result
    }

    /// -1, 0 or 1 by the sign of each element (NaN stays NaN). Its gradient is zero everywhere.
    public func sign() -> Tensor {
        let result = mapUnrecorded { $0 > 0 ? 1 : ($0 < 0 ? -1 : $0) }
        if Tensor.isRecording {
            let inputShape = shape
            result.record(inputs: [self]) { _, _ in [Tensor(zeros: inputShape)] }
        }
        return result
    }

    // MARK: - Exponentials and logarithms

    /// `e` raised to each element. Differentiable: the gradient is the result itself.
    public func exp() -> Tensor {
        let result = mapUnrecorded { expf($0) }
        if Tensor.isRecording {
            result.record(inputs: [self]) { g, _ in [g * result] }
        }
        return result
    }

    /// The natural logarithm of each element (`-inf` at 0, NaN below). Differentiable: `1 / x`.
    public func log() -> Tensor {
        let result = mapUnrecorded { logf($0) }
        if Tensor.isRecording {
            let x = self
            result.record(inputs: [x]) { g, _ in [g / x] }
        }
        return result
    }

    /// `log(1 + x)`, accurate for small `x`. Differentiable: `1 / (1 + x)`.
    public func log1p() -> Tensor {
        let result = mapUnrecorded { log1pf($0) }
        if Tensor.isRecording {
            let x = self
            result.record(inputs: [x]) { g, _ in [g / (1 + x)] }
        }
        return result
    }

    // MARK: - Powers

    /// The square root of each element. Differentiable: `1 / (2 sqrt(x))`, which is `+inf` at 0.
    public func sqrt() -> Tensor {
        let result = mapUnrecorded { sqrtf($0) }
        if Tensor.isRecording {
            result.record(inputs: [self]) { g, _ in [g / (result * 2)] }
        }
        return result
    }

    /// `1 / sqrt(x)` for each element. Differentiable: `-rsqrt(x)³ / 2`.
    public func rsqrt() -> Tensor {
        let result = mapUnrecorded { 1 / sqrtf($0) }
        if Tensor.isRecording {
            result.record(inputs: [self]) { g, _ in [g * (result * result * result) * -0.5] }
        }
        return result
    }

    /// Each element squared. Differentiable: `2x`.
    public func squared() -> Tensor {
        let result = mapUnrecorded { $0 * $0 }
        if Tensor.isRecording {
            let x = self
            result.record(inputs: [x]) { g, _ in [g * x * 2] }
        }
        return result
    }

    /// Each element raised to `exponent` (C's `powf`: a negative base with a non-integer exponent gives
    /// NaN). Differentiable: `exponent · x^(exponent - 1)`; exactly 0 when `exponent` is 0.
    public func pow(_ exponent: Float) -> Tensor {
        let result: Tensor
        switch exponent {
        case 1: result = mapUnrecorded { $0 }
        case 2: result = mapUnrecorded { $0 * $0 }
        default: result = mapUnrecorded { powf($0, exponent) }
        }
        if Tensor.isRecording {
            let x = self
            result.record(inputs: [x]) { g, _ in
                switch exponent {
                case 0: return [Tensor(zeros: x.shape)]
                case 1: return [g]
                case 2: return [g * x * 2]
                default: return [g * x.pow(exponent - 1) * exponent]
                }
            }
        }
        return result
    }

    /// `base` raised to `exponent`, elementwise with NumPy broadcasting (C's `powf` semantics). Traps
    /// (naming both shapes) when they do not broadcast.
    ///
    /// Differentiable in both: the base's gradient is `exponent · base^(exponent - 1)` and the
    /// exponent's is `log(base) · result` where `base > 0` and 0 elsewhere (where the logarithm is not
    /// real), as in TensorFlow. Like TensorFlow's, the base's gradient is NaN at `base = 0, exponent = 0`.
    public static func pow(_ base: Tensor, _ exponent: Tensor) -> Tensor {
        let result = broadcastingKernel(base, exponent, op: "pow") { powf($0, $1) }
        if isRecording {
            result.record(inputs: [base, exponent]) { g, needed in
                [needed[0] ? (g * exponent * Tensor.pow(base, exponent - 1)).sum(toShape: base.shape) : nil,
                 needed[1]
                    ? (g * result * Tensor.where(base .> 0, base, Tensor(1)).log()).sum(toShape: exponent.shape)
                    : nil]
            }
        }
        return result
    }

    // MARK: - Trigonometric and hyperbolic

    /// The sine of each element (radians). Differentiable: `cos(x)`.
    public func sin() -> Tensor {
        let result = mapUnrecorded { sinf($0) }
        if Tensor.isRecording {
            let x = self
            result.record(inputs: [x]) { g, _ in [g * x.cos()] }
        }
        return result
    }

    /// The cosine of each element (radians). Differentiable: `-sin(x)`.
    public func cos() -> Tensor {
        let result = mapUnrecorded { cosf($0) }
        if Tensor.isRecording {
            let x = self
            result.record(inputs: [x]) { g, _ in [-(g * x.sin())] }
        }
        return result
    }

    /// The hyperbolic tangent of each element. Differentiable: `1 - tanh(x)²`.
    public func tanh() -> Tensor {
        let result = mapUnrecorded { tanhf($0) }
        if Tensor.isRecording {
            result.record(inputs: [self]) { g, _ in [g * (1 - result * result)] }
        }
        return result
    }

    /// The error function of each element (used by the exact GELU). Differentiable: `2/√π · e^(-x²)`.
    public func erf() -> Tensor {
        let result = mapUnrecorded { erff($0) }
        if Tensor.isRecording {
            let x = self
            result.record(inputs: [x]) { g, _ in [g * (-x.squared()).exp() * Float(2 / Double.pi.squareRoot())] }
        }
        return result
    }

    // MARK: - Clipping

    /// Each element limited to `min...max` (TensorFlow's `clip_by_value`). Differentiable: the gradient
    /// is 1 inside the interval, bounds included, and 0 outside. NaN elements stay NaN.
    /// Traps when `min > max` or either bound is NaN.
    public func clipped(min lower: Float, max upper: Float) -> Tensor {
        guard lower <= upper else {
            trap(.invalidArgument(op: "clipped(min:max:)", message: "min \(lower) must not exceed max \(upper)"))
        }
        let result = mapUnrecorded { $0 < lower ? lower : ($0 > upper ? upper : $0) }
        if Tensor.isRecording {
            let x = self
            result.record(inputs: [x]) { g, _ in
                let inside = x.mapUnrecorded { $0 >= lower && $0 <= upper ? 1 : 0 }
                return [Tensor.where(inside, g, Tensor(0))]
            }
        }
        return result
    }
}

// MARK: - Maximum and minimum

/// The larger of `a` and `b` elementwise, with NumPy broadcasting; NaN if either is NaN. Traps (naming
/// both shapes) when they do not broadcast.
///
/// Differentiable in both: the gradient goes to whichever is larger. On a tie it all goes to `a`, the
/// first argument (TensorFlow's rule, so a tie never splits or doubles the gradient).
public func maximum(_ a: Tensor, _ b: Tensor) -> Tensor {
    let result = Tensor.broadcastingKernel(a, b, op: "maximum") { x, y in x >= y || x.isNaN ? x : y }
    if Tensor.isRecording {
        result.record(inputs: [a, b]) { g, needed in
            let firstWins = Tensor.broadcastingKernel(a, b, op: "maximum") { x, y in x >= y || x.isNaN ? 1 : 0 }
            return [needed[0] ? Tensor.where(firstWins, g, Tensor(0)).sum(toShape: a.shape) : nil,
                    needed[1] ? Tensor.where(firstWins, Tensor(0), g).sum(toShape: b.shape) : nil]
        }
    }
    return result
}

/// The larger of each element and a scalar; see ``maximum(_:_:)-(Tensor,Tensor)``. Generic in the
/// scalar so that `maximum(x, 0)` is not ambiguous (the literal could also be a `Tensor`).
public func maximum<S: BinaryFloatingPoint>(_ a: Tensor, _ b: S) -> Tensor { maximum(a, Tensor(Float(b))) }

/// The larger of a scalar and each element; see ``maximum(_:_:)-(Tensor,Tensor)``.
public func maximum<S: BinaryFloatingPoint>(_ a: S, _ b: Tensor) -> Tensor { maximum(Tensor(Float(a)), b) }

/// The smaller of `a` and `b` elementwise, with NumPy broadcasting; NaN if either is NaN. Traps (naming
/// both shapes) when they do not broadcast.
///
/// Differentiable in both: the gradient goes to whichever is smaller. On a tie it all goes to `a`, the
/// first argument (TensorFlow's rule).
public func minimum(_ a: Tensor, _ b: Tensor) -> Tensor {
    let result = Tensor.broadcastingKernel(a, b, op: "minimum") { x, y in x <= y || x.isNaN ? x : y }
    if Tensor.isRecording {
        result.record(inputs: [a, b]) { g, needed in
            let firstWins = Tensor.broadcastingKernel(a, b, op: "minimum") { x, y in x <= y || x.isNaN ? 1 : 0 }
            return [needed[0] ? Tensor.where(firstWins, g, Tensor(0)).sum(toShape: a.shape) : nil,
                    needed[1] ? Tensor.where(firstWins, Tensor(0), g).sum(toShape: b.shape) : nil]
        }
    }
    return result
}

/// The smaller of each element and a scalar; see ``minimum(_:_:)-(Tensor,Tensor)``. Generic in the
/// scalar so that `minimum(x, 0)` is not ambiguous (the literal could also be a `Tensor`).
public func minimum<S: BinaryFloatingPoint>(_ a: Tensor, _ b: S) -> Tensor { minimum(a, Tensor(Float(b))) }

/// The smaller of a scalar and each element; see ``minimum(_:_:)-(Tensor,Tensor)``.
public func minimum<S: BinaryFloatingPoint>(_ a: S, _ b: Tensor) -> Tensor { minimum(Tensor(Float(a)), b) }

// MARK: - Free-function forms

/// `base` raised to `exponent` elementwise with broadcasting; the same as ``Tensor/pow(_:_:)``.
public func pow(_ base: Tensor, _ exponent: Tensor) -> Tensor { Tensor.pow(base, exponent) }

/// `e` raised to each element; the same as ``Tensor/exp()``.
public func exp(_ x: Tensor) -> Tensor { x.exp() }

/// The natural logarithm of each element; the same as ``Tensor/log()``.
public func log(_ x: Tensor) -> Tensor { x.log() }

/// The square root of each element; the same as ``Tensor/sqrt()``.
public func sqrt(_ x: Tensor) -> Tensor { x.sqrt() }

/// The absolute value of each element; the same as ``Tensor/abs()``.
public func abs(_ x: Tensor) -> Tensor { x.abs() }
