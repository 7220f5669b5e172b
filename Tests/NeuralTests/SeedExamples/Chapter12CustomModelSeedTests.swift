import Neural
import Testing
import TestSupport

/// Swift twins of seed 000's (Géron ch. 12) customization examples, used in real models: custom
/// losses, activations, initializers, regularizers, constraints and metrics; custom layers
/// (`Lambda`, `MyDense`, `MyMultiLayer`, `MyGaussianNoise`); custom models (`ResidualBlock` /
/// `ResidualRegressor`, `ReconstructingRegressor` with `addLoss` and a metric); and the custom
/// training loop with its status bar; saving and loading a model with custom components through
/// the registry (`custom_objects`). docs/keras-api.md shows the same code.
///
/// Already twinned elsewhere: the seed's `huber_fn` / `create_huber` / `HuberLoss` values and
/// configurations (Losses/), `MyL1Regularizer` (Regularizers/), the two-batch `Precision` and
/// `HuberMetric` (Metrics/SeedMetricTests.swift), tensors and autodiff (Chapter12TensorSeedTests),
/// more saving cases (Saving/ModelSavingTests). `tf.function` has no twin (Swift is compiled ahead
/// of time).
@Suite struct Chapter12CustomModelSeedTests {
    /// A small regression network like the chapter's housing models.
    private func regressionModel() -> Sequential {
        Sequential([
            Dense(units: 30, activation: .relu, kernelInitializer: HeNormal()),
            Dense(units: 1),
        ])
    }

    // MARK: - Custom loss functions

    /// In [22] and `model.compile(loss=huber_fn, optimizer="nadam")`: a loss written as a function
    /// trains a model, and the loss `fit` reports is the mean Huber loss over the samples.
    @Test func huberFnAsTheCompiledLoss() throws {
        let (x, y) = SeedExampleData.housing(count: 200)
        let model = regressionModel()
        // Swift: the function is wrapped in a ClosureLoss named "huber_fn" (the name it saves by).
        try model.compile(optimizer: try Optimizers.named("nadam"), loss: ClosureLoss(name: "huber_fn", SeedHuber.huberFn))
        let history = try model.fit(x, y, epochs: 5, verbosity: .silent)
        let losses = try #require(history.values["loss"])
        #expect(losses.last! < losses.first!)

        // 200 samples in batches of 32: the short last batch counts by its size, as in Keras.
        let evaluation = try model.evaluate(x, y, verbosity: .silent)
        let predictions = try model.predict(x)
        let byHand = SeedHuber.huberFn(y, predictions).mean().scalar
        #expect(Swift.abs(try #require(evaluation["loss"]) - byHand) < 1e-4)
    }

    /// `model.compile(loss=create_huber(2.0), optimizer="nadam")`: the threshold the closure captured
    /// is the one used (errors between 1 and 2 are squared, not linear).
    @Test func createHuberWithAThreshold() throws {
        let (x, y) = SeedExampleData.housing(count: 96)
        let model = regressionModel()
        try model.compile(optimizer: try Nadam(), loss: ClosureLoss(name: "huber_fn", SeedHuber.createHuber(threshold: 2)))
        let untrained = try model.evaluate(x, y, verbosity: .silent)
        let predictions = try model.predict(x)
        let threshold2 = SeedHuber.createHuber(threshold: 2)(y, predictions).mean().scalar
        let threshold1 = SeedHuber.huberFn(y, predictions).mean().scalar
        #expect(Swift.abs(try #require(untrained["loss"]) - threshold2) < 1e-4)
        #expect(threshold2 > threshold1)

        let history = try model.fit(x, y, epochs: 5, verbosity: .silent)
        let losses = try #require(history.values["loss"])
        #expect(losses.last! < losses.first!)
    }

    /// `model.compile(loss=HuberLoss(2.), optimizer="nadam")`: a loss type whose threshold is part of
    /// the configuration a saved model keeps (`HuberLoss` is defined in Losses/LossConfigurationTests).
    @Test func huberLossSubclass() throws {
        let (x, y) = SeedExampleData.housing(count: 128)
        let model = regressionModel()
        try model.compile(optimizer: try Nadam(), loss: HuberLoss(threshold: 2))
        let history = try model.fit(x, y, epochs: 5, verbosity: .silent)
        let losses = try #require(history.values["loss"])
        #expect(losses.last! < losses.first!)
        let loss = try #require(model.compiledLosses.first)
        #expect(loss.configuration["threshold"]?.doubleValue == 2)
        #expect(loss.configuration["name"] == "huber_loss")
        #expect(loss.configuration["reduction"] == "sum_over_batch_size")
    }

    // MARK: - Saving and loading models that contain custom components

