import Neural
import Testing

/// Seed 002's Sequential API: building, summary, compile, fit, evaluate, predict.
@Suite struct SequentialTests {
    /// The book's classifier: 784-300-100-10 with 266,610 parameters, summarized like Keras.
    @Test func summaryOfTheBookClassifier() throws {
        let model = Sequential([
            Flatten(inputShape: [28, 28]),
            Dense(units: 300, activation: .relu),
            Dense(units: 100, activation: .relu),
            Dense(units: 10, activation: .softmax()),
        ], name: "sequential")
        #expect(model.isBuilt)
        #expect(model.parameterCount == 266_610)
        let text = model.summaryText()
        #expect(text.contains("Model: \"sequential\""))
        #expect(text.contains("(None, 784)"))
        #expect(text.contains("235500"))
        #expect(text.contains("Total params: 266,610"))
        #expect(text.contains("Non-trainable params: 0"))
        #expect(model.layers[1].name.hasPrefix("dense"))
        #expect(model.layers.compactMap { ($0 as? Dense)?.kernel?.shape } == [[784, 300], [300, 100], [100, 10]])
    }

    @Test func fitLearnsAndReportsHistory() throws {
        let (x, y) = ModelTestData.blobs(count: 600)
        let model = Sequential([Dense(units: 16, activation: .relu), Dense(units: 3, activation: .softmax())])
        model.add(Dense(units: 3, activation: .softmax()))
        model.pop()
        try model.compile(optimizer: try SGD(learningRate: 0.1), loss: Losses.SparseCategoricalCrossentropy(), metrics: ["accuracy"])
        let history = try model.fit(x, y, batchSize: 32, epochs: 5, verbosity: .silent, validationSplit: 0.2)
        #expect(history.epochs == [0, 1, 2, 3, 4])
        #expect(history.names == ["loss", "accuracy", "val_loss", "val_accuracy"])
        let losses = try #require(history.values["loss"])
        #expect(losses.last! < losses.first! / 2)
        #expect(try #require(history.last("val_accuracy")) > 0.95)
        let evaluation = try model.evaluate(x, y, verbosity: .silent)
        #expect(evaluation.names == ["loss", "accuracy"])
        let predictions = try model.predict(x, batchSize: 100)
        #expect(predictions.shape == [600, 3])
        #expect(Swift.abs(predictions.sum(alongAxes: [1]).mean().scalar - 1) < 1e-5)
    }

    @Test func sameSeedSameTraining() throws {
        // Its own stream: tests running in parallel draw from the process-wide one.
        func run() throws -> [Float] {
            try GlobalRandom.withSeed(7) {
                let (x, y) = ModelTestData.regression(count: 200)
                let model = Sequential([Dense(units: 8, activation: .tanh), Dense(units: 1)])
                try model.compile(optimizer: try Adam(learningRate: 0.01), loss: Losses.MeanSquaredError())
                return try #require(try model.fit(x, y, epochs: 3, verbosity: .silent).values["loss"])
            }
        }
        #expect(try run() == run())
    }

    @Test func stringCompileAndSampleWeights() throws {
        let (x, y) = ModelTestData.regression(count: 256)
        let model = Sequential([Dense(units: 1)])
        try model.compile(optimizer: "adam", loss: "mse", metrics: ["mae"])
        let weights = Tensor((0..<256).map { $0 < 128 ? Float(1) : 0 })
        let history = try model.fit(x, y, epochs: 2, verbosity: .silent, sampleWeight: weights)
        #expect(history.names == ["loss", "mean_absolute_error"] || history.names == ["loss", "mae"])
    }

    @Test func errorsNameWhatIsWrong() throws {
        let model = Sequential([Dense(units: 4)])
        let x = Tensor(zeros: [8, 3]), y = Tensor(zeros: [8, 4])
        #expect(throws: LayerError.self) { try model.fit(x, y, verbosity: .silent) }
        do {
            _ = try model.fit(x, y, verbosity: .silent)
        } catch {
            #expect("\(error)".contains("compile"))
        }
        try model.compile(optimizer: try SGD(), loss: Losses.MeanSquaredError())
        _ = try model.fit(x, y, verbosity: .silent)
        do {
            _ = try model.predict(Tensor(zeros: [2, 5]))
            Issue.record("a wrong feature count should throw")
        } catch let error as LayerError {
            #expect(error.description.contains("[batch, ..., 3]"))
        }
        #expect(throws: LayerError.self) { try model.fit(x, Tensor(zeros: [7, 4]), verbosity: .silent) }
        #expect(throws: LayerError.self) { try model.fit(x, y, batchSize: 0, verbosity: .silent) }
    }

    @Test func frozenLayersKeepTheirWeights() throws {
        let (x, y) = ModelTestData.regression(count: 64)
        let first = Dense(units: 4), second = Dense(units: 1)
        let model = Sequential([first, second])
        try model.compile(optimizer: try SGD(learningRate: 0.1), loss: Losses.MeanSquaredError())
        _ = try model.predict(x)
        first.trainable = false
        let before = try #require(first.kernel).value
        _ = try model.fit(x, y, epochs: 1, verbosity: .silent)
        #expect(try #require(first.kernel).value == before)
        #expect(model.trainableWeights.count == 2)
        #expect(model.nonTrainableWeights.count == 2)
    }
}
