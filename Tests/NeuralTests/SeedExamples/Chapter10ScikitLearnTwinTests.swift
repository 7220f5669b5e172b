import Foundation
import Neural
import Testing
import TestSupport

/// Swift twins of seed 002's (Géron ch. 10) two scikit-learn examples, built from Keras pieces:
///
/// - `Perceptron(random_state=42)` on iris (petal length and width, setosa or not) is a one-unit
///   `Dense` layer trained by `SGD(learningRate: 1)` one sample at a time on the perceptron loss
///   (scikit-learn's `SGDClassifier(loss="perceptron", learning_rate="constant", eta0=1, penalty=None)`,
///   which the seed says `Perceptron` is), stopped by `EarlyStopping` as scikit-learn stops. Fisher's
///   iris data is embedded (IrisData.swift).
/// - `make_pipeline(StandardScaler(), MLPRegressor(hidden_layer_sizes=[50, 50, 50]))` is an adapted
///   `Normalization` layer, three `Dense(50, relu)` and a `Dense(1)`, trained by Adam on the MSE.
///   California housing cannot be fetched, so `Studies/data/housing.csv` stands in for it: synthetic,
///   with the same eight columns on California housing's scales (`Scripts/make-regression-data.py`).
///
/// docs/keras-api.md shows each scikit-learn snippet beside its twin.
@Suite struct Chapter10ScikitLearnTwinTests {
    // MARK: - The perceptron

    /// scikit-learn's perceptron loss (`Hinge(threshold=0)` in `SGDClassifier`): with the target
    /// `t` in {0, 1} read as `y = 2t - 1` and the output `z`, it is `-y·z` where `y·z <= 0` (a sample
    /// on the wrong side or on the boundary) and 0 elsewhere. Its gradient there is `-y·x` for the
    /// kernel and `-y` for the bias, so one SGD step of rate 1 on one sample adds `y·x` and `y`:
    /// Rosenblatt's rule (Equation 10-3 with η = 1; `y - ŷ` is `±1` exactly when the sample is wrong).
    /// `Tensor.where` rather than `relu(-y·z)` because ReLU's gradient at 0 is 0: from zero weights
    /// every output is 0 and nothing would ever be learned, whereas scikit-learn updates there.
    static let perceptronLoss = ClosureLoss(name: "perceptron") { yTrue, yPred in
        let margin = (yTrue * 2 - 1) * yPred
        return Tensor.where(margin .<= 0, -margin, Tensor(0))
    }

    /// The twin of `Perceptron(random_state=42)`: weights start at zero as scikit-learn's do; the
    /// training data is shuffled each epoch (`shuffle=True`); training stops after 5 epochs whose loss
    /// did not improve by 1e-3 (`n_iter_no_change=5`, `tol=1e-3`), at most 1,000 (`max_iter`).
    static func perceptron() throws -> Sequential {
        let model = Sequential([Dense(units: 1, kernelInitializer: Zeros())])
        try model.compile(optimizer: try SGD(learningRate: 1), loss: perceptronLoss)
        return model
    }

