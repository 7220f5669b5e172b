import Foundation
import Neural

/// A one-Dense model that trains for real but whose logs the tests script: `trainingScript[name][k]`
/// replaces `name` in the logs of the k-th training batch (counted across epochs), and
/// `validationScript[name][k]` in the k-th evaluation batch (one per epoch when the validation data
/// fits in one batch), so callbacks see known sequences.
final class ScriptedModel: Model {
    // Seeded, and fits do not shuffle: these tests leave the global generator to tests that seed it.
    let dense = Dense(units: 1, kernelInitializer: GlorotUniform(seed: 7))
    var trainingScript: [String: [Float]] = [:]
    var validationScript: [String: [Float]] = [:]
    private(set) var trainSteps = 0
    private(set) var testSteps = 0

    override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        try dense(input)
    }

    override func trainStep(_ batch: TrainingBatch) throws -> Logs {
        var logs = try super.trainStep(batch)
        for (name, values) in trainingScript.sorted(by: { $0.key < $1.key }) where trainSteps < values.count {
            logs[name] = values[trainSteps]
        }
        trainSteps += 1
        return logs
    }

    override func testStep(_ batch: TrainingBatch) throws -> Logs {
        var logs = try super.testStep(batch)
        for (name, values) in validationScript.sorted(by: { $0.key < $1.key }) where testSteps < values.count {
            logs[name] = values[testSteps]
        }
        testSteps += 1
        return logs
    }

    /// A compiled scripted model (SGD at `learningRate`, mean squared error).
    static func compiled(learningRate: Float = 0.01) throws -> ScriptedModel {
        let model = ScriptedModel()
        try model.compile(optimizer: try SGD(learningRate: .constant(learningRate)), loss: Losses.MeanSquaredError())
        return model
    }
}

/// Small regression data for callback tests: `count` samples of 4 features.
enum CallbackData {
    static func regression(count: Int = 8, seed: UInt64 = 11) -> (x: Tensor, y: Tensor) {
        ModelTestData.regression(count: count, features: 4, seed: seed)
    }
}

/// Collects strings written by callbacks (progress output, warnings, messages).
final class TextSink {
    private(set) var pieces: [String] = []
    func append(_ text: String) { pieces.append(text) }
    var text: String { pieces.joined() }
}

/// The model's weight values, flattened per variable.
func weightValues(_ model: Model) -> [[Float]] {
    model.weights.map { $0.value.scalars }
}
