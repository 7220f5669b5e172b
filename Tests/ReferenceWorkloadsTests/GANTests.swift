import Neural
import ReferenceWorkloads
import Testing

/// The seed-001 convolutional GAN: its models' shapes, and two train steps through `fit` on tiny
/// random images with a small version of both models.
@Suite struct GANTests {
    @Test func guideModelsHaveTheGuideShapes() {
        let discriminator = GAN.makeDiscriminator()
        let generator = GAN.makeGenerator(latentDim: 128)
        #expect(discriminator.layers.last?.outputShape == [1])
        #expect(discriminator.layers.map { $0.outputShape ?? [] }.dropFirst().first == [14, 14, 64])
        #expect(generator.layers.last?.outputShape == [28, 28, 1])
        // Discriminator: 640 + 73,856 + 129. Generator: 809,088 (dense to 7x7x128) + 2 x 262,272
        // (4x4 transposed convolutions, 128 to 128) + 6,273 (7x7 to one channel).
        #expect(discriminator.parameterCount == 74_625)
        #expect(generator.parameterCount == 1_339_905)
    }

    @Test func twoTrainStepsMoveBothModels() throws {
        let latentDim = 6
        let gan = GAN(discriminator: GAN.makeDiscriminator(imageShape: [8, 8, 1], filters: [4, 8]),
                      generator: GAN.makeGenerator(latentDim: latentDim, startSize: 2, channels: 4),
                      latentDim: latentDim)
        #expect(gan.generator.layers.last?.outputShape == [8, 8, 1])
        let discriminatorOptimizer = try Adam(learningRate: 0.0003), generatorOptimizer = try Adam(learningRate: 0.0003)
        try gan.compile(discriminatorOptimizer: discriminatorOptimizer, generatorOptimizer: generatorOptimizer,
                        loss: Losses.BinaryCrossentropy(fromLogits: true))
        var random = SeededGenerator(seed: 5)
        let images = Tensor(randomUniform: [8, 8, 8, 1], generator: &random)
        let discriminatorBefore = gan.discriminator.weights.map(\.value)
        let generatorBefore = gan.generator.weights.map(\.value)

        let history = try gan.fit(try ModelData(inputs: [images]), batchSize: 4, epochs: 1, verbosity: .silent)

        #expect(history.names == ["d_loss", "g_loss"])
        let losses = history.values.values.flatMap { $0 }
        #expect(losses.count == 2 && losses.allSatisfy(\.isFinite))
        #expect(discriminatorOptimizer.iterations == 2 && generatorOptimizer.iterations == 2)
        #expect(zip(gan.discriminator.weights, discriminatorBefore).allSatisfy { $0.value != $1 })
        #expect(zip(gan.generator.weights, generatorBefore).allSatisfy { $0.value != $1 })
        let samples = try gan.generate(count: 3)
        #expect(samples.shape == [3, 8, 8, 1])
        #expect(samples.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test func trainStepNeedsItsCompile() throws {
        let gan = GAN(discriminator: GAN.makeDiscriminator(imageShape: [8, 8, 1], filters: [2]),
                      generator: GAN.makeGenerator(latentDim: 2, startSize: 2, channels: 2), latentDim: 2)
        #expect(throws: LayerError.self) { try gan.trainStep(TrainingBatch(inputs: [Tensor(zeros: [2, 8, 8, 1])], targets: [])) }
    }
}
