import Neural
import Testing

@Suite struct NormalizationLayerTests {
    let kerasData = Tensor([[0, 7, 4], [2, 9, 6], [0, 7, 4], [2, 9, 6]])

    /// The examples of Keras's `Normalization` documentation.
    @Test func kerasDocumentedExamples() throws {
        let perFeature = Normalization()
        try perFeature.adapt(kerasData)
        expectClose(try perFeature(Tensor([[0, 7, 4]])), [-1, -1, -1], shape: [1, 3])

        let inverted = Normalization(invert: true)
        try inverted.adapt(kerasData)
        expectClose(try inverted(Tensor([[1, 2, 3]])), [2, 10, 8])

        let global = Normalization(axis: nil)
        try global.adapt(Tensor([1, 2, 3, 4, 5]))
        expectClose(try global(Tensor([1, 2, 3])), [-1.4142135, -0.70710677, 0])

        let fixed = Normalization(mean: Tensor(3), variance: Tensor(2))
        expectClose(try fixed(Tensor([[1], [2], [3]])), [-1.4142135, -0.70710677, 0], shape: [3, 1])
        #expect(fixed.weights.isEmpty)
    }

    @Test func adaptStandardizesMadeData() throws {
        var generator = SeededGenerator(seed: 17)
        let means: [Float] = [5, -3, 100], deviations: [Float] = [2, 0.5, 10]
        var values: [Float] = []
        for _ in 0..<2000 {
            for feature in 0..<3 { values.append(means[feature] + deviations[feature] * Float(generator.nextNormal())) }
        }
        let data = Tensor(shape: [2000, 3], scalars: values)
        let layer = Normalization()
        #expect(!layer.isAdapted)
        try layer.adapt(data)
        #expect(layer.isAdapted)
        expectClose(try #require(layer.mean).value, means, tolerance: 0.05)
        expectClose(try #require(layer.variance).value, deviations.map { $0 * $0 }, tolerance: 0.1)
        #expect(try #require(layer.count).value.scalar == 2000)

        let output = try layer(data)
        let (outputMean, outputVariance) = output.moments(alongAxes: [0])
        expectClose(outputMean, [0, 0, 0], tolerance: 1e-4)
        expectClose(outputVariance, [1, 1, 1], tolerance: 1e-4)

        // The statistics are non-trainable weights: mean, variance and count (8 features: 17, as in the book).
        #expect(layer.trainableWeights.isEmpty)
        #expect(layer.nonTrainableWeights.map(\.name) == ["mean", "variance", "count"].map { "\(layer.name)/\($0)" })
        let book = Normalization()
        try book.adapt(Tensor(zeros: [10, 8]) + Tensor((0..<8).map(Float.init)))
        #expect(book.parameterCount == 17)
    }

    @Test func constantFeaturesAreOnlyCentred() throws {
        let layer = Normalization()
        try layer.adapt(Tensor([[1, 5], [3, 5]]))
        // The deviation is floored at 1e-7 (Keras's epsilon): a constant feature becomes 0, not NaN.
        expectClose(try layer(Tensor([[2, 5]])), [0, 0])
    }

    @Test func adaptingAgainReplacesTheStatistics() throws {
        let layer = Normalization()
        try layer.adapt(Tensor([[0], [2]]))
        expectClose(try layer(Tensor([[2]])), [1])
        try layer.adapt(Tensor([[10], [14]]))
        expectClose(try layer(Tensor([[14]])), [1])
    }

    @Test func callingBeforeAdaptThrows() throws {
        let layer = Normalization()
        expectLayerError("adapt") { _ = try layer(Tensor([[1, 2, 3], [4, 5, 6]])) }
        expectLayerError("adapt") { _ = try layer(Tensor([[1, 2, 3]]), training: true) }
        // Weights loaded from a save (a nonzero count) count as adapted.
        try #require(layer.mean).assign(Tensor([1, 2, 3]))
        try #require(layer.variance).assign(Tensor([4, 4, 4]))
        try #require(layer.count).assign(Tensor(10))
        expectClose(try layer(Tensor([[3, 2, 1]])), [1, 0, -1])
    }

    /// Seed 002: the model is assembled (and summarized) first, adapted afterwards, then trained.
    @Test func seedOrderSequentialThenAdaptThenFit() throws {
        GlobalRandom.seed(42)
        let (x, y) = ModelTestData.regression(count: 300)
        let xTrain = x * 30 + 7
        let normalization = Normalization(inputShape: [8])
        let model = Sequential([
            normalization,
            Dense(units: 30, activation: .relu),
            Dense(units: 1),
        ])
        #expect(model.isBuilt)
        let summary = model.summaryText().split(separator: "\n")
        #expect(summary.contains { $0.contains("(Normalization)") && $0.hasSuffix("17") })
        try model.compile(optimizer: try Adam(learningRate: 1e-2), loss: Losses.MeanSquaredError(),
                          metrics: ["RootMeanSquaredError"])
        #expect(throws: LayerError.self) { try model.fit(xTrain, y, epochs: 1, verbosity: .silent) }
        try normalization.adapt(xTrain)
        let history = try model.fit(xTrain, y, batchSize: 32, epochs: 10, verbosity: .silent)
        let losses = try #require(history.values["loss"])
        #expect(losses.last! < losses.first! / 4)
        // Adapting is not training: the statistics stay as adapted.
        expectClose(try #require(normalization.mean).value, xTrain.mean(alongAxes: [0]).scalars, tolerance: 1e-4)
    }

    /// Seed 002's Wide & Deep model with two inputs, each through its own Normalization: the graph
    /// is assembled before the layers are adapted, then trained (here with a custom loop on the tape
    /// over the Dense layers' weights).
    @Test func seedWideAndDeepWithTwoNormalizations() throws {
        GlobalRandom.seed(3)
        let (x, y) = ModelTestData.regression(count: 256, features: 8)
        let scaled = x * 5 + 2
        let columns = scaled.scalars
        func take(_ range: Range<Int>) -> Tensor {
            var values: [Float] = []
            for row in 0..<256 { values += columns[(row * 8 + range.lowerBound)..<(row * 8 + range.upperBound)] }
            return Tensor(shape: [256, range.count], scalars: values)
        }
        let xWide = take(0..<5), xDeep = take(2..<8)
        let inputWide = Input(shape: [5]), inputDeep = Input(shape: [6])
        let normWideLayer = Normalization(), normDeepLayer = Normalization()
        let hiddenLayer1 = Dense(units: 30, activation: .relu), hiddenLayer2 = Dense(units: 30, activation: .relu)
        let outputLayer = Dense(units: 1)
        let normWide = try normWideLayer(inputWide)
        let normDeep = try normDeepLayer(inputDeep)
        let hidden1 = try hiddenLayer1(normDeep)
        let hidden2 = try hiddenLayer2(hidden1)
        let concat = try Concatenate()([normWide, hidden2])
        let output = try outputLayer(concat)
        let model = try Functional(inputs: [inputWide, inputDeep], outputs: [output, normWide])
        #expect(throws: LayerError.self) { _ = try model.predict([xWide, xDeep]) }

        try normWideLayer.adapt(xWide)
        try normDeepLayer.adapt(xDeep)
        let predictions = try model.predict([xWide, xDeep])
        #expect(predictions[0].shape == [256, 1])
        let (wideMean, wideVariance) = predictions[1].moments(alongAxes: [0])
        expectClose(wideMean, [Float](repeating: 0, count: 5), tolerance: 1e-4)
        expectClose(wideVariance, [Float](repeating: 1, count: 5), tolerance: 1e-3)

        let variables = [hiddenLayer1, hiddenLayer2, outputLayer].flatMap(\.trainableWeights)
        let optimizer = try Adam(learningRate: 1e-2)
        let lossFunction = Losses.MeanSquaredError()
        var losses: [Float] = []
        for _ in 0..<60 {
            let tape = GradientTape()
            let loss = try tape.record {
                try lossFunction(y, try model.callOutputs([xWide, xDeep], training: true)[0])
            }
            losses.append(loss.scalar)
            try optimizer.apply(gradients: try tape.gradient(of: loss, wrt: variables), to: variables)
        }
        #expect(losses.last! < losses.first! / 4)
    }

    @Test func gradientFlowsToTheInput() throws {
        let layer = Normalization()
        try layer.adapt(kerasData)
        checkGradients([randomTensor([3, 3], seed: 2)]) { xs in (try? layer(xs[0])) ?? Tensor(0) }
        let inverted = Normalization(invert: true)
        try inverted.adapt(kerasData)
        checkGradients([randomTensor([3, 3], seed: 3)]) { xs in (try? inverted(xs[0])) ?? Tensor(0) }
        let middle = Normalization(axis: [1])
        try middle.adapt(randomTensor([4, 2, 3], seed: 4))
        checkGradients([randomTensor([2, 2, 3], seed: 5)]) { xs in (try? middle(xs[0])) ?? Tensor(0) }
    }

    @Test func statisticsOverOtherAxes() throws {
        // Kept axis 1 of [batch, 2, 3]: one mean per index of axis 1, over the batch and axis 2.
        let data = Tensor(shape: [2, 2, 3], scalars: [1, 2, 3, 10, 20, 30, 4, 5, 6, 40, 50, 60])
        let layer = Normalization(axis: [1])
        try layer.adapt(data)
        expectClose(try #require(layer.mean).value, [3.5, 35])
        expectClose(try #require(layer.variance).value, [35.0 / 12, 3500.0 / 12], tolerance: 1e-5)
        let (mean, variance) = try layer(data).moments(alongAxes: [0, 2])
        expectClose(mean, [0, 0], tolerance: 1e-5)
        expectClose(variance, [1, 1], tolerance: 1e-4)
        // Two kept trailing axes: a mean per (row, column).
        let both = Normalization(axis: [1, 2])
        try both.adapt(data)
        #expect(try #require(both.mean).shape == [2, 3])
        expectClose(try #require(both.mean).value, [2.5, 3.5, 4.5, 25, 35, 45])
    }

    @Test func badArgumentsAndDataThrow() throws {
        let layer = Normalization()
        try layer.adapt(kerasData)
        expectLayerError("adapt data") { try layer.adapt(Tensor(zeros: [4, 3, 1])) }
        expectLayerError("[_, 3]") { try layer.adapt(Tensor(zeros: [4, 2])) }
        expectLayerError("[_, 3]") { _ = try layer(Tensor(zeros: [4, 2])) }
        expectLayerError("at least one") { try Normalization().adapt(Tensor(zeros: [0, 3])) }
        expectLayerError("at least one") { try Normalization().adapt(Tensor(3)) }
        expectLayerError("NaN") { try Normalization().adapt(Tensor([[1, .nan]])) }
        expectLayerError("axis: nil") { try Normalization().adapt(Tensor([1, 2, 3])) }
        expectLayerError("axis [5]") { try Normalization(axis: [5]).adapt(kerasData) }
        expectLayerError("without mean and variance") {
            try Normalization(mean: Tensor(0), variance: Tensor(1)).adapt(kerasData)
        }
        expectLayerError("broadcast") {
            _ = try Normalization(mean: Tensor([1, 2]), variance: Tensor([1, 1]))(kerasData)
        }
        expectLayerError("same shape") {
            _ = try Normalization(mean: Tensor([1, 2, 3]), variance: Tensor(1))(kerasData)
        }
        expectLayerError("negative") {
            _ = try Normalization(mean: Tensor(0), variance: Tensor(-1))(kerasData)
        }
    }
}
