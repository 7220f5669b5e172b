import Foundation
import Testing
import TunerKit
import Tuning
import TestSupport

/// Ask-and-tell drives any oracle from outside.
@Suite struct AskTellTests {
    func makeStudy(_ directory: TemporaryDirectory, oracle: OracleSettings) throws -> StudyAskTell {
        let hp = HyperParameters()
        _ = try hp.float("x", min: -3, max: 3)
        let definition = StudyDefinition(name: "external", objective: .minimize("loss"), oracle: oracle, seed: 5, searchSpace: hp.space)
        try StudyRunner(definition: definition, storage: directory.path("a.sqlite")).createOrResume()
        return StudyAskTell(storagePath: directory.path("a.sqlite"), study: "external")
    }

    @Test func askThenTellUntilTheBudgetIsSpent() throws {
        let directory = try TemporaryDirectory()
        let study = try makeStudy(directory, oracle: .bayesian(maxTrials: 8, numInitialPoints: 3))
        var told = 0
        while case .trial(let asked) = try study.ask() {
            let x = try #require(asked.hyperparameters["x"]?.doubleValue)
            let value = (x - 1) * (x - 1)
            try study.tell(trial: asked.trial, value: value, steps: [0: value + 1, 1: value])
            told += 1
        }
        #expect(told == 8)
        #expect(try study.ask() == .searchIsOver)
        let results = try StudySnapshot.load(storagePath: directory.path("a.sqlite"), study: "external")
        #expect(results.trials.count == 8)
        #expect(results.trials.allSatisfy { $0.metrics.values("loss").count == 2 })
        #expect((results.bestTrial?.score ?? 9) < 1)
    }

    /// Optuna's `trial.report` / `should_prune()` through ask-and-tell: each step's value is stored and
    /// the pruner compares it with the other trials; a pruned trial is told so and ends PRUNED.
    @Test func reportsAskThePrunerWhetherToStop() throws {
        let directory = try TemporaryDirectory()
        let study = try makeStudy(directory, oracle: .randomSearch(maxTrials: 6))
        let pruner = try ThresholdPruner(upper: 3)
        var pruned: [Int] = []
        while case .trial(let asked) = try study.ask() {
            let x = try #require(asked.hyperparameters["x"]?.doubleValue)
            var stopped = false
            for step in 0..<3 where !stopped {
                stopped = try study.report(trial: asked.trial, step: step, value: x * x + Double(2 - step), pruner: pruner)
            }
            if stopped {
                pruned.append(asked.trial)
                try study.tell(trial: asked.trial, value: nil, outcome: .pruned)
            } else {
                try study.tell(trial: asked.trial, value: x * x)
            }
        }
        let results = try StudySnapshot.load(storagePath: directory.path("a.sqlite"), study: "external")
        #expect(Set(results.trials.filter { $0.state == .pruned }.map(\.number)) == Set(pruned))
        // The threshold stops exactly the trials whose first value (x² + 2) is above 3, at that step.
        for trial in results.trials {
            let x = trial.hyperparameters["x"]?.doubleValue ?? 0
            #expect((trial.state == .pruned) == (x * x + 2 > 3), "trial \(trial.number), x = \(x)")
            #expect(trial.metrics.values("loss").first == x * x + 2)
            if trial.state == .pruned { #expect(trial.metrics.values("loss").count == 1) }
        }
        // The study's seed gives both kinds.
        #expect(!pruned.isEmpty && pruned.count < 6)
        #expect(throws: TunerError.self) { try study.report(trial: 1, step: 9, value: 0) }
    }

    @Test func twoOutstandingAsksGetDifferentTrialsAndFailuresArePossible() throws {
        let directory = try TemporaryDirectory()
        let study = try makeStudy(directory, oracle: .randomSearch(maxTrials: 5))
        guard case .trial(let first) = try study.ask(), case .trial(let second) = try study.ask() else {
            Issue.record("no trials handed out")
            return
        }
        #expect(first.trial != second.trial)
        let failed = try study.tell(trial: second.trial, value: nil, outcome: .failed, reason: "out of memory")
        #expect(failed.state == .failed)
        #expect(failed.failureReason == "out of memory")
        #expect(throws: TunerError.self) { try study.tell(trial: second.trial, value: 1) }
        #expect(throws: TunerError.self) { try study.tell(trial: first.trial, value: nil) }
        #expect(throws: TunerError.self) { try study.tell(trial: 99, value: 1) }
        let complete = try study.tell(trial: first.trial, value: 0.5)
        #expect(complete.score == 0.5)
    }

    /// `tell` ends a trial this value asked for without looking it up first; a trial that was told
    /// meanwhile by another program (`tuner tell`) is still refused as not RUNNING, with nothing stored,
    /// and the told trial's curve is the stored one — on both backends.
    @Test(arguments: ["sqlite", "postgres"]) func aTrialToldElsewhereIsRefusedAndTheToldCurveIsTheStoredOne(backend: String) throws {
        let directory = try TemporaryDirectory()
        var storage = directory.path("a.sqlite")
        var dropDatabase: (() -> Void)?
        if backend == "postgres" {
            let server = try PostgresServer.shared()
            let database = try server.createDatabase()
            dropDatabase = { server.dropDatabase(database) }
            storage = server.url(database: database)
        }
        defer { dropDatabase?() }
        let hp = HyperParameters()
        _ = try hp.float("x", min: -3, max: 3)
        let definition = StudyDefinition(name: "external", objective: .minimize("loss"), oracle: .randomSearch(maxTrials: 5), seed: 5,
                                         searchSpace: hp.space)
        try StudyRunner(definition: definition, storage: storage).createOrResume()
        let asking = StudyAskTell(storagePath: storage, study: "external")
        let elsewhere = StudyAskTell(storagePath: storage, study: "external")
        guard case .trial(let first) = try asking.ask(), case .trial(let second) = try asking.ask() else {
            Issue.record("no trials handed out")
            return
        }
        try elsewhere.tell(trial: first.trial, value: 2)
        #expect(throws: TunerError.self) { try asking.tell(trial: first.trial, value: 1) }
        let told = try asking.tell(trial: second.trial, value: 0.25)
        #expect(told.state == .complete && told.score == 0.25)
        let results = try StudySnapshot.load(storagePath: storage, study: "external")
        let stored = try #require(results.trials.first { $0.number == second.trial })
        #expect(told.metrics == stored.metrics && told.metrics.values("loss") == [0.25])
        let other = try #require(results.trials.first { $0.number == first.trial })
        #expect(other.score == 2 && other.metrics.values("loss") == [2])
    }
}
