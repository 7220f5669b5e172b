import Foundation
import Testing
import Tuning

@Suite struct RandomSearchOracleTests {
    @Test func suggestsValidDistinctConfigurationsAndStopsAtMaxTrials() throws {
        let oracle = try RandomSearchOracle(objective: .maximize("val_accuracy"), searchSpace: try bookSpace(), maxTrials: 20, seed: 42)
        let trials = try runSequentially(oracle)
        #expect(trials.count == 20)
        #expect(trials.map(\.id) == Array(1...20))
        #expect(Set(trials.map(\.values)).count == 20)
        for trial in trials {
            let hp = try oracle.hyperParameters(for: trial)
            let values = try defineBookSpace(hp)
            #expect((0...8).contains(values.nHidden))
            #expect((16...256).contains(values.nNeurons))
            #expect(values.learningRate >= 1e-4 && values.learningRate <= 1e-2)
            #expect(["sgd", "adam"].contains(values.optimizer))
        }
        #expect(oracle.createTrial(workerID: "late") == .searchIsOver)
        #expect(oracle.trials.allSatisfy { $0.state == .complete })
    }

    @Test func sameSeedSameSuggestionsDifferentSeedDifferent() throws {
        func values(seed: UInt64) throws -> [[String: HyperParameterValue]] {
            let oracle = try RandomSearchOracle(objective: .maximize("val_accuracy"), searchSpace: try bookSpace(), maxTrials: 10, seed: seed)
            return try runSequentially(oracle).map(\.values)
        }
        #expect(try values(seed: 7) == values(seed: 7))
        #expect(try values(seed: 7) != values(seed: 8))
    }

    @Test func finiteSpaceIsExhaustedWithoutRepeatsThenTheSearchEnds() throws {
        let hp = HyperParameters()
        try hp.choice("optimizer", values: ["sgd", "adam"])
        try hp.conditionalScope(parent: "optimizer", values: ["adam"]) {
            try hp.choice("beta_1", values: [0.9, 0.99])
        }
        try hp.int("units", min: 1, max: 3)
        try hp.boolean("normalize")
        #expect(hp.space.combinationCount == 18)
        let oracle = try RandomSearchOracle(objective: .minimize("val_loss"), searchSpace: hp.space, seed: 1)
        let trials = try runSequentially(oracle)
        #expect(trials.count == 18)
        #expect(Set(trials.map(\.values)).count == 18)
        for trial in trials {
            #expect((trial.values["beta_1"] != nil) == (trial.values["optimizer"] == "adam"))
        }
        #expect(oracle.createTrial(workerID: "again") == .searchIsOver)
    }

    @Test func runningTrialsAreNeverSuggestedTwice() throws {
        let space = try SearchSpace([try .choice("units", values: [8, 16, 32, 64])])
        let oracle = try RandomSearchOracle(objective: .maximize("accuracy"), searchSpace: space, seed: 5)
        let running = (0..<4).compactMap { oracle.createTrial(workerID: "w\($0)").trial }
        #expect(running.count == 4)
        #expect(Set(running.map(\.values)).count == 4)
        #expect(oracle.runningTrials.count == 4)
        #expect(oracle.createTrial(workerID: "w4") == .searchIsOver)
    }

    @Test func aWorkerAskingAgainGetsItsRunningTrialBack() throws {
        let oracle = try RandomSearchOracle(objective: .maximize("accuracy"), searchSpace: try bookSpace(), seed: 5)
        let first = try #require(oracle.createTrial(workerID: "a").trial)
        #expect(oracle.createTrial(workerID: "a").trial == first)
        #expect(oracle.createTrial(workerID: "b").trial?.id == 2)
    }

