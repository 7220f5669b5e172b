import Foundation
import Neural
import ReferenceWorkloads
import Testing
import TunerKit
import Tuning

/// Seed 002's three searches end to end on a slice of Fashion-MNIST (Debian's `dataset-fashion-mnist`,
/// which `make test` installs): each runs, its best model comes back from its checkpoint with the score
/// of its best epoch, and the same seed gives the same study.
@Suite(.serialized) struct BookTuningTests {
    static let data: (x: Tensor, y: Tensor, xValid: Tensor, yValid: Tensor)? = {
        guard let full = BookData.split else { return nil }
        // 2,000 images to train on, 1,000 of the book's validation images to validate on.
        return (full.x[..<2_000], full.y[..<2_000], full.xValid[..<1_000], full.yValid[..<1_000])
    }()

    final class Directory {
        let path: String
        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("book-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    func search(_ tuner: Tuner, epochs: Int, callbacks: @escaping @Sendable () -> [Callback] = { [] }) throws -> StudySnapshot {
        let data = try #require(Self.data, "Fashion-MNIST is missing: install Debian's dataset-fashion-mnist (make deps)")
        try tuner.search(data.x, data.y, epochs: epochs, validationData: (data.xValid, data.yValid), callbacks: callbacks)
        let results = try tuner.oracle
        let best = try #require(results.bestTrial)
        let model = try #require(try tuner.bestModels(1).first)
        var xValid = data.xValid
        if best.hyperparameters["normalize"] == .bool(true) {
            // The book's hypermodel standardizes in `fit`, outside the model: do the same here.
            let normalization = Normalization(axis: nil)
            try normalization.adapt(data.x)
            xValid = try normalization(xValid)
        }
        let logs = try model.evaluate(xValid, data.yValid, verbosity: .silent)
        #expect(abs(Double(try #require(logs["accuracy"])) - (best.score ?? 0)) < 1e-6)
        return results
    }

