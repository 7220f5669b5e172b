/// Adagrad: per-element learning rates scaled by the accumulated squared gradients (Keras's `Adagrad`).
///
/// Per element, in Keras's order and Float32 rounding:
/// ```
/// a = a + g * g
/// w = w - (lr * g) / sqrt(a + epsilon)
/// ```
/// The accumulator starts at `initialAccumulatorValue`.
///
/// Slot: `"accumulator"`.
public final class Adagrad: Optimizer {
    /// The starting value of the accumulator.
    public let initialAccumulatorValue: Double
    /// The small constant added under the square root.
    public let epsilon: Double

    /// Creates the optimizer with Keras's defaults (`learningRate` 0.001, `initialAccumulatorValue`
    /// 0.1, `epsilon` 1e-7).
    ///
    /// - Throws: ``OptimizerError/invalidHyperparameter(owner:name:value:requirement:)`` when
    ///   `initialAccumulatorValue` or `epsilon` is negative or not finite, or the learning rate or weight
    ///   decay is negative, and the clipping errors of ``GradientClipping/init(clipnorm:clipvalue:globalClipnorm:)``.
    public init(
        learningRate: LearningRate = 0.001, initialAccumulatorValue: Double = 0.1, epsilon: Double = 1e-7,
        weightDecay: Double? = nil,
        clipnorm: Double? = nil, clipvalue: Double? = nil, globalClipnorm: Double? = nil, name: String = "adagrad"
    ) throws(OptimizerError) {
        try checkNonNegative(initialAccumulatorValue, "initialAccumulatorValue", owner: name)
        try checkNonNegative(epsilon, "epsilon", owner: name)
        self.initialAccumulatorValue = initialAccumulatorValue
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
            reading: &reader, defaultName: "adagrad", defaultLearningRate: 0.001, customSchedules: customSchedules)
        try self.init(
            learningRate: common.learningRate,
            initialAccumulatorValue: try reader.double("initial_accumulator_value", default: 0.1),
            epsilon: try reader.double("epsilon", default: 1e-7), weightDecay: common.weightDecay,
            clipnorm: common.clipnorm, clipvalue: common.clipvalue, globalClipnorm: common.globalClipnorm,
            name: common.name)
    }

    /// `"Adagrad"`.
    override public var className: String { "Adagrad" }

    /// `["accumulator"]`.
    override public var slotNames: [String] { ["accumulator"] }

    /// The accumulator starts at `initialAccumulatorValue`.
    override public func initialSlotValue(_ slot: String) -> Float { Float(initialAccumulatorValue) }

    /// `initial_accumulator_value` and `epsilon`.
    override public var hyperparameters: Configuration {
        ["initial_accumulator_value": .double(initialAccumulatorValue), "epsilon": .double(epsilon)]
    }

    /// One fused pass over the variable and its accumulator.
    override public func update(
        _ variable: Variable, gradient g: UnsafeBufferPointer<Float>, slots: [Variable], step: OptimizerStep
    ) {
        let lr = step.learningRate
        let decay = step.weightDecay
        let eps = Float(epsilon)
        slots[0].updateInPlace { a in
            variable.updateInPlace { w in
                for i in 0..<w.count {
                    let wi = Optimizer.decayed(w[i], rate: decay, learningRate: lr)
                    let ai = a[i] + g[i] * g[i]
                    a[i] = ai
                    w[i] = wi - (lr * g[i]) / (ai + eps).squareRoot()
                }
            }
        }
    }
}
