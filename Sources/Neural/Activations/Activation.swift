/// An activation function as a value that saves and loads: what a layer's `activation` argument holds
/// (Keras's `keras.activations`, by string or function).
///
/// Each case applies the core tensor op of the same name, so it is differentiable through the tape;
/// defaults follow Keras 3's functions (`leaky_relu`'s slope 0.2, `elu`'s alpha 1, `softmax` on the
/// last axis, exact `gelu`). `.custom` wraps any closure under a name (the seed's `my_softplus`); it
/// saves as that name and loads through ``register(name:_:)``'s table (see ``customFunctions``).
///
/// ```swift
/// let a = try Activation(named: "leaky_relu")       // .leakyRelu(alpha: 0.2)
/// let mySoftplus = Activation.register(name: "my_softplus") { z in (1 + z.exp()).log() }
/// let y = mySoftplus(x)
/// ```
public enum Activation: Sendable {
    /// `x` unchanged (Keras's `"linear"` and `None`).
    case linear
    /// `max(x, 0)`.
    case relu
    /// `min(max(x, 0), 6)`.
    case relu6
    /// `x` where `x > 0`, `alpha · x` elsewhere (Keras's `leaky_relu`, whose `negative_slope` is 0.2;
    /// note that Keras's `LeakyReLU` *layer* defaults to 0.3).
    case leakyRelu(alpha: Float = 0.2)
    /// `x` where `x > 0`, `alpha · (eˣ - 1)` elsewhere.
    case elu(alpha: Float = 1)
    /// The scaled ELU with Klambauer et al.'s constants (pair with ``LecunNormal``).
    case selu
    /// `1 / (1 + e⁻ˣ)`.
    case sigmoid
    /// `tanh(x)`.
    case tanh
    /// `exp(x) / Σ exp(x)` along `axis` (default: the last).
    case softmax(axis: Int = -1)
    /// `x - log Σ exp(x)` along `axis` (default: the last).
    case logSoftmax(axis: Int = -1)
    /// `log(1 + eˣ)`, computed stably.
    case softplus
    /// `x / (1 + |x|)`.
    case softsign
    /// `x · Φ(x)`, exact by default, the tanh approximation when `approximate`.
    case gelu(approximate: Bool = false)
    /// `x · σ(x)` (also called SiLU; Keras's `"swish"` and `"silu"`).
    case swish
    /// `x · tanh(softplus(x))`.
    case mish
    /// `eˣ`.
    case exponential
    /// A function of your own, saved by `name`; register it with ``register(name:_:)`` so that saved
    /// models find it again.
    case custom(name: String, @Sendable (Tensor) -> Tensor)

    /// The identity activation; the same as ``linear``.
    public static var identity: Activation { .linear }

    /// Applies the activation with the core tensor op (recorded on any active tape).
    /// Traps as the op does (e.g. a softmax axis out of range).
    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch self {
        case .linear: return x
        case .relu: return x.relu()
        case .relu6: return x.clipped(min: 0, max: 6)
        case .leakyRelu(let alpha): return x.leakyRelu(alpha: alpha)
        case .elu(let alpha): return x.elu(alpha: alpha)
        case .selu: return x.selu()
        case .sigmoid: return x.sigmoid()
        case .tanh: return x.tanh()
        case .softmax(let axis): return x.softmax(alongAxis: axis)
        case .logSoftmax(let axis): return x.logSoftmax(alongAxis: axis)
        case .softplus: return x.softplus()
        case .softsign: return x.softsign()
        case .gelu(let approximate): return x.gelu(approximate: approximate)
        case .swish: return x.swish()
        case .mish: return x * x.softplus().tanh()
        case .exponential: return x.exp()
        case .custom(_, let function): return function(x)
        }
    }

    /// The form ``Tensor/dense(_:weight:bias:activation:)`` applies in the same pass as the bias, when
    /// there is one (`relu`, `sigmoid`, `tanh`, `linear`); `nil` means apply the activation after
    /// the product.
    public var fusedForm: FusedActivation? {
        switch self {
        case .linear: return .identity
        case .relu: return .relu
        case .sigmoid: return .sigmoid
        case .tanh: return .tanh
        default: return nil
        }
    }
}
