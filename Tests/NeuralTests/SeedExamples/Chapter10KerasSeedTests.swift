import Foundation
import Neural
import Testing
import TestSupport

/// Swift twins of seed 002's (Géron ch. 10) Keras examples: the Sequential image classifier, the
/// regression MLP, the functional Wide & Deep models (one input; two inputs; two outputs with loss
/// weights), the subclassed `WideAndDeepModel`, saving and restoring a model, and callbacks
/// (`ModelCheckpoint`, `EarlyStopping`, a custom one). docs/keras-api.md shows the same code.
///
/// Small data made here stands in for Fashion-MNIST and California housing (same shapes); the
/// `Normalization` layers are adapted on the training data as in the seed. The seed's TensorBoard
/// examples (the `TensorBoard` callback, `tf.summary` writers, the tuner's HParams runs) have their twins
/// in Tests/TensorBoardTests (SeedExamples/Chapter10TensorBoardSeedTests.swift, TensorBoardReadTests.swift),
/// where TensorBoard itself reads them; its Keras Tuner searches in Tests/ReferenceWorkloadsTests and
/// Tests/TunerKitTests; plotting `history.history` in Tests/NeuralTests/Plotting/HistoryPlotTests.swift.
/// The scikit-learn examples (`Perceptron`, the `StandardScaler` + `MLPRegressor` pipeline) have their
/// Keras-built twins in Chapter10ScikitLearnTwinTests.swift.
@Suite struct Chapter10KerasSeedTests {
    /// Fashion-MNIST-like: 500 training, 100 validation and 100 test images.
    private static let fashion: (xTrain: Tensor, yTrain: Tensor, xValid: Tensor, yValid: Tensor, xTest: Tensor, yTest: Tensor) = {
        let (full, labels) = SeedExampleData.fashionLike(count: 700)
        return (SeedExampleData.rows(full, 0..<500), SeedExampleData.rows(labels, 0..<500),
                SeedExampleData.rows(full, 500..<600), SeedExampleData.rows(labels, 500..<600),
                SeedExampleData.rows(full, 600..<700), SeedExampleData.rows(labels, 600..<700))
    }()

    /// Housing-like: 300 training, 60 validation and 60 test rows of 8 features.
    private static let housing: (xTrain: Tensor, yTrain: Tensor, xValid: Tensor, yValid: Tensor, xTest: Tensor, yTest: Tensor) = {
        let (x, y) = SeedExampleData.housing(count: 420, seed: 10)
        return (SeedExampleData.rows(x, 0..<300), SeedExampleData.rows(y, 0..<300),
                SeedExampleData.rows(x, 300..<360), SeedExampleData.rows(y, 300..<360),
                SeedExampleData.rows(x, 360..<420), SeedExampleData.rows(y, 360..<420))
    }()

    // MARK: - Building an image classifier using the Sequential API

    /// "Creating the model using the sequential API": `Input`, `Flatten` and three `Dense` layers
    /// added one by one; 266,610 parameters.
    @Test func classifierBuiltWithAdd() throws {
        GlobalRandom.seed(42)  // tf.random.set_seed(42)
        let model = Sequential()
        model.add(Input(shape: [28, 28]))
        model.add(Flatten())
        model.add(Dense(units: 300, activation: .relu))
        model.add(Dense(units: 100, activation: .relu))
        model.add(Dense(units: 10, activation: .softmax()))
        #expect(model.isBuilt)
        #expect(model.parameterCount == 266_610)
        #expect(try model.predict(Tensor(zeros: [2, 28, 28])).shape == [2, 10])
    }

    /// The same model from a list with `inputShape` on `Flatten`; `summary()`, `layers`,
    /// `get_layer` and the weights of the first hidden layer (random kernel, zero biases).
    @Test func classifierSummaryLayersAndWeights() throws {
        let model = Sequential([
            Flatten(inputShape: [28, 28]),
            Dense(units: 300, activation: .relu),
            Dense(units: 100, activation: .relu),
            Dense(units: 10, activation: .softmax()),
        ])
        let summary = model.summaryText()
        #expect(summary.contains("(None, 784)"))
        #expect(summary.contains("235500"))
        #expect(summary.contains("Total params: 266,610"))
        #expect(summary.contains("Trainable params: 266,610"))
        #expect(summary.contains("Non-trainable params: 0"))

        #expect(model.layers.count == 4)
        let hidden1 = model.layers[1]
        #expect(hidden1.name.hasPrefix("dense"))
        #expect(model.layer(named: hidden1.name) === hidden1)
        #expect(model.layer(named: "no_such_layer") == nil)

        // weights, biases = hidden1.get_weights(): Swift reads the variables' values.
        let (weights, biases) = (hidden1.weights[0].value, hidden1.weights[1].value)
        #expect(weights.shape == [784, 300])
        #expect(biases.shape == [300])
        #expect(biases.scalars.allSatisfy { $0 == 0 })
        // Glorot uniform: within ±sqrt(6 / (784 + 300)), not all equal.
        let limit = (6 / Float(784 + 300)).squareRoot()
        #expect(weights.scalars.allSatisfy { Swift.abs($0) <= limit })
        #expect(weights.standardDeviation(alongAxes: nil).scalar > limit / 3)
    }

