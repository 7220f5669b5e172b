import Foundation
import Neural
import StudyStore
import Testing
import TunerKit
import Tuning
import TestSupport

/// Hyperband promotions, Bayesian search, several executions, parallel trials, checkpoint retention,
/// hypermodels that tune `fit`, custom objectives and progress lines.
@Suite struct TunerOracleTests {
    let data = BlobData()

    /// Records, per trial, the optimizer's iteration count when its `fit` starts.
    struct RecordingHyperModel: HyperModel {
        let startIterations: Locked<[Int: Int]>

        func build(_ hp: HyperParameters) throws -> Model { try buildBlobModel(hp) }

        func fit(_ hp: HyperParameters, model: Model, arguments: FitArguments) throws -> History {
            let key = arguments.initialEpoch * 1_000 + Int.random(in: 0..<1_000)
            startIterations.withLock { $0[key] = model.optimizer?.iterations ?? -1 }
            return try model.fit(arguments)
        }
    }

    @Test func hyperbandPromotionsContinueTheirParentsCheckpoint() throws {
        let directory = try TemporaryDirectory()
        let starts = Locked<[Int: Int]>([:])
        let tuner = try Tuner(hyperModel: RecordingHyperModel(startIterations: starts), oracle: .hyperband(maxEpochs: 4, factor: 2),
                              objective: "val_accuracy", study: "hb", storage: directory.path("study.sqlite"), seed: 3,
                              options: SearchOptions(checkpointsKept: 1, verbosity: .silent))
        try tuner.search(data.x, data.y, epochs: 4, batchSize: 40, validationData: (data.xValid, data.yValid))
        let trials = try tuner.oracle.trials
        let promoted = trials.filter { $0.hyperband?.parentTrialID != nil }
        #expect(!promoted.isEmpty)
        #expect(trials.allSatisfy { $0.state == .complete })
        for trial in promoted {
            let hyperband = try #require(trial.hyperband)
            // The promoted run's curve starts where its parent stopped.
            #expect(trial.metrics.curves["val_accuracy"]?.first?.step == hyperband.initialEpoch)
            #expect(trial.metrics.curves["val_accuracy"]?.last?.step == hyperband.epochs - 1)
            let parent = try #require(trials.first { $0.number == hyperband.parentTrialID })
            #expect(parent.hyperparameters == trial.hyperparameters)
        }
        // Each promoted fit started with its parent's optimizer state (iterations > 0), fresh ones at 0.
        let recorded = starts.withLock { $0 }
        #expect(recorded.filter { $0.key >= 1_000 }.allSatisfy { $0.value > 0 })
        #expect(recorded.filter { $0.key < 1_000 }.allSatisfy { $0.value == 0 })
        #expect(recorded.filter { $0.key >= 1_000 }.count == promoted.count)
        // Checkpoints kept at the end: the best trial's only (no promotion is pending any more).
        let files = try FileManager.default.subpathsOfDirectory(atPath: directory.path("study.sqlite.checkpoints"))
            .filter { $0.hasSuffix(".safetensors") }
        #expect(files.count == 1)
        let best = try #require(try tuner.oracle.bestTrial)
        #expect(files.first?.contains("trial-\(best.number)-") == true)
    }

