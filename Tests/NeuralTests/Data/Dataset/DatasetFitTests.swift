import Neural
import Testing

/// fit / evaluate / predict on datasets of batches.
@Suite struct DatasetFitTests {
    private func model(seed: UInt64) throws -> Sequential {
        try GlobalRandom.withSeed(seed) {
            let model = Sequential([Dense(units: 4, activation: .tanh), Dense(units: 1)])
            try model.compile(optimizer: try SGD(learningRate: 0.05), loss: Losses.MeanSquaredError(), metrics: ["mae"])
            _ = try model.predict(Tensor(zeros: [1, 8]))
            return model
        }
    }

    @Test func fitOnADatasetMatchesFitOnTensorsWithTheSameBatches() throws {
        let (x, y) = ModelTestData.regression(count: 50)
        let onTensors = try model(seed: 11)
        let onDataset = try model(seed: 11)
        let tensorHistory = try onTensors.fit(x, y, batchSize: 8, epochs: 3, verbosity: .silent, shuffle: false)
        let datasetHistory = try onDataset.fit(Dataset.fromTensorSlices((x, y)).batch(8), epochs: 3, verbosity: .silent)
        let tensorLoss = try #require(tensorHistory.values["loss"])
        let datasetLoss = try #require(datasetHistory.values["loss"])
        #expect(tensorLoss.count == 3 && datasetLoss.count == 3)
        #expect(tensorLoss == datasetLoss)
        #expect(datasetLoss[2] < datasetLoss[0])
        let tensorEval = try onTensors.evaluate(x, y, batchSize: 8, verbosity: .silent)
        let datasetEval = try onDataset.evaluate(Dataset.fromTensorSlices((x, y)).batch(8), verbosity: .silent)
        let a = try #require(tensorEval["loss"]), b = try #require(datasetEval["loss"])
        #expect(abs(a - b) <= 1e-6 * max(1, abs(a)))
        let tensorPredictions = try onTensors.predict(x, batchSize: 8)
        let datasetPredictions = try onDataset.predict(Dataset.fromTensorSlices(x).batch(8))
        #expect(tensorPredictions.shape == [50, 1] && datasetPredictions.shape == [50, 1])
        for (p, q) in zip(tensorPredictions.scalars, datasetPredictions.scalars) { #expect(abs(p - q) <= 1e-5) }
        let pairPredictions = try onDataset.predict(Dataset.fromTensorSlices((x, y)).batch(16))
        #expect(pairPredictions.shape == [50, 1])
    }

    @Test func sampleWeightsAndTrainingBatchesMatchFitOnTensors() throws {
        let (x, y) = ModelTestData.regression(count: 24)
        let weights = Tensor((0..<24).map { Float($0 % 3) })
        let onTensors = try model(seed: 6), onTriples = try model(seed: 6), onBatches = try model(seed: 6)
        let expected = try onTensors.fit(x, y, batchSize: 6, epochs: 2, verbosity: .silent, shuffle: false, sampleWeight: weights)
        let triples = Dataset.zip(Dataset.fromTensorSlices((x, y)).batch(6), Dataset.fromTensorSlices(weights).batch(6))
            .map { pair, w in (pair.0, pair.1, w) }
        #expect(triples.cardinality == .finite(4))
        let fromTriples = try onTriples.fit(triples, epochs: 2, verbosity: .silent)
        let batches = Dataset.fromTensorSlices(["x": x, "y": y, "w": weights]).batch(6).map { element in
            TrainingBatch(inputs: [element["x"] ?? Tensor(0)], targets: [element["y"] ?? Tensor(0)], sampleWeight: element["w"])
        }
        let fromBatches = try onBatches.fit(batches, epochs: 2, validationData: batches, verbosity: .silent)
        #expect(fromTriples.values["loss"] == expected.values["loss"])
        #expect(fromBatches.values["loss"] == expected.values["loss"])
        #expect(fromBatches.values["val_loss"]?.count == 2)
        let weighted = try onTriples.evaluate(triples, verbosity: .silent)
        let reference = try onTensors.evaluate(x, y, batchSize: 6, verbosity: .silent, sampleWeight: weights)
        #expect(weighted["loss"] == reference["loss"])
    }

    @Test func repeatingDatasetsNeedStepsPerEpochAndContinueAcrossEpochs() throws {
        let (x, y) = ModelTestData.regression(count: 20)
        let model = try model(seed: 3)
        let endless = Dataset.fromTensorSlices((x, y)).batch(5).repeat()
        #expect(throws: DatasetError.self) { try model.fit(endless, epochs: 1, verbosity: .silent) }
        let counter = BatchCounter()
        let history = try model.fit(endless, epochs: 3, stepsPerEpoch: 6, callbacks: [counter], verbosity: .silent)
        #expect(history.epochs == [0, 1, 2])
        #expect(counter.batchesPerEpoch == [6, 6, 6])
        #expect(counter.parameters?.steps == 6)
    }

    @Test func runningOutOfDataStopsTraining() throws {
        let (x, y) = ModelTestData.regression(count: 20)
        let model = try model(seed: 3)
        let counter = BatchCounter()
        // 4 batches in all, 3 per epoch: the second epoch ends after one batch and training stops.
        let history = try model.fit(Dataset.fromTensorSlices((x, y)).batch(5), epochs: 5, stepsPerEpoch: 3, callbacks: [counter], verbosity: .silent)
        #expect(history.epochs == [0, 1])
        #expect(counter.batchesPerEpoch == [3, 1])
    }

    @Test func validationCallbacksAndStopTrainingBehaveAsWithTensors() throws {
        let (x, y) = ModelTestData.regression(count: 40)
        let model = try model(seed: 5)
        let counter = BatchCounter()
        let train = Dataset.fromTensorSlices((x, y)).shuffle(bufferSize: 40, seed: 1).batch(10)
        let validation = Dataset.fromTensorSlices((x, y)).batch(10)
        let history = try model.fit(train, epochs: 4, validationData: validation, callbacks: [counter], verbosity: .silent, initialEpoch: 1)
        #expect(history.epochs == [1, 2, 3])
        #expect(history.names.contains("val_loss") && history.names.contains("val_mae"))
        #expect(counter.batchesPerEpoch == [4, 4, 4])
        #expect(counter.testBatches == 12)
        let validationLoss = try #require(history.last("val_loss"))
        let evaluated = try model.evaluate(validation, verbosity: .silent)
        #expect(abs(validationLoss - (evaluated["loss"] ?? .nan)) < 1e-6)
        let limited = try model.evaluate(validation.repeat(), steps: 2, verbosity: .silent)
        #expect(limited["loss"] != nil)

        let stopper = StopAfterBatch(2)
        let stopped = try model.fit(train.repeat(), epochs: 5, stepsPerEpoch: 4, callbacks: [stopper], verbosity: .silent)
        #expect(stopped.epochs == [0])
        #expect(stopper.batches == 2)
    }

    @Test func unknownLengthDatasetsLearnTheirStepCount() throws {
        let (x, y) = ModelTestData.regression(count: 30)
        let model = try model(seed: 8)
        let counter = BatchCounter()
        let filtered = Dataset.fromTensorSlices((x, y)).filter { _ in true }.batch(10)
        #expect(filtered.cardinality == .unknown)
        _ = try model.fit(filtered, epochs: 2, callbacks: [counter], verbosity: .silent)
        #expect(counter.batchesPerEpoch == [3, 3])
        #expect(counter.parameters?.steps == 3)
        #expect(throws: LayerError.self) { try model.fit(Dataset.fromTensorSlices((x, y)).take(0).batch(4), verbosity: .silent) }
    }

    @Test func pipelineErrorsReachTheCaller() throws {
        let model = try model(seed: 2)
        let broken = Dataset(elements: [(Tensor(zeros: [2, 8]), Tensor(zeros: [2, 1])), (Tensor(zeros: [3, 8]), Tensor(zeros: [3, 1]))])
            .unbatch().batch(5)
        // Unbatching and re-batching works; a real mismatch is a DatasetError from fit.
        _ = try model.fit(broken, verbosity: .silent)
        let mismatched = Dataset(elements: [Tensor(zeros: [8]), Tensor(zeros: [7])]).map { ($0, Tensor(0)) }.batch(2)
        #expect(throws: DatasetError.self) { try model.fit(mismatched, verbosity: .silent) }
    }

    @Test func aCustomTrainingLoopOverADataset() throws {
        // Seed 004's train(): for X_batch, y_batch in train_set, a tape, gradients, apply.
        let (x, y) = ModelTestData.regression(count: 64)
        let model = try model(seed: 4)
        let optimizer = try SGD(learningRate: 0.05)
        let loss = Losses.MeanSquaredError()
        let trainSet = Dataset.fromTensorSlices((x, y)).shuffle(bufferSize: 64, seed: 3).batch(16).repeat(5).prefetch(1)
        var losses: [Float] = []
        for (xBatch, yBatch) in trainSet {
            let tape = GradientTape()
            let value = try tape.record { loss(yTrue: yBatch, yPred: try model(xBatch, training: true)) }
            let gradients = try tape.gradient(of: value, wrt: model.trainableWeights)
            try optimizer.apply(gradients: gradients, to: model.trainableWeights)
            losses.append(value.scalar)
        }
        #expect(losses.count == 20)
        #expect(losses.suffix(4).reduce(0, +) < losses.prefix(4).reduce(0, +))
    }
}

/// Counts batches per epoch and validation batches, and keeps the parameters fit announced.
final class BatchCounter: Callback {
    var batchesPerEpoch: [Int] = []
    var testBatches = 0
    var parameters: TrainingParameters?
    override func setParameters(_ parameters: TrainingParameters) { self.parameters = parameters }
    override func onEpochBegin(_ epoch: Int, logs: Logs) throws { batchesPerEpoch.append(0) }
    override func onTrainBatchEnd(_ batch: Int, logs: Logs) throws { batchesPerEpoch[batchesPerEpoch.count - 1] += 1 }
    override func onTestBatchEnd(_ batch: Int, logs: Logs) throws { testBatches += 1 }
}

/// Stops training after a number of batches.
final class StopAfterBatch: Callback {
    let limit: Int
    var batches = 0
    init(_ limit: Int) { self.limit = limit }
    override func onTrainBatchEnd(_ batch: Int, logs: Logs) throws {
        batches += 1
        if batches == limit { model?.stopTraining = true }
    }
}