    /// "Compiling the model", "Training and evaluating the model", "Using the model to make
    /// predictions": sparse categorical cross-entropy, SGD, accuracy; `fit` with validation data
    /// returns a `History`; `evaluate`; `predict` gives probabilities whose argmax is the class;
    /// calling `fit` again continues where training stopped.
    @Test func classifierCompileFitEvaluatePredict() throws {
        let data = Self.fashion
        let model = Sequential([
            Flatten(inputShape: [28, 28]),
            Dense(units: 300, activation: .relu),
            Dense(units: 100, activation: .relu),
            Dense(units: 10, activation: .softmax()),
        ])
        try model.compile(optimizer: "sgd", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])

        let history = try model.fit(data.xTrain, data.yTrain, epochs: 10, verbosity: .silent,
                                    validationData: (data.xValid, data.yValid))
        #expect(history.epochs == Array(0..<10))
        #expect(history.names == ["loss", "accuracy", "val_loss", "val_accuracy"])
        let losses = try #require(history.values["loss"])
        #expect(losses.last! < losses.first! / 2)
        #expect(try #require(history.last("val_accuracy")) > 0.9)

        let evaluation = try model.evaluate(data.xTest, data.yTest, verbosity: .silent)
        #expect(evaluation.names == ["loss", "accuracy"])
        #expect(try #require(evaluation["accuracy"]) > 0.9)

        let xNew = SeedExampleData.head(data.xTest, 3)
        let yProba = try model.predict(xNew)
        #expect(yProba.shape == [3, 10])
        expectClose(yProba.sum(alongAxes: [1]), [1, 1, 1], tolerance: 1e-5)
        let yPred = yProba.argmaxIndices(alongAxis: -1)
        #expect(yPred == SeedExampleData.head(data.yTest, 3).scalars.map { Int($0) })

