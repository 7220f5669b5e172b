import Foundation
import Neural
import StudyStore
import TensorBoard
import Testing
import TestSupport
import TunerKit
import Tuning

/// Swift twins of seed 002's (Géron ch. 10) TensorBoard examples, read back by TensorBoard itself:
/// the Fashion-MNIST classifier trained with `keras.callbacks.TensorBoard(run_logdir)` (here
/// ``TensorBoardCallback``, on small Fashion-MNIST-shaped data), and the Keras Tuner search whose trials
/// TensorBoard's HParams dashboard shows (`Tuner(..., tensorBoard:)`). The seed's file-writer example
/// (`tf.summary.create_file_writer` with scalars, histograms, images and text) is TensorBoardReadTests'.
@Suite("Seed 002 TensorBoard twins", .serialized, .timeLimit(.minutes(5)))
struct Chapter10TensorBoardSeedTests {
    /// `get_run_logdir()`: `my_logs/run_%Y_%m_%d_%H_%M_%S`.
    static func runLogDir(root: String, date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "'run_'yyyy_MM_dd_HH_mm_ss"
        return URL(fileURLWithPath: root).appendingPathComponent(formatter.string(from: date)).path
    }

    static func classifier() throws -> Sequential {
        let model = Sequential([
            Flatten(inputShape: [28, 28]),
            Dense(units: 300, activation: .relu),
            Dense(units: 100, activation: .relu),
            Dense(units: 10, activation: .softmax()),
        ])
        try model.compile(optimizer: "sgd", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
        return model
    }

    @Test func theClassifierTrainedWithTheCallbackIsReadByTensorBoard() async throws {
        let directory = try TemporaryDirectory("tensorboard-seed")
        let (x, y) = FashionLikeData.make(count: 240, seed: 3)
        let (xValid, yValid) = FashionLikeData.make(count: 60, seed: 4)
        let runLogDir = Self.runLogDir(root: directory.path("my_logs"))
        let model = try Self.classifier()
        let tensorBoard = try TensorBoardCallback(logDir: runLogDir, histogramFreq: 1, updateFreq: .batch(4), writeImages: true)
        let history = try model.fit(x, y, batchSize: 32, epochs: 3, verbosity: .silent, callbacks: [tensorBoard],
                                    validationData: (xValid, yValid))

        // train/: the epoch metrics and the learning rate at steps 0, 1, 2, as History has them.
        let train = try await TensorBoardReadTests.read(runLogDir + "/train")
        let trainScalars = try #require(train["scalars"] as? [String: [[String: Any]]])
        func values(_ series: [[String: Any]]?) -> [Double] { (series ?? []).compactMap { ($0["value"] as? String).flatMap(Double.init) } }
        func steps(_ series: [[String: Any]]?) -> [Int] { (series ?? []).compactMap { $0["step"] as? Int } }
        for name in ["loss", "accuracy"] {
            #expect(steps(trainScalars["epoch_\(name)"]) == [0, 1, 2], "\(name)")
            #expect(values(trainScalars["epoch_\(name)"]) == (history.values[name] ?? []).map(Double.init), "\(name)")
        }
        #expect(values(trainScalars["epoch_learning_rate"]) == [0.01, 0.01, 0.01].map { Double(Float($0)) })
        // Batch updates every 4th of the 8 batches an epoch: global batches 4, 8, ..., 24.
        #expect(steps(trainScalars["batch_loss"]) == [4, 8, 12, 16, 20, 24])
        #expect(steps(trainScalars["batch_accuracy"]) == [4, 8, 12, 16, 20, 24])

        // Histograms of every weight at every epoch, under Keras's `<weight>/histogram` tags.
        let histograms = try #require(train["histograms"] as? [String: [[String: Any]]])
        let weightNames = model.weights.map(\.name)
        #expect(Set(histograms.keys) == Set(weightNames.map { "\($0)/histogram" }), "\(histograms.keys.sorted())")
        for name in weightNames {
            #expect(steps(histograms["\(name)/histogram"]) == [0, 1, 2], "\(name)")
        }
        // The last histogram of the last layer's kernel counts all its values, between their minimum and maximum.
        let lastKernel = try #require(model.weights.first { $0.name.hasSuffix("kernel") && $0.shape == [100, 10] })
        let last = try #require(histograms["\(lastKernel.name)/histogram"]?.last)
        #expect((last["num"] as? String).flatMap(Double.init) == 1000)
        #expect((last["min"] as? String).flatMap(Double.init) == Double(lastKernel.value.scalars.min() ?? .nan))
        #expect((last["max"] as? String).flatMap(Double.init) == Double(lastKernel.value.scalars.max() ?? .nan))
        // Images: biases as one row, 2-D kernels laid out wide (a 784 × 300 kernel is drawn 784 wide, 300 high).
        let images = try #require(train["images"] as? [String: [[String: Any]]])
        let firstKernel = try #require(model.weights.first { $0.shape == [784, 300] })
        let firstImage = try #require(images["\(firstKernel.name)/image"]?.last)
        #expect(firstImage["width"] as? Int == 784 && firstImage["height"] as? Int == 300)
        let bias = try #require(model.weights.first { $0.shape == [10] })
        #expect(images["\(bias.name)/image"]?.last?["width"] as? Int == 10)

        // validation/: the val_ metrics without their prefix, and Keras's evaluation_*_vs_iterations.
        let validation = try await TensorBoardReadTests.read(runLogDir + "/validation")
        let validationScalars = try #require(validation["scalars"] as? [String: [[String: Any]]])
        #expect(values(validationScalars["epoch_loss"]) == (history.values["val_loss"] ?? []).map(Double.init))
        #expect(values(validationScalars["epoch_accuracy"]) == (history.values["val_accuracy"] ?? []).map(Double.init))
        #expect(steps(validationScalars["evaluation_loss_vs_iterations"]) == [8, 16, 24])
        #expect(validationScalars["epoch_learning_rate"] == nil)
    }

    @Test func theCallbackRefusesArgumentsOutOfRange() {
        #expect(throws: TensorBoardCallbackError.self) { try TensorBoardCallback(logDir: "") }
        #expect(throws: TensorBoardCallbackError.self) { try TensorBoardCallback(logDir: "logs", histogramFreq: -1) }
        #expect(throws: TensorBoardCallbackError.self) { try TensorBoardCallback(logDir: "logs", updateFreq: .batch(0)) }
    }

    /// The seed's Keras Tuner search (`RandomSearch(build_model, objective="val_accuracy", ...)`) with the
    /// trials logged for TensorBoard's HParams dashboard.
    @Test func aTunerSearchShowsUpInTheHParamsDashboard() async throws {
        let directory = try TemporaryDirectory("tensorboard-seed-search")
        let (x, y) = FashionLikeData.make(count: 200, seed: 5)
        let (xValid, yValid) = FashionLikeData.make(count: 50, seed: 6)
        let logs = directory.path("my_fashion_mnist/tensorboard")
        let tuner = try Tuner(
            oracle: .randomSearch(maxTrials: 3), objective: "val_accuracy", study: "my_rnd_search",
            storage: directory.file("my_fashion_mnist.sqlite"), seed: 42, overwrite: true,
            options: SearchOptions(parallelTrials: 1, verbosity: .silent), tensorBoard: logs
        ) { hp in
            let nHidden = try hp.int("n_hidden", min: 0, max: 2, default: 1)
            let nNeurons = try hp.int("n_neurons", min: 16, max: 64)
            let learningRate = try hp.float("learning_rate", min: 1e-4, max: 1e-1, sampling: .log)
            let optimizer = try hp.choice("optimizer", values: ["sgd", "adam"])
            let model = Sequential([Flatten(inputShape: [28, 28])])
            for _ in 0..<nHidden { model.add(Dense(units: nNeurons, activation: .relu)) }
            model.add(Dense(units: 10, activation: .softmax()))
            let rate = LearningRate.constant(Float(learningRate))
            let chosen: Optimizer = optimizer == "sgd" ? try SGD(learningRate: rate) : try Adam(learningRate: rate)
            try model.compile(optimizer: chosen, loss: Losses.SparseCategoricalCrossentropy(), metrics: ["accuracy"])
            return model
        }
        try tuner.search(x, y, epochs: 2, validationData: (xValid, yValid))
        let stored = try tuner.oracle

        let log = try await TensorBoardScripts.hparams(logs, serve: true)
        let infos = (log.experiment["hparamInfos"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(Set(infos) == ["n_hidden", "n_neurons", "learning_rate", "optimizer"])
        for trial in stored.trials {
            let run = "trial_\(trial.number)"
            let values = log.sessionStart(run)["hparams"] as? [String: Any] ?? [:]
            #expect(values["optimizer"] as? String == trial.hyperparameters["optimizer"]?.stringValue, "\(run)")
            #expect(log.sessionEnd(run)["status"] as? String == "STATUS_SUCCESS", "\(run)")
            let accuracy: [(step: Int, value: Double)] = log.scalars("\(run)/validation", "epoch_accuracy")
            #expect(accuracy.map { $0.step } == [0, 1], "\(run)")
            let stored: [Double] = (trial.metrics["val_accuracy"] ?? []).map { Double(Float($0.value)) }
            #expect(accuracy.map { $0.value } == stored, "\(run)")
            let score = Double(Float(trial.score ?? .nan))
            #expect(log.scalars(run, "score").map { $0.value } == [score], "\(run)")
        }
        let groups = (log.http["session_groups"] as? [String: Any])?["sessionGroups"] as? [[String: Any]] ?? []
        #expect(Set(groups.compactMap { $0["name"] as? String }) == Set(stored.trials.map { "trial_\($0.number)" }))
    }
}
