import Neural
import Testing

/// TerminateOnNaN through real `fit` calls.
@Suite struct TerminateOnNaNTests {
    /// A crafted NaN at batch 1 of epoch 1: training stops there, the epoch still ends (with its
    /// validation), `onTrainEnd` runs, and the reason is recorded.
    @Test func stopsAtTheBatchWithANaNLoss() throws {
        let (x, y) = CallbackData.regression(count: 12)
        let model = try ScriptedModel.compiled()
        // Three batches per epoch: the fifth batch overall is epoch 1, batch 1.
        model.trainingScript = ["loss": [1, 1, 1, 1, .nan, 1]]
        let terminate = TerminateOnNaN()
        let messages = TextSink()
        terminate.messages = { messages.append($0) }
        var batchesRun: [String] = []
        var trainEnded = false
        let probe = LambdaCallback(
            onTrainEnd: { _ in trainEnded = true },
            onTrainBatchEnd: { batch, _ in batchesRun.append("\(batch)") })
        let history = try model.fit(x, y, batchSize: 4, epochs: 5, verbosity: .silent, callbacks: [terminate, probe], validationData: (x, y), shuffle: false)
        #expect(history.epochs == [0, 1])
        #expect(batchesRun == ["0", "1", "2", "0", "1"])
        #expect(trainEnded)
        #expect(history.values["val_loss"]?.count == 2)
        #expect(terminate.terminatedAt?.epoch == 1)
        #expect(terminate.terminatedAt?.batch == 1)
        #expect(messages.pieces == ["Batch 1: Invalid loss, terminating training"])
        guard case let .nonFiniteLoss(epoch, batch, value)? = model.stopReason else {
            Issue.record("expected a non-finite-loss reason, got \(String(describing: model.stopReason))")
            return
        }
        #expect(epoch == 1 && batch == 1 && value.isNaN)
    }

    @Test func infiniteLossStopsToo() throws {
        let (x, y) = CallbackData.regression(count: 4)
        let model = try ScriptedModel.compiled()
        model.trainingScript = ["loss": [1, .infinity]]
        let terminate = TerminateOnNaN()
        terminate.messages = { _ in }
        let history = try model.fit(x, y, batchSize: 4, epochs: 4, verbosity: .silent, callbacks: [terminate], shuffle: false)
        #expect(history.epochs == [0, 1])
        #expect(terminate.terminatedAt?.epoch == 1)
    }

    /// A real divergence: a huge learning rate sends the loss to infinity, then NaN.
    @Test func hugeLearningRateDiverges() throws {
        let x = Tensor(shape: [8, 4], scalars: (0..<32).map { Float($0) })
        let y = Tensor(shape: [8, 1], scalars: (0..<8).map { Float($0) })
        let model = Sequential([Dense(units: 1, kernelInitializer: GlorotUniform(seed: 2))])
        try model.compile(optimizer: try SGD(learningRate: 1e6), loss: Losses.MeanSquaredError())
        let terminate = TerminateOnNaN()
        terminate.messages = { _ in }
        let history = try model.fit(x, y, batchSize: 2, epochs: 50, verbosity: .silent, callbacks: [terminate], shuffle: false)
        let stop = try #require(terminate.terminatedAt)
        #expect(history.epochs.count == stop.epoch + 1)
        #expect(history.epochs.count < 50)
        #expect(history.last("loss").map { !$0.isFinite } == true)
        #expect(model.stopReason != nil)
    }

    /// With `raiseError`, `fit` throws at once: no end hooks run.
    @Test func raiseErrorThrows() throws {
        let (x, y) = CallbackData.regression(count: 8)
        let model = try ScriptedModel.compiled()
        model.trainingScript = ["loss": [1, .nan]]
        var epochEnds = 0, trainEnds = 0
        let probe = LambdaCallback(onEpochEnd: { _, _ in epochEnds += 1 }, onTrainEnd: { _ in trainEnds += 1 })
        do {
            try model.fit(x, y, batchSize: 4, epochs: 3, verbosity: .silent, callbacks: [TerminateOnNaN(raiseError: true), probe], shuffle: false)
            Issue.record("fit should throw")
        } catch let error as LayerError {
            guard case let .nonFiniteLoss(step, value) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(step == 1 && value.isNaN)
        }
        #expect(epochEnds == 0 && trainEnds == 0)
        if case .nonFiniteLoss? = model.stopReason {} else { Issue.record("the reason should be recorded") }
    }

    @Test func finiteLossesRunToTheEnd() throws {
        let (x, y) = CallbackData.regression(count: 8)
        let model = try ScriptedModel.compiled()
        let terminate = TerminateOnNaN()
        let history = try model.fit(x, y, batchSize: 4, epochs: 3, verbosity: .silent, callbacks: [terminate], shuffle: false)
        #expect(history.epochs == [0, 1, 2])
        #expect(terminate.terminatedAt == nil)
        #expect(model.stopReason == nil)
    }
}