    /// `load_model(path, custom_objects={...})`: functions (activation, initializer, constraint) save
    /// their name and load once registered under it; types with a configuration (`HuberLoss` with its
    /// threshold — the seed's `create_huber(2.0)` —, `MyL1Regularizer`, the `MyDense` layer, the
    /// `ResidualRegressor` model) save their hyperparameters and load through the registry given to
    /// `load`. Without it, loading fails naming the unknown class.
    @Test func savingAndLoadingCustomComponents() throws {
        let directory = try TemporaryDirectory()
        let mySoftplus = Activation.register(name: "my_softplus") { z in (1 + z.exp()).log() }
        let myGlorotInitializer = ClosureInitializer.register(name: "my_glorot_initializer") { shape, generator in
            let stddev = (2 / Float(shape[0] + shape[1])).squareRoot()
            return Tensor(randomNormal: shape, standardDeviation: stddev, generator: &generator)
        }
        let myPositiveWeights = ClosureConstraint.register(name: "my_positive_weights") { weights in
            Tensor.where(weights .< 0, Tensor(zerosLike: weights), weights)
        }
        let customObjects = ObjectRegistry()
        customObjects.register(HuberLoss.self)
        customObjects.register(MyL1Regularizer.self)
        customObjects.register(MyDense.self)
        customObjects.register(ResidualRegressor.self)

        let (x, y) = SeedExampleData.housing(count: 96)
        let model = Sequential([
            Input(shape: [8]),
            try MyDense(units: 30, activation: "relu", name: "my_dense"),
            Dense(units: 1, activation: mySoftplus, kernelInitializer: myGlorotInitializer,
                  kernelRegularizer: MyL1Regularizer(factor: 0.01), kernelConstraint: myPositiveWeights),
        ])
        try model.compile(optimizer: try Nadam(), loss: HuberLoss(threshold: 2))
        try model.fit(x, y, epochs: 2, verbosity: .silent)
        let path = directory.file("my_model_with_many_custom_parts")
        try model.save(to: path)

        #expect(throws: ConfigurationError.self) { try Model.load(from: path) }
        let loaded = try #require(try Model.load(from: path, registry: customObjects) as? Sequential)
        #expect(loaded.layers.contains { $0 is MyDense })
        let output = try #require(loaded.layers.last as? Dense)
        #expect(output.configuration["activation"] == "my_softplus")
        #expect(output.configuration["kernel_regularizer"]?.objectValue?["class_name"] == "MyL1Regularizer")
        #expect(output.configuration["kernel_constraint"] == model.layers.last?.configuration["kernel_constraint"])
        let loss = try #require(loaded.compiledLosses.first as? HuberLoss)
        #expect(loss.threshold == 2)
        #expect(try loaded.predict(x) == model.predict(x))
        #expect(try loaded.evaluate(x, y, verbosity: .silent) == model.evaluate(x, y, verbosity: .silent))

        // A subclassed model with get_config, saved while its class is known, loads as itself.
        let residual = ResidualRegressor(outputDim: 1, name: "residual")
        try residual.compile(optimizer: try Nadam(), loss: HuberLoss(threshold: 2))
        try residual.fit(x, y, epochs: 1, verbosity: .silent)
        try customObjects.withActive { try residual.save(to: directory.file("my_custom_model")) }
        let loadedResidual = try #require(try Model.load(from: directory.file("my_custom_model"), registry: customObjects) as? ResidualRegressor)
        #expect(loadedResidual.name == "residual")
        #expect(try loadedResidual.predict(x) == residual.predict(x))
    }

    // MARK: - Custom activations, initializers, regularizers and constraints