        // Fitting again continues training: it starts below where the first fit started.
        let more = try model.fit(data.xTrain, data.yTrain, epochs: 2, verbosity: .silent)
        #expect(try #require(more.values["loss"]?.first) < losses.first!)
    }

    /// The fit options the seed describes: `validation_split`, `class_weight`, `sample_weight`
    /// (Keras multiplies the two), and sample weights in the validation data. With a learning rate
    /// of 0 the weights stay put, so the logged losses show the weighting exactly.
    @Test func fitOptionsValidationSplitClassAndSampleWeights() throws {
        let data = Self.fashion
        let x = SeedExampleData.head(data.xTrain, 100), y = SeedExampleData.head(data.yTrain, 100)
        let model = Sequential([Flatten(inputShape: [28, 28]), Dense(units: 10, activation: .softmax())])
        try model.compile(optimizer: try SGD(learningRate: 0), loss: Losses.SparseCategoricalCrossentropy(),
                          metrics: ["accuracy"])

        let split = try model.fit(x, y, epochs: 1, verbosity: .silent, validationSplit: 0.1)
        #expect(split.names == ["loss", "accuracy", "val_loss", "val_accuracy"])
        // validation_split takes the last 10 % (before shuffling).
        let lastTen = try model.evaluate(SeedExampleData.rows(x, 90..<100), SeedExampleData.rows(y, 90..<100), verbosity: .silent)
        #expect(Swift.abs(try #require(split.last("val_loss")) - lastTen["loss"]!) < 1e-5)

        let plain = try #require(try model.fit(x, y, epochs: 1, verbosity: .silent).last("loss"))
        let everyClassTwice = Dictionary(uniqueKeysWithValues: (0..<10).map { ($0, Float(2)) })
        let doubled = try #require(try model.fit(x, y, epochs: 1, verbosity: .silent, classWeight: everyClassTwice).last("loss"))
        #expect(Swift.abs(doubled - 2 * plain) < 1e-4)
        let halfWeights = Tensor(repeating: 0.5, shape: [100])
        let multiplied = try #require(try model.fit(x, y, epochs: 1, verbosity: .silent, sampleWeight: halfWeights,
                                                    classWeight: everyClassTwice).last("loss"))
        #expect(Swift.abs(multiplied - plain) < 1e-4)

        // Validation sample weights: the third element of validation_data.
        let validation = try ModelData(inputs: [SeedExampleData.head(x, 10)], targets: [SeedExampleData.head(y, 10)],
                                       sampleWeight: Tensor(zeros: [10]))
        let weightedValidation = try model.fit(try ModelData(inputs: [x], targets: [y]), epochs: 1, verbosity: .silent,
                                               validationData: validation)
        #expect(weightedValidation.last("val_loss") == 0)
    }

    // MARK: - Building a regression MLP using the Sequential API

    /// The regression MLP: (normalization,) three hidden layers of 50, one output; MSE, Adam,
    /// RMSE; fit with validation data; evaluate gives the MSE and the RMSE (its square root); predict.
    @Test func regressionMLP() throws {
        let data = Self.housing
        let normLayer = Normalization()
        let model = Sequential([
            normLayer,
            Dense(units: 50, activation: .relu),
            Dense(units: 50, activation: .relu),
            Dense(units: 50, activation: .relu),
            Dense(units: 1),
        ])
        let optimizer = try Adam(learningRate: 1e-3)
        try model.compile(optimizer: optimizer, loss: Losses.MeanSquaredError(), metrics: ["RootMeanSquaredError"])
        try normLayer.adapt(data.xTrain)
        // The layer now holds the training data's mean and variance (non-trainable weights).
        expectClose(try #require(normLayer.mean).value, data.xTrain.mean(alongAxes: [0]).scalars, shape: [8], tolerance: 1e-4)
        let history = try model.fit(data.xTrain, data.yTrain, epochs: 20, verbosity: .silent,
                                    validationData: (data.xValid, data.yValid))
        let losses = try #require(history.values["loss"])
        #expect(losses.last! < losses.first! / 4)
        #expect(history.names.count == 4)

        let evaluation = try model.evaluate(data.xTest, data.yTest, verbosity: .silent)
        let (mseTest, rmseTest) = (evaluation.entries[0].value, evaluation.entries[1].value)
        #expect(evaluation.names[0] == "loss")
        #expect(Swift.abs(rmseTest * rmseTest - mseTest) < 1e-3 * Swift.max(1, mseTest))
        #expect(mseTest < losses.first!)

        let xNew = SeedExampleData.head(data.xTest, 3)
        #expect(try model.predict(xNew).shape == [3, 1])
        // The normalization layer's mean, variance and count (8 + 8 + 1) count as parameters, as in Keras.
        #expect(model.parameterCount == 17 + 8 * 50 + 50 + 2 * (50 * 50 + 50) + 51)
        #expect(model.nonTrainableWeights.count == 3)
    }

    // MARK: - Building complex models using the functional API

    /// The first Wide & Deep network: the normalized input goes both through two hidden layers and
    /// straight to the output, joined by `Concatenate`.
    @Test func wideAndDeepFunctional() throws {
        let data = Self.housing
        let normalizationLayer = Normalization()
        let hiddenLayer1 = Dense(units: 30, activation: .relu)
        let hiddenLayer2 = Dense(units: 30, activation: .relu)
        let concatLayer = Concatenate()
        let outputLayer = Dense(units: 1)

        let input = Input(shape: [8])
        let normalized = try normalizationLayer(input)
        let hidden1 = try hiddenLayer1(normalized)
        let hidden2 = try hiddenLayer2(hidden1)
        let concat = try concatLayer([normalized, hidden2])
        let output = try outputLayer(concat)

        let model = try Functional(inputs: [input], outputs: [output])
        #expect(model.layers.count == 6)
        #expect(concat.shape == [38])
        // normalization 8+8+1, hidden1 8·30+30, hidden2 30·30+30, output (8+30)+1.
        #expect(model.parameterCount == 17 + 270 + 930 + 39)
        #expect(model.trainableWeights.count == 6)

        try model.compile(optimizer: try Adam(learningRate: 1e-3), loss: Losses.MeanSquaredError(),
                          metrics: ["RootMeanSquaredError"])
        try normalizationLayer.adapt(data.xTrain)
        let history = try model.fit(data.xTrain, data.yTrain, epochs: 20, verbosity: .silent,
                                    validationData: (data.xValid, data.yValid))
        let losses = try #require(history.values["loss"])
        #expect(losses.last! < losses.first! / 4)
        #expect(try model.predict(SeedExampleData.head(data.xTest, 3)).shape == [3, 1])
    }

    /// Two inputs: features 0–4 through the wide path, 2–7 through the deep path; `fit`,
    /// `evaluate` and `predict` take one array per input.
    @Test func wideAndDeepWithTwoInputs() throws {
        let data = Self.housing
        let (xTrainWide, xTrainDeep) = (data.xTrain[.all, ..<5], data.xTrain[.all, 2...])
        let (xValidWide, xValidDeep) = (data.xValid[.all, ..<5], data.xValid[.all, 2...])
        let (xTestWide, xTestDeep) = (data.xTest[.all, ..<5], data.xTest[.all, 2...])
        let (xNewWide, xNewDeep) = (SeedExampleData.head(xTestWide, 3), SeedExampleData.head(xTestDeep, 3))

        let inputWide = Input(shape: [5])  // features 0 to 4
        let inputDeep = Input(shape: [6])  // features 2 to 7
        let normLayerWide = Normalization()
        let normLayerDeep = Normalization()
        let normWide = try normLayerWide(inputWide)
        let normDeep = try normLayerDeep(inputDeep)
        let hidden1 = try Dense(units: 30, activation: .relu)(normDeep)
        let hidden2 = try Dense(units: 30, activation: .relu)(hidden1)
        let concat = try Concatenate()([normWide, hidden2])
        let output = try Dense(units: 1)(concat)
        let model = try Functional(inputs: [inputWide, inputDeep], outputs: [output])
        #expect(model.parameterCount == (5 + 5 + 1) + (6 + 6 + 1) + 210 + 930 + 36)

        let optimizer = try Adam(learningRate: 1e-3)
        try model.compile(optimizer: optimizer, loss: Losses.MeanSquaredError(), metrics: ["RootMeanSquaredError"])
        try normLayerWide.adapt(xTrainWide)
        try normLayerDeep.adapt(xTrainDeep)
        let history = try model.fit(
            try ModelData(inputs: [xTrainWide, xTrainDeep], targets: [data.yTrain]), epochs: 20, verbosity: .silent,
            validationData: try ModelData(inputs: [xValidWide, xValidDeep], targets: [data.yValid]))
        let losses = try #require(history.values["loss"])
        #expect(losses.last! < losses.first! * 0.7)
        #expect(history.names.count == 4 && history.names[2] == "val_loss")
        let mseTest = try model.evaluate(try ModelData(inputs: [xTestWide, xTestDeep], targets: [data.yTest]), verbosity: .silent)
        #expect(try #require(mseTest["loss"]) < losses.first!)
        let yPred = try model.predict([xNewWide, xNewDeep])
        #expect(yPred.count == 1 && yPred[0].shape == [3, 1])
        #expect(throws: LayerError.self) { try model.predict([xNewWide]) }
    }

    /// An auxiliary output on the deep path: one loss per output with loss weights 0.9 and 0.1;
    /// `evaluate` gives the weighted sum of the losses, each output's loss and each output's RMSE;
    /// `predict` gives both outputs, named by `outputNames`.
    @Test func wideAndDeepWithTwoOutputsAndLossWeights() throws {
        let data = Self.housing
        let (xTrainWide, xTrainDeep) = (data.xTrain[.all, ..<5], data.xTrain[.all, 2...])
        let (xValidWide, xValidDeep) = (data.xValid[.all, ..<5], data.xValid[.all, 2...])
        let (xTestWide, xTestDeep) = (data.xTest[.all, ..<5], data.xTest[.all, 2...])

        let inputWide = Input(shape: [5]), inputDeep = Input(shape: [6])
        let normLayerWide = Normalization(), normLayerDeep = Normalization()
        let normWide = try normLayerWide(inputWide)
        let normDeep = try normLayerDeep(inputDeep)
        let hidden1 = try Dense(units: 30, activation: .relu)(normDeep)
        let hidden2 = try Dense(units: 30, activation: .relu)(hidden1)
        let concat = try Concatenate()([normWide, hidden2])
        let output = try Dense(units: 1, name: "output")(concat)
        let auxOutput = try Dense(units: 1, name: "aux_output")(hidden2)
        let model = try Functional(inputs: [inputWide, inputDeep], outputs: [output, auxOutput])
        #expect(model.outputNames == ["output", "aux_output"])

        let optimizer = try Adam(learningRate: 1e-3)
        try model.compile(optimizer: optimizer, losses: [Losses.MeanSquaredError(), Losses.MeanSquaredError()],
                          metrics: ["RootMeanSquaredError"], lossWeights: [0.9, 0.1])
        try normLayerWide.adapt(xTrainWide)
        try normLayerDeep.adapt(xTrainDeep)
        let history = try model.fit(
            try ModelData(inputs: [xTrainWide, xTrainDeep], targets: [data.yTrain, data.yTrain]),
            epochs: 20, verbosity: .silent,
            validationData: try ModelData(inputs: [xValidWide, xValidDeep], targets: [data.yValid, data.yValid]))
        #expect(Array(history.names.prefix(3)) == ["loss", "output_loss", "aux_output_loss"])
        #expect(history.names.count == 10 && history.names[5] == "val_loss")
        let losses = try #require(history.values["loss"])
        #expect(losses.last! < losses.first! * 0.7)

        // weighted_sum_of_losses, main_loss, aux_loss, main_rmse, aux_rmse = eval_results
        let evalResults = try model.evaluate(
            try ModelData(inputs: [xTestWide, xTestDeep], targets: [data.yTest, data.yTest]), verbosity: .silent)
        let values = evalResults.entries.map(\.value)
        #expect(values.count == 5)
        let (weightedSumOfLosses, mainLoss, auxLoss, mainRmse, auxRmse) = (values[0], values[1], values[2], values[3], values[4])
        #expect(Swift.abs(weightedSumOfLosses - (0.9 * mainLoss + 0.1 * auxLoss)) < 1e-4 * Swift.max(1, weightedSumOfLosses))
        #expect(Swift.abs(mainRmse * mainRmse - mainLoss) < 1e-3 * Swift.max(1, mainLoss))
        #expect(Swift.abs(auxRmse * auxRmse - auxLoss) < 1e-3 * Swift.max(1, auxLoss))
        #expect(evalResults.names[3].hasPrefix("output_") && evalResults.names[4].hasPrefix("aux_output_"))

        // y_pred_main, y_pred_aux = model.predict((X_new_wide, X_new_deep))
        let yPredTuple = try model.predict([SeedExampleData.head(xTestWide, 3), SeedExampleData.head(xTestDeep, 3)])
        #expect(yPredTuple.map(\.shape) == [[3, 1], [3, 1]])
        let yPred = Dictionary(uniqueKeysWithValues: zip(model.outputNames, yPredTuple))
        #expect(yPred.keys.sorted() == ["aux_output", "output"])
    }

    /// "If we pass a single loss, Keras will assume that the same loss must be used for all outputs."
    @Test func singleLossServesEveryOutput() throws {
        let input = Input(shape: [8])
        let hidden = try Dense(units: 8, activation: .relu)(input)
        let main = try Dense(units: 1, name: "main_output")(hidden)
        let aux = try Dense(units: 1, name: "aux_output")(hidden)
        let model = try Functional(inputs: [input], outputs: [main, aux])
        try model.compile(optimizer: try Adam(), loss: Losses.MeanSquaredError(), metrics: ["mae"])
        let data = Self.housing
        let logs = try model.evaluate(try ModelData(inputs: [data.xTest], targets: [data.yTest, data.yTest]), verbosity: .silent)
        #expect(logs.names == ["loss", "main_output_loss", "aux_output_loss", "main_output_mae", "aux_output_mae"])
        #expect(Swift.abs(logs["loss"]! - (logs["main_output_loss"]! + logs["aux_output_loss"]!)) < 1e-4 * Swift.max(1, logs["loss"]!))
    }

    /// "Keras models can be used as regular layers": a Sequential inside a functional model trains
    /// with it, and its own (unused) loss tracker does not appear in the outer logs.
    @Test func modelUsedAsALayer() throws {
        let inner = Sequential([Dense(units: 16, activation: .relu), Dense(units: 8, activation: .relu)])
        try inner.compile(optimizer: try SGD(), loss: Losses.MeanSquaredError(), metrics: ["mae"])
        let input = Input(shape: [8])
        let output = try Dense(units: 1)(try inner(input))
        let model = try Functional(inputs: [input], outputs: [output])
        #expect(model.trainableWeights.count == 6)
        try model.compile(optimizer: try Adam(learningRate: 0.01), loss: Losses.MeanSquaredError())
        let data = Self.housing
        let history = try model.fit(data.xTrain, data.yTrain, epochs: 5, verbosity: .silent)
        #expect(history.names == ["loss"])
        let losses = try #require(history.values["loss"])
        #expect(losses.last! < losses.first! / 2)
    }

    // MARK: - Using the subclassing API to build dynamic models

    /// `WideAndDeepModel`: the layers made in `init`, used in the forward pass, which returns the main
    /// and the auxiliary outputs. Compiled, trained, evaluated and used exactly like the functional one.
    @Test func wideAndDeepSubclassedModel() throws {
        let data = Self.housing
        let model = WideAndDeepModel(units: 30, activation: .relu, name: "my_cool_model")
        #expect(model.name == "my_cool_model")
        #expect(model.weights.isEmpty)

        let optimizer = try Adam(learningRate: 1e-3)
        try model.compile(optimizer: optimizer, losses: [Losses.MeanSquaredError(), Losses.MeanSquaredError()],
                          metrics: ["RootMeanSquaredError"], lossWeights: [0.9, 0.1])
        let (xTrainWide, xTrainDeep) = (data.xTrain[.all, ..<5], data.xTrain[.all, 2...])
        try model.normLayerWide.adapt(xTrainWide)
        try model.normLayerDeep.adapt(xTrainDeep)
        let history = try model.fit(
            try ModelData(inputs: [xTrainWide, xTrainDeep], targets: [data.yTrain, data.yTrain]),
            epochs: 20, verbosity: .silent)
        // Normalization 5+5+1 and 6+6+1, hidden1 6·30+30, hidden2 30·30+30, main (5+30)+1, aux 30+1.
        #expect(model.parameterCount == 11 + 13 + 210 + 930 + 36 + 31)
        #expect(model.weights.count == 6 + 8)
        #expect(model.trainableWeights.count == 8)
        let losses = try #require(history.values["loss"])
        #expect(losses.last! < losses.first! * 0.7)
        #expect(history.names.count == 5)

        let (xTestWide, xTestDeep) = (data.xTest[.all, ..<5], data.xTest[.all, 2...])
        let evaluation = try model.evaluate(
            try ModelData(inputs: [xTestWide, xTestDeep], targets: [data.yTest, data.yTest]), verbosity: .silent)
        #expect(evaluation.entries.count == 5)
        let yPred = try model.predict([SeedExampleData.head(xTestWide, 3), SeedExampleData.head(xTestDeep, 3)])
        let (yPredMain, yPredAux) = (yPred[0], yPred[1])
        #expect(yPredMain.shape == [3, 1] && yPredAux.shape == [3, 1])
        let summary = model.summaryText()
        #expect(summary.contains("Model: \"my_cool_model\""))
        #expect(summary.contains("Total params: 1,231"))
    }

    // MARK: - Saving and restoring a model

    /// The two-output Wide & Deep model, compiled and its normalization layers adapted. Its layers
    /// are named: weights files match weights by their layers' names.
    private func compiledWideAndDeep(_ data: (xTrain: Tensor, yTrain: Tensor, xValid: Tensor, yValid: Tensor, xTest: Tensor, yTest: Tensor)) throws -> Functional {
        let inputWide = Input(shape: [5]), inputDeep = Input(shape: [6])
        let normLayerWide = Normalization(name: "norm_wide"), normLayerDeep = Normalization(name: "norm_deep")
        let hidden1 = try Dense(units: 30, activation: .relu, name: "hidden1")(try normLayerDeep(inputDeep))
        let hidden2 = try Dense(units: 30, activation: .relu, name: "hidden2")(hidden1)
        let output = try Dense(units: 1, name: "output")(try Concatenate()([try normLayerWide(inputWide), hidden2]))
        let auxOutput = try Dense(units: 1, name: "aux_output")(hidden2)
        let model = try Functional(inputs: [inputWide, inputDeep], outputs: [output, auxOutput])
        try model.compile(optimizer: try Adam(learningRate: 1e-3), losses: [Losses.MeanSquaredError(), Losses.MeanSquaredError()],
                          metrics: ["RootMeanSquaredError"], lossWeights: [0.9, 0.1])
        try normLayerWide.adapt(data.xTrain[.all, ..<5])
        try normLayerDeep.adapt(data.xTrain[.all, 2...])
        return model
    }

    /// `model.save("my_keras_model")` and `tf.keras.models.load_model("my_keras_model")`: the loaded
    /// model predicts exactly the same (normalization statistics included) and trains on from the
    /// saved optimizer state; `save_weights` / `load_weights` restore only the parameters into a
    /// model of the same architecture.
    @Test func savingAndRestoringAModel() throws {
        let directory = try TemporaryDirectory()
        let data = Self.housing
        let model = try compiledWideAndDeep(data)
        let train = try ModelData(inputs: [data.xTrain[.all, ..<5], data.xTrain[.all, 2...]], targets: [data.yTrain, data.yTrain])
        _ = try model.fit(train, epochs: 3, verbosity: .silent)
        let xNew = [SeedExampleData.head(data.xTest[.all, ..<5], 3), SeedExampleData.head(data.xTest[.all, 2...], 3)]

        try model.save(to: directory.file("my_keras_model"))
        #expect(try directory.entries("my_keras_model") == ["config.json", "model.weights.safetensors", "optimizer.safetensors"])
        let loaded = try Model.load(from: directory.file("my_keras_model"))
        let yPred = try loaded.predict(xNew)  // y_pred_main, y_pred_aux
        let expected = try model.predict(xNew)
        #expect(yPred.count == 2)
        #expect(yPred[0] == expected[0] && yPred[1] == expected[1])
        #expect(loaded.optimizer?.iterations == model.optimizer?.iterations)
        // Both continue training identically.
        let more = try loaded.fit(train, epochs: 1, verbosity: .silent, shuffle: false)
        let moreOriginal = try model.fit(train, epochs: 1, verbosity: .silent, shuffle: false)
        #expect(more.last("loss") == moreOriginal.last("loss"))

        // model.save_weights("my_weights"); model.load_weights("my_weights")
        try model.saveWeights(to: directory.file("my_weights.weights.safetensors"))
        let fresh = try compiledWideAndDeep(data)
        #expect(try fresh.predict(xNew)[0] != model.predict(xNew)[0])
        try fresh.loadWeights(from: directory.file("my_weights.weights.safetensors"))
        let restored = try fresh.predict(xNew)
        let original = try model.predict(xNew)
        #expect(restored[0] == original[0] && restored[1] == original[1])
    }

    // MARK: - Using callbacks

    /// `ModelCheckpoint("my_checkpoints", save_weights_only=True)` saves at every epoch's end;
    /// with `save_best_only=True` and `EarlyStopping(patience=10, restore_best_weights=True)`, training
    /// stops once the validation loss has not improved for 10 epochs, the model ends with its best
    /// weights, and the checkpoint on disk is that best model.
    @Test func checkpointAndEarlyStoppingCallbacks() throws {
        let directory = try TemporaryDirectory()
        let data = Self.housing
        try GlobalRandom.withSeed(42) {
            // Few training rows and a big learning rate: the validation loss soon stops improving.
            let (xTrain, yTrain) = (SeedExampleData.head(data.xTrain, 40), SeedExampleData.head(data.yTrain, 40))
            let model = Sequential([Input(shape: [8]), Dense(units: 64, activation: .relu), Dense(units: 64, activation: .relu), Dense(units: 1)])
            try model.compile(optimizer: try Adam(learningRate: 0.01), loss: Losses.MeanSquaredError())

            let everyEpoch = try ModelCheckpoint(filepath: directory.file("my_checkpoints.weights"), saveWeightsOnly: true)
            _ = try model.fit(xTrain, yTrain, epochs: 2, verbosity: .silent, callbacks: [everyEpoch])
            #expect(everyEpoch.savedPaths == [directory.file("my_checkpoints.weights"), directory.file("my_checkpoints.weights")])
            #expect(FileManager.default.fileExists(atPath: directory.file("my_checkpoints.weights")))

            let checkpointCallback = try ModelCheckpoint(filepath: directory.file("my_checkpoints"), saveBestOnly: true)
            let earlyStoppingCallback = EarlyStopping(patience: 10, restoreBestWeights: true)
            let history = try model.fit(xTrain, yTrain, epochs: 100, verbosity: .silent,
                                        callbacks: [checkpointCallback, earlyStoppingCallback],
                                        validationData: (data.xValid, data.yValid))
            let validationLosses = try #require(history.values["val_loss"])
            let best = try #require(validationLosses.min())
            #expect(validationLosses.count < 100)
            #expect(earlyStoppingCallback.stoppedEpoch == validationLosses.count - 1)
            #expect(earlyStoppingCallback.bestEpoch == validationLosses.count - 11)
            #expect(validationLosses[earlyStoppingCallback.bestEpoch] == best)
            // The best weights are back in the model, and in the checkpoint.
            let restored = try #require(try model.evaluate(data.xValid, data.yValid, verbosity: .silent)["loss"])
            #expect(Swift.abs(restored - best) < 1e-5 * Swift.max(1, best))
            let checkpoint = try Model.load(from: directory.file("my_checkpoints"))
            #expect(try checkpoint.predict(data.xValid) == model.predict(data.xValid))
            // One save per improvement of the validation loss.
            let runningBests = Set(validationLosses.indices.map { validationLosses[...$0].min() ?? 0 })
            #expect(checkpointCallback.savedPaths.count == runningBests.count)
        }
    }

    /// `PrintValTrainRatioCallback`: a custom callback reading `val_loss` and `loss` at each epoch's
    /// end.
    @Test func customCallbackPrintsTheValidationTrainingRatio() throws {
        let data = Self.housing
        let model = Sequential([Dense(units: 16, activation: .relu), Dense(units: 1)])
        try model.compile(optimizer: try Adam(learningRate: 0.01), loss: Losses.MeanSquaredError())
        let callback = PrintValTrainRatioCallback()
        let history = try model.fit(data.xTrain, data.yTrain, epochs: 3, verbosity: .silent, callbacks: [callback],
                                    validationData: (data.xValid, data.yValid))
        #expect(callback.lines.count == 3)
        for epoch in 0..<3 {
            let ratio = history.values["val_loss"]![epoch] / history.values["loss"]![epoch]
            #expect(callback.lines[epoch] == "Epoch=\(epoch), val/train=\(String(format: "%.2f", ratio))")
        }
    }

    /// The hooks a callback can implement, for `fit` (train, epoch and batch, and test for the
    /// validation pass), `evaluate` (test) and `predict`, in the order Keras calls them.
    @Test func callbackHooksDuringFitEvaluateAndPredict() throws {
        let data = Self.housing
        let x = SeedExampleData.head(data.xTrain, 40), y = SeedExampleData.head(data.yTrain, 40)
        let model = Sequential([Dense(units: 1)])
        try model.compile(optimizer: try SGD(), loss: Losses.MeanSquaredError())
        let recorder = HookRecorder()
        _ = try model.fit(x, y, batchSize: 32, epochs: 2, verbosity: .silent, callbacks: [recorder])
        #expect(recorder.events == [
            "train_begin",
            "epoch_begin 0", "batch_begin 0", "batch_end 0 loss", "batch_begin 1", "batch_end 1 loss", "epoch_end 0 loss",
            "epoch_begin 1", "batch_begin 0", "batch_end 0 loss", "batch_begin 1", "batch_end 1 loss", "epoch_end 1 loss",
            "train_end",
        ])
        #expect(recorder.model === model)
        // With validation data, the validation pass calls the test hooks before each epoch's end.
        recorder.events = []
        _ = try model.fit(x, y, batchSize: 32, epochs: 1, verbosity: .silent, callbacks: [recorder], validationData: (x, y))
        #expect(recorder.events == [
            "train_begin",
            "epoch_begin 0", "batch_begin 0", "batch_end 0 loss", "batch_begin 1", "batch_end 1 loss",
            "test_begin", "test_batch_begin 0", "test_batch_end 0", "test_batch_begin 1", "test_batch_end 1", "test_end loss",
            "epoch_end 0 loss",
            "train_end",
        ])
        recorder.events = []
        _ = try model.evaluate(x, y, batchSize: 32, verbosity: .silent, callbacks: [recorder])
        #expect(recorder.events == ["test_begin", "test_batch_begin 0", "test_batch_end 0", "test_batch_begin 1", "test_batch_end 1", "test_end loss"])
        recorder.events = []
        _ = try model.predict([x], batchSize: 32, callbacks: [recorder])
        #expect(recorder.events == ["predict_begin", "predict_batch_begin 0", "predict_batch_end 0", "predict_batch_begin 1", "predict_batch_end 1", "predict_end"])
    }
}

