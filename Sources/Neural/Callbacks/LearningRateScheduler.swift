/// Sets the optimizer's learning rate at the start of each epoch from a function of the epoch and
/// the current rate (Keras 3's `LearningRateScheduler`), and logs the rate as `learning_rate` at each
/// epoch's end (so it shows in the progress line and the ``History``).
///
/// ```swift
/// // Keep the rate for 10 epochs, then decay it exponentially.
/// let scheduler = LearningRateScheduler { epoch, rate in epoch < 10 ? rate : rate * expf(-0.1) }
/// ```
public final class LearningRateScheduler: Callback {
    /// The rate for an epoch (counted from 0) given the current rate.
    public let schedule: (_ epoch: Int, _ learningRate: Float) throws -> Float
    /// Whether to print `Epoch n: LearningRateScheduler setting learning rate to r.` each epoch.
    public let verbose: Bool

    /// Creates the callback from `schedule(epoch, currentLearningRate)`.
    public init(verbose: Bool = false, schedule: @escaping (_ epoch: Int, _ learningRate: Float) throws -> Float) {
        self.schedule = schedule
        self.verbose = verbose
        super.init()
    }

    /// Sets the scheduled rate.
    /// - Throws: ``CallbackError/noOptimizer(callback:)`` without an optimizer,
    ///   ``OptimizerError`` for a negative or non-finite rate or an optimizer driven by a
    ///   ``LearningRateSchedule`` (Keras refuses to set those too), and what `schedule` throws.
    public override func onEpochBegin(_ epoch: Int, logs: Logs) throws {
        guard let model else { return }
        guard let optimizer = model.optimizer else { throw CallbackError.noOptimizer(callback: "LearningRateScheduler") }
        let rate = try schedule(epoch, optimizer.currentLearningRate)
        try optimizer.setLearningRate(rate)
        if verbose { print("\nEpoch \(epoch + 1): LearningRateScheduler setting learning rate to \(rate).") }
    }

    /// Logs `learning_rate`.
    public override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
        guard let model, let optimizer = model.optimizer else { return }
        model.addEpochLog("learning_rate", value: optimizer.currentLearningRate)
    }
}
