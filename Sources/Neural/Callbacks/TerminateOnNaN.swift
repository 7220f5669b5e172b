/// Stops training when a batch's loss is NaN or infinite (Keras 3's `TerminateOnNaN`).
///
/// After each training batch whose logged `loss` is not finite it prints
/// `Batch n: Invalid loss, terminating training`, sets ``Model/stopTraining`` (the epoch ends there,
/// its validation and end hooks still run, then `onTrainEnd`) and records where in ``terminatedAt``
/// and ``Model/stopReason`` (``StopReason/nonFiniteLoss(epoch:batch:value:)``). With `raiseError` it
/// throws ``LayerError/nonFiniteLoss(step:value:)`` instead, ending `fit` at once without the end hooks.
public final class TerminateOnNaN: Callback {
    /// Whether to throw rather than stop gracefully.
    public let raiseError: Bool
    /// The epoch and batch (both from 0) whose loss was not finite, once that happened.
    public private(set) var terminatedAt: (epoch: Int, batch: Int)?
    /// Where the message goes (standard output by default, as Keras prints it).
    public var messages: (String) -> Void = { print($0) }

    private var epoch = 0

    /// Creates the callback.
    public init(raiseError: Bool = false) {
        self.raiseError = raiseError
        super.init()
    }

    /// Clears ``terminatedAt``.
    public override func onTrainBegin(logs: Logs) throws {
        terminatedAt = nil
        epoch = 0
    }

    /// Remembers the epoch for ``terminatedAt``.
    public override func onEpochBegin(_ epoch: Int, logs: Logs) throws {
        self.epoch = epoch
    }

    /// Checks the batch's loss.
    /// - Throws: ``LayerError/nonFiniteLoss(step:value:)`` with `raiseError` and a non-finite loss.
    public override func onTrainBatchEnd(_ batch: Int, logs: Logs) throws {
        guard let loss = logs["loss"], !loss.isFinite else { return }
        terminatedAt = (epoch, batch)
        model?.stopReason = .nonFiniteLoss(epoch: epoch, batch: batch, value: loss)
        if raiseError { throw LayerError.nonFiniteLoss(step: batch, value: loss) }
        messages("Batch \(batch): Invalid loss, terminating training")
        model?.stopTraining = true
    }
}
