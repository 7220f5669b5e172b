import Foundation
import Neural
import StudyStore
import Testing
import TunerKit
import Tuning
import TestSupport

/// The book's tuner workflow end to end on small data: search, best models reloaded, summaries.
@Suite struct TunerSearchTests {
    let data = BlobData()

    func makeTuner(_ directory: TemporaryDirectory, oracle: OracleSettings = .randomSearch(maxTrials: 4), seed: UInt64 = 42,
                   overwrite: Bool = false, options: SearchOptions = SearchOptions(verbosity: .silent),
                   storage: String = "study.sqlite", executions: Int = 1) throws -> Tuner {
        try Tuner(oracle: oracle, objective: "val_accuracy", study: "blobs", storage: directory.path(storage), seed: seed,
                  executionsPerTrial: executions, overwrite: overwrite, options: options, build: buildBlobModel)
    }

    @Test func randomSearchStoresTrialsAndReloadsTheBestModel() throws {
        let directory = try TemporaryDirectory()
        let tuner = try makeTuner(directory)
        #expect(try tuner.searchSpaceSummary().contains("n_neurons"))
        try tuner.search(data.x, data.y, epochs: 4, validationData: (data.xValid, data.yValid))

        let results = try tuner.oracle
        #expect(results.trials.count == 4)
        #expect(results.trials.allSatisfy { $0.state == .complete })
        // Every epoch of every trial is stored.
        #expect(results.trials.allSatisfy { $0.metrics.values("val_accuracy").count == 4 && $0.metrics.values("loss").count == 4 })
        let best = try #require(results.bestTrial)
        // The score is the best epoch's objective, as in Keras Tuner.
        #expect(best.score == best.metrics.bestValue("val_accuracy", maximize: true))
        #expect(best.score ?? 0 > 0.7)

        // The best model comes back with its best epoch's weights: evaluating it gives that epoch's value.
        let model = try #require(try tuner.bestModels(1).first)
        let logs = try model.evaluate(data.xValid, data.yValid, verbosity: .silent)
        let accuracy = try #require(logs["accuracy"])
        #expect(abs(Double(accuracy) - (best.score ?? 0)) < 1e-6)

        let hps = try tuner.bestHyperparameters(2)
        #expect(hps.count == 2)
        #expect(hps[0].values == best.hyperparameters)
        let summary = try tuner.resultsSummary(2)
        #expect(summary.contains("Results summary"))
        #expect(summary.contains("Trial \(best.number) summary"))
        #expect(summary.contains("Score: "))
        #expect(best.summary().contains("n_hidden: "))
    }

    @Test func sameSeedGivesTheSameTrialsAndScores() throws {
        let directory = try TemporaryDirectory()
        func run(_ storage: String) throws -> [(values: [String: HyperParameterValue], score: Double?)] {
            let tuner = try makeTuner(directory, oracle: .randomSearch(maxTrials: 3), storage: storage)
            try tuner.search(data.x, data.y, epochs: 2, validationData: (data.xValid, data.yValid))
            return try tuner.oracle.trials.map { ($0.hyperparameters, $0.score) }
        }
        let first = try run("a.sqlite")
        let second = try run("b.sqlite")
        #expect(first.map(\.values) == second.map(\.values))
        #expect(first.map(\.score) == second.map(\.score))
    }

