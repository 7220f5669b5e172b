import Neural
import Testing

@Suite struct NoiseLayerTests {
    let zeros = Tensor(zeros: [500, 20])
    let ones = Tensor(ones: [500, 20])

    private func statistics(_ t: Tensor) -> (mean: Float, deviation: Float) {
        let mean = t.mean().scalar
        return (mean, (t - mean).squared().mean().scalar.squareRoot())
    }

    /// The seed's MyGaussianNoise: noise while training, the input itself otherwise.
    @Test func gaussianNoiseOnlyWhileTraining() throws {
        let layer = GaussianNoise(stddev: 0.3, seed: 4)
        #expect(try layer(ones, training: false) == ones)
        let noisy = try layer(zeros, training: true)
        let (mean, deviation) = statistics(noisy)
        #expect(Swift.abs(mean) < 0.01)
        #expect(Swift.abs(deviation - 0.3) < 0.01)
        // Normal, not just centred and scaled: P(|z| > 2σ) = 4.55 %, P(|z| > 3σ) = 0.27 %.
        let beyondTwo = Float(noisy.scalars.filter { Swift.abs($0) > 0.6 }.count) / 10_000
        let beyondThree = Float(noisy.scalars.filter { Swift.abs($0) > 0.9 }.count) / 10_000
        #expect(Swift.abs(beyondTwo - 0.0455) < 0.006)
        #expect(Swift.abs(beyondThree - 0.0027) < 0.0015)
        #expect(try layer(zeros, training: true) != noisy)
        // The same seed gives the same noise.
        #expect(try GaussianNoise(stddev: 0.3, seed: 4)(zeros, training: true) == noisy)
        // Additive noise: the gradient passes unchanged.
        let input = randomTensor([3, 4], seed: 1)
        let tape = GradientTape()
        let total = try tape.record { tape.watch(input); return try (layer(input, training: true) * 2).sum() }
        #expect(try #require(try tape.gradient(of: total, wrt: input)) == Tensor(repeating: 2, shape: [3, 4]))
        #expect(try GaussianNoise(stddev: 0)(ones, training: true) == ones)
    }

    @Test func gaussianNoiseRejectsBadStandardDeviations() {
        expectLayerError("stddev") { _ = try GaussianNoise(stddev: -0.1)(Tensor([[1]])) }
        expectLayerError("stddev") { _ = try GaussianNoise(stddev: 1.5)(Tensor([[1]])) }
    }

    @Test func gaussianDropoutMultipliesByOneCentredNoise() throws {
        let layer = GaussianDropout(rate: 0.2, seed: 9)
        #expect(try layer(ones, training: false) == ones)
        let noisy = try layer(ones, training: true)
        let (mean, deviation) = statistics(noisy)
        #expect(Swift.abs(mean - 1) < 0.02)
        #expect(Swift.abs(deviation - 0.5) < 0.02)   // sqrt(0.2 / 0.8)
        let input = randomTensor([2, 3], seed: 2)
        let tape = GradientTape()
        let total = try tape.record { tape.watch(input); return try GaussianDropout(rate: 0.2, seed: 9)(input, training: true).sum() }
        let noise = try GaussianDropout(rate: 0.2, seed: 9)(Tensor(ones: [2, 3]), training: true)
        expectClose(try #require(try tape.gradient(of: total, wrt: input)), noise.scalars)
        expectLayerError("rate") { _ = try GaussianDropout(rate: -0.5)(ones) }
        expectLayerError("rate") { _ = try GaussianDropout(rate: 1)(ones) }
    }

    @Test func alphaDropoutKeepsMeanAndVariance() throws {
        var generator = SeededGenerator(seed: 3)
        let input = Tensor(randomNormal: [2000, 10], generator: &generator)
        let layer = AlphaDropout(rate: 0.2, seed: 5)
        #expect(try layer(input, training: false) == input)
        let output = try layer(input, training: true)
        let (mean, deviation) = statistics(output)
        #expect(Swift.abs(mean) < 0.03)
        #expect(Swift.abs(deviation - 1) < 0.03)
        // Dropped values all become a·(-αλ) + b: about a fifth of them.
        let alphaP = -Tensor.seluAlpha * Tensor.seluScale
        let a = 1 / ((0.8 * (1 + 0.2 * alphaP * alphaP)) as Float).squareRoot()
        let dropped = a * alphaP + (-a * alphaP * 0.2)
        let droppedCount = output.scalars.filter { Swift.abs($0 - dropped) < 1e-5 }.count
        #expect(Swift.abs(Float(droppedCount) / 20_000 - 0.2) < 0.02)
        checkGradients([randomTensor([3, 4], seed: 7)]) { xs in
            (try? AlphaDropout(rate: 0.3, seed: 1)(xs[0], training: true)) ?? Tensor(0)
        }
    }

    @Test func alphaDropoutNoiseShapeBroadcasts() throws {
        let layer = AlphaDropout(rate: 0.5, noiseShape: [nil, 1], seed: 2)
        let output = try layer(Tensor(zeros: [50, 4]), training: true)
        // One mask value per row, shared by its columns.
        for row in 0..<50 {
            let values = Array(output.scalars[(row * 4)..<(row * 4 + 4)])
            #expect(Set(values).count == 1)
        }
        expectLayerError("noise_shape") { _ = try AlphaDropout(rate: 0.5, noiseShape: [nil, 3])(Tensor(zeros: [5, 4]), training: true) }
        expectLayerError("rate") { _ = try AlphaDropout(rate: 1.2)(Tensor(zeros: [5, 4])) }
    }

    @Test func gaussianNoiseRegularizesASequentialThatTrains() throws {
        GlobalRandom.seed(8)
        let (x, y) = ModelTestData.blobs(count: 300)
        let model = Sequential([
            GaussianNoise(stddev: 0.1, inputShape: [8]), Dense(units: 16, activation: .selu, kernelInitializer: LecunNormal()),
            AlphaDropout(rate: 0.1), GaussianDropout(rate: 0.1), Dense(units: 3, activation: .softmax()),
        ])
        try model.compile(optimizer: try SGD(learningRate: 0.05), loss: Losses.SparseCategoricalCrossentropy(),
                          metrics: ["accuracy"])
        let history = try model.fit(x, y, batchSize: 32, epochs: 6, verbosity: .silent)
        let losses = try #require(history.values["loss"])
        #expect(losses.last! < losses.first! / 2)
        #expect(try #require(try model.evaluate(x, y, verbosity: .silent)["accuracy"]) > 0.9)
    }
}
