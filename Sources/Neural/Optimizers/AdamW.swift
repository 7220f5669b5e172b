/// Adam with decoupled weight decay (Keras's `AdamW`, Loshchilov and Hutter).
///
/// Each step first decays every variable that is not excluded (see
/// ``Optimizer/excludeFromWeightDecay(variables:names:)``): `w = w - w * weightDecay * lr`, then applies
/// ``Adam``'s update. Keras's default `weightDecay` is 0.004.
///
/// Slots: `"momentum"`, `"velocity"` and, with `amsgrad`, `"velocity_hat"`.
public final class AdamW: Optimizer {
    /// The decay rate of the first moment, in [0, 1).
    public let beta1: Double
    /// The decay rate of the second moment, in [0, 1).
    public let beta2: Double
    /// The small constant added to the root of the second moment.
    public let epsilon: Double
    /// Whether to use the AMSGrad variant.
    public let amsgrad: Bool

    /// Creates the optimizer with Keras's defaults (`learningRate` 0.001, `weightDecay` 0.004, betas 0.9
    /// and 0.999, `epsilon` 1e-7).
    ///
    /// - Throws: ``OptimizerError/invalidHyperparameter(owner:name:value:requirement:)`` when a beta is
    ///   outside [0, 1), `epsilon` or `weightDecay` is negative or not finite, or the learning rate is
    ///   negative, and the clipping errors of ``GradientClipping/init(clipnorm:clipvalue:globalClipnorm:)``.
    public init(
        learningRate: LearningRate = 0.001, weightDecay: Double = 0.004, beta1: Double = 0.9, beta2: Double = 0.999,
        epsilon: Double = 1e-7, amsgrad: Bool = false,
        clipnorm: Double? = nil, clipvalue: Double? = nil, globalClipnorm: Double? = nil, name: String = "adam_w"
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
        let hasDecayKey = reader.has("weight_decay")
        let common = try CommonHyperparameters(
            reading: &reader, defaultName: "adam_w", defaultLearningRate: 0.001, customSchedules: customSchedules)
        let weightDecay: Double
        if let value = common.weightDecay {
            weightDecay = value
        } else if hasDecayKey {
            // Keras: "Argument `weight_decay` must be a float. Received: weight_decay=None".
            throw .invalidConfiguration(className: "AdamW", key: "weight_decay", message: "must be a number, got null")
        } else {
            weightDecay = 0.004
        }
        try self.init(
            learningRate: common.learningRate, weightDecay: weightDecay,
            beta1: try reader.double("beta_1", default: 0.9), beta2: try reader.double("beta_2", default: 0.999),
            epsilon: try reader.double("epsilon", default: 1e-7), amsgrad: try reader.bool("amsgrad", default: false),
            clipnorm: common.clipnorm, clipvalue: common.clipvalue, globalClipnorm: common.globalClipnorm,
            name: common.name)
    }

    /// `"AdamW"`.
    override public var className: String { "AdamW" }

    /// `["momentum", "velocity"]`, plus `"velocity_hat"` with `amsgrad`.
    override public var slotNames: [String] { amsgrad ? ["momentum", "velocity", "velocity_hat"] : ["momentum", "velocity"] }

    /// `beta_1`, `beta_2`, `epsilon` and `amsgrad`.
    override public var hyperparameters: Configuration {
        ["beta_1": .double(beta1), "beta_2": .double(beta2), "epsilon": .double(epsilon), "amsgrad": .bool(amsgrad)]
    }

    /// One fused pass: decay, then Adam's update.
    override public func update(
        _ variable: Variable, gradient: UnsafeBufferPointer<Float>, slots: [Variable], step: OptimizerStep
    ) {
        adamUpdate(variable, gradient, slots, step, beta1: beta1, beta2: beta2, epsilon: epsilon, amsgrad: amsgrad)
    }
}
