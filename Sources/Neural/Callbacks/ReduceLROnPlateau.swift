/// Lowers the learning rate when a monitored quantity stops improving (Keras 3's `ReduceLROnPlateau`),
/// and logs the rate as `learning_rate` at each epoch's end.
///
/// At each epoch's end: during a cooldown the wait is held at 0; an improvement of more than `minDelta`
/// becomes the new best and resets the wait; otherwise, outside a cooldown, the wait grows, and when it
/// reaches `patience` the rate becomes `max(rate * factor, minLR)` (only while the rate is above `minLR`),
/// which starts a cooldown of `cooldown` epochs. The logged `learning_rate` is the rate the epoch ran
/// with (before any reduction), as in Keras.
///
/// A monitored quantity missing from the logs is skipped with a one-line warning on standard error.
public final class ReduceLROnPlateau: MonitorCallback {
    /// What the rate is multiplied by (in `0..<1`).
    public let factor: Double
    /// Epochs without improvement before the rate is lowered.
    public let patience: Int
    /// Epochs after a reduction during which epochs without improvement are not counted.
    public let cooldown: Int
    /// The lowest rate.
    public let minLR: Double
    /// Whether to print `Epoch n: ReduceLROnPlateau reducing learning rate to r.`.
    public let verbose: Bool

    /// Epochs since the last improvement (outside cooldowns).
    public private(set) var wait = 0
    /// Epochs of cooldown left.
    public private(set) var cooldownCounter = 0

    /// Creates the callback; the defaults are Keras's (`val_loss`, factor 0.1, patience 10, delta 1e-4,
    /// no cooldown, no lower bound).
    /// - Throws: ``CallbackError/invalidArgument(callback:message:)`` for a factor of 1 or more.
    public init(
        monitor: String = "val_loss", factor: Double = 0.1, patience: Int = 10, verbose: Bool = false,
        mode: MonitorMode = .auto, minDelta: Double = 1e-4, cooldown: Int = 0, minLR: Double = 0
    ) throws {
        guard factor < 1 else {
            throw CallbackError.invalidArgument(callback: "ReduceLROnPlateau", message: "factor must be below 1.0, got \(factor)")
        }
        self.factor = factor
        self.patience = patience
        self.cooldown = cooldown
        self.minLR = minLR
        self.verbose = verbose
        super.init(monitor: monitor, mode: mode, minDelta: minDelta)
    }

    /// Whether a cooldown is running.
    public var inCooldown: Bool { cooldownCounter > 0 }

    /// Resets the best value, the wait and the cooldown.
    public override func onTrainBegin(logs: Logs) throws {
        best = nil
        cooldownCounter = 0
        wait = 0
        resetWarnings()
    }

    /// Logs the rate, then counts the epoch and lowers the rate when patience runs out.
    /// - Throws: ``CallbackError/noOptimizer(callback:)`` without an optimizer,
    ///   ``CallbackError/cannotInferMode(callback:monitor:)`` for an undecidable `.auto` mode, and
    ///   ``OptimizerError/learningRateIsScheduled(optimizer:)`` when a schedule drives the rate.
    public override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
        guard let model else { return }
        guard let optimizer = model.optimizer else { throw CallbackError.noOptimizer(callback: "ReduceLROnPlateau") }
        // Keras settles the direction at the first epoch's end, whether or not the quantity is there.
        _ = try resolvedMode()
        var logs = logs
        logs["learning_rate"] = optimizer.currentLearningRate
        model.addEpochLog("learning_rate", value: optimizer.currentLearningRate)
        guard let current = monitoredValue(in: logs, purpose: "learning rate reduction") else { return }
        if inCooldown {
            cooldownCounter -= 1
            wait = 0
        }
        if try isImprovement(current, over: best) {
            best = current
            wait = 0
        } else if !inCooldown {
            wait += 1
            if wait >= patience, try reduceLearningRate(of: optimizer, epoch: epoch) {
                cooldownCounter = cooldown
                wait = 0
            }
        }
    }

    /// `max(rate * factor, minLR)` when the rate is above `minLR` (in double precision, as Keras's
    /// Python floats, then stored as a float); whether it changed.
    private func reduceLearningRate(of optimizer: Optimizer, epoch: Int) throws -> Bool {
        let old = optimizer.currentLearningRate
        guard old > Float(minLR) else { return false }
        let new = Swift.max(Double(old) * factor, minLR)
        try optimizer.setLearningRate(Float(new))
        if verbose { print("\nEpoch \(epoch + 1): ReduceLROnPlateau reducing learning rate to \(Float(new)).") }
        return true
    }
}
