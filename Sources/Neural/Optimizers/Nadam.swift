#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adam with Nesterov momentum (Keras's `Nadam`, Dozat 2015), with its momentum cache schedule.
///
/// With `μ(t) = beta1 * (1 - 0.5 * 0.96^t)` and the running product `P(t) = μ(1) ⋯ μ(t)` (the
/// `"u_product"` state, advanced once per step), per step `t` (1 for the first update) and element, in
/// Keras's order and Float32 rounding:
/// ```
/// m = m + (g - m) * (1 - beta1)
/// v = v + (g * g - v) * (1 - beta2)
/// mHat = (μ(t+1) * m) / (1 - P(t) * μ(t+1)) + ((1 - μ(t)) * g) / (1 - P(t))
/// vHat = v / (1 - beta2^t)
/// w = w - (mHat * lr) / (sqrt(vHat) + epsilon)
/// ```
///
/// Slots: `"momentum"`, `"velocity"`; optimizer-wide state: `"u_product"`.
public final class Nadam: Optimizer {
    /// The decay rate of the first moment, in [0, 1).
    public let beta1: Double
    /// The decay rate of the second moment, in [0, 1).
    public let beta2: Double
    /// The small constant added to the root of the corrected second moment.
    public let epsilon: Double
    /// The product of the momentum schedule up to the last step (1 before the first).
    public private(set) var momentumScheduleProduct: Float = 1

    /// Creates the optimizer with Keras's defaults (`learningRate` 0.001, betas 0.9 and 0.999,
    /// `epsilon` 1e-7).
    ///
    /// - Throws: ``OptimizerError/invalidHyperparameter(owner:name:value:requirement:)`` when a beta is
    ///   outside [0, 1), `epsilon` is negative or not finite, or the learning rate or weight decay is
    ///   negative, and the clipping errors of ``GradientClipping/init(clipnorm:clipvalue:globalClipnorm:)``.
    public init(
        learningRate: LearningRate = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-7,
        weightDecay: Double? = nil,
        clipnorm: Double? = nil, clipvalue: Double? = nil, globalClipnorm: Double? = nil, name: String = "nadam"
    ) throws(OptimizerError) {
        try checkAdamHyperparameters(beta1: beta1, beta2: beta2, epsilon: epsilon, owner: name)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        try super.init(
            name: name, learningRate: learningRate, weightDecay: weightDecay,
            clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
    }

    convenience init(
        reading reader: inout ConfigurationReader,
        customSchedules: [String: (LearningRateScheduleConfiguration) throws(OptimizerError) -> any LearningRateSchedule]
    ) throws(OptimizerError) {
        let common = try CommonHyperparameters(
            reading: &reader, defaultName: "nadam", defaultLearningRate: 0.001, customSchedules: customSchedules)
        try self.init(
            learningRate: common.learningRate, beta1: try reader.double("beta_1", default: 0.9),
            beta2: try reader.double("beta_2", default: 0.999), epsilon: try reader.double("epsilon", default: 1e-7),
            weightDecay: common.weightDecay,
            clipnorm: common.clipnorm, clipvalue: common.clipvalue, globalClipnorm: common.globalClipnorm,
            name: common.name)
    }

    /// `"Nadam"`.
    override public var className: String { "Nadam" }

    /// `["momentum", "velocity"]`.
    override public var slotNames: [String] { ["momentum", "velocity"] }

    /// `beta_1`, `beta_2` and `epsilon`.
    override public var hyperparameters: Configuration {
        ["beta_1": .double(beta1), "beta_2": .double(beta2), "epsilon": .double(epsilon)]
    }

    /// `["u_product": momentumScheduleProduct]`.
    override public var additionalState: [String: Float] { ["u_product": momentumScheduleProduct] }

    /// Restores `"u_product"`.
    override public func restoreAdditionalState(_ state: [String: Float]) {
        if let product = state["u_product"] { momentumScheduleProduct = product }
    }

    /// Advances the momentum schedule product, once per step (Keras's `_backend_update_step`).
    override public func prepareStep(_ step: OptimizerStep) {
        momentumScheduleProduct = momentumScheduleProduct * Float(beta1) * (1 - 0.5 * powf(0.96, step.localStep))
    }

    /// One fused pass over the variable and its moments.
    override public func update(
        _ variable: Variable, gradient g: UnsafeBufferPointer<Float>, slots: [Variable], step: OptimizerStep
    ) {
        let lr = step.learningRate
        let decay = step.weightDecay
        // Keras casts the betas to float32 first, so `1 - beta` is rounded differently than in Adam.
        let b1 = Float(beta1), b2 = Float(beta2), eps = Float(epsilon)
        let decayBase: Float = 0.96
        let mu = b1 * (1 - 0.5 * powf(decayBase, step.localStep))
        let muNext = b1 * (1 - 0.5 * powf(decayBase, Float(step.iteration + 2)))
        let product = momentumScheduleProduct
        let productNext = product * muNext
        let beta2Power = powf(b2, step.localStep)
        let keep1 = 1 - b1, keep2 = 1 - b2
        let momentumDenominator = 1 - productNext
        let gradientWeight = 1 - mu
        let gradientDenominator = 1 - product
        let velocityDenominator = 1 - beta2Power
        slots[0].updateInPlace { m in
            slots[1].updateInPlace { v in
                variable.updateInPlace { w in
                    for i in 0..<w.count {
                        let wi = Optimizer.decayed(w[i], rate: decay, learningRate: lr)
                        let mi = m[i] + (g[i] - m[i]) * keep1
                        let vi = v[i] + (g[i] * g[i] - v[i]) * keep2
                        m[i] = mi
                        v[i] = vi
                        let mHat = (muNext * mi) / momentumDenominator + (gradientWeight * g[i]) / gradientDenominator
                        let vHat = vi / velocityDenominator
                        w[i] = wi - (mHat * lr) / (vHat.squareRoot() + eps)
                    }
                }
            }
        }
    }
}