    @Test func logSamplingIsUniformInTheLogarithm() throws {
        let space = try SearchSpace([
            try .float("learning_rate", min: 1e-4, max: 1e-2, sampling: .log),
            try .int("n_neurons", min: 16, max: 256),
            try .int("batch", min: 1, max: 1024, sampling: .log),
        ])
        let oracle = try RandomSearchOracle(objective: .maximize("accuracy"), searchSpace: space, maxTrials: 4000, seed: 9)
        let trials = try runSequentially(oracle, score: { _, _ in 0 })
        let rates = trials.compactMap { $0.values["learning_rate"]?.doubleValue }
        let neurons = trials.compactMap { $0.values["n_neurons"]?.doubleValue }
        let batches = trials.compactMap { $0.values["batch"]?.doubleValue }
        #expect(rates.count == 4000)
        let belowMiddle = Double(rates.count { $0 < 1e-3 }) / 4000
        #expect(abs(belowMiddle - 0.5) < 0.03)
        let firstQuarter = Double(rates.count { $0 < pow(10, -3.5) }) / 4000
        #expect(abs(firstQuarter - 0.25) < 0.03)
        #expect(abs(neurons.reduce(0, +) / 4000 - 136) < 4)
        // Log-uniform integers: about half the draws fall below sqrt(1025) ~ 32.
        let smallBatches = Double(batches.count { $0 < 32 }) / 4000
        #expect(abs(smallBatches - 0.5) < 0.03)
    }

    @Test func enqueuedTrialsComeFirstWithDefaultsFilledIn() throws {
        let oracle = try RandomSearchOracle(objective: .maximize("val_accuracy"), searchSpace: try bookSpace(), maxTrials: 3, seed: 3)
        let queued = try oracle.enqueue(["n_hidden": 5, "optimizer": "adam"])
        #expect(queued.state == .waiting)
        #expect(queued.values == ["n_hidden": 5, "n_neurons": 16, "learning_rate": 1e-4, "optimizer": "adam"])
        let first = try #require(oracle.createTrial(workerID: "w").trial)
        #expect(first.id == queued.id)
        #expect(first.values == queued.values)
        #expect(first.state == .running)
        #expect(throws: OracleError.self) { try oracle.enqueue(["n_hidden": 12]) }
        do {
            try oracle.enqueue(["depth": 3])
        } catch {
            #expect(error.description.contains("'depth' is not in the search space"))
        }
    }

    @Test func requeuedTrialIsServedNextUnderItsOwnID() throws {
        let oracle = try RandomSearchOracle(objective: .maximize("accuracy"), searchSpace: try bookSpace(), seed: 3)
        let lost = try #require(oracle.createTrial(workerID: "dead").trial)
        try oracle.reportIntermediate(trialID: lost.id, step: 1, value: 0.5)
        try oracle.requeue(trialID: lost.id)
        #expect(oracle.trial(lost.id)?.state == .waiting)
        #expect(oracle.trial(lost.id)?.intermediateValues == [])
        let again = try #require(oracle.createTrial(workerID: "alive").trial)
        #expect(again.id == lost.id && again.values == lost.values && again.workerID == "alive")
    }

