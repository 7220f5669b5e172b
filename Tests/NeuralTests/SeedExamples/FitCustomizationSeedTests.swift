import Neural
import Testing

/// Swift twins of seed 001 ("Customize what happens in Model.fit"): a `trainStep` using the
/// compiled loss and metrics, one doing everything by hand with its own metrics reset at each epoch,
/// sample weights, a custom `testStep`, and the GAN's own `compile` with two optimizers (with `Dense`
/// layers only; the convolutional GAN comes with convolutions). docs/keras-api.md shows the same code.
///
/// Swift forms: the seed's `data` is a ``TrainingBatch`` (`x`, `y`, `sampleWeight`);
/// `self.compiled_loss(y, y_pred, regularization_losses=self.losses)` is
/// `computeLoss(yTrue:yPred:sampleWeight:)`, which adds the layers' losses and updates the `loss`
/// tracker; `self.compiled_metrics.update_state` is `updateCompiledMetrics`; the returned
/// `{m.name: m.result() for m in self.metrics}` is `metricLogs()`. Each seed class is called
/// `CustomModel`; here each test declares its own.
@Suite struct FitCustomizationSeedTests {
    /// `x = np.random.random((1000, 32))`, `y = np.random.random((1000, 1))`, with fewer rows.
    private static func randomData(count: Int = 256) -> (x: Tensor, y: Tensor) {
        var generator = SeededGenerator(seed: 2020)
        let x = Tensor(randomUniform: [count, 32], generator: &generator)
        let y = Tensor(randomUniform: [count, 1], generator: &generator)
        return (x, y)
    }

    /// "A first simple example": `train_step` with the compiled loss and metrics; `fit` as usual.
    @Test func trainStepWithCompiledLossAndMetrics() throws {
        final class CustomModel: Functional {
            override func trainStep(_ data: TrainingBatch) throws -> Logs {
                // Unpack the data. Its structure depends on your model and on what you pass to `fit()`.
                let (x, y) = (data.x, data.y)
                guard let optimizer else { throw LayerError.notCompiled(model: name, missing: "no optimizer") }

                let tape = GradientTape()
                var yPred = Tensor(0)
                let loss = try tape.record {
                    yPred = try self(x, training: true)  // Forward pass
                    // The loss configured in `compile()`, plus the layers' losses.
                    return try computeLoss(yTrue: [y], yPred: [yPred])
                }
                // Compute gradients and update weights.
                let trainableVars = trainableWeights
                let gradients = try tape.gradient(of: loss, wrt: trainableVars)
                try optimizer.apply(gradients: gradients, to: trainableVars)
                // Update metrics (computeLoss updated the metric that tracks the loss).
                updateCompiledMetrics(yTrue: [y], yPred: [yPred])
                // Return a dict mapping metric names to current value.
                return metricLogs()
            }
        }

        // Construct and compile an instance of CustomModel. Swift: the kernel has an L2 penalty, so the
        // step's `computeLoss` adds a layer loss (the seed's `regularization_losses=self.losses`).
        let l2Factor: Float = 0.01
        func makeModel(l2: Float?) throws -> CustomModel {
            let inputs = Input(shape: [32])
            let dense = Dense(units: 1, kernelRegularizer: l2.map { L2($0) })
            let model = try CustomModel(inputs: inputs, outputs: try dense(inputs))
            try model.compile(optimizer: "adam", loss: "mse", metrics: ["mae"])
            return model
        }
        let model = try GlobalRandom.withSeed(3) { try makeModel(l2: l2Factor) }
        let kernel = try #require(model.weights.first { $0.value.shape == [32, 1] })
        func penalty() -> Float { l2Factor * kernel.value.squared().sum().scalar }

        // One step by hand: the loss it logs is the batch's mean squared error plus the penalty, both
        // taken before the step changes the weights.
        let (x, y) = Self.randomData()
        let (xBatch, yBatch) = (x[..<32], y[..<32])
        let dataLossBefore = (try model(xBatch) - yBatch).squared().mean().scalar
        let penaltyBefore = penalty()
        #expect(penaltyBefore > 0.001)
        model.lossTracker.reset()
        let stepLogs = try model.trainStep(TrainingBatch(inputs: [xBatch], targets: [yBatch]))
        #expect(Swift.abs(try #require(stepLogs["loss"]) - (dataLossBefore + penaltyBefore)) < 1e-5)

        // Just use `fit` as usual.
        let history = try GlobalRandom.withSeed(4) { try model.fit(x, y, epochs: 3, verbosity: .silent) }
        #expect(history.names == ["loss", "mae"])
        let losses = try #require(history.values["loss"])
        #expect(try #require(losses.last) < (try #require(losses.first)))
        // Evaluating the trained model: the mean squared error over all samples plus the penalty, each
        // computed here from the predictions and the kernel.
        let predictions = try model.predict(x)
        let mse = (predictions - y).squared().mean().scalar
        let evaluation = try model.evaluate(x, y, verbosity: .silent)
        #expect(Swift.abs(try #require(evaluation["loss"]) - (mse + penalty())) < 1e-5)
        #expect(Swift.abs(try #require(evaluation["mae"]) - (predictions - y).abs().mean().scalar) < 1e-5)
        #expect(model.losses.count == 1 && Swift.abs(model.losses[0].scalar - penalty()) < 1e-6)

        // The penalty's gradient reached the kernel: the same model without it, trained the same way
        // from the same start, ends with a larger kernel.
        let unpenalized = try GlobalRandom.withSeed(3) { try makeModel(l2: nil) }
        #expect(unpenalized.weights.map(\.value) == (try GlobalRandom.withSeed(3) { try makeModel(l2: l2Factor) }).weights.map(\.value))
        _ = try unpenalized.trainStep(TrainingBatch(inputs: [xBatch], targets: [yBatch]))
        _ = try GlobalRandom.withSeed(4) { try unpenalized.fit(x, y, epochs: 3, verbosity: .silent) }
        let unpenalizedKernel = try #require(unpenalized.weights.first { $0.value.shape == [32, 1] })
        #expect(kernel.value.squared().sum().scalar < unpenalizedKernel.value.squared().sum().scalar)
    }