    @Test func aLargerBudgetResumesWhereTheFirstRunStopped() throws {
        let directory = try TemporaryDirectory()
        let first = try makeTuner(directory, oracle: .randomSearch(maxTrials: 2))
        try first.search(data.x, data.y, epochs: 2, validationData: (data.xValid, data.yValid))
        let before = try first.oracle.trials

        let second = try makeTuner(directory, oracle: .randomSearch(maxTrials: 4))
        try second.search(data.x, data.y, epochs: 2, validationData: (data.xValid, data.yValid))
        let after = try second.oracle.trials
        #expect(after.count == 4)
        #expect(Array(after.prefix(2)) == before)
        #expect(Set(after.map(\.number)) == [1, 2, 3, 4])

        // The same budget again runs nothing more.
        let third = try makeTuner(directory, oracle: .randomSearch(maxTrials: 4))
        try third.search(data.x, data.y, epochs: 2, validationData: (data.xValid, data.yValid))
        #expect(try third.oracle.trials == after)

        // overwrite starts from nothing.
        let fresh = try makeTuner(directory, oracle: .randomSearch(maxTrials: 1), overwrite: true)
        try fresh.search(data.x, data.y, epochs: 1, validationData: (data.xValid, data.yValid))
        #expect(try fresh.oracle.trials.count == 1)
    }

    @Test func resumingADifferentStudyIsRefusedWithWhatDiffers() throws {
        let directory = try TemporaryDirectory()
        let first = try makeTuner(directory, oracle: .randomSearch(maxTrials: 1))
        try first.search(data.x, data.y, epochs: 1, validationData: (data.xValid, data.yValid))

        let changed = try Tuner(oracle: .randomSearch(maxTrials: 2), objective: "val_accuracy", study: "blobs",
                                storage: directory.path("study.sqlite"), seed: 42, options: SearchOptions(verbosity: .silent)) { hp in
            try buildBlobModel(hp, maxNeurons: 64)
        }
        do {
            try changed.search(data.x, data.y, epochs: 1, validationData: (data.xValid, data.yValid))
            Issue.record("an incompatible resume was accepted")
        } catch let error as TunerError {
            let text = error.description
            #expect(text.contains("n_neurons"))
            #expect(text.contains("overwrite"))
        }
        let otherObjective = try Tuner(oracle: .randomSearch(maxTrials: 2), objective: "val_loss", study: "blobs",
                                       storage: directory.path("study.sqlite"), seed: 42,
                                       options: SearchOptions(verbosity: .silent), build: buildBlobModel)
        #expect(throws: TunerError.self) {
            try otherObjective.search(data.x, data.y, epochs: 1, validationData: (data.xValid, data.yValid))
        }
        // Nothing stored was touched by the refusals.
        #expect(try first.oracle.trials.count == 1)
    }

    @Test func divergingAndThrowingTrialsFailWithTheirReasonAndTheSearchGoesOn() throws {
        let directory = try TemporaryDirectory()
        let tuner = try Tuner(oracle: .gridSearch(), objective: "val_accuracy", study: "failing",
                              storage: directory.path("study.sqlite"), seed: 1,
                              options: SearchOptions(maxConsecutiveFailedTrials: 5, verbosity: .silent)) { hp in
            let mode = try hp.choice("mode", values: ["ok", "nan", "throw"], default: "ok")
            if mode == "throw" { throw TunerError.invalidArgument(name: "mode", message: "this model cannot be built") }
            // A NaN weight makes the loss NaN at the first batch.
            let model = Sequential([Dense(units: 3, activation: .softmax(), kernelInitializer: Constant(mode == "nan" ? .nan : 0.1), inputShape: [4])])
            try model.compile(optimizer: try SGD(learningRate: 0.05),
                              loss: Losses.SparseCategoricalCrossentropy(), metrics: ["accuracy"])
            return model
        }
        try tuner.search(data.x, data.y, epochs: 2, validationData: (data.xValid, data.yValid))
        let trials = try tuner.oracle.trials
        #expect(trials.count == 3)
        let byMode = Dictionary(uniqueKeysWithValues: trials.map { ($0.hyperparameters["mode"]?.description ?? "", $0) })
        #expect(byMode["ok"]?.state == .complete)
        #expect(byMode["nan"]?.state == .failed)
        #expect(byMode["nan"]?.failureReason?.contains("loss became") == true)
        #expect(byMode["throw"]?.state == .failed)
        #expect(byMode["throw"]?.failureReason?.contains("cannot be built") == true)
    }

    struct BrokenFit: Error, CustomStringConvertible {
        var description: String { "broken on purpose" }
    }

    /// Builds fine, fails in `fit`: every trial fails.
    struct FailingHyperModel: HyperModel {
        func build(_ hp: HyperParameters) throws -> Model {
            _ = try hp.int("units", min: 1, max: 100)
            return Sequential([Dense(inputSize: 4, outputSize: 3)])
        }

        func fit(_ hp: HyperParameters, model: Model, arguments: FitArguments) throws -> History {
            throw BrokenFit()
        }
    }

    @Test func tooManyFailuresInARowStopTheSearch() throws {
        let directory = try TemporaryDirectory()
        let tuner = try Tuner(hyperModel: FailingHyperModel(), oracle: .randomSearch(maxTrials: 10), objective: "val_accuracy",
                              study: "broken", storage: directory.path("study.sqlite"),
                              // One at a time: no third trial is running when the second fails.
                              options: SearchOptions(parallelTrials: 1, maxRetriesPerTrial: 1, maxConsecutiveFailedTrials: 2, verbosity: .silent))
        #expect(throws: TunerError.tooManyConsecutiveFailures(count: 2, lastReason: "broken on purpose")) {
            try tuner.search(data.x, data.y, epochs: 1)
        }
        let trials = try tuner.oracle.trials
        #expect(trials.count == 2)
        #expect(trials.allSatisfy { $0.state == .failed && $0.failureReason == "broken on purpose" })
    }

    /// With trials at once, the trials already running when the limit is reached end as they would; no
    /// new one starts after it.
    @Test func tooManyFailuresInARowStopASearchRunningTrialsAtOnce() throws {
        let directory = try TemporaryDirectory()
        let tuner = try Tuner(hyperModel: FailingHyperModel(), oracle: .randomSearch(maxTrials: 10), objective: "val_accuracy",
                              study: "broken", storage: directory.path("study.sqlite"),
                              options: SearchOptions(parallelTrials: 2, maxConsecutiveFailedTrials: 2, verbosity: .silent))
        #expect(throws: TunerError.tooManyConsecutiveFailures(count: 2, lastReason: "broken on purpose")) {
            try tuner.search(data.x, data.y, epochs: 1)
        }
        let trials = try tuner.oracle.trials
        #expect((2...3).contains(trials.count), "\(trials.map(\.number))")
        #expect(trials.allSatisfy { $0.state == .failed && $0.failureReason == "broken on purpose" })
    }
}