    @Test func endingAndReportingAreChecked() throws {
        let oracle = try RandomSearchOracle(objective: .maximize("accuracy"), searchSpace: try bookSpace(), seed: 3)
        #expect(throws: OracleError.unknownTrial(1)) { try oracle.endTrial(trialID: 1, outcome: .pruned) }
        let trial = try #require(oracle.createTrial(workerID: "w").trial)
        try oracle.reportIntermediate(trialID: trial.id, step: 2, value: 0.2)
        try oracle.reportIntermediate(trialID: trial.id, step: 0, value: 0.0)
        try oracle.reportIntermediate(trialID: trial.id, step: 1, value: 0.1)
        try oracle.reportIntermediate(trialID: trial.id, step: 2, value: 0.25)
        #expect(oracle.trial(trial.id)?.intermediateValues.map(\.step) == [0, 1, 2])
        #expect(oracle.trial(trial.id)?.lastIntermediateValue == 0.25)
        let ended = try oracle.endTrial(trialID: trial.id, outcome: .complete(.nan))
        #expect(ended.state == .failed)
        #expect(ended.failureReason == "the objective accuracy was nan")
        do {
            try oracle.endTrial(trialID: trial.id, outcome: .complete(1))
            Issue.record("ending a trial twice should fail")
        } catch {
            #expect(error == .trialNotRunning(trial.id, state: .failed))
            #expect(error.description.contains("Trial 1 is FAILED, not RUNNING"))
        }
        let failing = try #require(oracle.createTrial(workerID: "w").trial)
        #expect(try oracle.endTrial(trialID: failing.id, outcome: .failed("loss became NaN at epoch 3")).failureReason
            == "loss became NaN at epoch 3")
        let pruned = try #require(oracle.createTrial(workerID: "w").trial)
        #expect(try oracle.endTrial(trialID: pruned.id, outcome: .pruned).state == .pruned)
    }

    @Test func bestTrialsFollowTheDirection() throws {
        for direction in [Objective.Direction.maximize, .minimize] {
            let oracle = try RandomSearchOracle(objective: Objective("score", direction: direction), searchSpace: try bookSpace(), seed: 3)
            for score in [0.3, 0.9, 0.1, 0.9, 0.5] {
                let trial = try #require(oracle.createTrial(workerID: "w").trial)
                try oracle.endTrial(trialID: trial.id, outcome: .complete(score))
            }
            let failed = try #require(oracle.createTrial(workerID: "w").trial)
            try oracle.endTrial(trialID: failed.id, outcome: .failed("boom"))
            let best = oracle.bestTrials(3)
            if direction == .maximize {
                #expect(best.map(\.id) == [2, 4, 5])
            } else {
                #expect(best.map(\.id) == [3, 1, 5])
            }
            #expect(oracle.bestTrials(10).count == 5)
            #expect(oracle.bestTrial?.id == best.first?.id)
        }
    }

    @Test func summaryReadsLikeKerasTuners() throws {
        let space = try bookSpace()
        let oracle = try RandomSearchOracle(objective: .maximize("val_accuracy"), searchSpace: space, seed: 3)
        try oracle.enqueue(["n_hidden": 5, "n_neurons": 70, "learning_rate": 0.00041268008323824807, "optimizer": "adam"])
        let trial = try #require(oracle.createTrial(workerID: "w").trial)
        let ended = try oracle.endTrial(trialID: trial.id, outcome: .complete(0.8736000061035156))
        #expect(ended.summary(in: space) == """
            Trial 1 summary
            Hyperparameters:
            n_hidden: 5
            n_neurons: 70
            learning_rate: 0.00041268008323824807
            optimizer: adam
            Score: 0.8736000061035156
            """)
    }

    @Test func spaceGrowsWhenBuildingDefinesNewParameters() throws {
        let oracle = try RandomSearchOracle(objective: .maximize("accuracy"), searchSpace: try bookSpace(), seed: 3)
        let hp = try oracle.hyperParameters(for: try #require(oracle.createTrial(workerID: "w").trial))
        _ = try defineBookSpace(hp)
        try hp.boolean("normalize")
        try oracle.updateSpace(hp.space)
        #expect(oracle.searchSpace.names.last == "normalize")
        let conflicting = try SearchSpace([try .int("n_hidden", min: 0, max: 3)])
        #expect(throws: OracleError.self) { try oracle.updateSpace(conflicting) }
        #expect(oracle.searchSpace.count == 5)
        try oracle.setMaxTrials(3)
        #expect(oracle.maxTrials == 3)
        #expect(throws: OracleError.self) { try oracle.setMaxTrials(0) }
    }

    @Test func objectiveDirectionIsInferredForCommonNames() throws {
        #expect(try Objective(inferringDirectionOf: "val_accuracy") == .maximize("val_accuracy"))
        #expect(try Objective(inferringDirectionOf: "auc") == .maximize("auc"))
        #expect(try Objective(inferringDirectionOf: "val_loss") == .minimize("val_loss"))
        #expect(try Objective(inferringDirectionOf: "mean_squared_error") == .minimize("mean_squared_error"))
        #expect(throws: OracleError.cannotInferDirection(metric: "banana")) { try Objective(inferringDirectionOf: "banana") }
        #expect(throws: OracleError.self) { try RandomSearchOracle(objective: .maximize("a"), maxTrials: 0) }
    }
}