// MARK: - The seed's classes

/// The subclassed Wide & Deep model; adapt its `Normalization` layers before training.
private final class WideAndDeepModel: Model {
    let normLayerWide: Normalization
    let normLayerDeep: Normalization
    let hidden1: Dense
    let hidden2: Dense
    let mainOutput: Dense
    let auxOutput: Dense

    init(units: Int = 30, activation: Activation = .relu, name: String? = nil) {
        normLayerWide = Normalization()
        normLayerDeep = Normalization()
        hidden1 = Dense(units: units, activation: activation)
        hidden2 = Dense(units: units, activation: activation)
        mainOutput = Dense(units: 1)
        auxOutput = Dense(units: 1)
        super.init(name: name)  // needed to support naming the model
    }

    /// Two outputs: Swift's multi-output forward pass is `callOutputs`.
    override func callOutputs(_ inputs: [Tensor], training: Bool) throws -> [Tensor] {
        guard inputs.count == 2 else { throw LayerError.wrongInputCount(layer: name, expected: "2", got: inputs.count) }
        let (inputWide, inputDeep) = (inputs[0], inputs[1])
        let normWide = try normLayerWide(inputWide)
        let normDeep = try normLayerDeep(inputDeep)
        let hidden1 = try self.hidden1(normDeep)
        let hidden2 = try self.hidden2(hidden1)
        let concat = Tensor(concatenating: [normWide, hidden2], alongAxis: -1)  // tf.keras.layers.concatenate
        let output = try mainOutput(concat)
        let auxOutput = try self.auxOutput(hidden2)
        return [output, auxOutput]
    }
}