    @Test func randomSearchAsTheBookWritesIt() throws {
        let directory = try Directory()
        func run() throws -> (Tuner, StudySnapshot) {
            let tuner = try Tuner(oracle: .randomSearch(maxTrials: 3), objective: "val_accuracy", study: "my_rnd_search",
                                  storage: directory.path + "/my_fashion_mnist.sqlite", seed: 42, overwrite: true,
                                  options: SearchOptions(verbosity: .silent), build: BookTuning.buildModel)
            return (tuner, try search(tuner, epochs: 2))
        }
        // OpenBLAS's numbers depend on its thread count, which a parallel search elsewhere in this test
        // process sets to 1 while it runs: both runs hold one count throughout.
        let first = try BLAS.withThreadCount(1) { try run() }.1
        #expect(first.trials.count == 3)
        #expect(first.trials.allSatisfy { $0.state == .complete })
        #expect((first.bestTrial?.score ?? 0) > 0.6)
        let hp = try #require(first.bestTrial).hyperparameters
        #expect(Set(hp.keys) == ["n_hidden", "n_neurons", "learning_rate", "optimizer"])
        // The same seed again (overwrite) gives the same trials and the same scores.
        let (randomSearchTuner, second) = try BLAS.withThreadCount(1) { try run() }
        #expect(second.trials.map(\.hyperparameters) == first.trials.map(\.hyperparameters))
        #expect(second.trials.map(\.score) == first.trials.map(\.score))

        // best_trial = random_search_tuner.oracle.get_best_trials(num_trials=1)[0]
        // best_trial.metrics.get_last_value("val_accuracy"): the last epoch's value, as recorded.
        let bestTrial = try #require(try randomSearchTuner.oracle.bestTrials(1).first)
        let lastValidationAccuracy = try #require(bestTrial.metrics.lastValue("val_accuracy"))
        #expect(lastValidationAccuracy == bestTrial.metrics.values("val_accuracy").last)
        #expect(bestTrial.metrics.values("val_accuracy").count == 2)
        // The score is the best epoch's value (Keras Tuner's too), the last one when it is also the best.
        #expect(bestTrial.score == bestTrial.metrics.bestValue("val_accuracy", maximize: true))
        #expect(lastValidationAccuracy <= (bestTrial.score ?? 0))

        // best_model.fit(X_train_full, y_train_full, epochs=10)
        // test_loss, test_accuracy = best_model.evaluate(X_test, y_test)
        // Here "full" is this test's training and validation images (3,000), 2 epochs, and the test
        // set the first 1,000 images of Fashion-MNIST's test split.
        let data = try #require(Self.data)
        let test = try #require(BookData.testImages)
        let (xTest, yTest) = (test.x[..<1_000], test.y[..<1_000])
        let xTrainFull = Tensor(concatenating: [data.x, data.xValid], alongAxis: 0)
        let yTrainFull = Tensor(concatenating: [data.y, data.yValid], alongAxis: 0)
        let bestModel = try #require(try randomSearchTuner.bestModels(1).first)
        let testAccuracyBefore = try #require(try bestModel.evaluate(xTest, yTest, verbosity: .silent)["accuracy"])
        let history = try BLAS.withThreadCount(1) {
            try GlobalRandom.withSeed(42) { try bestModel.fit(xTrainFull, yTrainFull, epochs: 2, verbosity: .silent) }
        }
        #expect(history.values["loss"]?.count == 2)
        let testLogs = try bestModel.evaluate(xTest, yTest, verbosity: .silent)
        let (testLoss, testAccuracy) = (try #require(testLogs["loss"]), try #require(testLogs["accuracy"]))
        // The evaluated values are the test set's cross-entropy and accuracy, computed here from the
        // predicted probabilities.
        let probabilities = try bestModel.predict(xTest).scalars
        var crossEntropy: Double = 0
        var correct = 0
        for (row, label) in yTest.scalars.enumerated() {
            let classProbabilities = Array(probabilities[(row * 10)..<(row * 10 + 10)])
            let trueClass = Int(label)
            let probability: Float = Swift.max(classProbabilities[trueClass], 1e-7)
            crossEntropy -= log(Double(probability))
            let largest: Float = classProbabilities.max() ?? 0
            if classProbabilities.firstIndex(of: largest) == trueClass { correct += 1 }
        }
        #expect(abs(Double(testLoss) - crossEntropy / 1_000) < 1e-4)
        #expect(testAccuracy == Float(correct) / 1_000)
        // More training on more images: the tuned model does at least as well on images it never saw.
        #expect(testAccuracy > 0.6 && testAccuracy >= testAccuracyBefore - 0.01, "\(testAccuracyBefore) then \(testAccuracy)")
    }

    @Test func hyperbandWithTheNormalizingHyperModelAndEarlyStopping() throws {
        let directory = try Directory()
        let tuner = try Tuner(hyperModel: BookTuning.ClassificationHyperModel(), oracle: .hyperband(maxEpochs: 3, factor: 3),
                              objective: "val_accuracy", study: "hyperband", storage: directory.path + "/hb.sqlite", seed: 42,
                              overwrite: true, options: SearchOptions(verbosity: .silent))
        let results = try search(tuner, epochs: 3) { [EarlyStopping(patience: 2)] }
        #expect(results.trials.count >= 4)
        #expect(results.trials.contains { $0.hyperband?.parentTrialID != nil })
        #expect(results.trials.allSatisfy { $0.hyperparameters["normalize"] != nil })
        #expect(results.trials.allSatisfy { $0.state == .complete })
    }

    @Test func bayesianOptimizationWithTheBooksArguments() throws {
        let directory = try Directory()
        let tuner = try Tuner(hyperModel: BookTuning.ClassificationHyperModel(),
                              oracle: .bayesian(maxTrials: 4, numInitialPoints: 2, alpha: 1e-4, beta: 2.6),
                              objective: "val_accuracy", study: "bayesian_opt", storage: directory.path + "/bo.sqlite", seed: 42,
                              overwrite: true, options: SearchOptions(verbosity: .silent))
        let results = try search(tuner, epochs: 2)
        #expect(results.trials.count == 4)
        #expect(results.study.oracleKind == "bayesian")
        // The book's alpha and beta reached the oracle: in the study's stored configuration, and in the
        // state of the oracle that ran the search (restored as a worker or a resumed search does).
        let configuration = try #require(results.study.oracleConfiguration.objectValue)
        #expect(configuration["alpha"]?.doubleValue == 1e-4)
        #expect(configuration["beta"]?.doubleValue == 2.6)
        let strategy = try Self.storedBayesianStrategy(results)
        #expect(strategy.alpha == 1e-4 && strategy.beta == 2.6)
        #expect(strategy.numInitialPoints == 2)
    }

    /// The book's values are Keras Tuner's defaults, so they would be there even if the arguments were
    /// dropped on the way: other values, on a one-trial search, show they are not.
    @Test func bayesianArgumentsOtherThanTheDefaultsReachTheOracle() throws {
        let directory = try Directory()
        let data = try #require(Self.data, "Fashion-MNIST is missing: install Debian's dataset-fashion-mnist (make deps)")
        let tuner = try Tuner(hyperModel: BookTuning.ClassificationHyperModel(),
                              oracle: .bayesian(maxTrials: 1, numInitialPoints: 1, alpha: 3e-3, beta: 1.7),
                              objective: "val_accuracy", study: "bayesian_opt", storage: directory.path + "/bo.sqlite", seed: 42,
                              overwrite: true, options: SearchOptions(verbosity: .silent))
        try tuner.search(data.x[..<200], data.y[..<200], epochs: 1, validationData: (data.xValid[..<100], data.yValid[..<100]))
        let results = try tuner.oracle
        let configuration = try #require(results.study.oracleConfiguration.objectValue)
        #expect(configuration["alpha"]?.doubleValue == 3e-3)
        #expect(configuration["beta"]?.doubleValue == 1.7)
        let strategy = try Self.storedBayesianStrategy(results)
        #expect(strategy.alpha == 3e-3 && strategy.beta == 1.7)
    }

    /// The Bayesian strategy (with its `alpha` and `beta`) of the oracle state a search stored.
    static func storedBayesianStrategy(_ results: StudySnapshot) throws -> BayesianOptimizationStrategy {
        let state = try #require(results.oracleState)
        let oracle = try OracleSettings.restoreOracle(kind: .bayesian, core: state.core, trials: state.orderedTrials)
        return try #require(oracle as? BayesianOptimizationOracle).state.strategy
    }
}