    /// "Going lower-level": no loss in `compile`, the step computes its own loss and updates its own
    /// `Mean` and `MeanAbsoluteError`, listed in `metrics` so `fit` resets them at each epoch.
    @Test func trainStepWithItsOwnMetrics() throws {
        final class CustomModel: Functional {
            // The seed's module-level `loss_tracker` and `mae_metric`: Swift keeps them on the model,
            // whose inherited `lossTracker` already is a `Mean` named "loss".
            let maeMetric = Metrics.MeanAbsoluteError(name: "mae")

            override func trainStep(_ data: TrainingBatch) throws -> Logs {
                let (x, y) = (data.x, data.y)
                guard let optimizer else { throw LayerError.notCompiled(model: name, missing: "no optimizer") }

                let tape = GradientTape()
                var yPred = Tensor(0)
                let loss = try tape.record {
                    yPred = try self(x, training: true)  // Forward pass
                    // Compute our own loss: keras.losses.mean_squared_error, one value per sample
                    // (the tape differentiates their sum, as TensorFlow's does).
                    return Losses.MeanSquaredError(reduction: .none)(y, yPred)
                }

                // Compute gradients and update weights.
                let trainableVars = trainableWeights
                let gradients = try tape.gradient(of: loss, wrt: trainableVars)
                try optimizer.apply(gradients: gradients, to: trainableVars)

                // Compute our own metrics.
                lossTracker.update(values: loss)
                maeMetric.update(yTrue: y, yPred: yPred)
                return Logs([("loss", lossTracker.result()), ("mae", maeMetric.result())])
            }

            // The `Metric` objects listed here are reset at the start of each epoch of `fit()` and at
            // the start of `evaluate()`.
            override var metrics: [Metric] { [lossTracker, maeMetric] }
        }

        let inputs = Input(shape: [32])
        let outputs = try Dense(units: 1)(inputs)
        let model = try CustomModel(inputs: inputs, outputs: outputs)
        // We don't pass a loss or metrics here.
        try model.compile(optimizer: try Adam())

        let (x, y) = Self.randomData()
        let history = try model.fit(x, y, epochs: 5, verbosity: .silent)
        #expect(history.names == ["loss", "mae"])
        let losses = try #require(history.values["loss"])
        #expect(losses.last! < losses.first!)
        #expect(history.values["mae"]?.count == 5)
        // Reset at each epoch: the trackers hold one epoch (256 samples), not five.
        #expect(model.lossTracker.count.value.scalar == 256)
        #expect(model.maeMetric.count.value.scalar == 256)
        #expect(model.metricLogs().names == ["loss", "mae"])
    }