/// Prints (here: records) the ratio of the validation loss to the training loss after each epoch.
private final class PrintValTrainRatioCallback: Callback {
    private(set) var lines: [String] = []

    override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
        guard let valLoss = logs["val_loss"], let loss = logs["loss"] else { return }
        let ratio = valLoss / loss
        lines.append("Epoch=\(epoch), val/train=\(String(format: "%.2f", ratio))")  // print(...) in the seed
    }
}

/// Records every hook it receives.
private final class HookRecorder: Callback {
    var events: [String] = []
    private func note(_ event: String, _ logs: Logs) { events.append(logs["loss"] == nil ? event : event + " loss") }

    override func onTrainBegin(logs: Logs) throws { events.append("train_begin") }
    override func onTrainEnd(logs: Logs) throws { events.append("train_end") }
    override func onEpochBegin(_ epoch: Int, logs: Logs) throws { events.append("epoch_begin \(epoch)") }
    override func onEpochEnd(_ epoch: Int, logs: Logs) throws { note("epoch_end \(epoch)", logs) }
    override func onTrainBatchBegin(_ batch: Int, logs: Logs) throws { events.append("batch_begin \(batch)") }
    override func onTrainBatchEnd(_ batch: Int, logs: Logs) throws { note("batch_end \(batch)", logs) }
    override func onTestBegin(logs: Logs) throws { events.append("test_begin") }
    override func onTestEnd(logs: Logs) throws { note("test_end", logs) }
    override func onTestBatchBegin(_ batch: Int, logs: Logs) throws { events.append("test_batch_begin \(batch)") }
    override func onTestBatchEnd(_ batch: Int, logs: Logs) throws { events.append("test_batch_end \(batch)") }
    override func onPredictBegin(logs: Logs) throws { events.append("predict_begin") }
    override func onPredictEnd(logs: Logs) throws { events.append("predict_end") }
    override func onPredictBatchBegin(_ batch: Int, logs: Logs) throws { events.append("predict_batch_begin \(batch)") }
    override func onPredictBatchEnd(_ batch: Int, logs: Logs) throws { events.append("predict_batch_end \(batch)") }
}