    /// The seed's example: trained on the 150 flowers, the perceptron says the flower with petals of
    /// 2 × 0.5 cm is a setosa and the one with 3 × 1 cm is not (`[True, False]`), and it classifies
    /// every training flower right (setosa is linearly separable from the others in these two features,
    /// so the perceptron convergence theorem applies) — then stops early: the first epoch leaves no
    /// error, five more without improvement end it after 7 (scikit-learn's `n_iter_` is 7 too).
    ///
    /// The prediction depends on the shuffling, as scikit-learn's does on `random_state`: the
    /// perceptron stops at the first line that separates the training flowers, and both new flowers lie
    /// at the edges of the gap between the classes (setosa's petals are at most 1.9 × 0.6 cm, the
    /// others' at least 3.0 × 1.0 cm). Over shuffling seeds 0–39, this twin and scikit-learn 1.9.1's
    /// `Perceptron(random_state=0...39)` alike classify all 150 flowers right every time, and predict
    /// `[True, False]` 29 times out of 40. Seed 42 does so in both (the twin ends at w = (-0.4, -1.1),
    /// b = 2; scikit-learn at w = (-1.4, -2.2), b = 4, its shuffling being its own).
    @Test func perceptronOnIris() throws {
        let X = try #require(IrisData.features(["petal length (cm)", "petal width (cm)"]))
        let y = Tensor(shape: [IrisData.count, 1], scalars: IrisData.target.map { $0 == 0 ? 1 : 0 })  // Iris setosa

        let perClf = try Self.perceptron()
        let earlyStopping = EarlyStopping(monitor: "loss", minDelta: 1e-3, patience: 5)
        // random_state=42: the shuffling order, from a stream of this test's own.
        let history = try GlobalRandom.withSeed(42) {
            try perClf.fit(X, y, batchSize: 1, epochs: 1000, verbosity: .silent, callbacks: [earlyStopping])
        }

        let XNew = Tensor(shape: [2, 2], scalars: [2, 0.5, 3, 1])
        let yPred = (try perClf.predict(XNew) .> 0).scalars.map { $0 != 0 }
        #expect(yPred == [true, false])

        let trainingPredictions = (try perClf.predict(X) .> 0).scalars
        let correct = zip(trainingPredictions, y.scalars).filter { $0 == $1 }.count
        #expect(correct == IrisData.count)
        // No error left after the first epoch, so the loss is 0 from then on, and five epochs without
        // improvement end the training.
        let losses = try #require(history.values["loss"])
        #expect(losses.count == 7)
        #expect(losses.dropFirst().allSatisfy { $0 == 0 })
        let kernel = try #require(perClf.trainableWeights.first), bias = try #require(perClf.trainableWeights.last)
        expectClose(kernel.value, [-0.4, -1.1], shape: [2, 1])
        expectClose(bias.value, [2], shape: [1])
    }

    /// The perceptron loss with SGD of rate 1 is Rosenblatt's rule, step by step: a sample on the
    /// boundary or the wrong side moves the weights by `y·x` (and the bias by `y`), a sample on the
    /// right side moves nothing.
    @Test func perceptronStepIsRosenblattsRule() throws {
        let dense = Dense(inputSize: 2, outputSize: 1)
        let model = Sequential([dense])
        try model.compile(optimizer: try SGD(learningRate: 1), loss: Self.perceptronLoss)
        let kernel = try #require(dense.kernel), bias = try #require(dense.bias)
        kernel.assign(Tensor(shape: [2, 1], scalars: [0.5, -1]))
        bias.assign(Tensor([0]))

        // A setosa (target 1) on the boundary: z = 2·0.5 + 1·(-1) + 0 = 0, so w += x, b += 1.
        _ = try model.fit(Tensor(shape: [1, 2], scalars: [2, 1]), Tensor(shape: [1, 1], scalars: [1]),
                          batchSize: 1, verbosity: .silent, shuffle: false)
        #expect(kernel.value.scalars == [2.5, 0])
        #expect(bias.value.scalars == [1])

        // The same flower is now on the right side (z = 6): nothing moves.
        _ = try model.fit(Tensor(shape: [1, 2], scalars: [2, 1]), Tensor(shape: [1, 1], scalars: [1]),
                          batchSize: 1, verbosity: .silent, shuffle: false)
        #expect(kernel.value.scalars == [2.5, 0])
        #expect(bias.value.scalars == [1])

        // Another flower (target 0) on the wrong side: z = 1·2.5 + 0 + 1 = 3.5 > 0, so w -= x, b -= 1.
        _ = try model.fit(Tensor(shape: [1, 2], scalars: [1, 0]), Tensor(shape: [1, 1], scalars: [0]),
                          batchSize: 1, verbosity: .silent, shuffle: false)
        #expect(kernel.value.scalars == [1.5, 0])
        #expect(bias.value.scalars == [0])
    }

    // MARK: - The regression MLP

