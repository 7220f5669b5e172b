import Foundation
import Neural
import Testing

/// LearningRateScheduler and ReduceLROnPlateau through real `fit` calls.
@Suite struct LearningRateCallbackTests {
    /// Keras's documented example: keep 0.01 for 10 epochs, then multiply by e^-0.1 each epoch;
    /// after 15 epochs the rate rounds to 0.00607.
    @Test func schedulerKerasDocumentedExample() throws {
        let x = Tensor(shape: [5, 20], scalars: (0..<100).map { Float($0) / 100 })
        let y = Tensor(zeros: [5, 10])
        let model = Sequential([Dense(units: 10, kernelInitializer: GlorotUniform(seed: 1))])
        try model.compile(optimizer: try SGD(), loss: Losses.MeanSquaredError())
        let scheduler = LearningRateScheduler { epoch, rate in epoch < 10 ? rate : rate * expf(-0.1) }
        let history = try model.fit(x, y, epochs: 15, verbosity: .silent, callbacks: [scheduler], shuffle: false)
        let rate = try #require(model.optimizer?.currentLearningRate)
        #expect((rate * 1e5).rounded() / 1e5 == 0.00607)
        let logged = try #require(history.values["learning_rate"])
        #expect(logged.count == 15)
        #expect(logged.prefix(10).allSatisfy { $0 == 0.01 })
        #expect(logged.last == rate)
    }

    /// The rate is set before the epoch's first batch, so training runs with it.
    @Test func schedulerSetsTheRateBeforeTheEpochTrains() throws {
        let (x, y) = CallbackData.regression(count: 4)
        let model = try ScriptedModel.compiled(learningRate: 0.5)
        var seen: [Float] = []
        var scheduled: [(Int, Float)] = []
        let scheduler = LearningRateScheduler { epoch, rate in
            scheduled.append((epoch, rate))
            return 0.1 / Float(epoch + 1)
        }
        let probe = LambdaCallback(onTrainBatchBegin: { _, _ in seen.append(model.optimizer?.currentLearningRate ?? -1) })
        let history = try model.fit(x, y, batchSize: 4, epochs: 3, verbosity: .silent, callbacks: [scheduler, probe], shuffle: false)
        #expect(seen == [0.1, 0.05, 0.1 / 3])
        #expect(scheduled.map(\.0) == [0, 1, 2])
        #expect(scheduled.map(\.1) == [0.5, 0.1, 0.05])
        #expect(history.values["learning_rate"] == [0.1, 0.05, 0.1 / 3])
        #expect(history.names == ["loss", "learning_rate"])
    }