    /// In [25]–[26]: `my_softplus`, `my_glorot_initializer`, `my_l1_regularizer` and
    /// `my_positive_weights` as plain functions in one `Dense` layer. The activation shapes the
    /// output, the initializer draws the kernel, the regularizer joins the losses, and the constraint
    /// runs after every update.
    @Test func customFunctionsInADenseLayer() throws {
        let mySoftplus = Activation.custom(name: "my_softplus") { z in (1 + z.exp()).log() }
        let myGlorotInitializer = ClosureInitializer(name: "my_glorot_initializer") { shape, generator in
            let stddev = (2 / Float(shape[0] + shape[1])).squareRoot()
            return Tensor(randomNormal: shape, standardDeviation: stddev, generator: &generator)
        }
        let myL1Regularizer = ClosureRegularizer(name: "my_l1_regularizer") { weights in (0.01 * weights).abs().sum() }
        let myPositiveWeights = ClosureConstraint(name: "my_positive_weights") { weights in
            Tensor.where(weights .< 0, Tensor(zerosLike: weights), weights)
        }
        let layer = Dense(units: 1, activation: mySoftplus, kernelInitializer: myGlorotInitializer,
                          kernelRegularizer: myL1Regularizer, kernelConstraint: myPositiveWeights)

        // The initializer: a wide kernel has the standard deviation sqrt(2 / (fanIn + fanOut)).
        let wide = Dense(units: 200, kernelInitializer: myGlorotInitializer)
        _ = try wide(Tensor(zeros: [1, 300]))
        let kernelDeviation = try #require(wide.kernel).value.standardDeviation(alongAxes: nil).scalar
        #expect(Swift.abs(kernelDeviation - (2 / Float(500)).squareRoot()) < 0.003)

        let (x, y) = SeedExampleData.housing(count: 128)
        let model = Sequential([Dense(units: 30, activation: .relu), layer])
        try model.compile(optimizer: try SGD(learningRate: 0.01), loss: Losses.MeanSquaredError())
        _ = try model.fit(x, y, epochs: 3, verbosity: .silent)

        let kernel = try #require(layer.kernel).value
        #expect(kernel.scalars.allSatisfy { $0 >= 0 })
        // The regularizer's penalty is the layer's (and the model's) loss.
        #expect(layer.losses.count == 1)
        #expect(Swift.abs(layer.losses[0].scalar - 0.01 * kernel.abs().sum().scalar) < 1e-6)
        #expect(model.losses.count == 1)
        // The activation: softplus of the affine output, always positive.
        let hidden = try model.layers[0](x)
        let output = try layer(hidden)
        let affine = matmul(hidden, kernel) + (try #require(layer.bias).value)
        expectClose(output, (1 + affine.exp()).log().scalars, shape: [128, 1], tolerance: 1e-5)
        #expect(output.scalars.allSatisfy { $0 > 0 })
        #expect(layer.configuration["activation"] == "my_softplus")
    }

    /// In [27]: `MyL1Regularizer(0.01)`, a regularizer type whose `factor` is saved with the layer
    /// (`MyL1Regularizer` is defined in Regularizers/RegularizerTests).
    @Test func regularizerSubclassInALayer() throws {
        let layer = Dense(units: 3, kernelRegularizer: MyL1Regularizer(factor: 0.01))
        _ = try layer(Tensor(ones: [2, 4]))
        let kernel = try #require(layer.kernel).value
        #expect(Swift.abs(layer.losses[0].scalar - 0.01 * kernel.abs().sum().scalar) < 1e-6)
        let saved = try #require(layer.configuration["kernel_regularizer"]?.objectValue)
        #expect(saved["class_name"] == "MyL1Regularizer")
        #expect(saved["config"]?.objectValue?["factor"]?.doubleValue.map { Float($0) } == 0.01)
    }

    // MARK: - Custom metrics

    /// `model.compile(loss="mse", optimizer="nadam", metrics=[create_huber(2.0)])`: a function as a
    /// metric is averaged over each epoch and logged under its name.
    @Test func functionAsACompiledMetric() throws {
        let (x, y) = SeedExampleData.housing(count: 100)
        let model = regressionModel()
        // Swift: the function becomes a MeanMetricWrapper named "huber_fn" (Keras does this itself).
        try model.compile(optimizer: try Nadam(), loss: Losses.MeanSquaredError(),
                          metrics: [.metric(Metrics.MeanMetricWrapper(name: "huber_fn", fn: SeedHuber.createHuber(threshold: 2)))])
        let history = try model.fit(x, y, epochs: 2, verbosity: .silent)
        #expect(history.names == ["loss", "huber_fn"])
        let evaluation = try model.evaluate(x, y, verbosity: .silent)
        let byHand = SeedHuber.createHuber(threshold: 2)(y, try model.predict(x)).mean().scalar
        #expect(Swift.abs(try #require(evaluation["huber_fn"]) - byHand) < 1e-4)
    }

    /// In [35]: the streaming `HuberMetric` (defined in Metrics/SeedMetricTests) as a compiled
    /// metric: its total and count restart with every `evaluate`, so two evaluations agree.
    @Test func streamingMetricSubclassInAModel() throws {
        let (x, y) = SeedExampleData.housing(count: 70)
        let model = regressionModel()
        let huber = HuberMetric(threshold: 2)
        try model.compile(optimizer: try Nadam(), loss: Losses.MeanSquaredError(), metrics: [.metric(huber)])
        let history = try model.fit(x, y, epochs: 2, verbosity: .silent)
        #expect(history.names == ["loss", "huber_metric"])
        let first = try model.evaluate(x, y, verbosity: .silent)
        let second = try model.evaluate(x, y, verbosity: .silent)
        let byHand = SeedHuber.createHuber(threshold: 2)(y, try model.predict(x)).mean().scalar
        #expect(Swift.abs(try #require(first["huber_metric"]) - byHand) < 1e-4)
        #expect(first == second)
        #expect(huber.count.value.scalar == 70)
    }

    // MARK: - Custom layers

    /// In [36]: `Lambda(lambda x: tf.exp(x))`, the same as `activation="exponential"`, as the output
    /// layer of a regression model for positive targets.
    @Test func exponentialLambdaLayer() throws {
        let exponentialLayer = Lambda { $0.exp() }
        let x = Tensor([[-1, 0, 0.5]])
        #expect(try exponentialLayer(x) == x.exp())

        let dense = Dense(units: 1), exponentialDense = Dense(units: 1, activation: .exponential)
        let input = Tensor([[0.2, -0.4], [1.0, 0.3]])
        _ = try dense(input)
        _ = try exponentialDense(input)
        try #require(exponentialDense.kernel).assign(try #require(dense.kernel).value)
        expectClose(try exponentialLayer(try dense(input)), try exponentialDense(input).scalars, shape: [2, 1])

        let (features, targets) = SeedExampleData.housing(count: 128)
        let positiveTargets = (targets * 0.3).exp()
        let model = Sequential([Dense(units: 30, activation: .relu), Dense(units: 1), exponentialLayer])
        try model.compile(optimizer: try Adam(learningRate: 0.01), loss: Losses.MeanSquaredError())
        let losses = try #require(try model.fit(features, positiveTargets, epochs: 5, verbosity: .silent).values["loss"])
        #expect(losses.last! < losses.first!)
        #expect(try model.predict(features).scalars.allSatisfy { $0 > 0 })
    }

    /// In [37]: `MyDense`, a layer with weights made in `build` from the input shape, and a
    /// configuration with its hyperparameters.
    @Test func myDenseCustomLayer() throws {
        let layer = try MyDense(units: 3, activation: "relu")
        #expect(layer.name.hasPrefix("my_dense"))
        #expect(layer.weights.isEmpty)
        let output = try layer(Tensor(ones: [2, 4]))
        #expect(output.shape == [2, 3])
        #expect(layer.weights.map(\.shape) == [[4, 3], [3]])
        #expect(layer.weights.map(\.name) == ["\(layer.name)/kernel", "\(layer.name)/bias"])
        #expect(try #require(layer.bias).value.scalars == [0, 0, 0])
        let kernel = try #require(layer.kernel).value
        expectClose(output, (matmul(Tensor(ones: [2, 4]), kernel)).relu().scalars, shape: [2, 3])
        #expect(layer.configuration["units"] == 3)
        #expect(layer.configuration["activation"] == "relu")
        #expect(layer.configuration["name"]?.stringValue == layer.name)

        let (x, y) = SeedExampleData.housing(count: 128)
        let model = Sequential([try MyDense(units: 30, activation: "relu"), try MyDense(units: 1)])
        try model.compile(optimizer: try Adam(learningRate: 0.01), loss: Losses.MeanSquaredError())
        let losses = try #require(try model.fit(x, y, epochs: 5, verbosity: .silent).values["loss"])
        #expect(model.parameterCount == 8 * 30 + 30 + 30 + 1)
        #expect(losses.last! < losses.first! * 0.5)
    }

    /// In [38]: `MyMultiLayer` takes two inputs and returns three outputs; it works in the functional
    /// and subclassing APIs, not in `Sequential`.
    @Test func multiInputMultiOutputLayer() throws {
        let x1 = Tensor([[1, 2], [3, 4]]), x2 = Tensor([[2, 4], [1, 8]])

        // Subclassing API: call the layer for all its outputs.
        let layer = MyMultiLayer()
        let outputs = try layer.outputs(for: [x1, x2])
        #expect(outputs == [x1 + x2, x1 * x2, x1 / x2])

        // Functional API: one placeholder per output.
        let input1 = Input(shape: [2]), input2 = Input(shape: [2])
        let symbols = try MyMultiLayer().outputs(for: [input1, input2])
        #expect(symbols.map(\.shape) == [[2], [2], [2]])
        let scaled = try Dense(units: 1, useBias: false, kernelInitializer: Ones())(symbols[2])
        let model = try Functional(inputs: [input1, input2], outputs: [symbols[0], symbols[1], scaled])
        let predictions = try model.predict([x1, x2])
        #expect(predictions.count == 3)
        #expect(predictions[0] == x1 + x2)
        #expect(predictions[1] == x1 * x2)
        expectClose(predictions[2], [0.5 + 0.5, 3 + 0.5], shape: [2, 1])

        // Sequential passes one tensor from layer to layer: the layer cannot be used there.
        #expect(throws: LayerError.self) { try Sequential([MyMultiLayer()]).predict(x1) }
    }

    /// In [39] next to the built-in layer it re-implements: `GaussianNoise(stddev: 0.1)` behaves as
    /// `MyGaussianNoise(0.1)` — the identity outside training, zero-mean noise of deviation 0.1 while
    /// training — and both train a model the same way.
    @Test func myGaussianNoiseMatchesGaussianNoise() throws {
        let mine = MyGaussianNoise(stddev: 0.1), builtin = GaussianNoise(stddev: 0.1)
        let x = Tensor(ones: [200, 100])
        #expect(try mine(x) == x && builtin(x) == x)
        for layer in [mine, builtin] as [Layer] {
            let noise = try layer(x, training: true) - x
            #expect(Swift.abs(noise.mean().scalar) < 0.003)
            #expect(Swift.abs(noise.standardDeviation(alongAxes: nil).scalar - 0.1) < 0.003)
        }
        #expect(builtin.configuration["stddev"]?.doubleValue.map { Float($0) } == 0.1)

        let (features, targets) = SeedExampleData.housing(count: 64)
        for noise in [MyGaussianNoise(stddev: 0.1), GaussianNoise(stddev: 0.1)] as [Layer] {
            let model = Sequential([noise, Dense(units: 1)])
            try model.compile(optimizer: try SGD(learningRate: 0.05), loss: Losses.MeanSquaredError())
            let losses = try #require(try model.fit(features, targets, epochs: 4, verbosity: .silent).values["loss"])
            #expect(losses.last! < losses.first!)
            #expect(try model.predict(features) == model.predict(features))
        }
    }

    /// In [39]: `MyGaussianNoise` adds noise only while training: `fit` calls it with
    /// `training: true`, `predict` with `training: false`.
    @Test func gaussianNoiseOnlyWhileTraining() throws {
        let noise = MyGaussianNoise(stddev: 0.1)
        let x = Tensor(zeros: [100, 100])
        #expect(try noise(x) == x)
        #expect(try noise(x, training: false) == x)
        let noisy = try noise(x, training: true)
        #expect(Swift.abs(noisy.standardDeviation(alongAxes: nil).scalar - 0.1) < 0.005)

        let (features, targets) = SeedExampleData.housing(count: 64)
        let model = Sequential([MyGaussianNoise(stddev: 0.1), Dense(units: 1)])
        try model.compile(optimizer: try SGD(learningRate: 0.05), loss: Losses.MeanSquaredError())
        let losses = try #require(try model.fit(features, targets, epochs: 4, verbosity: .silent).values["loss"])
        #expect(losses.last! < losses.first!)
        #expect(try model.predict(features) == model.predict(features))
    }

    // MARK: - Custom models

    /// In [40]–[41]: `ResidualBlock` holds a list of `Dense` layers and `ResidualRegressor` holds
    /// two blocks (the first applied four times): every nested weight is tracked once.
    @Test func residualRegressorTracksNestedLayers() throws {
        let model = ResidualRegressor(outputDim: 1)
        #expect(model.weights.isEmpty)
        #expect(model.sublayers.count == 1 + 3 + 3 + 1)
        let (x, y) = SeedExampleData.housing(count: 160)
        #expect(try model.predict(x).shape == [160, 1])
        // hidden1 8·30+30, each block 2·(30·30+30), out 30+1.
        #expect(model.parameterCount == 270 + 2 * 1860 + 31)
        #expect(model.weights.count == 12)
        #expect(model.trainableWeights.count == 12)
        let summary = model.summaryText()
        #expect(summary.contains("(ResidualBlock)"))
        #expect(summary.contains("1860"))
        #expect(summary.contains("Total params: 4,021"))

        try model.compile(optimizer: try Nadam(learningRate: 0.002), loss: Losses.MeanSquaredError())
        let losses = try #require(try model.fit(x, y, epochs: 5, verbosity: .silent).values["loss"])
        #expect(losses.last! < losses.first! * 0.5)
        let evaluation = try model.evaluate(x, y, verbosity: .silent)
        #expect(try #require(evaluation["loss"]) < losses.first!)
    }

    /// In [42]: `ReconstructingRegressor` makes its reconstruction layer in `build`, adds 0.05 × the
    /// reconstruction loss with `addLoss`, and reports the reconstruction error through a `Mean`
    /// it holds: both the loss and the reconstruction error go down, and the added loss is part of
    /// the loss `fit` minimizes.
    @Test func reconstructingRegressorAddsLossAndMetric() throws {
        let (x, y) = SeedExampleData.housing(count: 256)
        let model = ReconstructingRegressor(outputDim: 1)
        try model.compile(optimizer: try Nadam(learningRate: 0.005), loss: Losses.MeanSquaredError())
        let history = try model.fit(x, y, epochs: 8, verbosity: .silent)
        #expect(history.names == ["loss", "reconstruction_error"])
        let losses = try #require(history.values["loss"])
        let errors = try #require(history.values["reconstruction_error"])
        #expect(losses.last! < losses.first!)
        #expect(errors.last! < errors.first!)
        // 5 hidden layers, the reconstruction layer made in build, and the output layer.
        #expect(model.weights.count == 14)
        #expect(model.reconstruct?.kernel?.shape == [30, 8])

        // The added loss is 0.05 × the reconstruction MSE, and it joins the compiled loss.
        let predictions = try model(x)
        #expect(model.losses.count == 1)
        let reconstructionLayer = try #require(model.reconstruct)
        let reconstruction = try reconstructionLayer(try model.hiddenStack(x))
        let reconstructionLoss = (reconstruction - x).squared().mean().scalar
        #expect(Swift.abs(model.losses[0].scalar - 0.05 * reconstructionLoss) < 1e-5)
        let total = try model.computeLoss(yTrue: [y], yPred: [predictions]).scalar
        let mainLoss = Losses.MeanSquaredError()(y, predictions).scalar
        #expect(Swift.abs(total - (mainLoss + 0.05 * reconstructionLoss)) < 1e-4)
        // The metric is only updated while training.
        let reconstructionMean = try #require(model.reconstructionMean)
        #expect(reconstructionMean.count.value.scalar > 0)
        _ = try model.evaluate(x, y, verbosity: .silent)
        #expect(reconstructionMean.count.value.scalar == 0)
    }

    /// The seed's simpler form, `self.add_metric(recon_loss)`: `addMetric` keeps the running mean
    /// itself, under the given name, reset at each epoch.
    @Test func addMetricKeepsTheMean() throws {
        let (x, y) = SeedExampleData.housing(count: 128)
        let model = ReconstructingRegressor(outputDim: 1, usesAddMetric: true)
        try model.compile(optimizer: try Nadam(learningRate: 0.005), loss: Losses.MeanSquaredError())
        let history = try model.fit(x, y, epochs: 8, verbosity: .silent)
        #expect(history.names == ["loss", "reconstruction_error"])
        let errors = try #require(history.values["reconstruction_error"])
        #expect(errors.last! < errors.first!)
        // Reset at each epoch: the mean holds one epoch of batches (4 of 32), not eight epochs.
        let added = try #require(model.trackedMetrics.first { $0.name == "reconstruction_error" } as? Metrics.Mean)
        #expect(added.count.value.scalar == 4)
    }

    // MARK: - Custom training loop

    /// In [59]–[61] and the loop after them: a model trained by hand on the tape, with the
    /// regularization losses added, random batches, a `Mean` of the loss and an MAE metric reset at
    /// each epoch, the seed's status bar, and its loop applying each variable's constraint after the
    /// step. Swift: the hidden layer's kernel has a max-norm constraint (the seed's model has none, so
    /// its loop would do nothing), which the He-normal start breaks (column norms near 1.4).
    @Test func customTrainingLoopWithStatusBar() throws {
        let (xTrain, yTrain) = SeedExampleData.housing(count: 200)
        let l2Reg = L2(0.05)
        let maxNorm: Float = 1
        let hidden = Dense(units: 30, activation: .relu, kernelInitializer: HeNormal(), kernelRegularizer: l2Reg,
                           kernelConstraint: MaxNorm(maxValue: maxNorm, axis: 0))
        let model = try GlobalRandom.withSeed(12) { () throws -> Sequential in
            let model = Sequential([hidden, Dense(units: 1, kernelRegularizer: l2Reg)])
            _ = try model(xTrain[..<1])  // creates the weights from the seeded stream
            return model
        }
        // The largest L2 norm of the hidden kernel's columns (one column per unit: MaxNorm's axis 0).
        func largestColumnNorm() throws -> Float {
            let kernel = try #require(hidden.kernel).value
            let (rows, columns) = (kernel.shape[0], kernel.shape[1])
            return (0..<columns).map { column in
                (0..<rows).reduce(Float(0)) { $0 + kernel.scalars[$1 * columns + column] * kernel.scalars[$1 * columns + column] }.squareRoot()
            }.max() ?? 0
        }
        #expect(try largestColumnNorm() > 1.2 * maxNorm)
        var largestNormAfterAStep: Float = 0

        func randomBatch(_ x: Tensor, _ y: Tensor, batchSize: Int = 32) -> (Tensor, Tensor) {
            let idx = GlobalRandom.withGenerator { generator in
                (0..<batchSize).map { _ in Int.random(in: 0..<x.shape[0], using: &generator) }
            }
            return (x.gatheringRows(idx[...]), y.gatheringRows(idx[...]))
        }

        // Swift: written to a string instead of the terminal so the test can read it.
        var terminal = ""
        func printStatusBar(_ step: Int, _ total: Int, _ loss: Metric, _ metrics: [Metric] = []) {
            let metrics = ([loss] + metrics).map { "\($0.name): \(Logs.format($0.result()))" }.joined(separator: " - ")
            let end = step < total ? "" : "\n"
            print("\r\(step)/\(total) - " + metrics, terminator: end, to: &terminal)
        }

        let nEpochs = 5
        let batchSize = 32
        let nSteps = xTrain.shape[0] / batchSize
        let optimizer = try SGD(learningRate: 0.01)
        let lossFn = Losses.MeanSquaredError(reduction: .none)  // tf.keras.losses.mean_squared_error
        let meanLoss = Metrics.Mean(name: "mean_loss")
        let metrics: [Metric] = [Metrics.MeanAbsoluteError()]

        var epochLosses: [Float] = []
        for epoch in 1...nEpochs {
            print("Epoch \(epoch)/\(nEpochs)", to: &terminal)
            for step in 1...nSteps {
                let (xBatch, yBatch) = randomBatch(xTrain, yTrain)
                let tape = GradientTape()
                var yPred = Tensor(0)
                let loss = try tape.record {
                    yPred = try model(xBatch, training: true)
                    let mainLoss = lossFn(yBatch, yPred).mean()
                    return model.losses.reduce(mainLoss, +)  // tf.add_n([main_loss] + model.losses)
                }
                let gradients = try tape.gradient(of: loss, wrt: model.trainableWeights)
                try optimizer.apply(gradients: gradients, to: model.trainableWeights)
                // The seed's constraint loop (Optimizer.apply already applies constraints, as Keras's does).
                for variable in model.weights {
                    if let constraint = variable.constraint { variable.assign(constraint(variable.value)) }
                }
                largestNormAfterAStep = max(largestNormAfterAStep, try largestColumnNorm())
                meanLoss(loss)
                for metric in metrics { metric(yBatch, yPred) }
                printStatusBar(step, nSteps, meanLoss, metrics)
            }
            epochLosses.append(meanLoss.result())
            for metric in [meanLoss] + metrics { metric.reset() }
        }

        #expect(model.losses.count == 2)
        #expect(try #require(epochLosses.last) < (try #require(epochLosses.first)) * 0.8)
        // The constraint held after every step: no hidden unit's weights grew past the max norm.
        #expect(largestNormAfterAStep <= maxNorm * (1 + 1e-5))
        // The seed's loop alone restores it: weights pushed past the norm (as an update that does not
        // go through the optimizer would leave them) come back within it.
        let kernel = try #require(hidden.kernel)
        kernel.assign(kernel.value * 3)
        #expect(try largestColumnNorm() > 2 * maxNorm)
        for variable in model.weights {
            if let constraint = variable.constraint { variable.assign(constraint(variable.value)) }
        }
        #expect(try largestColumnNorm() <= maxNorm * (1 + 1e-5))
        #expect(model.weights.filter { $0.constraint != nil }.count == 1)
        #expect(terminal.hasPrefix("Epoch 1/5\n\r1/6 - mean_loss: "))
        #expect(terminal.contains(" - mean_absolute_error: "))
        #expect(terminal.contains("\r6/6 - mean_loss: "))
        let lines = terminal.split(separator: "\n")
        #expect(lines.count == 2 * nEpochs)
        #expect(lines.last?.hasPrefix("\r1/6 - ") == true)
        #expect(meanLoss.count.value.scalar == 0)
    }
}

// MARK: - The seed's custom classes

/// In [37]: a simplified `Dense`.
private final class MyDense: Layer, ConfigurationRepresentable {
    static let typeName = "MyDense"
    let units: Int
    let activation: Activation
    private(set) var kernel: Variable?
    private(set) var bias: Variable?