    /// On a PostgreSQL storage (a real server, started for the test) checkpoints are stored in the
    /// database, not as files: Hyperband promotions continue from them with the optimizer's state, the
    /// best model reloads its best epoch from them, and no folder is made from the connection string.
    @Test func onPostgreSQLPromotionsAndBestModelsReadCheckpointsFromTheDatabase() throws {
        let server = try PostgresServer.shared()
        let database = try server.createDatabase()
        defer { server.dropDatabase(database) }
        let storage = server.url(database: database)
        let starts = Locked<[Int: Int]>([:])
        let tuner = try Tuner(hyperModel: RecordingHyperModel(startIterations: starts), oracle: .hyperband(maxEpochs: 4, factor: 2),
                              objective: "val_accuracy", study: "hb", storage: storage, seed: 3,
                              options: SearchOptions(checkpointsKept: 1, verbosity: .silent))
        try tuner.search(data.x, data.y, epochs: 4, batchSize: 40, validationData: (data.xValid, data.yValid))
        let trials = try tuner.oracle.trials
        let promoted = trials.filter { $0.hyperband?.parentTrialID != nil }
        #expect(!promoted.isEmpty)
        #expect(trials.allSatisfy { $0.state == .complete }, "\(trials.map { "\($0.number) \($0.state) \($0.error ?? "")" })")
        let recorded = starts.withLock { $0 }
        #expect(recorded.filter { $0.key >= 1_000 }.count == promoted.count)
        #expect(recorded.filter { $0.key >= 1_000 }.allSatisfy { $0.value > 0 })

        let store = try openStudyStorage(storage)
        let best = try #require(try tuner.oracle.bestTrial)
        let kept = try store.checkpoints(trial: best.id)
        #expect(kept.count == 1 && kept.first?.path == nil && (kept.first?.weights?.count ?? 0) > 0)
        let model = try #require(try tuner.bestModels(1).first)
        let logs = try model.evaluate(data.xValid, data.yValid, verbosity: .silent)
        #expect(abs(Double(logs["accuracy"] ?? -1) - (best.score ?? 0)) < 1e-6)
        let here = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.currentDirectoryPath)
        #expect(!here.contains { $0.hasPrefix("postgres") }, "\(here)")
    }

    @Test func bayesianSearchRunsAndKeepsTheBudget() throws {
        let directory = try TemporaryDirectory()
        let tuner = try Tuner(oracle: .bayesian(maxTrials: 6, numInitialPoints: 3), objective: "val_loss", study: "bo",
                              storage: directory.path("study.sqlite"), seed: 5, options: SearchOptions(verbosity: .silent),
                              build: buildBlobModel)
        try tuner.search(data.x, data.y, epochs: 2, validationData: (data.xValid, data.yValid))
        let results = try tuner.oracle
        #expect(results.trials.count == 6)
        #expect(results.study.oracleKind == "bayesian")
        #expect(results.objective == .minimize("val_loss"))
        let scores = results.trials.compactMap(\.score)
        #expect(results.bestTrial?.score == scores.min())
    }

    @Test func tpeSearchRunsThroughTheTunerAndKeepsTheBudget() throws {
        let directory = try TemporaryDirectory()
        let tuner = try Tuner(oracle: .tpe(maxTrials: 6, numInitialPoints: 3), objective: "val_loss", study: "tpe",
                              storage: directory.path("study.sqlite"), seed: 5, options: SearchOptions(verbosity: .silent),
                              build: buildBlobModel)
        try tuner.search(data.x, data.y, epochs: 2, validationData: (data.xValid, data.yValid))
        let results = try tuner.oracle
        #expect(results.trials.count == 6)
        #expect(results.study.oracleKind == "tpe")
        #expect(Set(results.trials.map(\.hyperparameters)).count == 6)
        let scores = results.trials.compactMap(\.score)
        #expect(results.bestTrial?.score == scores.min())
    }

    @Test func severalExecutionsAverageTheirBestEpochs() throws {
        let directory = try TemporaryDirectory()
        let tuner = try Tuner(oracle: .randomSearch(maxTrials: 2), objective: "val_accuracy", study: "exec",
                              storage: directory.path("study.sqlite"), seed: 9, executionsPerTrial: 2,
                              options: SearchOptions(verbosity: .silent), build: buildBlobModel)
        try tuner.search(data.x, data.y, epochs: 3, validationData: (data.xValid, data.yValid))
        for trial in try tuner.oracle.trials {
            let score = try #require(trial.score)
            let bestOfMeans = try #require(trial.metrics.bestValue("val_accuracy", maximize: true))
            // The mean of the executions' best epochs is at least the best epoch of their mean curve.
            #expect(score >= bestOfMeans - 1e-9)
            #expect(trial.metrics.values("val_accuracy").count == 3)
        }
    }

    @Test func parallelTrialsRunOnSeveralWorkersWithoutDuplicates() throws {
        let directory = try TemporaryDirectory()
        let tuner = try Tuner(oracle: .randomSearch(maxTrials: 6), objective: "val_accuracy", study: "parallel",
                              storage: directory.path("study.sqlite"), seed: 11,
                              options: SearchOptions(parallelTrials: 2, verbosity: .silent), build: buildBlobModel)
        try tuner.search(data.x, data.y, epochs: 2, validationData: (data.xValid, data.yValid))
        let trials = try tuner.oracle.trials
        #expect(trials.count == 6)
        #expect(Set(trials.map(\.number)) == Set(1...6))
        #expect(trials.allSatisfy { $0.state == .complete })
        #expect(Set(trials.map(\.hyperparameters)).count == 6)
        #expect(Set(trials.compactMap(\.worker)).count == 2)
        #expect(BLAS.threadCount >= 1)
    }

    @Test func onlyTheBestCheckpointsAreKept() throws {
        let directory = try TemporaryDirectory()
        let tuner = try Tuner(oracle: .randomSearch(maxTrials: 6), objective: "val_accuracy", study: "retention",
                              storage: directory.path("study.sqlite"), seed: 13,
                              options: SearchOptions(checkpointsKept: 2, verbosity: .silent), build: buildBlobModel)
        try tuner.search(data.x, data.y, epochs: 2, validationData: (data.xValid, data.yValid))
        let files = try FileManager.default.subpathsOfDirectory(atPath: directory.path("study.sqlite.checkpoints"))
            .filter { $0.hasSuffix(".safetensors") }
        let best = try tuner.oracle.bestTrials(2).map(\.number)
        #expect(files.count == 2)
        #expect(Set(best.map { number in files.contains { $0.contains("trial-\(number)-") } }) == [true])
        #expect(throws: TunerError.self) { _ = try tuner.bestModels(3) }
        #expect(try tuner.bestModels(2).count == 2)
    }

    /// The seed's `MyClassificationHyperModel`: `fit` tunes the batch size (and the space grows with it).
    struct BatchSizeHyperModel: HyperModel {
        func build(_ hp: HyperParameters) throws -> Model { try buildBlobModel(hp) }

        func fit(_ hp: HyperParameters, model: Model, arguments: FitArguments) throws -> History {
            var arguments = arguments
            arguments.batchSize = try hp.choice("batch_size", values: [16, 64], default: 16)
            return try model.fit(arguments)
        }
    }

    @Test func aHyperModelMayTuneFit() throws {
        let directory = try TemporaryDirectory()
        let tuner = try Tuner(hyperModel: BatchSizeHyperModel(), oracle: .randomSearch(maxTrials: 4), objective: "val_accuracy",
                              study: "fit", storage: directory.path("study.sqlite"), seed: 17,
                              options: SearchOptions(verbosity: .silent))
        try tuner.search(data.x, data.y, epochs: 1, validationData: (data.xValid, data.yValid))
        let results = try tuner.oracle
        #expect(results.searchSpace.names.contains("batch_size"))
        #expect(results.trials.allSatisfy { $0.hyperparameters["batch_size"] != nil })
        #expect(try tuner.searchSpaceSummary().contains("batch_size"))
    }

    @Test func aCustomObjectiveIsComputedFromEachEpochsLogs() throws {
        let directory = try TemporaryDirectory()
        let objective = TunerObjective.custom("gap", direction: .minimize) { logs in
            Double(abs((logs["val_loss"] ?? 0) - (logs["loss"] ?? 0)))
        }
        let tuner = try Tuner(oracle: .randomSearch(maxTrials: 2), objective: objective, study: "custom",
                              storage: directory.path("study.sqlite"), options: SearchOptions(verbosity: .silent),
                              build: buildBlobModel)
        try tuner.search(data.x, data.y, epochs: 2, validationData: (data.xValid, data.yValid))
        let results = try tuner.oracle
        #expect(results.objective == .minimize("gap"))
        for trial in results.trials {
            let gaps = trial.metrics.values("gap")
            #expect(gaps.count == 2)
            #expect(trial.score == gaps.min())
        }
    }

    @Test func progressLinesLookLikeKerasTuners() throws {
        let directory = try TemporaryDirectory()
        let lines = Locked<[String]>([])
        let tuner = try Tuner(oracle: .randomSearch(maxTrials: 2), objective: "val_accuracy", study: "progress",
                              storage: directory.path("study.sqlite"),
                              options: SearchOptions(verbosity: .epochs, output: { text in lines.withLock { $0.append(text) } }),
                              build: buildBlobModel)
        try tuner.search(data.x, data.y, epochs: 2, validationData: (data.xValid, data.yValid))
        let text = lines.withLock { $0.joined(separator: "\n") }
        #expect(text.contains("Search: Running Trial #1"))
        #expect(text.contains("Value             |Best Value So Far |Hyperparameter"))
        #expect(text.contains("Trial 2 Complete [00h 00m 0"))
        #expect(text.contains("Best val_accuracy So Far: 0."))
        #expect(text.contains("Total elapsed time: 00h 00m 0"))
        #expect(text.contains("Trial 1 epoch 2 - accuracy: "))
    }
}
