import Neural
import Testing

@Suite struct BatchNormalizationTests {
    /// `[[1, 2], [3, 6]]`: channel 0 has mean 2 and variance 1, channel 1 mean 4 and variance 4.
    let x = Tensor([[1, 2], [3, 6]])

    @Test func trainingUsesTheBatchStatistics() throws {
        let layer = BatchNormalization()
        let y = try layer(x, training: true)
        // (x - mean) / sqrt(var + 1e-3), computed in Double.
        expectClose(y, [-0.99950037, -0.99987502, 0.99950037, 0.99987502], shape: [2, 2])
    }

    @Test func movingStatisticsFollowKerasUpdate() throws {
        let layer = BatchNormalization()
        _ = try layer(x, training: true)
        let movingMean = try #require(layer.movingMean), movingVariance = try #require(layer.movingVariance)
        // moving = moving · 0.99 + batch · 0.01, from zeros and ones; the variance is the population one.
        expectClose(movingMean.value, [0.02, 0.04])
        expectClose(movingVariance.value, [1.0, 1.03])
        _ = try layer(x, training: true)
        expectClose(movingMean.value, [0.0398, 0.0796])
        expectClose(movingVariance.value, [1.0, 1.0597])
        // Inference neither uses nor changes the batch statistics.
        _ = try layer(x, training: false)
        expectClose(movingMean.value, [0.0398, 0.0796])
    }

