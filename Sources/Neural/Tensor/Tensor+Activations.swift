#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Activation functions as elementwise tensor ops, each with its gradient, with Keras's definitions.
extension Tensor {
    /// SELU's `alpha` (Klambauer et al. 2017, as in Keras and TensorFlow).
    public static let seluAlpha: Float = 1.6732632423543772
    /// SELU's `scale` (Klambauer et al. 2017, as in Keras and TensorFlow).
    public static let seluScale: Float = 1.0507009873554805

    /// The logistic sigmoid `1 / (1 + e^-x)`, computed without overflow for large `|x|`.
    /// Differentiable: `σ(x)(1 - σ(x))`.
    public func sigmoid() -> Tensor {
        let result = mapUnrecorded { stableSigmoid($0) }
        if Tensor.isRecording {
            result.record(inputs: [self]) { g, _ in [g * result * (1 - result)] }
        }
        return result
    }

    /// `max(x, 0)` for each element (NaN stays NaN). Differentiable: 1 where the output is positive and
    /// 0 elsewhere, so the gradient at 0 is 0 (as in TensorFlow).
    public func relu() -> Tensor {
        let result = withUnsafeBufferPointer { input in
            Tensor.make(shape: shape, count: input.count) { out in
                guard let i = input.baseAddress, let o = out.baseAddress else { return }
                VectorKernels.relu(i, o, count: out.count)
            }
        }
        if Tensor.isRecording {
            result.record(inputs: [self]) { g, _ in [Tensor.reluBackward(upstream: g, output: result)] }
        }
        return result
    }

    /// `x` where `x > 0`, `alpha · x` elsewhere. Differentiable: 1 or `alpha`.
    ///
    /// The default `alpha` is 0.2, as in `tf.nn.leaky_relu`; note that Keras's `LeakyReLU` *layer*
    /// defaults to 0.3 (its `alpha` in Keras 2, `negative_slope` in Keras 3), so a layer built on this
    /// op should pass its own default.
    public func leakyRelu(alpha: Float = 0.2) -> Tensor {
        let result = mapUnrecorded { $0 > 0 ? $0 : alpha * $0 }
        if Tensor.isRecording {
            let x = self
            result.record(inputs: [x]) { g, _ in
                // The slope is constant in x (the second derivative is zero), so it need not be recorded.
                [g * x.mapUnrecorded { $0 > 0 ? 1 : alpha }]
            }
        }
        return result
    }

    /// The exponential linear unit: `x` where `x > 0`, `alpha · (e^x - 1)` elsewhere (Keras's `elu`).
    /// Differentiable: 1 where `x > 0`, `output + alpha` elsewhere.
    public func elu(alpha: Float = 1) -> Tensor {
        let result = mapUnrecorded { $0 > 0 ? $0 : alpha * expm1f($0) }
        if Tensor.isRecording {
            let x = self
            result.record(inputs: [x]) { g, _ in [g * Tensor.where(x .> 0, Tensor(1), result + alpha)] }
        }
        return result
    }

    /// The scaled exponential linear unit: `scale · elu(x, alpha)` with the exact constants
    /// ``seluAlpha`` and ``seluScale``. Differentiable: `scale` where `x > 0`, `output + scale · alpha`
    /// elsewhere.
    public func selu() -> Tensor {
        let alpha = Tensor.seluAlpha, scale = Tensor.seluScale
        let result = mapUnrecorded { $0 > 0 ? scale * $0 : scale * alpha * expm1f($0) }
        if Tensor.isRecording {
            let x = self
            result.record(inputs: [x]) { g, _ in
                [g * Tensor.where(x .> 0, Tensor(scale), result + scale * alpha)]
            }
        }
        return result
    }

    /// `log(1 + e^x)`, computed as `log1p(e^-|x|) + max(x, 0)` so that it neither overflows for large `x`
    /// nor loses precision for very negative `x`. Differentiable: `σ(x)`.
    public func softplus() -> Tensor {
        let result = mapUnrecorded { log1pf(expf(-Swift.abs($0))) + Swift.max($0, 0) }
        if Tensor.isRecording {
            let x = self
            result.record(inputs: [x]) { g, _ in [g * x.sigmoid()] }
        }
        return result
    }

    /// The Gaussian error linear unit `x · Φ(x)`.
    ///
    /// By default the exact form `0.5 · x · (1 + erf(x / √2))`, as Keras's `gelu` (whose `approximate`
    /// also defaults to false); with `approximate: true`, the tanh approximation
    /// `0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 x³)))`. Differentiable in both forms.
    public func gelu(approximate: Bool = false) -> Tensor {
        let x = self
        if approximate {
            let c = Float((2 / Double.pi).squareRoot()), k: Float = 0.044715
            let result = mapUnrecorded { v in 0.5 * v * (1 + tanhf(c * (v + k * v * v * v))) }
            if Tensor.isRecording {
                result.record(inputs: [x]) { g, _ in
                    let x2 = x.squared()
                    let t = ((x + x * x2 * k) * c).tanh()
                    return [g * ((1 + t) * 0.5 + x * (1 - t.squared()) * (1 + x2 * (3 * k)) * (0.5 * c))]
                }
            }
            return result
        }
        let invSqrt2 = Float(0.5.squareRoot())
        let result = mapUnrecorded { v in 0.5 * v * (1 + erff(v * invSqrt2)) }
        if Tensor.isRecording {
            let invSqrt2Pi = Float(1 / (2 * Double.pi).squareRoot())
            result.record(inputs: [x]) { g, _ in
                // Φ(x) + x · φ(x), with φ the standard normal density.
                let cdf = ((x * invSqrt2).erf() + 1) * 0.5
                let density = (x.squared() * -0.5).exp() * invSqrt2Pi
                return [g * (cdf + x * density)]
            }
        }
        return result
    }

    /// Swish (also SiLU): `x · σ(x)`. Differentiable: `σ(x) + output · (1 - σ(x))`.
    public func swish() -> Tensor {
        let result = mapUnrecorded { $0 * stableSigmoid($0) }
        if Tensor.isRecording {
            let x = self
            result.record(inputs: [x]) { g, _ in
                let s = x.sigmoid()
                return [g * (s + result * (1 - s))]
            }
        }
        return result
    }

    /// Softsign: `x / (1 + |x|)`. Differentiable: `1 / (1 + |x|)²`.
    public func softsign() -> Tensor {
        let result = mapUnrecorded { $0 / (1 + Swift.abs($0)) }
        if Tensor.isRecording {
            let x = self
            result.record(inputs: [x]) { g, _ in [g / (1 + x.abs()).squared()] }
        }
        return result
    }
}
