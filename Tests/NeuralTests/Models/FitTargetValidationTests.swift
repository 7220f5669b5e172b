import Neural
import Testing

/// `fit` and `evaluate` with targets that do not fit the model throw a ``TargetError`` that says why,
/// before any step, instead of trapping in a loss kernel (issue 12, item 5).
@Suite struct FitTargetValidationTests {
    /// Features `[count, 4]` and one label per row, `labels[i % labels.count]`.
    static func data(count: Int = 40, labels: [Float]) -> (x: Tensor, y: Tensor) {
        var generator = SeededGenerator(seed: 11)
        return (Tensor(randomNormal: [count, 4], generator: &generator),
                Tensor((0..<count).map { labels[$0 % labels.count] }))
    }

    /// A compiled 4 → `units` model.
    static func model(units: Int, activation: Activation = .linear, loss: any Loss, metrics: [MetricSpec] = []) throws -> Sequential {
        let model = Sequential([Dense(units: 8, activation: .relu, inputShape: [4]), Dense(units: units, activation: activation)])
        try model.compile(optimizer: try SGD(learningRate: 0.01), loss: loss, metrics: metrics)
        return model
    }

    /// Runs `fit` under a seed and returns the error it throws (nil when it trains).
    static func fitError(_ model: Model, _ x: Tensor, _ y: Tensor, validationSplit: Float = 0) -> TargetError? {
        GlobalRandom.withSeed(3) {
            do {
                try model.fit(x, y, batchSize: 8, epochs: 1, verbosity: .silent, validationSplit: validationSplit)
                return nil
            } catch let error as TargetError {
                return error
            } catch {
                Issue.record("fit threw \(error) instead of a TargetError")
                return nil
            }
        }
    }

