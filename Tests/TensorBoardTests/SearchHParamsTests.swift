import Foundation
import StudyStore
import Synchronization
import TensorBoard
import Testing
import TestSupport
import TunerKit
import Tuning

/// A search written with `tensorBoard:` and read back by TensorBoard itself: the HParams plugin's own
/// parsers read the experiment and every session; a `tensorboard --logdir` server lists the runs and the
/// hyperparameters on its HTTP data API; a stored study exported with `writeTensorBoard(to:)` reads the same.
@Suite("Searches as TensorBoard HParams runs", .serialized, .timeLimit(.minutes(5)))
struct SearchHParamsTests {
    static let space: SearchSpace = {
        var space = SearchSpace()
        // Specs made by the validating factories, in the order a build function would define them.
        let hp = HyperParameters()
        _ = try? hp.float("learning_rate", min: 1e-4, max: 1e-1, sampling: .log)
        _ = try? hp.int("units", min: 16, max: 64, step: 16)
        _ = try? hp.choice("optimizer", values: ["adam", "sgd"])
        _ = try? hp.boolean("dropout")
        space = hp.space
        return space
    }()

    /// The made-up curves of a trial: a function of its hyperparameters and the epoch.
    static func metrics(_ hp: HyperParameters, epoch: Int) -> [String: Double] {
        let rate = (hp.values["learning_rate"]?.doubleValue) ?? 0.01
        let units = Double(hp.values["units"]?.intValue ?? 16)
        let accuracy = min(0.99, 0.5 + 0.1 * Double(epoch + 1) * rate * 10 + units / 1000)
        return ["loss": 1 - accuracy, "accuracy": accuracy, "val_loss": 1.1 - accuracy, "val_accuracy": accuracy - 0.05]
    }

    /// Runs a 4-trial random search of `space` writing into `logs`; trial 3 throws (it must end FAILED).
    static func search(storage: String, logs: String?, output: (@Sendable (String) -> Void)? = nil) throws {
        let definition = StudyDefinition(name: "tb search", objective: .maximize("val_accuracy"),
                                         oracle: .randomSearch(maxTrials: 4), seed: 7, searchSpace: space)
        let options = SearchOptions(parallelTrials: 1, maxConsecutiveFailedTrials: 4, verbosity: .silent,
                                    output: output, tensorBoard: logs)
        try StudyRunner(definition: definition, storage: storage, options: options).optimize { hp, reporter in
            _ = try hp.float("learning_rate", min: 1e-4, max: 1e-1, sampling: .log)
            _ = try hp.int("units", min: 16, max: 64, step: 16)
            _ = try hp.choice("optimizer", values: ["adam", "sgd"])
            _ = try hp.boolean("dropout")
            for epoch in 0..<3 { try reporter.report(step: epoch, metrics: metrics(hp, epoch: epoch)) }
            if reporter.trialNumber == 3 { throw TrialTestError.planned }
            return metrics(hp, epoch: 2)
        }
    }

    enum TrialTestError: Error { case planned }