    /// Keras refuses to set the rate of an optimizer driven by a schedule; so do we.
    @Test func schedulerRefusesAScheduledOptimizer() throws {
        let (x, y) = CallbackData.regression(count: 4)
        let model = ScriptedModel()
        let decay = try ExponentialDecay(initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9)
        try model.compile(optimizer: try SGD(learningRate: .schedule(decay)), loss: Losses.MeanSquaredError())
        let scheduler = LearningRateScheduler { _, rate in rate / 2 }
        #expect(throws: OptimizerError.self) {
            try model.fit(x, y, epochs: 2, verbosity: .silent, callbacks: [scheduler], shuffle: false)
        }
    }

    @Test func schedulerNeedsAnOptimizer() throws {
        let (x, y) = CallbackData.regression(count: 4)
        let model = ScriptedModel()
        try model.compile(loss: Losses.MeanSquaredError())
        let scheduler = LearningRateScheduler { _, rate in rate }
        do {
            try model.fit(x, y, epochs: 1, verbosity: .silent, callbacks: [scheduler], shuffle: false)
            Issue.record("fit should throw without an optimizer")
        } catch let error as CallbackError {
            #expect(error == .noOptimizer(callback: "LearningRateScheduler"))
        }
    }

    // MARK: - ReduceLROnPlateau

    private func fitOnPlateau(
        _ callback: ReduceLROnPlateau, validation: [Float], learningRate: Float = 0.1
    ) throws -> (ScriptedModel, History) {
        let (x, y) = CallbackData.regression(count: 8)
        let model = try ScriptedModel.compiled(learningRate: learningRate)
        model.validationScript = ["loss": validation]
        let history = try model.fit(x, y, batchSize: 8, epochs: validation.count, verbosity: .silent, callbacks: [callback], validationData: (x, y), shuffle: false)
        return (model, history)
    }

    /// `rate * factor` computed as Keras's Python floats do, stored as a float.
    private func reduced(_ rate: Float, by factor: Double) -> Float { Float(Double(rate) * factor) }

    @Test func reducesAfterPatienceAndLogsTheRateTheEpochUsed() throws {
        let plateau = try ReduceLROnPlateau(factor: 0.5, patience: 2)
        let (model, history) = try fitOnPlateau(plateau, validation: [1, 1, 1, 1, 1, 1])
        let first = reduced(0.1, by: 0.5), second = reduced(first, by: 0.5)
        #expect(history.values["learning_rate"] == [0.1, 0.1, 0.1, first, first, second])
        #expect(model.optimizer?.currentLearningRate == second)
        #expect(history.names == ["loss", "val_loss", "learning_rate"])
    }

    @Test func improvementsResetTheWait() throws {
        let plateau = try ReduceLROnPlateau(factor: 0.5, patience: 2)
        let (model, _) = try fitOnPlateau(plateau, validation: [1, 1, 0.9, 0.9, 0.8, 0.8])
        #expect(model.optimizer?.currentLearningRate == 0.1)
        #expect(plateau.best == 0.8)
        #expect(plateau.wait == 1)
    }

    /// Changes below `minDelta` (1e-4 by default) are not improvements.
    @Test func minDeltaCounts() throws {
        let plateau = try ReduceLROnPlateau(factor: 0.5, patience: 2)
        let (model, _) = try fitOnPlateau(plateau, validation: [1, 0.99995, 0.9999])
        #expect(model.optimizer?.currentLearningRate == reduced(0.1, by: 0.5))
    }

    /// Keras's cooldown: after a reduction, `cooldown` epochs hold the wait at zero.
    @Test func cooldownDelaysTheNextReduction() throws {
        let plateau = try ReduceLROnPlateau(patience: 1, cooldown: 2)
        let (_, history) = try fitOnPlateau(plateau, validation: [1, 1, 1, 1, 1, 1, 1])
        let r1 = reduced(0.1, by: 0.1), r2 = reduced(r1, by: 0.1), r3 = reduced(r2, by: 0.1)
        // Reductions at the ends of epochs 1, 3 and 5.
        #expect(history.values["learning_rate"] == [0.1, 0.1, r1, r1, r2, r2, r3])
    }

    @Test func minLRBoundsTheRate() throws {
        let plateau = try ReduceLROnPlateau(factor: 0.1, patience: 1, minLR: 0.05)
        let (model, history) = try fitOnPlateau(plateau, validation: [1, 1, 1, 1])
        #expect(history.values["learning_rate"] == [0.1, 0.1, 0.05, 0.05])
        #expect(model.optimizer?.currentLearningRate == 0.05)
    }

    @Test func maxModeForAccuracy() throws {
        let plateau = try ReduceLROnPlateau(monitor: "val_accuracy", factor: 0.5, patience: 1)
        let (x, y) = CallbackData.regression(count: 8)
        let model = ScriptedModel()
        try model.compile(optimizer: try SGD(learningRate: 0.1), loss: Losses.MeanSquaredError(), metrics: [.metric(Metrics.BinaryAccuracy(name: "accuracy"))])
        model.validationScript = ["accuracy": [0.5, 0.6, 0.7, 0.6]]
        try model.fit(x, y, batchSize: 8, epochs: 4, verbosity: .silent, callbacks: [plateau], validationData: (x, y), shuffle: false)
        #expect(model.optimizer?.currentLearningRate == reduced(0.1, by: 0.5))
        #expect(plateau.best == 0.7)
    }

    @Test func factorOfOneOrMoreIsRefused() {
        #expect(throws: CallbackError.self) { try ReduceLROnPlateau(factor: 1) }
        #expect(throws: CallbackError.self) { try ReduceLROnPlateau(factor: 2) }
    }

    @Test func missingMetricWarnsAndKeepsTheRate() throws {
        let sink = TextSink()
        let plateau = try ReduceLROnPlateau(monitor: "val_nothing_loss", patience: 0)
        plateau.warnings = { sink.append($0) }
        let (model, _) = try fitOnPlateau(plateau, validation: [1, 1, 1])
        #expect(model.optimizer?.currentLearningRate == 0.1)
        #expect(sink.pieces.count == 1)
        #expect(sink.text.contains("Available metrics are: loss,val_loss,learning_rate"))
    }
}