    /// The stand-in for `fetch_california_housing()` split as the seed's two `train_test_split` calls
    /// split it (a quarter for test, then a quarter of the rest for validation): the 2,000 rows of the
    /// shipped synthetic table in file order, which are drawn independently, so each block is a random
    /// sample: 1,125 training rows (0..<1125), 375 validation rows (1125..<1500); rows 1500..<2000 are
    /// `X_test`, which the seed's snippet does not use.
    static func housing() throws -> (xTrain: Tensor, yTrain: Tensor, xValid: Tensor, yValid: Tensor) {
        let (features, labels, _) = try CSVTable.load(path: packageRoot + "/Studies/data/housing.csv", labelColumn: "MedHouseVal")
        let rowCount = labels.shape[0]
        let targets = labels.reshaped(to: [rowCount, 1])
        let trainFullCount = rowCount - rowCount / 4, trainCount = trainFullCount - trainFullCount / 4
        return (SeedExampleData.rows(features, 0..<trainCount), SeedExampleData.rows(targets, 0..<trainCount),
                SeedExampleData.rows(features, trainCount..<trainFullCount),
                SeedExampleData.rows(targets, trainCount..<trainFullCount))
    }

    /// The twin of `MLPRegressor(hidden_layer_sizes=[50, 50, 50], random_state=42)` trained for 20
    /// epochs, with a `Normalization` layer adapted to the training data in front when `standardize`
    /// (the pipeline's `StandardScaler()`): ReLU, Adam at scikit-learn's 1e-3, the MSE. Returns the
    /// validation RMSE (`mean_squared_error(y_valid, y_pred, squared=False)`). Unlike `MLPRegressor`
    /// it trains Keras-style, in batches of 32 for a fixed 20 epochs (scikit-learn: batches of 200, up
    /// to 200 epochs until the loss stops improving) and without its small ℓ2 penalty (`alpha=1e-4`).
    static func validationRMSE(standardize: Bool) throws -> Float {
        let (xTrain, yTrain, xValid, yValid) = try housing()
        // random_state=42: the initial weights and the shuffling, from a stream of this test's own.
        return try GlobalRandom.withSeed(42) { () throws -> Float in
            let normalization = Normalization()
            let hiddenAndOutput: [Layer] = [
                Dense(units: 50, activation: .relu),
                Dense(units: 50, activation: .relu),
                Dense(units: 50, activation: .relu),
                Dense(units: 1),
            ]
            let mlpReg = Sequential(standardize ? [normalization] + hiddenAndOutput : hiddenAndOutput)
            try mlpReg.compile(optimizer: try Adam(learningRate: 1e-3), loss: Losses.MeanSquaredError(),
                               metrics: ["root_mean_squared_error"])
            if standardize { try normalization.adapt(xTrain) }
            _ = try mlpReg.fit(xTrain, yTrain, epochs: 20, verbosity: .silent)
            let evaluation = try mlpReg.evaluate(xValid, yValid, verbosity: .silent)
            return try #require(evaluation["root_mean_squared_error"])
        }
    }

    /// The seed's pipeline gets a validation RMSE of about 0.505 on California housing; on the stand-in
    /// the twin gets 0.275 (scikit-learn's own pipeline, on its random split of the same file: 0.248),
    /// where predicting the training mean gets 0.822. Without the standardization the same MLP gets
    /// 0.802: the features' scales differ by three orders of magnitude (population in the thousands,
    /// bedrooms about 1), which is why the seed standardizes. Measured with seeds 1–4 as well, the
    /// twin stayed within 0.263–0.282 and the unstandardized MLP within 0.71–1.03, so the margins
    /// below hold for each of those five seeds, not just by luck of 42.
    @Test func mlpRegressorPipeline() throws {
        let (_, yTrain, _, yValid) = try Self.housing()
        let meanPredictionRMSE = (yValid - yTrain.mean()).squared().mean().scalar.squareRoot()
        #expect(Swift.abs(meanPredictionRMSE - 0.822) < 0.001)

        let rmse = try Self.validationRMSE(standardize: true)
        #expect(rmse < 0.4 * meanPredictionRMSE)
        let rmseWithoutScaler = try Self.validationRMSE(standardize: false)
        #expect(rmseWithoutScaler > 2 * rmse)
    }
}
