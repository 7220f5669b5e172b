import Neural
import Testing

@Suite struct LayerNormalizationTests {
    let x = Tensor([[1, 2, 3, 4], [2, -1, 0, 5]])

    @Test func normalizesEachExampleOverItsFeatures() throws {
        let layer = LayerNormalization()
        let plain = try layer(Tensor([[1, 2], [3, 6]]))
        // Each row: (x - mean) / sqrt(var + 1e-3), computed in Double.
        expectClose(plain, [-0.99800598, 0.99800598, -0.99977785, 0.99977785], shape: [2, 2])
    }

    @Test func gammaAndBetaAndTheSameResultInTrainingAndInference() throws {
        let layer = LayerNormalization()
        _ = try layer(x)
        try #require(layer.gamma).assign(Tensor([1, 2, 0.5, -1]))
        try #require(layer.beta).assign(Tensor([0, 0.1, 0.2, 0.3]))
        // NumPy: (x - mean) / sqrt(var + 1e-3) * gamma + beta along the last axis.
        let expected: [Float] = [-1.34110445, -0.79406963, 0.42351741, -1.04110445,
                                 0.21819711, -2.08197111, -0.12729567, -1.22737977]
        expectClose(try layer(x, training: false), expected, shape: [2, 4])
        expectClose(try layer(x, training: true), expected, shape: [2, 4])
        #expect(layer.weights.map(\.name) == ["\(layer.name)/gamma", "\(layer.name)/beta"])
        #expect(layer.name.hasPrefix("layer_normalization"))
    }

    @Test func rmsScaling() throws {
        let layer = LayerNormalization(rmsScaling: true)
        _ = try layer(x)
        #expect(layer.beta == nil)
        try #require(layer.gamma).assign(Tensor([1, 2, 0.5, -1]))
        // Keras's rms_scaling: x / sqrt(var + epsilon) · gamma (the variance, not the mean square).
        expectClose(try layer(x), [0.89406963, 3.57627854, 1.34110445, -3.57627854,
                                   0.87278844, -0.87278844, 0, -2.18197111], tolerance: 1e-5)
    }

    @Test func severalAxes() throws {
        let input = randomTensor([2, 3, 4], seed: 4, lower: -2, upper: 2)
        let trailing = LayerNormalization(axis: [1, 2])
        let y = try trailing(input)
        #expect(try #require(trailing.gamma).shape == [3, 4])
        expectClose(y, referenceNormalization(input, axes: [1, 2], epsilon: 1e-3, gamma: nil, beta: nil,
                                              parameterShape: [1, 3, 4]).scalars, tolerance: 1e-5)
        let middle = LayerNormalization(axis: 1)
        let z = try middle(input)
        #expect(try #require(middle.gamma).shape == [3])
        expectClose(z, referenceNormalization(input, axes: [1], epsilon: 1e-3, gamma: nil, beta: nil,
                                              parameterShape: [1, 3, 1]).scalars, tolerance: 1e-5)
    }

    @Test func gradientsMatchFiniteDifferences() throws {
        let layer = LayerNormalization()
        let input = randomTensor([3, 5], seed: 13, lower: -2, upper: 2)
        _ = try layer(input)
        try #require(layer.gamma).assign(Tensor([1.2, -0.4, 0.7, 2, 0.1]))
        try #require(layer.beta).assign(Tensor([0.3, 0.2, 0.1, 0, -0.1]))
        checkGradients([input]) { xs in (try? layer(xs[0], training: true)) ?? Tensor(0) }
        try checkFusedGradients(input) { try layer($0) }
        try checkVariableGradients([try #require(layer.gamma), try #require(layer.beta)]) { try layer(input) }

        for axes in [[1, 2], [1], [-1]] {
            let other = LayerNormalization(axis: axes)
            let sequence = randomTensor([2, 3, 3], seed: 14, lower: -2, upper: 2)
            _ = try other(sequence)
            let gamma = try #require(other.gamma)
            gamma.assign(randomTensor(gamma.shape, seed: 15, lower: 0.5, upper: 1.5))
            checkGradients([sequence]) { xs in (try? other(xs[0])) ?? Tensor(0) }
            try checkFusedGradients(sequence) { try other($0) }
            try checkVariableGradients([gamma, try #require(other.beta)]) { try other(sequence) }
        }
        let rms = LayerNormalization(rmsScaling: true)
        checkGradients([input]) { xs in (try? rms(xs[0])) ?? Tensor(0) }
    }

    @Test func recordedAndFusedBackwardPassesAgree() throws {
        for (axes, shape) in [([-1], [5, 6]), ([1, 2], [2, 3, 4]), ([-1], [2, 3, 300])] {
            let layer = LayerNormalization(axis: axes)
            let input = randomTensor(shape, seed: 17, lower: -2, upper: 2)
            _ = try layer(input)
            let gamma = try #require(layer.gamma)
            gamma.assign(randomTensor(gamma.shape, seed: 18, lower: -1.5, upper: 1.5))
            try expectRecordedBackwardMatchesFused(input, [gamma, try #require(layer.beta)]) { try layer($0) }
        }
    }

    @Test func secondOrderGradients() throws {
        let layer = LayerNormalization()
        let input = randomTensor([3, 4], seed: 16, lower: -2, upper: 2)
        _ = try layer(input)
        try #require(layer.gamma).assign(Tensor([1.2, -0.4, 0.7, 2]))
        checkSecondOrderGradients(input, tolerance: 5e-3) { x in (try? layer(x)) ?? Tensor(0) }
    }

    @Test func badArgumentsAndInputsThrow() throws {
        expectLayerError("axis [0]") { _ = try LayerNormalization(axis: 0)(x) }
        expectLayerError("axis [2]") { _ = try LayerNormalization(axis: 2)(x) }
        expectLayerError("distinct") { _ = try LayerNormalization(axis: [1, -1])(x) }
        expectLayerError("epsilon") { _ = try LayerNormalization(epsilon: -1)(x) }
        let layer = LayerNormalization()
        _ = try layer(x)
        expectLayerError("[_, 4]") { _ = try layer(Tensor(zeros: [2, 3])) }
    }

    @Test func trainsInsideSequential() throws {
        GlobalRandom.seed(5)
        let (x, y) = ModelTestData.regression(count: 256)
        let model = Sequential([
            Dense(units: 16, inputShape: [8]), LayerNormalization(), LeakyReLU(), Dense(units: 1),
        ])
        try model.compile(optimizer: try Adam(learningRate: 0.01), loss: Losses.MeanSquaredError())
        let history = try model.fit(x, y, batchSize: 32, epochs: 8, verbosity: .silent)
        let losses = try #require(history.values["loss"])
        #expect(losses.last! < losses.first! / 4)
    }
}