    /// "Supporting sample_weight": the step passes the batch's sample weights to the compiled loss
    /// and metrics. Weights change the loss, and zero weights leave the model untouched.
    @Test func trainStepWithSampleWeights() throws {
        final class CustomModel: Functional {
            override func trainStep(_ data: TrainingBatch) throws -> Logs {
                // Unpack the data: Swift's batch always has a (possibly nil) `sampleWeight`.
                let (x, y, sampleWeight) = (data.x, data.y, data.sampleWeight)
                guard let optimizer else { throw LayerError.notCompiled(model: name, missing: "no optimizer") }

                let tape = GradientTape()
                var yPred = Tensor(0)
                let loss = try tape.record {
                    yPred = try self(x, training: true)  // Forward pass
                    return try computeLoss(yTrue: [y], yPred: [yPred], sampleWeight: sampleWeight)
                }
                let trainableVars = trainableWeights
                let gradients = try tape.gradient(of: loss, wrt: trainableVars)
                try optimizer.apply(gradients: gradients, to: trainableVars)
                updateCompiledMetrics(yTrue: [y], yPred: [yPred], sampleWeight: sampleWeight)
                return metricLogs()
            }
        }

        func makeModel() throws -> CustomModel {
            let inputs = Input(shape: [32])
            let outputs = try Dense(units: 1)(inputs)
            let model = try CustomModel(inputs: inputs, outputs: outputs)
            try model.compile(optimizer: "adam", loss: "mse", metrics: ["mae"])
            return model
        }

        // You can now use the sampleWeight argument.
        let (x, y) = Self.randomData()
        var generator = SeededGenerator(seed: 1)
        let sw = Tensor(randomUniform: [256, 1], generator: &generator)
        let model = try makeModel()
        let history = try model.fit(x, y, epochs: 3, verbosity: .silent, sampleWeight: sw)
        #expect(history.names == ["loss", "mae"])
        let losses = try #require(history.values["loss"])
        #expect(losses.last! < losses.first!)

        // The weighted loss is Σ wᵢ·eᵢ² / n (sum over the batch size, not the weighted mean).
        let predictions = try model.predict(x)
        let weighted = try model.computeLoss(yTrue: [y], yPred: [predictions], sampleWeight: sw.reshaped(to: [256])).scalar
        let byHand = ((y - predictions).squared() * sw).sum().scalar / 256
        #expect(Swift.abs(weighted - byHand) < 1e-5)
        let unweighted = try model.computeLoss(yTrue: [y], yPred: [predictions]).scalar
        #expect(Swift.abs(weighted - unweighted) > 1e-3)

        // All weights zero: a zero loss, zero gradients, and Adam leaves the weights as they were.
        let frozen = try makeModel()
        let before = frozen.weights.map(\.value)
        let zeroHistory = try frozen.fit(x, y, epochs: 1, verbosity: .silent, sampleWeight: Tensor(zeros: [256]))
        #expect(zeroHistory.values["loss"] == [0])
        #expect(zeroHistory.values["mae"] == [0])
        #expect(frozen.weights.map(\.value) == before)
    }

