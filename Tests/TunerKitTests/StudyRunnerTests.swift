import Foundation
import StudyStore
import Testing
import TunerKit
import Tuning
import TestSupport

/// Studies whose trials are functions (Optuna's `study.optimize`): scores, pruning, failures, joining.
@Suite struct StudyRunnerTests {
    func modeSpace() throws -> SearchSpace {
        let hp = HyperParameters()
        _ = try hp.choice("mode", values: ["ok", "throw", "missing"])
        return hp.space
    }

    @Test func aFunctionStudyFindsTheMinimum() throws {
        let directory = try TemporaryDirectory()
        let runner = StudyRunner(
            definition: StudyDefinition(name: "quadratic", objective: .minimize("loss"), oracle: .bayesian(maxTrials: 15), seed: 3),
            storage: directory.path("q.sqlite"), options: SearchOptions(verbosity: .silent))
        try runner.optimize { hp, _ in
            let x = try hp.float("x", min: -5, max: 5)
            return ["loss": (x - 1) * (x - 1)]
        }
        let results = try runner.oracle
        #expect(results.trials.count == 15)
        let best = try #require(results.bestTrial?.score)
        #expect(best < 0.05)
    }

    @Test func theMedianPrunerStopsTrialsBelowTheMedian() throws {
        let directory = try TemporaryDirectory()
        let runner = StudyRunner(
            definition: StudyDefinition(name: "pruned", objective: .maximize("score"), oracle: .randomSearch(maxTrials: 16), seed: 4),
            storage: directory.path("p.sqlite"),
            // One trial at a time: each trial is compared with the ones completed before it.
            options: SearchOptions(parallelTrials: 1, pruner: MedianStoppingPruner(startupTrials: 3), verbosity: .silent))
        try runner.optimize { hp, reporter in
            let x = try hp.float("x", min: 0, max: 1)
            for step in 0..<5 { try reporter.report(step: step, metrics: ["score": x * Double(step + 1)]) }
            return ["score": x * 5]
        }
        let results = try runner.oracle
        let pruned = results.trials.filter { $0.state == .pruned }
        let complete = results.trials.filter { $0.state == .complete }
        #expect(!pruned.isEmpty)
        #expect(complete.count >= 3)
        // A pruned trial stopped at its first step, below the median of the trials completed before it.
        for trial in pruned {
            #expect(trial.metrics.values("score").count == 1)
            let x = try #require(trial.hyperparameters["x"]?.doubleValue)
            #expect(x < (complete.compactMap { $0.hyperparameters["x"]?.doubleValue }.max() ?? 0))
        }
    }

    /// A pruner given in the definition is stored with the study: the search applies it without a pruner
    /// object in its options, a resume with another one replaces it, and one without removes it.
    @Test func theDefinitionsPrunerIsStoredAndApplied() throws {
        let directory = try TemporaryDirectory()
        let storage = directory.path("stored.sqlite")
        func definition(maxTrials: Int, pruner: PrunerSettings?) -> StudyDefinition {
            StudyDefinition(name: "stored", objective: .minimize("loss"), oracle: .randomSearch(maxTrials: maxTrials), seed: 2,
                            pruner: pruner)
        }
        let objective: TrialObjective = { hp, reporter in
            let x = try hp.float("x", min: 0, max: 1)
            for step in 0..<3 { try reporter.report(step: step, metrics: ["loss": x + Double(3 - step)]) }
            return ["loss": x]
        }
        // Every first step is above 2: the threshold prunes every trial there.
        let threshold = PrunerSettings.threshold(lower: nil, upper: 2, warmupEpochs: 0, intervalEpochs: 1)
        try StudyRunner(definition: definition(maxTrials: 3, pruner: threshold), storage: storage,
                        options: SearchOptions(parallelTrials: 1, verbosity: .silent)).optimize(objective)
        let store = try openStudyStorage(storage)
        let stored = try store.requireStudy(named: "stored")
        #expect(try stored.prunerSettings(location: storage) == threshold)
        var trials = try StudySnapshot.load(storagePath: storage, study: "stored").trials
        #expect(trials.count == 3 && trials.allSatisfy { $0.state == .pruned && $0.metrics.values("loss").count == 1 },
                "\(trials.map { ($0.number, $0.state, $0.metrics.values("loss")) })")

        // Resumed without a pruner: nothing stored, and the new trials run to the end.
        try StudyRunner(definition: definition(maxTrials: 5, pruner: nil), storage: storage,
                        options: SearchOptions(parallelTrials: 1, verbosity: .silent)).optimize(objective)
        #expect(try openStudyStorage(storage).requireStudy(named: "stored").prunerSettings(location: storage) == nil)
        trials = try StudySnapshot.load(storagePath: storage, study: "stored").trials
        #expect(trials.filter { $0.state == .complete }.count == 2)

        // Resumed with another pruner, budget unchanged: stored all the same.
        let asha = PrunerSettings.successiveHalving(minEpochs: 1, factor: 3, minEarlyStoppingRate: 0, bootstrapCount: 0)
        try StudyRunner(definition: definition(maxTrials: 5, pruner: asha), storage: storage,
                        options: SearchOptions(parallelTrials: 1, verbosity: .silent)).createOrResume()
        #expect(try openStudyStorage(storage).requireStudy(named: "stored").prunerSettings(location: storage) == asha)
    }

    @Test func anObjectiveThatThrowsOrOmitsTheMetricFailsItsTrial() throws {
        let directory = try TemporaryDirectory()
        struct Broken: Error, CustomStringConvertible { var description: String { "simulation diverged" } }
        let runner = StudyRunner(
            definition: StudyDefinition(name: "failing", objective: .minimize("loss"), oracle: .gridSearch(), seed: 1,
                                        searchSpace: try modeSpace()),
            storage: directory.path("f.sqlite"), options: SearchOptions(maxConsecutiveFailedTrials: 3, verbosity: .silent))
        try runner.optimize { hp, _ in
            let mode = try hp.choice("mode", values: ["ok", "throw", "missing"])
            if mode == "throw" { throw Broken() }
            if mode == "missing" { return ["other": 1] }
            return ["loss": 0.5]
        }
        let trials = try runner.oracle.trials
        let byMode = Dictionary(uniqueKeysWithValues: trials.map { ($0.hyperparameters["mode"]?.description ?? "", $0) })
        #expect(byMode["ok"]?.score == 0.5)
        #expect(byMode["throw"]?.failureReason == "simulation diverged")
        #expect(byMode["missing"]?.failureReason?.contains("no \"loss\"") == true)
        #expect(byMode["missing"]?.failureReason?.contains("other") == true)
    }

    @Test func aSecondRunnerInTheSameProcessJoinsAndSharesTheBudget() throws {
        let directory = try TemporaryDirectory()
        let definition = StudyDefinition(name: "shared", objective: .minimize("loss"), oracle: .randomSearch(maxTrials: 12), seed: 2)
        let path = directory.path("s.sqlite")
        let objective: TrialObjective = { hp, _ in
            let x = try hp.float("x", min: 0, max: 1)
            usleep(20_000)
            return ["loss": x]
        }
        let (joined, errors) = runTwoWorkers(definition, storage: path, objective: objective)
        #expect(joined)
        #expect(errors.isEmpty)
        let trials = try StudySnapshot.load(storagePath: path, study: "shared").trials
        #expect(trials.count == 12)
        #expect(Set(trials.map(\.number)) == Set(1...12))
        #expect(trials.allSatisfy { $0.state == .complete })
        #expect(Set(trials.compactMap(\.worker)).count == 2, "workers: \(trials.map { $0.worker ?? "-" })")
    }
}