    /// `activation` is a Keras name or nil (`tf.keras.activations.get(activation)`).
    init(units: Int, activation: String? = nil, name: String? = nil) throws {
        self.units = units
        self.activation = try Activation(named: activation)
        super.init(name: name)
    }

    /// `from_config`: the activation comes back from its serialized form.
    init(configuration: Configuration) throws {
        units = try configuration.int("units", in: Self.typeName)
        activation = try Activation(identifier: configuration["activation"] ?? .null)
        super.init(name: configuration["name"]?.stringValue)
    }

    override func build(inputShape batchInputShape: [Int]) throws {
        guard let features = batchInputShape.last else {
            throw LayerError.incompatibleInput(layer: name, expected: "[batch, features]", got: batchInputShape)
        }
        kernel = addWeight(name: "kernel", shape: [features, units], initializer: GlorotNormal())
        bias = addWeight(name: "bias", shape: [units], initializer: Zeros())
    }

    override func call(_ x: Tensor, training: Bool) throws -> Tensor {
        guard let kernel, let bias else { throw LayerError.notBuilt(layer: name, what: "call") }
        return activation(matmul(x, kernel.value) + bias.value)
    }

    override var configuration: Configuration {
        var configuration = super.configuration
        configuration["units"] = .int(units)
        configuration["activation"] = activation.identifier  // tf.keras.activations.serialize
        return configuration
    }
}

/// In [38]: two inputs, three outputs. Swift: a layer with several outputs overrides
/// `callOutputs` and is called with `outputs(for:)`.
private final class MyMultiLayer: Layer {
    override func callOutputs(_ x: [Tensor], training: Bool) throws -> [Tensor] {
        guard x.count == 2 else { throw LayerError.wrongInputCount(layer: name, expected: "2", got: x.count) }
        let (x1, x2) = (x[0], x[1])
        return [x1 + x2, x1 * x2, x1 / x2]
    }
}

/// In [39]: Gaussian noise while training, the identity otherwise.
private final class MyGaussianNoise: Layer {
    let stddev: Float

