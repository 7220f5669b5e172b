import COptimizers
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adam: adaptive estimates of the first and second moments of the gradients (Keras's `Adam`).
///
/// Per step `t` (1 for the first update) and element, in Keras's order and Float32 rounding:
/// ```
/// alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
/// m = m + (g - m) * (1 - beta1)
/// v = v + (g * g - v) * (1 - beta2)
/// vHat = max(vHat, v); v = vHat            (amsgrad only)
/// w = w - (m * alpha) / (sqrt(v) + epsilon)
/// ```
/// `epsilon` is the "epsilon hat" of Kingma and Ba (added after the bias correction folded into
/// `alpha`), as in Keras. With a `weightDecay`, this is AdamW (see ``AdamW``).
///
/// Slots: `"momentum"`, `"velocity"` and, with `amsgrad`, `"velocity_hat"`.
public final class Adam: Optimizer {
    /// The decay rate of the first moment, in [0, 1).
    public let beta1: Double
    /// The decay rate of the second moment, in [0, 1).
    public let beta2: Double
    /// The small constant added to the root of the second moment.
    public let epsilon: Double
    /// Whether to use the AMSGrad variant (the maximum of past second moments).
    public let amsgrad: Bool

    /// Creates the optimizer with Keras's defaults (`learningRate` 0.001, betas 0.9 and 0.999,
    /// `epsilon` 1e-7).
    ///
    /// - Throws: ``OptimizerError/invalidHyperparameter(owner:name:value:requirement:)`` when a beta is
    ///   outside [0, 1), `epsilon` is negative or not finite, or the learning rate or weight decay is
    ///   negative, and the clipping errors of ``GradientClipping/init(clipnorm:clipvalue:globalClipnorm:)``.
    public init(
        learningRate: LearningRate = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-7,
        amsgrad: Bool = false, weightDecay: Double? = nil,
        clipnorm: Double? = nil, clipvalue: Double? = nil, globalClipnorm: Double? = nil, name: String = "adam"
    ) throws(OptimizerError) {
        try checkAdamHyperparameters(beta1: beta1, beta2: beta2, epsilon: epsilon, owner: name)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.amsgrad = amsgrad
        try super.init(
            name: name, learningRate: learningRate, weightDecay: weightDecay,
            clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
    }

    convenience init(
        reading reader: inout ConfigurationReader,
        customSchedules: [String: (LearningRateScheduleConfiguration) throws(OptimizerError) -> any LearningRateSchedule]
    ) throws(OptimizerError) {
        let common = try CommonHyperparameters(
            reading: &reader, defaultName: "adam", defaultLearningRate: 0.001, customSchedules: customSchedules)
        try self.init(
            learningRate: common.learningRate, beta1: try reader.double("beta_1", default: 0.9),
            beta2: try reader.double("beta_2", default: 0.999), epsilon: try reader.double("epsilon", default: 1e-7),
            amsgrad: try reader.bool("amsgrad", default: false), weightDecay: common.weightDecay,
            clipnorm: common.clipnorm, clipvalue: common.clipvalue, globalClipnorm: common.globalClipnorm,
            name: common.name)
    }

    /// `"Adam"`.
    override public var className: String { "Adam" }

    /// `["momentum", "velocity"]`, plus `"velocity_hat"` with `amsgrad`.
    override public var slotNames: [String] { amsgrad ? ["momentum", "velocity", "velocity_hat"] : ["momentum", "velocity"] }

    /// `beta_1`, `beta_2`, `epsilon` and `amsgrad`.
    override public var hyperparameters: Configuration {
        ["beta_1": .double(beta1), "beta_2": .double(beta2), "epsilon": .double(epsilon), "amsgrad": .bool(amsgrad)]
    }

    /// One fused pass over the variable and its moments.
    override public func update(
        _ variable: Variable, gradient: UnsafeBufferPointer<Float>, slots: [Variable], step: OptimizerStep
    ) {
        adamUpdate(variable, gradient, slots, step, beta1: beta1, beta2: beta2, epsilon: epsilon, amsgrad: amsgrad)
    }
}

func checkAdamHyperparameters(beta1: Double, beta2: Double, epsilon: Double, owner: String) throws(OptimizerError) {
    try checkUnitInterval(beta1, "beta1", owner: owner, includingOne: false)
    try checkUnitInterval(beta2, "beta2", owner: owner, includingOne: false)
    try checkNonNegative(epsilon, "epsilon", owner: owner)
}

/// Adam's update (shared by ``Adam`` and ``AdamW``), with Keras's constants: the `1 - beta` factors
/// are computed in Double and rounded (Python floats), the powers in Float32 (float32 tensors).
func adamUpdate(
    _ variable: Variable, _ g: UnsafeBufferPointer<Float>, _ slots: [Variable], _ step: OptimizerStep,
    beta1: Double, beta2: Double, epsilon: Double, amsgrad: Bool
) {
    let lr = step.learningRate
    let decay = step.weightDecay
    let t = step.localStep
    let beta1Power = powf(Float(beta1), t)
    let beta2Power = powf(Float(beta2), t)
    let alpha = lr * (1 - beta2Power).squareRoot() / (1 - beta1Power)
    let keep1 = Float(1 - beta1), keep2 = Float(1 - beta2), eps = Float(epsilon)
    // The loop is C's (COptimizers), on the machine's widest vectors, with this formula's results bit for
    // bit: per weight, w -= (m' * alpha) / (sqrt(v') + eps) with m' and v' the moving averages, after the
    // decoupled decay when there is one (`Optimizer.decayed`); AdamKernelTests checks it against that in Swift.
    slots[0].updateInPlace { m in
        slots[1].updateInPlace { v in
            variable.updateInPlace { w in
                func run(_ vHat: UnsafeMutablePointer<Float>?) {
                    tuner_adam_update(w.baseAddress, m.baseAddress, v.baseAddress, vHat, g.baseAddress, w.count,
                                      keep1, keep2, alpha, eps, decay == nil ? 0 : 1, decay ?? 0, lr)
                }
                if amsgrad {
                    slots[2].updateInPlace { vHat in run(vHat.baseAddress) }
                } else {
                    run(nil)
                }
            }
        }
    }
}
