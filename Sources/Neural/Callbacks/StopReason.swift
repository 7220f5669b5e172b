/// Why `fit` stopped before its last epoch, as the callback that stopped it recorded in
/// ``Model/stopReason`` (so that a tuner can report it with the trial).
public enum StopReason: Sendable, CustomStringConvertible {
    /// ``EarlyStopping``: `monitor` did not improve for `patience` epochs; training stopped after
    /// `epoch` (counted from 0). `best` is the best value seen, reached at `bestEpoch`.
    case earlyStopping(monitor: String, epoch: Int, bestEpoch: Int, best: Float?)
    /// ``TerminateOnNaN``: the loss of batch `batch` of epoch `epoch` (both from 0) was `value`,
    /// NaN or infinite.
    case nonFiniteLoss(epoch: Int, batch: Int, value: Float)
    /// Any other callback that stopped training, with its own explanation.
    case requested(by: String, reason: String)

    /// One line for people: `early stopping after epoch 7 (val_loss best 0.3120 at epoch 4)`.
    public var description: String {
        switch self {
        case let .earlyStopping(monitor, epoch, bestEpoch, best):
            let bestText = best.map { "\(monitor) best \(Logs.format($0)) at epoch \(bestEpoch + 1)" } ?? "\(monitor) never seen"
            return "early stopping after epoch \(epoch + 1) (\(bestText))"
        case let .nonFiniteLoss(epoch, batch, value):
            return "the loss became \(value) at batch \(batch) of epoch \(epoch + 1)"
        case let .requested(by, reason):
            return "\(by): \(reason)"
        }
    }
}