    init(stddev: Float, name: String? = nil) {
        self.stddev = stddev
        super.init(name: name)
    }

    override func call(_ x: Tensor, training: Bool) throws -> Tensor {
        if training {
            let noise = Tensor(randomNormal: x.shape, standardDeviation: stddev)
            return x + noise
        } else {
            return x
        }
    }
}

/// In [40]: dense layers with a skip connection around them.
private final class ResidualBlock: Layer {
    let hidden: [Dense]

    init(nLayers: Int, nNeurons: Int, name: String? = nil) {
        hidden = (0..<nLayers).map { _ in Dense(units: nNeurons, activation: .relu, kernelInitializer: HeNormal()) }
        super.init(name: name)
    }

    override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        var z = inputs
        for layer in hidden { z = try layer(z) }
        return inputs + z
    }
}

/// In [41]: a dense layer, the first block four times, the second block, the output layer; with
/// `get_config` (and `from_config`) so that it saves whole.
private final class ResidualRegressor: Model, ConfigurationRepresentable {
    static let typeName = "ResidualRegressor"
    let outputDim: Int
    let hidden1: Dense
    let block1: ResidualBlock
    let block2: ResidualBlock
    let out: Dense

    init(outputDim: Int, name: String? = nil) {
        self.outputDim = outputDim
        hidden1 = Dense(units: 30, activation: .relu, kernelInitializer: HeNormal())
        block1 = ResidualBlock(nLayers: 2, nNeurons: 30)
        block2 = ResidualBlock(nLayers: 2, nNeurons: 30)
        out = Dense(units: outputDim)
        super.init(name: name)
    }

