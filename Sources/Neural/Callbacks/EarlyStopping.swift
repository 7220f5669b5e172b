/// Stops training when a monitored quantity stops improving (Keras 3's `EarlyStopping`).
///
/// At each epoch's end (from `startFromEpoch` on) the monitored value either improves on the best so
/// far by more than `minDelta`, or adds one to a wait count; when the wait reaches `patience` (and the
/// epoch is not the first), it sets ``Model/stopTraining`` and records ``StopReason/earlyStopping(monitor:epoch:bestEpoch:best:)``
/// in ``Model/stopReason``. With a `baseline`, an improvement resets the wait only if it also beats the
/// baseline. With `restoreBestWeights`, the weights of the best epoch (kept in memory) are put back when
/// training ends, whether or not it stopped early and whatever the baseline — as in Keras.
///
/// A monitored quantity missing from the logs is skipped with a one-line warning on standard error
/// naming the available ones (Keras warns too); training goes on.
///
/// ```swift
/// let earlyStopping = EarlyStopping(patience: 10, restoreBestWeights: true)
/// try model.fit(x, y, epochs: 100, callbacks: [earlyStopping], validationData: (xValid, yValid))
/// ```
public final class EarlyStopping: MonitorCallback {
    /// Epochs without improvement after which training stops.
    public let patience: Int
    /// When set, training stops unless the monitored quantity beats it (see the type's description).
    public let baseline: Float?
    /// Whether the best epoch's weights are restored when training ends.
    public let restoreBestWeights: Bool
    /// Epochs (counted from 0) before monitoring starts: a warm-up with no stopping.
    public let startFromEpoch: Int
    /// Whether to print `Epoch n: early stopping` and the restoring message (Keras's `verbose=1`).
    public let verbose: Bool

    /// Epochs since the last improvement.
    public private(set) var wait = 0
    /// The epoch (from 0) after which training was stopped; 0 when it was not (Keras's convention).
    public private(set) var stoppedEpoch = 0
    /// The epoch (from 0) of ``MonitorCallback/best``.
    public private(set) var bestEpoch = 0
    /// The weights of the best epoch, when `restoreBestWeights` is set.
    public private(set) var bestWeights: [Tensor]?

    /// Creates the callback; the defaults are Keras's (`val_loss`, no delta, no patience, no baseline,
    /// no restoring, monitoring from epoch 0).
    public init(
        monitor: String = "val_loss", minDelta: Double = 0, patience: Int = 0, verbose: Bool = false,
        mode: MonitorMode = .auto, baseline: Float? = nil, restoreBestWeights: Bool = false, startFromEpoch: Int = 0
    ) {
        self.patience = patience
        self.baseline = baseline
        self.restoreBestWeights = restoreBestWeights
        self.startFromEpoch = startFromEpoch
        self.verbose = verbose
        super.init(monitor: monitor, mode: mode, minDelta: minDelta)
    }

    /// Resets the counters, the best value and weights (the callback can serve several `fit` calls).
    public override func onTrainBegin(logs: Logs) throws {
        wait = 0
        stoppedEpoch = 0
        best = nil
        bestWeights = nil
        bestEpoch = 0
        resetWarnings()
    }

    /// Compares the monitored value with the best, and stops training once patience runs out.
    /// - Throws: ``CallbackError/cannotInferMode(callback:monitor:)`` when `mode` is `.auto` and the
    ///   direction cannot be inferred.
    public override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
        // Keras settles the direction at the first epoch's end, whether or not the quantity is there.
        _ = try resolvedMode()
        guard let current = monitoredValue(in: logs, purpose: "early stopping"), epoch >= startFromEpoch else { return }
        if restoreBestWeights && bestWeights == nil {
            // Until something improves, the weights at the first monitored epoch are the best.
            bestWeights = snapshot()
            bestEpoch = epoch
        }
        wait += 1
        if try isImprovement(current, over: best) {
            best = current
            bestEpoch = epoch
            if restoreBestWeights { bestWeights = snapshot() }
            // The wait restarts only when the value beats both the previous best and the baseline.
            if try baseline == nil || isImprovement(current, over: baseline) { wait = 0 }
            return
        }
        if wait >= patience && epoch > 0 {
            stoppedEpoch = epoch
            model?.stopTraining = true
            model?.stopReason = .earlyStopping(monitor: monitor, epoch: epoch, bestEpoch: bestEpoch, best: best)
        }
    }

    /// Restores the best weights when asked, and reports the stop when verbose.
    public override func onTrainEnd(logs: Logs) throws {
        if stoppedEpoch > 0 && verbose { print("Epoch \(stoppedEpoch + 1): early stopping") }
        guard restoreBestWeights, let bestWeights, let model else { return }
        if verbose { print("Restoring model weights from the end of the best epoch: \(bestEpoch + 1).") }
        let variables = model.weights
        guard variables.count == bestWeights.count,
              zip(variables, bestWeights).allSatisfy({ $0.shape == $1.shape }) else {
            warnings("EarlyStopping: the model's weights changed during training; the best weights were not restored")
            return
        }
        for (variable, value) in zip(variables, bestWeights) { variable.assign(value) }
    }

    /// The model's weight values now (copy-on-write: later updates do not change them).
    private func snapshot() -> [Tensor] {
        withoutRecording { (model?.weights ?? []).map(\.value) }
    }
}
