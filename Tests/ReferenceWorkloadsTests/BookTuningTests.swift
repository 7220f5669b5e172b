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
        guard let full = try? BookTuning.fashionMNIST(trainCount: 2_000, validationCount: 5_000) else { return nil }
        // 2,000 images to train on, 1,000 of the book's validation images to validate on.
        return (full.x, full.y, full.xValid[..<1_000], full.yValid[..<1_000])
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
        func run() throws -> StudySnapshot {
            let tuner = try Tuner(oracle: .randomSearch(maxTrials: 3), objective: "val_accuracy", study: "my_rnd_search",
                                  storage: directory.path + "/my_fashion_mnist.sqlite", seed: 42, overwrite: true,
                                  options: SearchOptions(verbosity: .silent), build: BookTuning.buildModel)
            return try search(tuner, epochs: 2)
        }
        // OpenBLAS's numbers depend on its thread count, which a parallel search elsewhere in this test
        // process sets to 1 while it runs: both runs hold one count throughout.
        let first = try BLAS.withThreadCount(1) { try run() }
        #expect(first.trials.count == 3)
        #expect(first.trials.allSatisfy { $0.state == .complete })
        #expect((first.bestTrial?.score ?? 0) > 0.6)
        let hp = try #require(first.bestTrial).hyperparameters
        #expect(Set(hp.keys) == ["n_hidden", "n_neurons", "learning_rate", "optimizer"])
        // The same seed again (overwrite) gives the same trials and the same scores.
        let second = try BLAS.withThreadCount(1) { try run() }
        #expect(second.trials.map(\.hyperparameters) == first.trials.map(\.hyperparameters))
        #expect(second.trials.map(\.score) == first.trials.map(\.score))
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
    }
}