    @Test func momentumIsConfigurable() throws {
        let layer = BatchNormalization(momentum: 0.5)
        _ = try layer(x, training: true)
        expectClose(try #require(layer.movingMean).value, [1, 2])
        expectClose(try #require(layer.movingVariance).value, [1, 2.5])
    }

    @Test func inferenceUsesTheMovingStatistics() throws {
        let layer = BatchNormalization(epsilon: 0.01)
        _ = try layer(x, training: false)
        try #require(layer.gamma).assign(Tensor([2, 0.5]))
        try #require(layer.beta).assign(Tensor([1, -1]))
        try #require(layer.movingMean).assign(Tensor([1, 2]))
        try #require(layer.movingVariance).assign(Tensor([3.99, 0.24]))
        let y = try layer(x, training: false)
        // gamma · (x - mm) / sqrt(mv + 0.01) + beta: channel 0 divides by 2, channel 1 by 0.5.
        expectClose(y, [1, -1, 3, 3], shape: [2, 2])
        // A training call of a frozen layer runs in inference mode too (Keras), without updates.
        layer.trainable = false
        let frozen = try layer(x, training: true)
        expectClose(frozen, [1, -1, 3, 3])
        expectClose(try #require(layer.movingMean).value, [1, 2])
    }

    @Test func gammaAndBetaScaleAndShiftTheTrainingOutput() throws {
        let layer = BatchNormalization()
        _ = try layer(x, training: false)
        try #require(layer.gamma).assign(Tensor([2, -1]))
        try #require(layer.beta).assign(Tensor([0.5, 3]))
        let y = try layer(x, training: true)
        expectClose(y, [0.5 - 2 * 0.99950037, 3 + 0.99987502, 0.5 + 2 * 0.99950037, 3 - 0.99987502])
    }

    @Test func weightsInKerasOrder() throws {
        let layer = BatchNormalization(name: "bn")
        _ = try layer(Tensor(zeros: [4, 5]))
        #expect(layer.weights.map(\.name) == ["bn/gamma", "bn/beta", "bn/moving_mean", "bn/moving_variance"])
        #expect(layer.trainableWeights.count == 2)
        #expect(layer.nonTrainableWeights.count == 2)
        #expect(layer.parameterCount == 20)
        let bare = BatchNormalization(center: false, scale: false)
        _ = try bare(Tensor(zeros: [4, 5]))
        #expect(bare.trainableWeights.isEmpty)
        #expect(bare.weights.count == 2)
        #expect(BatchNormalization().name.hasPrefix("batch_normalization"))
    }

    @Test func channelAxisOtherThanTheLast() throws {
        // [batch 2, channels 2, length 3]: the statistics of channel c are over batch and length.
        let values: [Float] = [1, 2, 3, 10, 20, 30, 4, 5, 6, 40, 50, 60]
        let input = Tensor(shape: [2, 2, 3], scalars: values)
        let layer = BatchNormalization(axis: 1, momentum: 0)
        let y = try layer(input, training: true)
        let reference = referenceNormalization(input, axes: [0, 2], epsilon: 1e-3, gamma: nil, beta: nil, parameterShape: [1, 2, 1])
        expectClose(y, reference.scalars, shape: [2, 2, 3], tolerance: 1e-5)
        // momentum 0: the moving statistics are the last batch's.
        expectClose(try #require(layer.movingMean).value, [3.5, 35], tolerance: 1e-5)
        expectClose(try #require(layer.movingVariance).value, [35.0 / 12, 3500.0 / 12], tolerance: 1e-5)
    }

    @Test func gradientsThroughTheBatchStatistics() throws {
        let layer = BatchNormalization()
        let input = randomTensor([6, 3], seed: 3, lower: -2, upper: 2)
        _ = try layer(input, training: false)
        try #require(layer.gamma).assign(Tensor([1.5, -0.7, 0.3]))
        try #require(layer.beta).assign(Tensor([0.2, 0.1, -0.4]))
        checkGradients([input], epsilon: 1e-2, tolerance: 2e-2) { xs in
            (try? layer(xs[0], training: true)) ?? Tensor(0)
        }
        try checkFusedGradients(input) { try layer($0, training: true) }
        try checkVariableGradients([try #require(layer.gamma), try #require(layer.beta)]) {
            try layer(input, training: true)
        }
    }

    @Test func gradientsWithTheChannelAxisInTheMiddle() throws {
        let layer = BatchNormalization(axis: 1)
        let input = randomTensor([3, 2, 4], seed: 5, lower: -2, upper: 2)
        _ = try layer(input, training: false)
        try #require(layer.gamma).assign(Tensor([0.8, -1.2]))
        try #require(layer.beta).assign(Tensor([0.3, 0.6]))
        checkGradients([input]) { xs in (try? layer(xs[0], training: true)) ?? Tensor(0) }
        try checkFusedGradients(input) { try layer($0, training: true) }
        try checkVariableGradients([try #require(layer.gamma), try #require(layer.beta)]) {
            try layer(input, training: true)
        }
        // Rank 3 with the channels last: statistics over batch and time.
        let last = BatchNormalization(scale: false)
        let sequence = randomTensor([2, 3, 2], seed: 6, lower: -2, upper: 2)
        checkGradients([sequence]) { xs in (try? last(xs[0], training: true)) ?? Tensor(0) }
        try checkFusedGradients(sequence) { try last($0, training: true) }
    }

    @Test func gradientsMatchTheTensorOpReference() throws {
        let layer = BatchNormalization()
        let input = randomTensor([5, 4], seed: 8, lower: -3, upper: 3)
        _ = try layer(input, training: false)
        let gamma = try #require(layer.gamma), beta = try #require(layer.beta)
        gamma.assign(Tensor([1.1, 0.9, -0.5, 2]))
        beta.assign(Tensor([0, 1, 2, 3]))
        let upstream = randomTensor([5, 4], seed: 9)

        let tape = GradientTape()
        let fused = try tape.record {
            tape.watch(input)
            return (try layer(input, training: true) * upstream).sum()
        }
        let fusedGradients = try tape.gradient(of: fused, wrt: [input, gamma.value, beta.value])

        let referenceTape = GradientTape()
        let gammaTensor = gamma.value, betaTensor = beta.value
        let reference = referenceTape.record {
            referenceTape.watch(input); referenceTape.watch(gammaTensor); referenceTape.watch(betaTensor)
            let y = referenceNormalization(input, axes: [0], epsilon: 1e-3, gamma: gammaTensor, beta: betaTensor,
                                           parameterShape: [4])
            return (y * upstream).sum()
        }
        let referenceGradients = try referenceTape.gradient(of: reference, wrt: [input, gammaTensor, betaTensor])
        #expect(Swift.abs(fused.scalar - reference.scalar) < 1e-4)
        for (ours, theirs) in zip(fusedGradients, referenceGradients) {
            expectClose(try #require(ours), try #require(theirs).scalars, tolerance: 1e-4)
        }
    }

    @Test func recordedAndFusedBackwardPassesAgree() throws {
        for (axis, shape) in [(-1, [6, 4]), (1, [3, 2, 5]), (-1, [2, 3, 4])] {
            let layer = BatchNormalization(axis: axis)
            let input = randomTensor(shape, seed: 13, lower: -2, upper: 2)
            _ = try layer(input, training: false)
            let gamma = try #require(layer.gamma)
            gamma.assign(randomTensor(gamma.shape, seed: 14, lower: -1.5, upper: 1.5))
            try expectRecordedBackwardMatchesFused(input, [gamma, try #require(layer.beta)]) {
                try layer($0, training: true)
            }
        }
    }

    @Test func secondOrderThroughTrainingMode() throws {
        let layer = BatchNormalization()
        let input = randomTensor([4, 3], seed: 10, lower: -2, upper: 2)
        _ = try layer(input, training: false)
        try #require(layer.gamma).assign(Tensor([1.3, -0.6, 0.9]))
        checkSecondOrderGradients(input, tolerance: 5e-3) { x in (try? layer(x, training: true)) ?? Tensor(0) }
        let middle = BatchNormalization(axis: 1)
        let sequence = randomTensor([2, 3, 2], seed: 11, lower: -2, upper: 2)
        checkSecondOrderGradients(sequence, tolerance: 5e-3) { x in (try? middle(x, training: true)) ?? Tensor(0) }
    }

    @Test func inferenceModeGradients() throws {
        let layer = BatchNormalization()
        let input = randomTensor([4, 3], seed: 12, lower: -2, upper: 2)
        _ = try layer(input, training: false)
        try #require(layer.gamma).assign(Tensor([1.3, -0.6, 0.9]))
        try #require(layer.movingMean).assign(Tensor([0.1, -0.2, 0.3]))
        try #require(layer.movingVariance).assign(Tensor([0.5, 2, 1.5]))
        checkGradients([input]) { xs in (try? layer(xs[0], training: false)) ?? Tensor(0) }
        try checkVariableGradients([try #require(layer.gamma), try #require(layer.beta)]) {
            try layer(input, training: false)
        }
    }

    @Test func badArgumentsAndInputsThrow() throws {
        expectLayerError("momentum") { _ = try BatchNormalization(momentum: 1.5)(x) }
        expectLayerError("epsilon") { _ = try BatchNormalization(epsilon: 0)(x) }
        expectLayerError("axis 0") { _ = try BatchNormalization(axis: 0)(x) }
        expectLayerError("axis 2") { _ = try BatchNormalization(axis: 2)(x) }
        let layer = BatchNormalization()
        _ = try layer(x)
        expectLayerError("[_, 2]") { _ = try layer(Tensor(zeros: [2, 3])) }
        expectLayerError("got [2, 2, 1]") { _ = try layer(Tensor(zeros: [2, 2, 1])) }
    }

    @Test func trainsInsideSequential() throws {
        GlobalRandom.seed(11)
        let (x, y) = ModelTestData.blobs(count: 300)
        // Shifted and scaled inputs: batch normalization is what makes plain SGD cope with them.
        let shifted = x * 40 + 100
        let normalization = BatchNormalization(momentum: 0.9)
        let model = Sequential([
            Dense(units: 16, inputShape: [8]), normalization, ActivationLayer(.relu),
            Dense(units: 3, activation: .softmax()),
        ])
        try model.compile(optimizer: try SGD(learningRate: 0.05), loss: Losses.SparseCategoricalCrossentropy(),
                          metrics: ["accuracy"])
        let history = try model.fit(shifted, y, batchSize: 32, epochs: 6, verbosity: .silent)
        let losses = try #require(history.values["loss"])
        #expect(losses.last! < losses.first! / 2)
        // Moving statistics were learned, and inference (which uses them) classifies well.
        #expect(try #require(normalization.movingMean).value.scalars.contains { Swift.abs($0) > 1 })
        let evaluation = try model.evaluate(shifted, y, verbosity: .silent)
        #expect(try #require(evaluation["accuracy"]) > 0.9)
        #expect(model.summaryText().contains("Non-trainable params: 32"))
    }
}