    /// "Providing your own evaluation step": `testStep` with the compiled loss (which updates the
    /// loss tracker) and metrics; `compile` without an optimizer.
    @Test func customTestStep() throws {
        final class CustomModel: Functional {
            override func testStep(_ data: TrainingBatch) throws -> Logs {
                // Unpack the data.
                let (x, y) = (data.x, data.y)
                // Compute predictions.
                let yPred = try self(x, training: false)
                // Updates the metrics tracking the loss.
                _ = try computeLoss(yTrue: [y], yPred: [yPred])
                // Update the metrics.
                updateCompiledMetrics(yTrue: [y], yPred: [yPred])
                // Return a dict mapping metric names to current value.
                return metricLogs()
            }
        }

        // Construct an instance of CustomModel.
        let inputs = Input(shape: [32])
        let outputs = try Dense(units: 1)(inputs)
        let model = try CustomModel(inputs: inputs, outputs: outputs)
        try model.compile(loss: Losses.MeanSquaredError(), metrics: ["mae"])

        // Evaluate with our custom testStep: 200 samples, so the last batch is short (8 rows).
        let (x, y) = Self.randomData(count: 200)
        let logs = try model.evaluate(x, y, verbosity: .silent)
        #expect(logs.names == ["loss", "mae"])
        let predictions = try model.predict(x)
        let mse = (y - predictions).squared().mean().scalar
        let mae = (y - predictions).abs().mean().scalar
        #expect(Swift.abs(try #require(logs["loss"]) - mse) < 1e-5)
        #expect(Swift.abs(try #require(logs["mae"]) - mae) < 1e-5)
        // Evaluating again starts from reset metrics.
        #expect(try model.evaluate(x, y, verbosity: .silent) == logs)
    }

    /// "Wrapping up: an end-to-end GAN example", with `Dense` layers instead of convolutions: the
    /// model's own `compile(dOptimizer:gOptimizer:lossFn:)`, and a `trainStep` that trains the
    /// discriminator with one optimizer, then the generator with the other, through the frozen
    /// discriminator. After the seed's 100 batches the discriminator tells held-out real images from
    /// generated ones better than chance.
    @Test func ganPatternWithTwoOptimizers() throws {
        // Create the discriminator (Conv2D layers in the seed, each followed by a LeakyReLU layer).
        // Swift: both models draw their weights from seeded streams, so the test is deterministic.
        let discriminator = GlobalRandom.withSeed(2019) { Sequential([
            Input(shape: [28, 28, 1]),
            Flatten(),
            Dense(units: 64),
            LeakyReLU(negativeSlope: 0.2),
            Dense(units: 1),
        ], name: "discriminator") }

        // Create the generator (Conv2DTranspose layers in the seed).
        let latentDim = 16
        let generator = GlobalRandom.withSeed(2018) { Sequential([
            Input(shape: [latentDim]),
            Dense(units: 64),
            LeakyReLU(negativeSlope: 0.2),
            Dense(units: 28 * 28, activation: .sigmoid),
            Reshape([28, 28, 1]),
        ], name: "generator") }

        let gan = GAN(discriminator: discriminator, generator: generator, latentDim: latentDim)
        let dOptimizer = try Adam(learningRate: 0.0003)
        let gOptimizer = try Adam(learningRate: 0.0003)
        try gan.compile(dOptimizer: dOptimizer, gOptimizer: gOptimizer,
                        lossFn: Losses.BinaryCrossentropy(fromLogits: true))

        // "Real images": Fashion-MNIST-like images (a bright band per class over noise) of 28x28x1 in
        // [0, 1] (MNIST digits in the seed), and as the seed, 100 batches of them (of 32, not 64).
        let batchSize = 32, batches = 100
        func images(count: Int, seed: UInt64) -> Tensor {
            SeedExampleData.fashionLike(count: count, seed: seed).x.reshaped(to: [count, 28, 28, 1])
        }
        let allDigits = images(count: batchSize * batches, seed: 28)
        let dBefore = discriminator.weights.map(\.value), gBefore = generator.weights.map(\.value)

        // Seeded: the shuffle, the latent vectors and the label noise.
        let history = try GlobalRandom.withSeed(2020) {
            try gan.fit(try ModelData(inputs: [allDigits]), batchSize: batchSize, epochs: 1, verbosity: .silent)
        }

        // The discriminator tells real from generated images better than chance, on images it never
        // saw: 200 real ones from another stream and 200 the generator makes from new latent vectors.
        // Its labels: 0 for real, 1 for generated (a logit above 0 says "generated").
        let heldOutCount = 200
        let realLogits = try discriminator(images(count: heldOutCount, seed: 29)).scalars
        let generated = try GlobalRandom.withSeed(31) { try generator(Tensor(randomNormal: [heldOutCount, latentDim])) }
        let generatedLogits = try discriminator(generated).scalars
        let correct = realLogits.filter { $0 < 0 }.count + generatedLogits.filter { $0 > 0 }.count
        let accuracy = Float(correct) / Float(2 * heldOutCount)
        // (0.725 in this seeded run; chance gives 0.5 ± 0.025 on 400 images.)
        #expect(accuracy > 0.6, "held-out accuracy \(accuracy)")

        #expect(history.names == ["d_loss", "g_loss"])
        #expect(history.values.values.allSatisfy { $0.allSatisfy(\.isFinite) })
        // Both sub-models are tracked by the GAN, and each optimizer stepped once per batch.
        #expect(gan.weights.count == discriminator.weights.count + generator.weights.count)
        #expect(dOptimizer.iterations == batches && gOptimizer.iterations == batches)
        // Both sub-models learned...
        #expect(zip(discriminator.weights, dBefore).allSatisfy { $0.value != $1 })
        #expect(zip(generator.weights, gBefore).allSatisfy { $0.value != $1 })
        // ...each through its own optimizer only: the generator step leaves the discriminator alone.
        #expect(generator.weights.allSatisfy { dOptimizer.slot("momentum", for: $0) == nil })
        #expect(discriminator.weights.allSatisfy { gOptimizer.slot("momentum", for: $0) == nil })
        #expect(discriminator.weights.allSatisfy { dOptimizer.slot("momentum", for: $0) != nil })
        #expect(generator.weights.allSatisfy { gOptimizer.slot("momentum", for: $0) != nil })
    }
}

