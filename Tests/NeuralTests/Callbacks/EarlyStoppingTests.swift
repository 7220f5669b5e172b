import Neural
import Testing

/// EarlyStopping through real `fit` calls, on scripted validation losses.
@Suite struct EarlyStoppingTests {
    /// Fits a scripted model for up to `epochs` epochs with `val_loss` (and any other validation
    /// entries) following the script, one validation batch per epoch.
    private func fit(
        _ callback: Callback, validation: [String: [Float]], epochs: Int, model: ScriptedModel? = nil
    ) throws -> (ScriptedModel, History) {
        let (x, y) = CallbackData.regression(count: 8)
        let model = try model ?? ScriptedModel.compiled()
        model.validationScript = validation
        let history = try model.fit(x, y, batchSize: 8, epochs: epochs, verbosity: .silent, callbacks: [callback], validationData: (x, y), shuffle: false)
        return (model, history)
    }

    @Test func stopsWhenPatienceRunsOut() throws {
        let stopping = EarlyStopping(patience: 2)
        let (model, history) = try fit(stopping, validation: ["loss": [1.0, 0.8, 0.9, 0.85, 0.7, 0.6]], epochs: 6)
        // Epoch 1 is the best; epochs 2 and 3 do not improve: the wait reaches 2 at epoch 3.
        #expect(history.epochs == [0, 1, 2, 3])
        #expect(stopping.stoppedEpoch == 3)
        #expect(stopping.bestEpoch == 1)
        #expect(stopping.best == 0.8)
        #expect(model.stopTraining)
        guard case let .earlyStopping(monitor, epoch, bestEpoch, best)? = model.stopReason else {
            Issue.record("expected an early-stopping reason, got \(String(describing: model.stopReason))")
            return
        }
        #expect(monitor == "val_loss" && epoch == 3 && bestEpoch == 1 && best == 0.8)
    }

    @Test func runsToTheEndWhileImprovingAndLeavesNoReason() throws {
        let stopping = EarlyStopping(patience: 1)
        let (model, history) = try fit(stopping, validation: ["loss": [1.0, 0.9, 0.8, 0.7]], epochs: 4)
        #expect(history.epochs == [0, 1, 2, 3])
        #expect(stopping.stoppedEpoch == 0)
        #expect(model.stopReason == nil)
    }

    @Test func zeroPatienceStopsAtTheFirstEpochWithoutImprovement() throws {
        let stopping = EarlyStopping()
        let (_, history) = try fit(stopping, validation: ["loss": [1.0, 0.9, 0.95, 0.5]], epochs: 4)
        #expect(history.epochs == [0, 1, 2])
    }

    @Test func minDeltaIgnoresSmallImprovements() throws {
        let stopping = EarlyStopping(minDelta: 0.1, patience: 1)
        let (_, history) = try fit(stopping, validation: ["loss": [1.0, 0.95, 0.5]], epochs: 3)
        #expect(history.epochs == [0, 1])
        #expect(stopping.best == 1.0)
    }

    /// Keras's `auto` mode: accuracy goes up (from the compiled metric's type).
    @Test func autoModeMaximizesAccuracy() throws {
        let model = ScriptedModel()
        try model.compile(optimizer: try SGD(), loss: Losses.MeanSquaredError(), metrics: [.metric(Metrics.BinaryAccuracy(name: "accuracy"))])
        let stopping = EarlyStopping(monitor: "val_accuracy", patience: 1)
        let (_, history) = try fit(stopping, validation: ["accuracy": [0.5, 0.7, 0.6, 0.9]], epochs: 4, model: model)
        #expect(history.epochs == [0, 1, 2])
        #expect(stopping.best == 0.7)
    }

    @Test func explicitModeOverridesTheName() throws {
        let stopping = EarlyStopping(patience: 1, mode: .max)
        let (_, history) = try fit(stopping, validation: ["loss": [1.0, 2.0, 1.5]], epochs: 3)
        #expect(history.epochs == [0, 1, 2])
        #expect(stopping.best == 2.0)
    }

