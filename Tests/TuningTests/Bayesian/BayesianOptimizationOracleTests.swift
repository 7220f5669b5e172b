import Foundation
import Testing
import Tuning

/// The Bayesian oracle through the `Oracle` API: the book's space, parallel workers, duplicates,
/// conditional parameters, exhaustion, resumption and determinism.
@Suite struct BayesianOptimizationOracleTests {
    /// A finite space with a conditional parameter: 4 units × (sgd, or adam × 4 values of beta_1) = 20
    /// configurations.
    static func conditionalSpace() throws -> SearchSpace {
        let hp = HyperParameters()
        try hp.int("units", min: 1, max: 4)
        try hp.choice("optimizer", values: ["sgd", "adam"])
        try hp.conditionalScope(parent: "optimizer", values: ["adam"]) {
            try hp.float("beta_1", min: 0.9, max: 0.99, step: 0.03)
        }
        return hp.space
    }

    /// Runs `count` trials with one worker, completing each with the synthetic score.
    static func complete(_ count: Int, of oracle: some Oracle) throws {
        for _ in 0..<count {
            let trial = try #require(oracle.createTrial(workerID: "worker").trial)
            try oracle.endTrial(trialID: trial.id, outcome: .complete(syntheticScore(trial.values)))
        }
    }

    @Test func theBooksSpaceStartsWithThreeRandomTrialsThenUsesTheModel() throws {
        let oracle = try BayesianOptimizationOracle(
            objective: .maximize("val_accuracy"), searchSpace: try bookSpace(), maxTrials: 10, seed: 42)
        // Keras Tuner's 3 per dimension would make all 10 trials random; ours keeps 7 for the model.
        #expect(oracle.state.strategy.initialPointCount(for: oracle.searchSpace) == 3)
        var trials: [Trial] = []
        while case .run(let trial) = oracle.createTrial(workerID: "w") {
            let modelled = oracle.state.strategy.optimizer.lastHyperparameters != nil
            #expect(modelled == (trial.id > 3), "trial \(trial.id) comes from the model only after the initial design")
            try oracle.endTrial(trialID: trial.id, outcome: .complete(syntheticScore(trial.values)))
            trials.append(trial)
        }
        #expect(trials.count == 10)
        #expect(Set(trials.map(\.values)).count == 10)
        for trial in trials {
            #expect(try oracle.searchSpace.validated(trial.values) == trial.values, "trial \(trial.id) fits the space")
        }
        // The model's seven trials find a better configuration than the three random ones.
        let randomBest = trials.prefix(3).map { syntheticScore($0.values) }.max() ?? 0
        #expect((oracle.bestTrial?.score ?? 0) > randomBest)
    }

    @Test func numInitialPointsSetsTheRandomTrialsBeforeTheModel() throws {
        let oracle = try BayesianOptimizationOracle(
            objective: .maximize("val_accuracy"), searchSpace: try bookSpace(), maxTrials: 10, numInitialPoints: 5, seed: 42)
        #expect(oracle.state.strategy.initialPointCount(for: oracle.searchSpace) == 5)
        try Self.complete(5, of: oracle)
        #expect(oracle.state.strategy.optimizer.lastHyperparameters == nil)
        try Self.complete(1, of: oracle)
        #expect(oracle.state.strategy.optimizer.lastHyperparameters != nil)
    }

    @Test func everyKindOfParameterIsSuggestedWithinItsDefinition() throws {
        let space = try SearchSpace([
            try .int("layers", min: 1, max: 9, step: 2),
            try .int("units", min: 8, max: 512, sampling: .log),
            try .int("filters", min: 2, max: 64, step: 2, sampling: .log),
            try .int("seed", min: 0, max: 1_000_000),
            try .float("dropout", min: 0, max: 0.5),
            try .float("learning_rate", min: 1e-5, max: 1e-1, sampling: .log),
            try .float("momentum", min: 0.5, max: 0.999, sampling: .reverseLog),
            try .float("weight_decay", min: 1e-6, max: 1e-2, step: 10, sampling: .log),
            try .float("label_smoothing", min: 0, max: 0.2, step: 0.05),
            try .choice("batch_size", values: [32, 64, 128]),
            try .choice("activation", values: ["relu", "tanh", "gelu"]),
            try .boolean("batch_norm"),
            try .fixed("epochs", value: 10),
        ])
        let oracle = try BayesianOptimizationOracle(objective: .minimize("loss"), searchSpace: space, maxTrials: 20, seed: 3)
        let trials = try runSequentially(oracle) { values, _ in
            var loss = abs((values["learning_rate"]?.doubleValue).map { log10($0) + 3 } ?? 0)
            loss += abs((values["seed"]?.doubleValue ?? 0) / 1e6 - 0.3) + (values["activation"] == "gelu" ? 0 : 0.5)
            return loss + (values["dropout"]?.doubleValue ?? 0)
        }
        #expect(trials.count == 20)
        #expect(Set(trials.map(\.values)).count == 20)
        for trial in trials {
            #expect(trial.values.count == 13)
            #expect(try space.validated(trial.values) == trial.values, "trial \(trial.id) fits the space")
        }
        #expect(oracle.state.strategy.optimizer.lastHyperparameters != nil)
    }

