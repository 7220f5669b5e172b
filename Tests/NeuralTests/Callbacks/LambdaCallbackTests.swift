import Neural
import Testing

/// LambdaCallback runs the closures it was given, at their hooks, through real `fit` and `evaluate`.
@Suite struct LambdaCallbackTests {
    @Test func closuresRunAtTheirHooks() throws {
        var events: [String] = []
        let callback = LambdaCallback(
            onEpochBegin: { epoch, _ in events.append("epochBegin \(epoch)") },
            onEpochEnd: { epoch, logs in events.append("epochEnd \(epoch) \(logs.names)") },
            onTrainBegin: { _ in events.append("trainBegin") },
            onTrainEnd: { _ in events.append("trainEnd") },
            onTrainBatchBegin: { batch, _ in events.append("batchBegin \(batch)") },
            onTrainBatchEnd: { batch, _ in events.append("batchEnd \(batch)") },
            onTestBegin: { _ in events.append("testBegin") },
            onTestEnd: { _ in events.append("testEnd") })
        let (x, y) = CallbackData.regression(count: 4)
        let model = try ScriptedModel.compiled()
        try model.fit(x, y, batchSize: 4, epochs: 1, verbosity: .silent, callbacks: [callback], validationData: (x, y), shuffle: false)
        #expect(events == [
            "trainBegin", "epochBegin 0", "batchBegin 0", "batchEnd 0", "testBegin", "testEnd",
            "epochEnd 0 [\"loss\", \"val_loss\"]", "trainEnd",
        ])
    }

    @Test func testAndPredictBatchHooks() throws {
        var events: [String] = []
        let callback = LambdaCallback(
            onTestBatchBegin: { batch, _ in events.append("testBatchBegin \(batch)") },
            onTestBatchEnd: { batch, logs in events.append("testBatchEnd \(batch) \(logs.names)") },
            onPredictBegin: { _ in events.append("predictBegin") },
            onPredictEnd: { _ in events.append("predictEnd") },
            onPredictBatchBegin: { batch, _ in events.append("predictBatchBegin \(batch)") },
            onPredictBatchEnd: { batch, _ in events.append("predictBatchEnd \(batch)") })
        let (x, y) = CallbackData.regression(count: 4)
        let model = try ScriptedModel.compiled()
        _ = try model.evaluate(x, y, batchSize: 4, verbosity: .silent, callbacks: [callback])
        _ = try model.predict([x], batchSize: 4, callbacks: [callback])
        #expect(events == [
            "testBatchBegin 0", "testBatchEnd 0 [\"loss\"]",
            "predictBegin", "predictBatchBegin 0", "predictBatchEnd 0", "predictEnd",
        ])
    }

    /// An error thrown by a closure ends `fit` and reaches the caller.
    @Test func thrownErrorsEndFit() throws {
        struct Stop: Error {}
        let callback = LambdaCallback(onEpochEnd: { epoch, _ in if epoch == 1 { throw Stop() } })
        let (x, y) = CallbackData.regression(count: 4)
        let model = try ScriptedModel.compiled()
        #expect(throws: Stop.self) { try model.fit(x, y, batchSize: 4, epochs: 3, verbosity: .silent, callbacks: [callback], shuffle: false) }
    }
}