    /// With a baseline, improvements that do not beat it do not reset the wait.
    @Test func baselineMustBeBeaten() throws {
        let script: [String: [Float]] = ["loss": [0.9, 0.95, 0.97, 0.99]]
        let withBaseline = EarlyStopping(patience: 2, baseline: 0.5)
        let (_, stoppedEarly) = try fit(withBaseline, validation: script, epochs: 4)
        #expect(stoppedEarly.epochs == [0, 1])
        let without = EarlyStopping(patience: 2)
        let (_, later) = try fit(without, validation: script, epochs: 4)
        #expect(later.epochs == [0, 1, 2])
    }

    @Test func startFromEpochWarmsUp() throws {
        let script: [String: [Float]] = ["loss": [1, 2, 3, 4, 5]]
        let (_, warm) = try fit(EarlyStopping(startFromEpoch: 2), validation: script, epochs: 5)
        #expect(warm.epochs == [0, 1, 2, 3])
        let (_, cold) = try fit(EarlyStopping(), validation: script, epochs: 5)
        #expect(cold.epochs == [0, 1])
    }

    /// The weights after `fit` are those at the end of the best epoch, not the last.
    @Test func restoreBestWeightsRestoresThem() throws {
        var perEpoch: [[[Float]]] = []
        let stopping = EarlyStopping(patience: 2, restoreBestWeights: true)
        let (x, y) = CallbackData.regression(count: 8)
        let model = try ScriptedModel.compiled(learningRate: 0.05)
        model.validationScript = ["loss": [1.0, 0.5, 0.9, 0.95, 0.3]]
        let snapshotter = LambdaCallback(onEpochEnd: { _, _ in perEpoch.append(weightValues(model)) })
        try model.fit(x, y, batchSize: 8, epochs: 5, verbosity: .silent, callbacks: [snapshotter, stopping], validationData: (x, y), shuffle: false)
        #expect(perEpoch.count == 4)
        #expect(stopping.bestEpoch == 1)
        #expect(perEpoch[1] != perEpoch[3], "training should have moved the weights")
        #expect(weightValues(model) == perEpoch[1])
    }

    /// Keras restores the best weights even when training was not stopped early.
    @Test func restoreBestWeightsWithoutStopping() throws {
        var perEpoch: [[[Float]]] = []
        let (x, y) = CallbackData.regression(count: 8)
        let model = try ScriptedModel.compiled(learningRate: 0.05)
        model.validationScript = ["loss": [1.0, 0.5, 0.9]]
        let snapshotter = LambdaCallback(onEpochEnd: { _, _ in perEpoch.append(weightValues(model)) })
        let stopping = EarlyStopping(patience: 5, restoreBestWeights: true)
        try model.fit(x, y, batchSize: 8, epochs: 3, verbosity: .silent, callbacks: [snapshotter, stopping], validationData: (x, y), shuffle: false)
        #expect(model.stopReason == nil)
        #expect(weightValues(model) == perEpoch[1])
        #expect(weightValues(model) != perEpoch[2])
    }

    /// Without restoring, the last weights stay.
    @Test func withoutRestoringTheLastWeightsStay() throws {
        var last: [[Float]] = []
        let (x, y) = CallbackData.regression(count: 8)
        let model = try ScriptedModel.compiled(learningRate: 0.05)
        model.validationScript = ["loss": [1.0, 0.5, 0.9, 0.95]]
        let snapshotter = LambdaCallback(onEpochEnd: { _, _ in last = weightValues(model) })
        try model.fit(x, y, batchSize: 8, epochs: 4, verbosity: .silent, callbacks: [snapshotter, EarlyStopping(patience: 2)], validationData: (x, y), shuffle: false)
        #expect(weightValues(model) == last)
    }

