import Foundation
import Neural
import Testing

/// Records every hook it sees, with the keys of the logs it was given.
private final class HookRecorder: Callback {
    var events: [String] = []
    var parameters: TrainingParameters?
    var epochEndLogs: [Logs] = []

    override func setParameters(_ parameters: TrainingParameters) {
        self.parameters = parameters
        events.append("parameters")
    }
    override func onTrainBegin(logs: Logs) throws { events.append("trainBegin") }
    override func onTrainEnd(logs: Logs) throws { events.append("trainEnd \(logs.names)") }
    override func onEpochBegin(_ epoch: Int, logs: Logs) throws { events.append("epochBegin \(epoch)") }
    override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
        events.append("epochEnd \(epoch) \(logs.names)")
        epochEndLogs.append(logs)
    }
    override func onTrainBatchBegin(_ batch: Int, logs: Logs) throws { events.append("trainBatchBegin \(batch)") }
    override func onTrainBatchEnd(_ batch: Int, logs: Logs) throws { events.append("trainBatchEnd \(batch) \(logs.names)") }
    override func onTestBegin(logs: Logs) throws { events.append("testBegin") }
    override func onTestEnd(logs: Logs) throws { events.append("testEnd \(logs.names)") }
    override func onTestBatchBegin(_ batch: Int, logs: Logs) throws { events.append("testBatchBegin \(batch)") }
    override func onTestBatchEnd(_ batch: Int, logs: Logs) throws { events.append("testBatchEnd \(batch)") }
    override func onPredictBegin(logs: Logs) throws { events.append("predictBegin") }
    override func onPredictEnd(logs: Logs) throws { events.append("predictEnd") }
    override func onPredictBatchBegin(_ batch: Int, logs: Logs) throws { events.append("predictBatchBegin \(batch)") }
    override func onPredictBatchEnd(_ batch: Int, logs: Logs) throws { events.append("predictBatchEnd \(batch)") }
}

/// Custom callbacks see Keras 3's hooks in Keras 3's order, through real `fit`, `evaluate` and `predict`.
@Suite struct CallbackOrderTests {
    /// Keras 3 runs validation through `evaluate` with fit's callbacks: the test hooks fire inside each
    /// epoch, after its training batches and before its end.
    @Test func fitCallsEveryHookInOrderIncludingValidationTestHooks() throws {
        let (x, y) = CallbackData.regression(count: 8)
        let (xValid, yValid) = CallbackData.regression(count: 4, seed: 12)
        let model = try ScriptedModel.compiled()
        let recorder = HookRecorder()
        try model.fit(x, y, batchSize: 4, epochs: 2, verbosity: .silent, callbacks: [recorder], validationData: (xValid, yValid), shuffle: false)
        let epoch: (Int) -> [String] = { e in [
            "epochBegin \(e)",
            "trainBatchBegin 0", "trainBatchEnd 0 [\"loss\"]",
            "trainBatchBegin 1", "trainBatchEnd 1 [\"loss\"]",
            "testBegin", "testBatchBegin 0", "testBatchEnd 0", "testEnd [\"loss\"]",
            "epochEnd \(e) [\"loss\", \"val_loss\"]",
        ] }
        let expected = ["parameters", "trainBegin"] + epoch(0) + epoch(1) + ["trainEnd [\"loss\", \"val_loss\"]"]
        #expect(recorder.events == expected)
        #expect(recorder.parameters?.epochs == 2)
        #expect(recorder.parameters?.steps == 2)
        #expect(recorder.parameters?.verbosity == .silent)
        #expect(recorder.model === model)
    }

    @Test func withoutValidationNoTestHooksAndInitialEpochCounts() throws {
        let (x, y) = CallbackData.regression(count: 6)
        let model = try ScriptedModel.compiled()
        let recorder = HookRecorder()
        let history = try model.fit(x, y, batchSize: 6, epochs: 3, verbosity: .silent, callbacks: [recorder], shuffle: false, initialEpoch: 1)
        #expect(history.epochs == [1, 2])
        #expect(recorder.events == [
            "parameters", "trainBegin",
            "epochBegin 1", "trainBatchBegin 0", "trainBatchEnd 0 [\"loss\"]", "epochEnd 1 [\"loss\"]",
            "epochBegin 2", "trainBatchBegin 0", "trainBatchEnd 0 [\"loss\"]", "epochEnd 2 [\"loss\"]",
            "trainEnd [\"loss\"]",
        ])
    }

    @Test func evaluateAndPredictCallTheirHooks() throws {
        let (x, y) = CallbackData.regression(count: 5)
        let model = try ScriptedModel.compiled()
        let recorder = HookRecorder()
        _ = try model.evaluate(x, y, batchSize: 2, verbosity: .silent, callbacks: [recorder])
        #expect(recorder.events == [
            "testBegin", "testBatchBegin 0", "testBatchEnd 0", "testBatchBegin 1", "testBatchEnd 1",
            "testBatchBegin 2", "testBatchEnd 2", "testEnd [\"loss\"]",
        ])
        recorder.events = []
        _ = try model.predict([x], batchSize: 4, callbacks: [recorder])
        #expect(recorder.events == ["predictBegin", "predictBatchBegin 0", "predictBatchEnd 0", "predictBatchBegin 1", "predictBatchEnd 1", "predictEnd"])
    }

    /// Entries a callback adds with `addEpochLog` reach the callbacks after it and the history, not
    /// the ones before it (Keras callbacks share one mutable logs dictionary).
    @Test func addedEpochLogsReachLaterCallbacksAndHistory() throws {
        let (x, y) = CallbackData.regression(count: 4)
        let model = try ScriptedModel.compiled()
        let before = HookRecorder()
        let adder = LambdaCallback(onEpochEnd: { epoch, _ in before.model?.addEpochLog("custom", value: Float(epoch) + 0.5) })
        let after = HookRecorder()
        let history = try model.fit(x, y, batchSize: 4, epochs: 2, verbosity: .silent, callbacks: [before, adder, after], shuffle: false)
        #expect(before.epochEndLogs.map(\.names) == [["loss"], ["loss"]])
        #expect(after.epochEndLogs.map { $0["custom"] } == [0.5, 1.5])
        #expect(history.values["custom"] == [0.5, 1.5])
    }

    /// Seed 002's `PrintValTrainRatioCallback`, as a subclass.
    @Test func seedValTrainRatioCallback() throws {
        final class PrintValTrainRatioCallback: Callback {
            var printed: [String] = []
            override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
                guard let validation = logs["val_loss"], let training = logs["loss"] else { return }
                printed.append("Epoch=\(epoch), val/train=\(String(format: "%.2f", validation / training))")
            }
        }
        let (x, y) = CallbackData.regression(count: 4)
        let model = try ScriptedModel.compiled()
        model.trainingScript = ["loss": [2, 4]]
        model.validationScript = ["loss": [3, 2]]
        let callback = PrintValTrainRatioCallback()
        try model.fit(x, y, batchSize: 4, epochs: 2, verbosity: .silent, callbacks: [callback], validationData: (x, y), shuffle: false)
        #expect(callback.printed == ["Epoch=0, val/train=1.50", "Epoch=1, val/train=0.50"])
    }
}
