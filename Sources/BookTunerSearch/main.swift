// Seed 002's Keras Tuner searches on Fashion-MNIST, in Swift:
//
//   random_search_tuner = kt.RandomSearch(build_model, objective="val_accuracy", max_trials=5,
//       overwrite=True, directory="my_fashion_mnist", project_name="my_rnd_search", seed=42)
//   random_search_tuner.search(X_train, y_train, epochs=10, validation_data=(X_valid, y_valid))
//
//   hyperband_tuner = kt.Hyperband(MyClassificationHyperModel(), objective="val_accuracy", seed=42,
//       max_epochs=10, factor=3, hyperband_iterations=2, overwrite=True, ...)
//   hyperband_tuner.search(..., callbacks=[EarlyStopping(patience=2)])
//
//   bayesian_opt_tuner = kt.BayesianOptimization(MyClassificationHyperModel(), objective="val_accuracy",
//       seed=42, max_trials=10, alpha=1e-4, beta=2.6, overwrite=True, ...)
//
// `tpe` runs the same hypermodel under Optuna's default sampler (TPE), for comparison.
//
// Usage: book-tuner-search [random|hyperband|bayesian|tpe] [--trials N] [--epochs N] [--train N]
//                          [--parallel N] [--seed N] [--storage PATH]
import Foundation
import Neural
import ReferenceWorkloads
import TunerKit
import Tuning

struct UsageError: Error, CustomStringConvertible {
    let description: String
}

func option(_ name: String, default value: Int) throws -> Int {
    guard let index = CommandLine.arguments.firstIndex(of: name) else { return value }
    guard index + 1 < CommandLine.arguments.count, let parsed = Int(CommandLine.arguments[index + 1]), parsed > 0 else {
        throw UsageError(description: "\(name) needs a positive integer")
    }
    return parsed
}

func stringOption(_ name: String, default value: String) throws -> String {
    guard let index = CommandLine.arguments.firstIndex(of: name) else { return value }
    guard index + 1 < CommandLine.arguments.count else { throw UsageError(description: "\(name) needs a value") }
    return CommandLine.arguments[index + 1]
}

func run() throws {
    let kind = CommandLine.arguments.dropFirst().first.flatMap { $0.hasPrefix("--") ? nil : $0 } ?? "random"
    let seed = UInt64(try option("--seed", default: 42))
    let epochs = try option("--epochs", default: 10)
    let train = try option("--train", default: 55_000)
    let parallel = try option("--parallel", default: SearchOptions.defaultParallelTrials)
    let storage = try stringOption("--storage", default: "my_fashion_mnist.sqlite")
    BLAS.setThreadCount(1)

    let data = try BookTuning.fashionMNIST(trainCount: train)
    let options = SearchOptions(parallelTrials: parallel, verbosity: .trials)
    let tuner: Tuner
    var callbacks: @Sendable () -> [Callback] = { [] }
    switch kind {
    case "random":
        tuner = try Tuner(oracle: .randomSearch(maxTrials: try option("--trials", default: 5)), objective: "val_accuracy",
                          study: "my_rnd_search", storage: storage, seed: seed, overwrite: true, options: options,
                          build: BookTuning.buildModel)
    case "hyperband":
        tuner = try Tuner(hyperModel: BookTuning.ClassificationHyperModel(),
                          oracle: .hyperband(maxEpochs: epochs, factor: 3, iterations: 2), objective: "val_accuracy",
                          study: "hyperband", storage: storage, seed: seed, overwrite: true, options: options)
        callbacks = { [EarlyStopping(patience: 2)] }
    case "bayesian":
        tuner = try Tuner(hyperModel: BookTuning.ClassificationHyperModel(),
                          oracle: .bayesian(maxTrials: try option("--trials", default: 10), alpha: 1e-4, beta: 2.6),
                          objective: "val_accuracy", study: "bayesian_opt", storage: storage, seed: seed, overwrite: true,
                          options: options)
    case "tpe":
        tuner = try Tuner(hyperModel: BookTuning.ClassificationHyperModel(),
                          oracle: .tpe(maxTrials: try option("--trials", default: 10)),
                          objective: "val_accuracy", study: "tpe", storage: storage, seed: seed, overwrite: true,
                          options: options)
    default:
        throw UsageError(description: "unknown search \"\(kind)\"; use random, hyperband, bayesian or tpe")
    }
    print(try tuner.searchSpaceSummary())
    let started = Date()
    try tuner.search(data.x, data.y, epochs: epochs, validationData: (data.xValid, data.yValid), callbacks: callbacks)
    let wall = Date().timeIntervalSince(started)
    print("")
    print(try tuner.resultsSummary(3))
    let best = try tuner.oracle.bestTrial
    let bestModel = try tuner.bestModels(1)[0]
    // The hypermodel standardizes the inputs in `fit`, outside the model (as the book's does), so the
    // reloaded model is evaluated on validation images standardized the same way when its trial did.
    var validationImages = data.xValid
    if let best = try tuner.bestHyperparameters(1).first, try best.boolean("normalize") {
        let normalization = Normalization(axis: nil)
        try normalization.adapt(data.x)
        validationImages = try normalization(data.xValid)
    }
    let logs = try bestModel.evaluate(validationImages, data.yValid, verbosity: .silent)
    print("")
    print("best trial: \(best?.number ?? 0), val_accuracy \(best?.score.map { String(format: "%.4f", $0) } ?? "-")"
          + " (reloaded best model: \(String(format: "%.4f", Double(logs["accuracy"] ?? .nan))))")
    print("search wall time: \(String(format: "%.1f", wall)) s")
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("book-tuner-search: \(error)\n".utf8))
    exit(1)
}