    /// A monitored quantity that is not logged warns once, naming what is available, and training goes on.
    @Test func missingMetricWarnsOnceAndTrainingGoesOn() throws {
        let sink = TextSink()
        let stopping = EarlyStopping(monitor: "val_acc", patience: 0)
        stopping.warnings = { sink.append($0 + "\n") }
        let (_, history) = try fit(stopping, validation: ["loss": [1, 2, 3]], epochs: 3)
        #expect(history.epochs == [0, 1, 2])
        #expect(sink.pieces.count == 1)
        #expect(sink.text.contains("`val_acc`"))
        #expect(sink.text.contains("Available metrics are: loss,val_loss"))
    }

    /// Keras 3 raises when `auto` cannot tell the direction; so do we, naming the fix.
    @Test func undecidableAutoModeThrows() throws {
        #expect(MonitorCallback.inferredMode(for: "val_wobble", metrics: []) == nil)
        let odd = EarlyStopping(monitor: "val_wobble")
        do {
            _ = try fit(odd, validation: ["loss": [1], "wobble": [0.5]], epochs: 2)
            Issue.record("an undecidable monitor should throw")
        } catch let error as CallbackError {
            #expect(error == .cannotInferMode(callback: "EarlyStopping", monitor: "val_wobble"))
            #expect("\(error)".contains("mode: .min"))
        }
    }

    @Test func inferredModes() {
        let accuracy = Metrics.SparseCategoricalAccuracy(name: "acc_custom_name")
        let mae = Metrics.MeanAbsoluteError(name: "mae")
        #expect(MonitorCallback.inferredMode(for: "val_loss", metrics: []) == .min)
        #expect(MonitorCallback.inferredMode(for: "output_0_loss", metrics: []) == .min)
        #expect(MonitorCallback.inferredMode(for: "val_acc_custom_name", metrics: [accuracy]) == .max)
        #expect(MonitorCallback.inferredMode(for: "val_mae", metrics: [mae]) == .min)
        #expect(MonitorCallback.inferredMode(for: "val_accuracy", metrics: []) == .max)
        #expect(MonitorCallback.inferredMode(for: "auc", metrics: []) == .max)
        #expect(MonitorCallback.inferredMode(for: "val_recall", metrics: []) == .max)
        #expect(MonitorCallback.inferredMode(for: "val_mean_squared_error", metrics: []) == .min)
        #expect(MonitorCallback.inferredMode(for: "learning_rate", metrics: []) == nil)
    }

    /// Keras's documented example: monitoring `loss` with patience 3 on a diverging model runs 4 epochs.
    @Test func kerasDocumentedExampleRunsFourEpochs() throws {
        let x = Tensor(shape: [5, 20], scalars: (0..<100).map(Float.init))
        let y = Tensor(zeros: [5, 10])
        let model = Sequential([Dense(units: 10, kernelInitializer: GlorotUniform(seed: 1))])
        try model.compile(optimizer: try SGD(), loss: Losses.MeanSquaredError())
        let history = try model.fit(x, y, batchSize: 1, epochs: 10, verbosity: .silent, callbacks: [EarlyStopping(monitor: "loss", patience: 3)], shuffle: false)
        #expect(history.values["loss"]?.count == 4)
    }

    /// The instance can serve several `fit` calls: its state restarts with each.
    @Test func reusableAcrossFits() throws {
        let stopping = EarlyStopping(patience: 1)
        let (model, first) = try fit(stopping, validation: ["loss": [1.0, 2.0, 3.0]], epochs: 3)
        #expect(first.epochs == [0, 1])
        let (x, y) = CallbackData.regression(count: 8)
        model.validationScript = ["loss": Array(repeating: 5, count: 2) + [1.0, 0.5, 0.25, 0.1]]
        let second = try model.fit(x, y, batchSize: 8, epochs: 4, verbosity: .silent, callbacks: [stopping], validationData: (x, y), shuffle: false)
        #expect(second.epochs == [0, 1, 2, 3])
        #expect(model.stopReason == nil)
    }
}
