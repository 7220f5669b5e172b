/// Gradient descent, with optional momentum and Nesterov momentum (Keras's `SGD`).
///
/// Per element, with learning rate `lr` and momentum `μ`:
/// - no momentum: `w = w - g * lr`
/// - momentum: `m = m * μ - g * lr; w = w + m`
/// - Nesterov: `m = m * μ - g * lr; w = w + (m * μ - g * lr)`
///
/// Slot: `"momentum"` (only when `momentum != 0`).
public final class SGD: Optimizer {
    /// The momentum `μ` in [0, 1]; 0 is plain gradient descent.
    public let momentum: Double
    /// Whether to use Nesterov momentum.
    public let nesterov: Bool

    /// Creates the optimizer with Keras's defaults (`learningRate` 0.01, no momentum).
    ///
    /// - Throws: ``OptimizerError/invalidHyperparameter(owner:name:value:requirement:)`` when `momentum`
    ///   is outside [0, 1] or the learning rate or weight decay is negative, and the clipping errors of
    ///   ``GradientClipping/init(clipnorm:clipvalue:globalClipnorm:)``.
    public init(
        learningRate: LearningRate = 0.01, momentum: Double = 0, nesterov: Bool = false,
        weightDecay: Double? = nil, clipnorm: Double? = nil, clipvalue: Double? = nil, globalClipnorm: Double? = nil,
        name: String = "sgd"
    ) throws(OptimizerError) {
        try checkUnitInterval(momentum, "momentum", owner: name, includingOne: true)
        self.momentum = momentum
        self.nesterov = nesterov
        try super.init(
            name: name, learningRate: learningRate, weightDecay: weightDecay,
            clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
    }

    convenience init(
        reading reader: inout ConfigurationReader,
        customSchedules: [String: (LearningRateScheduleConfiguration) throws(OptimizerError) -> any LearningRateSchedule]
    ) throws(OptimizerError) {
        let common = try CommonHyperparameters(
            reading: &reader, defaultName: "sgd", defaultLearningRate: 0.01, customSchedules: customSchedules)
        try self.init(
            learningRate: common.learningRate, momentum: try reader.double("momentum", default: 0),
            nesterov: try reader.bool("nesterov", default: false), weightDecay: common.weightDecay,
            clipnorm: common.clipnorm, clipvalue: common.clipvalue, globalClipnorm: common.globalClipnorm,
            name: common.name)
    }

    /// `"SGD"`.
    override public var className: String { "SGD" }

    /// `["momentum"]` when momentum is used, otherwise none.
    override public var slotNames: [String] { momentum != 0 ? ["momentum"] : [] }

    /// `momentum` and `nesterov`.
    override public var hyperparameters: Configuration {
        ["momentum": .double(momentum), "nesterov": .bool(nesterov)]
    }

    /// One fused pass over the variable (and its momentum).
    override public func update(
        _ variable: Variable, gradient g: UnsafeBufferPointer<Float>, slots: [Variable], step: OptimizerStep
    ) {
        let lr = step.learningRate
        let decay = step.weightDecay
        guard let velocity = slots.first else {
            variable.updateInPlace { w in
                for i in 0..<w.count {
                    w[i] = Optimizer.decayed(w[i], rate: decay, learningRate: lr) - g[i] * lr
                }
            }
            return
        }
        let mu = Float(momentum)
        velocity.updateInPlace { m in
            variable.updateInPlace { w in
                if nesterov {
                    for i in 0..<w.count {
                        let wi = Optimizer.decayed(w[i], rate: decay, learningRate: lr)
                        let mi = m[i] * mu - g[i] * lr
                        m[i] = mi
                        w[i] = wi + (mi * mu - g[i] * lr)
                    }
                } else {
                    for i in 0..<w.count {
                        let wi = Optimizer.decayed(w[i], rate: decay, learningRate: lr)
                        let mi = m[i] * mu - g[i] * lr
                        m[i] = mi
                        w[i] = wi + mi
                    }
                }
            }
        }
    }
}