    @Test func theHParamsPluginReadsTheExperimentAndEverySessionAndTheServerListsThem() async throws {
        let directory = try TemporaryDirectory("tensorboard-search")
        let storage = directory.file("study.sqlite")
        let logs = directory.path("logs")
        try Self.search(storage: storage, logs: logs)
        let stored = try StudySnapshot.load(storagePath: storage, study: "tb search")
        #expect(stored.trials.count == 4)

        let log = try await TensorBoardScripts.hparams(logs, serve: true)
        try Self.checkLog(log, against: stored)

        // The server: its runs, the experiment's columns, a session group per trial with its values and score.
        let http = log.http
        let runs = try #require(http["runs"] as? [String])
        for trial in stored.trials {
            #expect(runs.contains("trial_\(trial.number)"), "runs: \(runs)")
            #expect(runs.contains("trial_\(trial.number)/validation"), "runs: \(runs)")
        }
        let experiment = try #require(http["experiment"] as? [String: Any])
        let columns = (experiment["hparamInfos"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(Set(columns) == ["learning_rate", "units", "optimizer", "dropout"])
        let metricTags = (experiment["metricInfos"] as? [[String: Any]] ?? []).compactMap {
            ($0["name"] as? [String: Any]).map { "\($0["group"] as? String ?? "")/\($0["tag"] as? String ?? "")" }
        }
        #expect(Set(metricTags).isSuperset(of: ["/score", "validation/epoch_accuracy", "train/epoch_loss"]), "\(metricTags)")
        let groups = try #require((http["session_groups"] as? [String: Any])?["sessionGroups"] as? [[String: Any]])
        #expect(groups.count == 4)
        for trial in stored.trials {
            let group = try #require(groups.first { $0["name"] as? String == "trial_\(trial.number)" }, "no group trial_\(trial.number): \(groups)")
            let hparams = try #require(group["hparams"] as? [String: Any])
            #expect(hparams["optimizer"] as? String == trial.hyperparameters["optimizer"]?.stringValue)
            #expect((hparams["units"] as? NSNumber)?.doubleValue == trial.hyperparameters["units"]?.intValue.map(Double.init))
            let sessions = try #require(group["sessions"] as? [[String: Any]])
            let status = sessions.first?["status"] as? String
            #expect(status == (trial.state == .failed ? "STATUS_FAILURE" : "STATUS_SUCCESS"))
            if let score = trial.score, trial.state == .complete {
                let values = group["metricValues"] as? [[String: Any]] ?? []
                let scoreValue = values.first { ($0["name"] as? [String: Any])?["tag"] as? String == "score" }?["value"] as? NSNumber
                #expect(sameNumber(scoreValue?.doubleValue, Double(Float(score))), "metric values: \(values)")
            }
        }
    }

    /// What every log of the search must hold, whoever wrote it (the search or an export).
    static func checkLog(_ log: HParamsLog, against stored: StudySnapshot) throws {
        // The experiment: each hyperparameter with its domain, and the metrics.
        let infos = try #require(log.experiment["hparamInfos"] as? [[String: Any]], "no experiment: \(log.json["hparams"] ?? "")")
        func info(_ name: String) -> [String: Any]? { infos.first { $0["name"] as? String == name } }
        let rate = try #require(info("learning_rate"))
        #expect(rate["type"] as? String == "DATA_TYPE_FLOAT64")
        #expect((rate["domainInterval"] as? [String: Any])?["minValue"] as? Double == 1e-4)
        #expect((rate["domainInterval"] as? [String: Any])?["maxValue"] as? Double == 1e-1)
        #expect((info("units")?["domainInterval"] as? [String: Any])?["maxValue"] as? Double == 64)
        #expect(info("optimizer")?["domainDiscrete"] as? [String] == ["adam", "sgd"])
        #expect(info("optimizer")?["type"] as? String == "DATA_TYPE_STRING")
        #expect(info("dropout")?["domainDiscrete"] as? [Bool] == [false, true])
        let metrics = (log.experiment["metricInfos"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? [String: Any] }
        #expect(metrics.contains { $0["tag"] as? String == "score" && $0["group"] == nil })
        #expect(metrics.contains { $0["tag"] as? String == "epoch_accuracy" && $0["group"] as? String == "validation" })
        #expect(metrics.contains { $0["tag"] as? String == "epoch_accuracy" && $0["group"] as? String == "train" })

        // Each trial: its values, its end, its curves and its score.
        for trial in stored.trials {
            let run = "trial_\(trial.number)"
            let start = log.sessionStart(run)
            let values = try #require(start["hparams"] as? [String: Any], "no session start in \(run)")
            #expect(values["optimizer"] as? String == trial.hyperparameters["optimizer"]?.stringValue)
            #expect(values["dropout"] as? Bool == trial.hyperparameters["dropout"]?.boolValue)
            #expect((values["units"] as? NSNumber)?.doubleValue == trial.hyperparameters["units"]?.intValue.map(Double.init))
            #expect(sameNumber((values["learning_rate"] as? NSNumber)?.doubleValue, trial.hyperparameters["learning_rate"]?.doubleValue))
            #expect(start["groupName"] as? String == run)
            #expect(log.sessionEnd(run)["status"] as? String == (trial.state == .failed ? "STATUS_FAILURE" : "STATUS_SUCCESS"))
            for (name, run, tag) in [("val_accuracy", "\(run)/validation", "epoch_accuracy"), ("loss", "\(run)/train", "epoch_loss")] {
                let written = try #require(trial.metrics[name])
                let read = log.scalars(run, tag)
                #expect(read.map(\.step) == written.map(\.step), "\(run) \(tag)")
                #expect(read.map(\.value) == written.map { Double(Float($0.value)) }, "\(run) \(tag)")
            }
            if trial.state == .complete, let score = trial.score {
                #expect(log.scalars(run, "score").map(\.value) == [Double(Float(score))])
            } else {
                #expect(log.scalars(run, "score").isEmpty)
            }
        }
        #expect(stored.trials.filter { $0.state == .failed }.map(\.number) == [3])
    }

    @Test func aFirstTrialThatFailsBeforeAnyEpochLeavesTheExperimentToTheNext() async throws {
        let directory = try TemporaryDirectory("tensorboard-first-fails")
        let logs = directory.path("logs")
        let definition = StudyDefinition(name: "first fails", objective: .maximize("val_accuracy"),
                                         oracle: .randomSearch(maxTrials: 2), seed: 3, searchSpace: Self.space)
        let options = SearchOptions(parallelTrials: 1, maxConsecutiveFailedTrials: 3, verbosity: .silent, tensorBoard: logs)
        try StudyRunner(definition: definition, storage: directory.file("study.sqlite"), options: options).optimize { hp, reporter in
            _ = try hp.float("learning_rate", min: 1e-4, max: 1e-1, sampling: .log)
            if reporter.trialNumber == 1 { throw TrialTestError.planned }
            try reporter.report(step: 0, metrics: ["accuracy": 0.5, "val_accuracy": 0.4])
            return ["val_accuracy": 0.4]
        }
        let log = try await TensorBoardScripts.hparams(logs)
        #expect(log.sessionEnd("trial_1")["status"] as? String == "STATUS_FAILURE")
        let metrics = (log.experiment["metricInfos"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? [String: Any] }
        #expect(metrics.contains { $0["tag"] as? String == "epoch_accuracy" && $0["group"] as? String == "train" }, "\(metrics)")
    }

    @Test func anExportOfTheStoredStudyReadsAsTheSearchWroteIt() async throws {
        let directory = try TemporaryDirectory("tensorboard-export")
        let storage = directory.file("study.sqlite")
        try Self.search(storage: storage, logs: nil)
        let stored = try StudySnapshot.load(storagePath: storage, study: "tb search")
        let runs = try stored.writeTensorBoard(to: directory.path("exported"))
        #expect(runs == 4)
        let log = try await TensorBoardScripts.hparams(directory.path("exported"))
        try Self.checkLog(log, against: stored)
    }

    /// On several objectives `score` is the first's alone: each objective's final value is a scalar and an
    /// HParams column of its own, written by the search and by an export alike.
    @Test func aSearchOnSeveralObjectivesHasAColumnPerObjective() async throws {
        let directory = try TemporaryDirectory("tensorboard-objectives")
        let storage = directory.file("study.sqlite")
        let definition = StudyDefinition(name: "tb pareto", objective: .maximize("val_accuracy"), additionalObjectives: [.minimize("params")],
                                         oracle: .randomSearch(maxTrials: 3), seed: 3, searchSpace: Self.space)
        let options = SearchOptions(parallelTrials: 1, verbosity: .silent, tensorBoard: directory.path("logs"))
        try StudyRunner(definition: definition, storage: storage, options: options).optimize { hp, reporter in
            _ = try hp.float("learning_rate", min: 1e-4, max: 1e-1, sampling: .log)
            let units = try hp.int("units", min: 16, max: 64, step: 16)
            _ = try hp.choice("optimizer", values: ["adam", "sgd"])
            _ = try hp.boolean("dropout")
            try reporter.report(step: 0, metrics: Self.metrics(hp, epoch: 0))
            return Self.metrics(hp, epoch: 0).merging(["params": Double(units * 785)]) { $1 }
        }
        let stored = try StudySnapshot.load(storagePath: storage, study: "tb pareto")
        #expect(stored.trials.count == 3 && stored.trials.allSatisfy { $0.values?.objectives.count == 2 })
        _ = try stored.writeTensorBoard(to: directory.path("exported"))
        for folder in ["logs", "exported"] {
            let log = try await TensorBoardScripts.hparams(directory.path(folder))
            let tags = (log.experiment["metricInfos"] as? [[String: Any]] ?? []).compactMap { ($0["name"] as? [String: Any])?["tag"] as? String }
            #expect(Array(tags.prefix(3)) == ["score", "objective/val_accuracy", "objective/params"], "\(folder): \(tags)")
            for trial in stored.trials {
                let values = try #require(trial.values?.objectives)
                #expect(log.scalars("trial_\(trial.number)", "objective/params").map(\.value) == [Double(Float(values[1]))], "\(folder)")
                #expect(log.scalars("trial_\(trial.number)", "objective/val_accuracy").map(\.value) == [Double(Float(values[0]))], "\(folder)")
            }
        }
    }

    @Test func aFolderThatCannotBeMadeIsRefusedBeforeAnyTrial() throws {
        let directory = try TemporaryDirectory("tensorboard-unwritable")
        let blocker = directory.file("a-file")
        try Data("not a folder".utf8).write(to: URL(fileURLWithPath: blocker))
        #expect {
            try Self.search(storage: directory.file("study.sqlite"), logs: blocker + "/logs")
        } throws: { error in
            guard case TunerError.invalidArgument(let name, let message) = error else { return false }
            return name == "tensorBoard" && message.contains(blocker)
        }
    }

    @Test func aRunThatCannotBeWrittenIsReportedAndTheTrialGoesOn() throws {
        let directory = try TemporaryDirectory("tensorboard-failing-run")
        let logs = directory.path("logs")
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        // A file where trial 2's run folder would go: its writer cannot be made.
        try Data().write(to: URL(fileURLWithPath: logs + "/trial_2"))
        let lines = Mutex<[String]>([])
        try Self.search(storage: directory.file("study.sqlite"), logs: logs) { line in lines.withLock { $0.append(line) } }
        let stored = try StudySnapshot.load(storagePath: directory.file("study.sqlite"), study: "tb search")
        let trial2 = try #require(stored.trials.first { $0.number == 2 })
        #expect(trial2.state == .complete)
        #expect(trial2.metrics["val_accuracy"]?.count == 3)
        let warnings = lines.withLock { $0 }.filter { $0.contains("TensorBoard") }
        #expect(warnings.count == 1, "\(warnings)")
        #expect(warnings.first?.contains("trial 2 is not logged further") == true, "\(warnings)")
        // The other trials' runs were written.
        #expect(FileManager.default.fileExists(atPath: logs + "/trial_1"))
        #expect(FileManager.default.fileExists(atPath: logs + "/trial_4"))
    }
}