    @Test func moreClassesThanUnitsNamesTheLabelTheRowAndTheUnitsNeeded() throws {
        // Labels 0..<10 against 9 outputs: the first 9 is at row 9.
        let (x, y) = Self.data(labels: (0..<10).map(Float.init))
        let model = try Self.model(units: 9, activation: .softmax(), loss: Losses.SparseCategoricalCrossentropy(), metrics: ["accuracy"])
        let weightsBefore = model.weights.map(\.value.scalars)
        let error = try #require(Self.fitError(model, x, y))
        #expect(error.problem == .notClassIndex(value: 9, row: 9, classes: 9, largest: 9))
        #expect(error.description.hasPrefix(
            "labels must be integers in 0..<9 for sparse_categorical_crossentropy with 9 outputs; found 9 at row 9 of the training data"))
        #expect(error.description.contains("the last layer needs 10 units"))
        // Refused before any step: the weights did not move.
        #expect(model.weights.map(\.value.scalars) == weightsBefore)
    }

    @Test func negativeFractionalAndNaNLabelsAreRefusedForSparseCrossentropy() throws {
        for (bad, text) in [(Float(-1), "found -1 at row 3"), (1.5, "found 1.5 at row 3"), (.nan, "found nan at row 3")] {
            let (x, y) = Self.data(labels: [0, 1, 2, bad, 1])
            let model = try Self.model(units: 3, loss: Losses.SparseCategoricalCrossentropy(fromLogits: true))
            let error = try #require(Self.fitError(model, x, y), "label \(bad)")
            #expect(error.function == "sparse_categorical_crossentropy")
            #expect(error.description.contains(text), "\(error)")
            #expect(error.description.contains("class labels are whole numbers"), "\(error)")
        }
    }

    @Test func aBadLabelInTheValidationSplitIsFoundBeforeTraining() throws {
        // 40 rows, the last 10 for validation; row 37 holds 5 for 3 classes: row 7 of the validation data.
        var labels = (0..<40).map { Float($0 % 3) }
        labels[37] = 5
        let (x, _) = Self.data(labels: [0])
        let model = try Self.model(units: 3, activation: .softmax(), loss: Losses.SparseCategoricalCrossentropy())
        let error = try #require(Self.fitError(model, x, Tensor(labels), validationSplit: 0.25))
        #expect(error.problem == .notClassIndex(value: 5, row: 7, classes: 3, largest: 5))
        #expect(error.data == "the validation data")
    }

    @Test func threeRegressionOutputsAgainstOneTargetColumn() throws {
        let (x, y) = Self.data(labels: [0.5, 1.5, -2])
        for loss: any Loss in [Losses.MeanSquaredError(), Losses.MeanAbsoluteError(), Losses.Huber()] {
            let model = try Self.model(units: 3, loss: loss, metrics: ["mae"])
            let error = try #require(Self.fitError(model, x, y), "\(loss.name)")
            #expect(error.function == loss.name)
            #expect(error.problem == .shapes(
                targets: [40], predictions: [40, 3],
                advice: "it needs one target per output unit (targets of shape [40, 3]); the model has 3 output units and the data 1 target value per sample, so give the last layer 1 unit"))
        }
        // One unit per target column trains, targets [n] or [n, 1].
        let fits = try Self.model(units: 1, loss: Losses.MeanSquaredError(), metrics: ["mae"])
        #expect(Self.fitError(fits, x, y) == nil)
        #expect(Self.fitError(fits, x, y.reshaped(to: [40, 1])) == nil)
    }

    @Test func categoricalCrossentropyOnIntegerLabelsPointsToTheSparseLoss() throws {
        let (x, y) = Self.data(labels: [0, 1, 2])
        let model = try Self.model(units: 3, activation: .softmax(), loss: Losses.CategoricalCrossentropy())
        let error = try #require(Self.fitError(model, x, y))
        #expect(error.function == "categorical_crossentropy")
        #expect(error.description.contains("for integer class labels use sparse_categorical_crossentropy"), "\(error)")
        // One-hot targets train.
        let oneHot = Tensor(shape: [40, 3], scalars: (0..<40).flatMap { row in (0..<3).map { $0 == row % 3 ? Float(1) : 0 } })
        #expect(Self.fitError(model, x, oneHot) == nil)
    }

    @Test func binaryCrossentropyOnThreeOutputs() throws {
        let (x, y) = Self.data(labels: [0, 1])
        let model = try Self.model(units: 3, activation: .sigmoid, loss: Losses.BinaryCrossentropy(), metrics: ["accuracy"])
        let error = try #require(Self.fitError(model, x, y))
        #expect(error.function == "binary_crossentropy")
        #expect(error.description.contains("give the last layer 1 unit"), "\(error)")
        let one = try Self.model(units: 1, activation: .sigmoid, loss: Losses.BinaryCrossentropy(), metrics: ["accuracy"])
        #expect(Self.fitError(one, x, y) == nil)
    }

    @Test func metricsAreCheckedToo() throws {
        // The loss takes one-hot targets, but the sparse accuracy metric cannot.
        let (x, _) = Self.data(labels: [0])
        let oneHot = Tensor(shape: [40, 3], scalars: (0..<40).flatMap { row in (0..<3).map { $0 == row % 3 ? Float(1) : 0 } })
        let model = try Self.model(units: 3, activation: .softmax(), loss: Losses.CategoricalCrossentropy(), metrics: ["sparse_categorical_accuracy"])
        let error = try #require(Self.fitError(model, x, oneHot))
        #expect(error.function == "sparse_categorical_accuracy")
        // A plain Mean cannot be a compiled metric: refused, not trapped at the first update.
        let (_, y) = Self.data(labels: [0.5])
        let mean = try Self.model(units: 1, loss: Losses.MeanSquaredError(), metrics: ["mean"])
        let meanError = try #require(Self.fitError(mean, x, y))
        #expect(meanError.problem == .unusableMetric(advice: "it averages values it is given; compile a metric that compares targets and predictions, such as mae or accuracy"))
    }

    @Test func evaluateChecksItsTargets() throws {
        let (x, y) = Self.data(labels: [0, 1, 7])
        let model = try Self.model(units: 3, activation: .softmax(), loss: Losses.SparseCategoricalCrossentropy())
        #expect(throws: TargetError.self) { try model.evaluate(x, y, verbosity: .silent) }
        let dataset = Dataset.fromTensorSlices((x, y)).batch(8)
        #expect(throws: TargetError.self) { try model.evaluate(dataset, verbosity: .silent) }
    }

    @Test func fitOnADatasetChecksTheFirstEpochsBatches() throws {
        // The bad label is in the third batch: training stops there with the batch named.
        var labels = (0..<40).map { Float($0 % 3) }
        labels[20] = 3
        let (x, _) = Self.data(labels: [0])
        let model = try Self.model(units: 3, activation: .softmax(), loss: Losses.SparseCategoricalCrossentropy())
        let dataset = Dataset.fromTensorSlices((x, Tensor(labels))).batch(8)
        do {
            _ = try GlobalRandom.withSeed(3) { try model.fit(dataset, epochs: 2, verbosity: .silent) }
            Issue.record("fit trained on a label outside the classes")
        } catch let error as TargetError {
            #expect(error.problem == .notClassIndex(value: 3, row: 4, classes: 3, largest: 3))
            #expect(error.data == "batch 2 of the training dataset")
        }
    }

    @Test func classWeightsWithNonIntegerLabelsThrow() throws {
        let (x, y) = Self.data(labels: [0, .nan])
        let model = try Self.model(units: 1, loss: Losses.MeanSquaredError())
        #expect(throws: LayerError.self) {
            try model.fit(x, y, batchSize: 8, verbosity: .silent, classWeight: [0: 1, 1: 2])
        }
    }

    @Test func theCheckBuildsTheModelAfterTheShuffleAsTheFirstStepWould() throws {
        // fit's random draws keep their order: shuffle, then the weights' initialization. A manual
        // loop doing exactly that (build by predicting on one sample) ends with the same weights.
        func model() throws -> Sequential {
            let model = Sequential([Dense(units: 6, activation: .relu), Dense(units: 3, activation: .softmax())])
            try model.compile(optimizer: try SGD(learningRate: 0.1), loss: Losses.SparseCategoricalCrossentropy())
            return model
        }
        let (x, y) = ModelTestData.blobs(count: 60, features: 4)
        let fitted = try GlobalRandom.withSeed(21) { () throws -> [[Float]] in
            let model = try model()
            try model.fit(x, y, batchSize: 16, epochs: 1, verbosity: .silent)
            return model.weights.map(\.value.scalars)
        }
        let manual = try GlobalRandom.withSeed(21) { () throws -> [[Float]] in
            let model = try model()
            var order = Array(0..<60)
            GlobalRandom.withGenerator { $0.shuffle(&order) }
            _ = try model.predict(x[0..<1])
            let data = try ModelData(inputs: [x], targets: [y])
            for start in stride(from: 0, to: 60, by: 16) {
                _ = try model.trainStep(data.batch(order[start..<Swift.min(start + 16, 60)]))
            }
            return model.weights.map(\.value.scalars)
        }
        #expect(fitted.count == 4)
        #expect(fitted == manual)
    }

    @Test func multiOutputModelsNameTheOutputAndRefuseMismatchedCounts() throws {
        let (x, y) = Self.data(labels: [0.5, -1])
        let input = Input(shape: [4])
        let hidden = try Dense(units: 4, activation: .relu)(input)
        let main = try Dense(units: 1, name: "main")(hidden)
        let aux = try Dense(units: 2, name: "aux")(hidden)
        let model = try Functional(inputs: [input], outputs: [main, aux])
        try model.compile(optimizer: try SGD(learningRate: 0.01), losses: [Losses.MeanSquaredError(), Losses.MeanSquaredError()])
        let data = try ModelData(inputs: [x], targets: [y, y])
        do {
            try model.fit(data, batchSize: 8, verbosity: .silent)
            Issue.record("one target column trained against two output units")
        } catch let error as TargetError {
            #expect(error.data == "aux of the training data")
        }
        // Two targets for a model compiled with two loss weights but fed one target: a LayerError.
        #expect(throws: LayerError.self) {
            try model.fit(try ModelData(inputs: [x], targets: [y]), batchSize: 8, verbosity: .silent)
        }
    }
}