    convenience init(configuration: Configuration) throws {
        self.init(outputDim: try configuration.int("output_dim", in: Self.typeName), name: configuration["name"]?.stringValue)
    }

    override var configuration: Configuration {
        var configuration = super.configuration
        configuration["output_dim"] = .int(outputDim)
        return configuration
    }

    override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        var z = try hidden1(inputs)
        for _ in 0..<(1 + 3) { z = try block1(z) }
        z = try block2(z)
        return try out(z)
    }
}

/// In [42]: an auxiliary reconstruction of the inputs whose loss regularizes the model.
private final class ReconstructingRegressor: Model {
    let hidden: [Dense]
    let out: Dense
    /// The held metric; nil in the seed's simpler variant, which calls `addMetric` instead.
    let reconstructionMean: Metrics.Mean?
    private(set) var reconstruct: Dense?

    init(outputDim: Int, usesAddMetric: Bool = false, name: String? = nil) {
        hidden = (0..<5).map { _ in Dense(units: 30, activation: .relu, kernelInitializer: HeNormal()) }
        out = Dense(units: outputDim)
        reconstructionMean = usesAddMetric ? nil : Metrics.Mean(name: "reconstruction_error")
        super.init(name: name)
    }

    override func build(inputShape batchInputShape: [Int]) throws {
        guard let nInputs = batchInputShape.last else {
            throw LayerError.incompatibleInput(layer: name, expected: "[batch, features]", got: batchInputShape)
        }
        reconstruct = Dense(units: nInputs)
    }

    /// The five hidden layers (the test recomputes the reconstruction with them).
    func hiddenStack(_ inputs: Tensor) throws -> Tensor {
        var z = inputs
        for layer in hidden { z = try layer(z) }
        return z
    }

    override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        let z = try hiddenStack(inputs)
        guard let reconstruct else { throw LayerError.notBuilt(layer: name, what: "call") }
        let reconstruction = try reconstruct(z)
        let reconLoss = (reconstruction - inputs).squared().mean()
        addLoss(0.05 * reconLoss)
        if training {
            if let reconstructionMean {
                // result = self.reconstruction_mean(recon_loss); self.add_metric(result): Swift reports
                // every metric the model holds, so updating it is enough.
                reconstructionMean(reconLoss)
            } else {
                addMetric(reconLoss, name: "reconstruction_error")  // self.add_metric(recon_loss)
            }
        }
        return try out(z)
    }
}