/// The dataset form of `search` (seed 004's pipelines feeding a tuner).
@Suite struct TunerDatasetSearchTests {
    @Test func aSearchOnADatasetStoresTheSameKindOfStudy() throws {
        let data = BlobData()
        let directory = try TemporaryDirectory()
        let tuner = try Tuner(oracle: .randomSearch(maxTrials: 2), objective: "val_accuracy", study: "ds",
                              storage: directory.path("ds.sqlite"), seed: 3, options: SearchOptions(verbosity: .silent),
                              build: buildBlobModel)
        let training = Dataset.fromTensorSlices((data.x, data.y)).shuffle(bufferSize: 240, seed: 1).batch(32)
        let validation = Dataset.fromTensorSlices((data.xValid, data.yValid)).batch(64)
        try tuner.search(training, epochs: 3, validationData: validation)
        let results = try tuner.oracle
        #expect(results.trials.count == 2)
        #expect(results.trials.allSatisfy { $0.state == .complete && $0.metrics.values("val_accuracy").count == 3 })
        let best = try #require(results.bestTrial)
        let model = try #require(try tuner.bestModels(1).first)
        let logs = try model.evaluate(data.xValid, data.yValid, verbosity: .silent)
        #expect(abs(Double(try #require(logs["accuracy"])) - (best.score ?? 0)) < 1e-6)
    }
}
