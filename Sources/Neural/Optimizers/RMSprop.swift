/// RMSprop: divides the gradient by a running root mean square of recent gradients (Keras's
/// `RMSprop`), optionally centered (divides by an estimate of the variance instead) and with momentum.
///
/// Per element, in Keras's order and Float32 rounding (`rho` and `1 - rho` rounded from Double):
/// ```
/// v = rho * v + (1 - rho) * g * g
/// centered:  a = rho * a + (1 - rho) * g;  d = v - a * a + epsilon
/// otherwise: d = v + epsilon
/// increment = (lr * g) / sqrt(d)
/// momentum:  m = momentum * m + increment;  w = w - m
/// otherwise: w = w - increment
/// ```
/// Note that `epsilon` is inside the square root, as in Keras 3.
///
/// Slots: `"velocity"`, then `"momentum"` (when `momentum > 0`) and `"average_gradient"` (when centered).
public final class RMSprop: Optimizer {
    /// The discounting factor of the running average, in [0, 1).
    public let rho: Double
    /// The momentum, in [0, 1]; 0 for none.
    public let momentum: Double
    /// The small constant added under the square root.
    public let epsilon: Double
    /// Whether to normalize by the estimated variance instead of the second moment.
    public let centered: Bool

    /// Creates the optimizer with Keras's defaults (`learningRate` 0.001, `rho` 0.9, no momentum,
    /// `epsilon` 1e-7, not centered).
    ///
    /// - Throws: ``OptimizerError/invalidHyperparameter(owner:name:value:requirement:)`` when `rho` is
    ///   outside [0, 1), `momentum` outside [0, 1], `epsilon` negative or not finite, or the learning
    ///   rate or weight decay negative, and the clipping errors of
    ///   ``GradientClipping/init(clipnorm:clipvalue:globalClipnorm:)``.
    public init(
        learningRate: LearningRate = 0.001, rho: Double = 0.9, momentum: Double = 0, epsilon: Double = 1e-7,
        centered: Bool = false, weightDecay: Double? = nil,
        clipnorm: Double? = nil, clipvalue: Double? = nil, globalClipnorm: Double? = nil, name: String = "rmsprop"
    ) throws(OptimizerError) {
        try checkUnitInterval(rho, "rho", owner: name, includingOne: false)
        try checkUnitInterval(momentum, "momentum", owner: name, includingOne: true)
        try checkNonNegative(epsilon, "epsilon", owner: name)
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered
        try super.init(
            name: name, learningRate: learningRate, weightDecay: weightDecay,
            clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
    }

    convenience init(
        reading reader: inout ConfigurationReader,
        customSchedules: [String: (LearningRateScheduleConfiguration) throws(OptimizerError) -> any LearningRateSchedule]
    ) throws(OptimizerError) {
        let common = try CommonHyperparameters(
            reading: &reader, defaultName: "rmsprop", defaultLearningRate: 0.001, customSchedules: customSchedules)
        try self.init(
            learningRate: common.learningRate, rho: try reader.double("rho", default: 0.9),
            momentum: try reader.double("momentum", default: 0), epsilon: try reader.double("epsilon", default: 1e-7),
            centered: try reader.bool("centered", default: false), weightDecay: common.weightDecay,
            clipnorm: common.clipnorm, clipvalue: common.clipvalue, globalClipnorm: common.globalClipnorm,
            name: common.name)
    }

    /// `"RMSprop"`.
    override public var className: String { "RMSprop" }

    /// `"velocity"`, then `"momentum"` and `"average_gradient"` when used.
    override public var slotNames: [String] {
        var names = ["velocity"]
        if momentum > 0 { names.append("momentum") }
        if centered { names.append("average_gradient") }
        return names
    }

    /// `rho`, `momentum`, `epsilon` and `centered`.
    override public var hyperparameters: Configuration {
        ["rho": .double(rho), "momentum": .double(momentum), "epsilon": .double(epsilon), "centered": .bool(centered)]
    }

    /// One fused pass over the variable and its slots.
    override public func update(
        _ variable: Variable, gradient g: UnsafeBufferPointer<Float>, slots: [Variable], step: OptimizerStep
    ) {
        let constants = RMSpropConstants(
            learningRate: step.learningRate, weightDecay: step.weightDecay,
            rho: Float(rho), keep: Float(1 - rho), epsilon: Float(epsilon), momentum: Float(momentum))
        let hasMomentum = momentum > 0
        // Slots that are not used get a one-element scratch buffer; the specialized loop never reads it.
        let momentumSlot = hasMomentum ? slots[1] : nil
        let averageSlot = centered ? slots[hasMomentum ? 2 : 1] : nil
        var scratchMomentum: Float = 0, scratchAverage: Float = 0
        let isCentered = centered
        slots[0].updateInPlace { v in
            variable.updateInPlace { w in
                withOptionalBuffer(momentumSlot, scratch: &scratchMomentum) { m in
                    withOptionalBuffer(averageSlot, scratch: &scratchAverage) { a in
                        // Constant flags per call, so each call inlines to its own branch-free loop
                        // (which the compiler can vectorize).
                        switch (isCentered, hasMomentum) {
                        case (false, false): rmspropLoop(w, g, v, m, a, constants, centered: false, withMomentum: false)
                        case (false, true): rmspropLoop(w, g, v, m, a, constants, centered: false, withMomentum: true)
                        case (true, false): rmspropLoop(w, g, v, m, a, constants, centered: true, withMomentum: false)
                        case (true, true): rmspropLoop(w, g, v, m, a, constants, centered: true, withMomentum: true)
                        }
                    }
                }
            }
        }
    }
}

struct RMSpropConstants {
    let learningRate: Float
    let weightDecay: Float?
    let rho: Float
    let keep: Float
    let epsilon: Float
    let momentum: Float
}

@inline(__always)
private func rmspropLoop(
    _ w: UnsafeMutableBufferPointer<Float>, _ g: UnsafeBufferPointer<Float>, _ v: UnsafeMutableBufferPointer<Float>,
    _ m: UnsafeMutableBufferPointer<Float>, _ a: UnsafeMutableBufferPointer<Float>, _ c: RMSpropConstants,
    centered: Bool, withMomentum: Bool
) {
    let lr = c.learningRate, decay = c.weightDecay, r = c.rho, keep = c.keep, eps = c.epsilon, mu = c.momentum
    for i in 0..<w.count {
        let wi = Optimizer.decayed(w[i], rate: decay, learningRate: lr)
        let gi = g[i]
        let vi = r * v[i] + keep * (gi * gi)
        v[i] = vi
        let denominator: Float
        if centered {
            let ai = r * a[i] + keep * gi
            a[i] = ai
            denominator = vi - ai * ai + eps
        } else {
            denominator = vi + eps
        }
        let increment = (lr * gi) / denominator.squareRoot()
        if withMomentum {
            let mi = mu * m[i] + increment
            m[i] = mi
            w[i] = wi - mi
        } else {
            w[i] = wi - increment
        }
    }
}

/// Runs `body` on the slot's elements, or on a one-element scratch buffer when there is no slot (the
/// loop then never reads it: the flags that select the slot also guard its use).
@inline(__always)
func withOptionalBuffer(
    _ slot: Variable?, scratch: inout Float, _ body: (UnsafeMutableBufferPointer<Float>) -> Void
) {
    if let slot {
        slot.updateInPlace { body($0) }
    } else {
        withUnsafeMutablePointer(to: &scratch) { body(UnsafeMutableBufferPointer(start: $0, count: 1)) }
    }
}
