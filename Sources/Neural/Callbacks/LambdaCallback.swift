/// A callback made of closures, for simple callbacks on the fly (Keras's `LambdaCallback`): each hook
/// given runs at its moment; the others do nothing.
///
/// ```swift
/// let printer = LambdaCallback(onEpochEnd: { epoch, logs in
///     if let validation = logs["val_loss"], let training = logs["loss"] {
///         print("Epoch=\(epoch), val/train=\(validation / training)")
///     }
/// })
/// ```
public final class LambdaCallback: Callback {
    /// A hook taking the logs.
    public typealias LogsHook = (Logs) throws -> Void
    /// A hook taking an epoch or batch index and the logs.
    public typealias IndexedHook = (Int, Logs) throws -> Void

    private let trainBegin, trainEnd, testBegin, testEnd, predictBegin, predictEnd: LogsHook?
    private let epochBegin, epochEnd, trainBatchBegin, trainBatchEnd: IndexedHook?
    private let testBatchBegin, testBatchEnd, predictBatchBegin, predictBatchEnd: IndexedHook?

    /// Creates the callback from any of the hooks.
    public init(
        onEpochBegin: IndexedHook? = nil, onEpochEnd: IndexedHook? = nil,
        onTrainBegin: LogsHook? = nil, onTrainEnd: LogsHook? = nil,
        onTrainBatchBegin: IndexedHook? = nil, onTrainBatchEnd: IndexedHook? = nil,
        onTestBegin: LogsHook? = nil, onTestEnd: LogsHook? = nil,
        onTestBatchBegin: IndexedHook? = nil, onTestBatchEnd: IndexedHook? = nil,
        onPredictBegin: LogsHook? = nil, onPredictEnd: LogsHook? = nil,
        onPredictBatchBegin: IndexedHook? = nil, onPredictBatchEnd: IndexedHook? = nil
    ) {
        epochBegin = onEpochBegin; epochEnd = onEpochEnd
        trainBegin = onTrainBegin; trainEnd = onTrainEnd
        trainBatchBegin = onTrainBatchBegin; trainBatchEnd = onTrainBatchEnd
        testBegin = onTestBegin; testEnd = onTestEnd
        testBatchBegin = onTestBatchBegin; testBatchEnd = onTestBatchEnd
        predictBegin = onPredictBegin; predictEnd = onPredictEnd
        predictBatchBegin = onPredictBatchBegin; predictBatchEnd = onPredictBatchEnd
        super.init()
    }

    /// Runs `onTrainBegin`.
    public override func onTrainBegin(logs: Logs) throws { try trainBegin?(logs) }
    /// Runs `onTrainEnd`.
    public override func onTrainEnd(logs: Logs) throws { try trainEnd?(logs) }
    /// Runs `onEpochBegin`.
    public override func onEpochBegin(_ epoch: Int, logs: Logs) throws { try epochBegin?(epoch, logs) }
    /// Runs `onEpochEnd`.
    public override func onEpochEnd(_ epoch: Int, logs: Logs) throws { try epochEnd?(epoch, logs) }
    /// Runs `onTrainBatchBegin`.
    public override func onTrainBatchBegin(_ batch: Int, logs: Logs) throws { try trainBatchBegin?(batch, logs) }
    /// Runs `onTrainBatchEnd`.
    public override func onTrainBatchEnd(_ batch: Int, logs: Logs) throws { try trainBatchEnd?(batch, logs) }
    /// Runs `onTestBegin`.
    public override func onTestBegin(logs: Logs) throws { try testBegin?(logs) }
    /// Runs `onTestEnd`.
    public override func onTestEnd(logs: Logs) throws { try testEnd?(logs) }
    /// Runs `onTestBatchBegin`.
    public override func onTestBatchBegin(_ batch: Int, logs: Logs) throws { try testBatchBegin?(batch, logs) }
    /// Runs `onTestBatchEnd`.
    public override func onTestBatchEnd(_ batch: Int, logs: Logs) throws { try testBatchEnd?(batch, logs) }
    /// Runs `onPredictBegin`.
    public override func onPredictBegin(logs: Logs) throws { try predictBegin?(logs) }
    /// Runs `onPredictEnd`.
    public override func onPredictEnd(logs: Logs) throws { try predictEnd?(logs) }
    /// Runs `onPredictBatchBegin`.
    public override func onPredictBatchBegin(_ batch: Int, logs: Logs) throws { try predictBatchBegin?(batch, logs) }
    /// Runs `onPredictBatchEnd`.
    public override func onPredictBatchEnd(_ batch: Int, logs: Logs) throws { try predictBatchEnd?(batch, logs) }
}