    @Test func parallelWorkersGetDifferentSuggestions() throws {
        let oracle = try BayesianOptimizationOracle(
            objective: .maximize("val_accuracy"), searchSpace: try bookSpace(), maxTrials: 30, seed: 3)
        try Self.complete(8, of: oracle)
        let running = (0..<4).compactMap { oracle.createTrial(workerID: "worker \($0)").trial }
        #expect(running.count == 4)
        #expect(oracle.state.strategy.optimizer.lastHyperparameters != nil, "these come from the model")
        #expect(Set(running.map(\.values)).count == 4)
        #expect(Set(oracle.trials.map(\.values)).count == oracle.trials.count)
        // A worker asking again without ending its trial gets it back.
        #expect(oracle.createTrial(workerID: "worker 0").trial == running[0])
    }

    @Test func concurrentWorkersExhaustAFiniteSpaceWithoutDuplicates() async throws {
        let space = try SearchSpace([try .int("units", min: 1, max: 6), try .boolean("normalize")])
        let oracle = try BayesianOptimizationOracle(objective: .minimize("val_loss"), searchSpace: space, seed: 9)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    while case .run(let trial) = oracle.createTrial(workerID: "worker \(worker)") {
                        let units = Double(trial.values["units"]?.intValue ?? 0)
                        let penalty = trial.values["normalize"] == true ? 0.0 : 0.5
                        try oracle.endTrial(trialID: trial.id, outcome: .complete(abs(units - 4) + penalty))
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(oracle.trials.count == 12)
        #expect(Set(oracle.trials.map(\.values)).count == 12)
        #expect(oracle.createTrial(workerID: "late") == .searchIsOver)
    }

    @Test func inactiveParametersAreParkedSoAConditionalSpaceIsExhaustedExactly() throws {
        let space = try Self.conditionalSpace()
        #expect(space.combinationCount == 20)
        let oracle = try BayesianOptimizationOracle(objective: .maximize("accuracy"), searchSpace: space, seed: 5)
        let trials = try runSequentially(oracle) { values, _ in
            let base = Double(values["units"]?.intValue ?? 0)
            return base + (values["beta_1"]?.doubleValue ?? 0.5)
        }
        #expect(trials.count == 20)
        #expect(Set(trials.map(\.values)).count == 20)
        for trial in trials where trial.values["optimizer"] == "sgd" {
            #expect(trial.values["beta_1"] == nil, "an inactive parameter is not part of a trial's values")
        }
        // Every trial came from the optimizer: a configuration differing only in an inactive
        // parameter would have been a distinct point for it, decoded onto a tried configuration, and
        // replaced by a random draw after more suggestions than trials.
        #expect(oracle.state.strategy.optimizer.suggestionCount == 20)
    }

    @Test func failedAndPrunedTrialsAreNeverRepeated() throws {
        let space = try SearchSpace([try .int("units", min: 1, max: 3), try .choice("activation", values: ["relu", "tanh"])])
        let oracle = try BayesianOptimizationOracle(objective: .maximize("accuracy"), searchSpace: space, seed: 2)
        var count = 0
        while case .run(let trial) = oracle.createTrial(workerID: "w") {
            count += 1
            let outcome: TrialOutcome = trial.id % 3 == 0 ? .failed("out of memory") : trial.id % 3 == 1 ? .pruned : .complete(Double(trial.id))
            try oracle.endTrial(trialID: trial.id, outcome: outcome)
        }
        #expect(count == 6)
        #expect(Set(oracle.trials.map(\.values)).count == 6)
    }

    @Test func enqueuedTrialsComeFirstAndAreNotRepeated() throws {
        let oracle = try BayesianOptimizationOracle(
            objective: .maximize("val_accuracy"), searchSpace: try bookSpace(), maxTrials: 12, seed: 1)
        let first = try oracle.enqueue(["n_hidden": 3, "n_neurons": 128, "learning_rate": 1e-3, "optimizer": "adam"])
        let second = try oracle.enqueue(["n_hidden": 1])
        let trials = try runSequentially(oracle)
        #expect(trials.map(\.id).prefix(2) == [first.id, second.id])
        #expect(trials.first?.values == first.values)
        #expect(Set(trials.map(\.values)).count == 12)
    }

    @Test func aMaximizedScoreIsTheNegationOfAMinimizedOne() throws {
        func run(_ objective: Objective, sign: Double) throws -> [[String: HyperParameterValue]] {
            let oracle = try BayesianOptimizationOracle(objective: objective, searchSpace: try bookSpace(), maxTrials: 9, seed: 11)
            return try runSequentially(oracle) { values, _ in sign * syntheticScore(values) }.map(\.values)
        }
        #expect(try run(.maximize("accuracy"), sign: 1) == run(.minimize("loss"), sign: -1))
    }

    @Test func theSameSeedGivesTheSameTrialsAndAnotherSeedOthers() throws {
        func run(seed: UInt64) throws -> [[String: HyperParameterValue]] {
            let oracle = try BayesianOptimizationOracle(
                objective: .maximize("val_accuracy"), searchSpace: try bookSpace(), maxTrials: 10, seed: seed)
            return try runSequentially(oracle).map(\.values)
        }
        let first = try run(seed: 7)
        #expect(try run(seed: 7) == first)
        let other = try run(seed: 8)
        #expect(other != first)
        #expect(other.first != first.first)
    }

    @Test func anInterruptedSearchResumesExactly() throws {
        try checkExactResume(steps: 80, interruptions: [1, 9, 10, 23, 41]) {
            try BayesianOptimizationOracle(
                objective: .maximize("val_accuracy"), searchSpace: try bookSpace(), maxTrials: 24, seed: 42)
        }
    }

    @Test func anInterruptedConditionalSearchResumesExactlyToExhaustion() throws {
        let space = try Self.conditionalSpace()
        try checkExactResume(steps: 60, interruptions: [4, 12, 13, 30]) {
            try BayesianOptimizationOracle(
                objective: .minimize("val_loss"), searchSpace: space, acquisition: .upperConfidenceBound, seed: 6)
        }
    }

    @Test func theStateHoldsTheOptimizerAndRestoresOnlyIntoABayesianOracle() throws {
        let oracle = try BayesianOptimizationOracle(
            objective: .maximize("val_accuracy"), searchSpace: try bookSpace(), maxTrials: 10, numInitialPoints: 2,
            alpha: 1e-3, beta: 3, acquisition: .upperConfidenceBound, seed: 4)
        try Self.complete(4, of: oracle)
        let text = String(decoding: try oracle.exportState(), as: UTF8.self)
        #expect(text.contains(#""kind":"bayesian""#))
        #expect(text.contains(#""acquisition":"upperConfidenceBound""#))
        #expect(text.contains(#""lastHyperparameters":{"#))
        let restored = try BayesianOptimizationOracle(restoringFrom: Data(text.utf8))
        #expect(restored.state.strategy.alpha == 1e-3)
        #expect(restored.state.strategy.beta == 3)
        #expect(restored.state.strategy.numInitialPoints == 2)
        #expect(throws: OracleError.stateKindMismatch(expected: "random", found: "bayesian")) {
            try RandomSearchOracle(restoringFrom: Data(text.utf8))
        }
        let broken = text.replacingOccurrences(of: #""alpha":0.001"#, with: #""alpha":-1"#)
        #expect(broken != text)
        do {
            _ = try BayesianOptimizationOracle(restoringFrom: Data(broken.utf8))
            Issue.record("a negative alpha should be refused")
        } catch {
            #expect(error.description.contains("Invalid alpha: -1.0 is not a positive number"))
        }
    }

    @Test func parametersAddedDuringTheSearchAreTunedFromThen() throws {
        let oracle = try BayesianOptimizationOracle(
            objective: .maximize("val_accuracy"), searchSpace: try bookSpace(), maxTrials: 16, seed: 12)
        try Self.complete(6, of: oracle)
        let hp = HyperParameters()
        try hp.int("units", min: 8, max: 64, step: 8)
        try oracle.updateSpace(hp.space)
        let later = try runSequentially(oracle)
        #expect(later.count == 10)
        #expect(later.allSatisfy { $0.values["units"] != nil })
        #expect(Set(later.compactMap { $0.values["units"] }).count > 1)
    }

    @Test func aSpaceWithNothingToTuneHasOneTrial() throws {
        let space = try SearchSpace([try .fixed("epochs", value: 10), try .int("units", min: 32, max: 32)])
        let oracle = try BayesianOptimizationOracle(objective: .maximize("accuracy"), searchSpace: space, seed: 1)
        let trials = try runSequentially(oracle)
        #expect(trials.map(\.values) == [["epochs": 10, "units": 32]])
    }

    @Test func invalidArgumentsAreNamed() {
        let cases: [(() throws(OracleError) -> Void, String)] = [
            ({ () throws(OracleError) in _ = try BayesianOptimizationOracle(objective: .maximize("a"), maxTrials: 0) }, "maxTrials"),
            ({ () throws(OracleError) in _ = try BayesianOptimizationOracle(objective: .maximize("a"), numInitialPoints: -1) }, "numInitialPoints"),
            ({ () throws(OracleError) in _ = try BayesianOptimizationOracle(objective: .maximize("a"), alpha: 0) }, "alpha"),
            ({ () throws(OracleError) in _ = try BayesianOptimizationOracle(objective: .maximize("a"), alpha: .nan) }, "alpha"),
            ({ () throws(OracleError) in _ = try BayesianOptimizationOracle(objective: .maximize("a"), beta: -1) }, "beta"),
        ]
        for (make, name) in cases {
            do {
                try make()
                Issue.record("\(name) should be refused")
            } catch {
                guard case .invalidArgument(let argument, let message) = error else {
                    Issue.record("unexpected error \(error)")
                    continue
                }
                #expect(argument == name)
                #expect(!message.isEmpty)
            }
        }
    }
}