/// The seed's GAN: its own `compile` signature and the whole GAN algorithm in `trainStep`.
private final class GAN: Model {
    let discriminator: Sequential
    let generator: Sequential
    let latentDim: Int
    private(set) var dOptimizer: Optimizer?
    private(set) var gOptimizer: Optimizer?
    private(set) var lossFn: (any Loss)?

    init(discriminator: Sequential, generator: Sequential, latentDim: Int) {
        self.discriminator = discriminator
        self.generator = generator
        self.latentDim = latentDim
        super.init()
    }

    func compile(dOptimizer: Optimizer, gOptimizer: Optimizer, lossFn: any Loss) throws {
        try super.compile()
        self.dOptimizer = dOptimizer
        self.gOptimizer = gOptimizer
        self.lossFn = lossFn
    }

    override func trainStep(_ data: TrainingBatch) throws -> Logs {
        // `fit` was given images only: they are the batch's one input.
        let realImages = data.x
        guard let dOptimizer, let gOptimizer, let lossFn else {
            throw LayerError.notCompiled(model: name, missing: "call compile(dOptimizer:gOptimizer:lossFn:)")
        }
        // Sample random points in the latent space.
        let batchSize = realImages.shape[0]
        var randomLatentVectors = Tensor(randomNormal: [batchSize, latentDim])

        // Decode them to fake images.
        let generatedImages = try generator(randomLatentVectors)

        // Combine them with real images.
        let combinedImages = Tensor(concatenating: [generatedImages, realImages], alongAxis: 0)

        // Assemble labels discriminating real from fake images.
        var labels = Tensor(concatenating: [Tensor(ones: [batchSize, 1]), Tensor(zeros: [batchSize, 1])], alongAxis: 0)
        // Add random noise to the labels - important trick!
        labels = labels + 0.05 * Tensor(randomUniform: labels.shape)

        // Train the discriminator.
        let dTape = GradientTape()
        let dLoss = try dTape.record {
            let predictions = try discriminator(combinedImages)
            return lossFn(labels, predictions)
        }
        let dGrads = try dTape.gradient(of: dLoss, wrt: discriminator.trainableWeights)
        try dOptimizer.apply(gradients: dGrads, to: discriminator.trainableWeights)

        // Sample random points in the latent space.
        randomLatentVectors = Tensor(randomNormal: [batchSize, latentDim])

        // Assemble labels that say "all real images".
        let misleadingLabels = Tensor(zeros: [batchSize, 1])

        // Train the generator (note that we should *not* update the weights of the discriminator)!
        let gTape = GradientTape()
        let gLoss = try gTape.record {
            let predictions = try discriminator(try generator(randomLatentVectors))
            return lossFn(misleadingLabels, predictions)
        }
        let gGrads = try gTape.gradient(of: gLoss, wrt: generator.trainableWeights)
        try gOptimizer.apply(gradients: gGrads, to: generator.trainableWeights)
        return Logs([("d_loss", dLoss.scalar), ("g_loss", gLoss.scalar)])
    }
}
