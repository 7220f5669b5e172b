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
