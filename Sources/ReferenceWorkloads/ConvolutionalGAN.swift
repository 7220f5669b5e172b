import Neural

/// The GAN at the end of the Keras guide "Customizing what happens in `fit()`" (seed 001): a
/// convolutional discriminator and generator, and a `Model` whose own `compile` takes an optimizer
/// for each and whose `trainStep` trains the discriminator on real and generated images, then the
/// generator through the discriminator.
///
/// ```swift
/// let gan = GAN(discriminator: GAN.makeDiscriminator(), generator: GAN.makeGenerator(latentDim: 128),
///               latentDim: 128)
/// try gan.compile(discriminatorOptimizer: try Adam(learningRate: 0.0003),
///                 generatorOptimizer: try Adam(learningRate: 0.0003),
///                 loss: Losses.BinaryCrossentropy(fromLogits: true))
/// try gan.fit(try ModelData(inputs: [images]), batchSize: 64, epochs: 1)
/// ```
public final class GAN: Model {
    /// Tells real images (label 0) from generated ones (label 1); outputs logits `[batch, 1]`.
    public let discriminator: Sequential
    /// Turns latent vectors `[batch, latentDim]` into images.
    public let generator: Sequential
    /// The size of the latent vectors.
    public let latentDim: Int
    /// Updates the discriminator; set by ``compile(discriminatorOptimizer:generatorOptimizer:loss:)``.
    public private(set) var discriminatorOptimizer: Optimizer?
    /// Updates the generator; set by ``compile(discriminatorOptimizer:generatorOptimizer:loss:)``.
    public private(set) var generatorOptimizer: Optimizer?
    /// The loss both steps use (binary cross-entropy on logits in the guide).
    public private(set) var lossFunction: (any Loss)?
    /// The mean discriminator loss over the epoch, reported as `d_loss`.
    public let discriminatorLossTracker = Metrics.Mean(name: "d_loss")
    /// The mean generator loss over the epoch, reported as `g_loss`.
    public let generatorLossTracker = Metrics.Mean(name: "g_loss")

    /// Creates the GAN from its two models.
    public init(discriminator: Sequential, generator: Sequential, latentDim: Int, name: String? = nil) {
        self.discriminator = discriminator
        self.generator = generator
        self.latentDim = latentDim
        super.init(name: name ?? "gan")
    }

    /// The guide's discriminator: two strided 3x3 convolutions (64 and 128 filters by default), each
    /// followed by LeakyReLU(0.2), global max pooling and one logit.
    public static func makeDiscriminator(imageShape: [Int] = [28, 28, 1], filters: [Int] = [64, 128]) -> Sequential {
        var layers: [Layer] = [Input(shape: imageShape)]
        for count in filters {
            layers.append(Conv2D(filters: count, kernelSize: 3, strides: 2, padding: .same))
            layers.append(LeakyReLU(negativeSlope: 0.2))
        }
        layers += [GlobalMaxPooling2D(), Dense(units: 1)]
        return Sequential(layers, name: "discriminator")
    }

    /// The guide's generator: a dense layer to `startSize × startSize × channels` (7 × 7 × 128), two
    /// 4x4 transposed convolutions with stride 2 (to 28 × 28), each followed by LeakyReLU(0.2), and a
    /// 7x7 convolution to one sigmoid channel.
    public static func makeGenerator(latentDim: Int, startSize: Int = 7, channels: Int = 128) -> Sequential {
        Sequential([
            Input(shape: [latentDim]),
            Dense(units: startSize * startSize * channels),
            LeakyReLU(negativeSlope: 0.2),
            Reshape([startSize, startSize, channels]),
            Conv2DTranspose(filters: channels, kernelSize: 4, strides: 2, padding: .same),
            LeakyReLU(negativeSlope: 0.2),
            Conv2DTranspose(filters: channels, kernelSize: 4, strides: 2, padding: .same),
            LeakyReLU(negativeSlope: 0.2),
            Conv2D(filters: 1, kernelSize: 7, padding: .same, activation: .sigmoid),
        ], name: "generator")
    }

    /// The guide's `compile(d_optimizer, g_optimizer, loss_fn)`.
    /// - Throws: what ``Model/compile(optimizer:loss:losses:metrics:lossWeights:)`` throws (nothing here).
    public func compile(discriminatorOptimizer: Optimizer, generatorOptimizer: Optimizer, loss: any Loss) throws {
        try super.compile()
        self.discriminatorOptimizer = discriminatorOptimizer
        self.generatorOptimizer = generatorOptimizer
        self.lossFunction = loss
    }

    /// `d_loss` and `g_loss`.
    public override var metrics: [Metric] { [discriminatorLossTracker, generatorLossTracker] }

    /// `count` generated images from random latent vectors.
    /// - Throws: ``LayerError`` from the generator.
    public func generate(count: Int) throws -> Tensor {
        try withoutRecording { try generator(Tensor(randomNormal: [count, latentDim]), training: false) }
    }

    /// One step of the guide's algorithm on a batch of real images (the batch's only input): the
    /// discriminator learns real (0) from generated (1) with noisy labels, then the generator learns
    /// to make the discriminator say "real", the discriminator's weights left alone.
    /// - Throws: ``LayerError/notCompiled(model:missing:)`` before
    ///   ``compile(discriminatorOptimizer:generatorOptimizer:loss:)``, and errors from the models.
    public override func trainStep(_ data: TrainingBatch) throws -> Logs {
        guard let discriminatorOptimizer, let generatorOptimizer, let lossFunction else {
            throw LayerError.notCompiled(model: name, missing: "call compile(discriminatorOptimizer:generatorOptimizer:loss:)")
        }
        let realImages = data.x
        let batchSize = realImages.shape[0]

        // Decode random points of the latent space to fake images, and put them with real ones.
        let latent = Tensor(randomNormal: [batchSize, latentDim])
        let generated = try withoutRecording { try generator(latent, training: true) }
        let combined = Tensor(concatenating: [generated, realImages], alongAxis: 0)
        // Fake is 1, real is 0, with random noise on the labels: an important trick.
        var labels = Tensor(concatenating: [Tensor(ones: [batchSize, 1]), Tensor(zeros: [batchSize, 1])], alongAxis: 0)
        labels = labels + 0.05 * Tensor(randomUniform: labels.shape)

        // Train the discriminator.
        let discriminatorTape = GradientTape()
        let discriminatorLoss = try discriminatorTape.record {
            lossFunction(labels, try discriminator(combined, training: true))
        }
        let discriminatorWeights = discriminator.trainableWeights
        try discriminatorOptimizer.apply(
            gradients: try discriminatorTape.gradient(of: discriminatorLoss, wrt: discriminatorWeights),
            to: discriminatorWeights)

        // Train the generator to make the discriminator say "real" (0); only its weights move.
        let misleadingLabels = Tensor(zeros: [batchSize, 1])
        let newLatent = Tensor(randomNormal: [batchSize, latentDim])
        let generatorTape = GradientTape()
        let generatorLoss = try generatorTape.record {
            lossFunction(misleadingLabels, try discriminator(try generator(newLatent, training: true), training: true))
        }
        let generatorWeights = generator.trainableWeights
        try generatorOptimizer.apply(
            gradients: try generatorTape.gradient(of: generatorLoss, wrt: generatorWeights), to: generatorWeights)

        discriminatorLossTracker.update(values: discriminatorLoss)
        generatorLossTracker.update(values: generatorLoss)
        return metricLogs()
    }
}
