import Foundation
import Testing
import Tuning

@Suite struct GridSearchOracleTests {
    @Test func kerasTunersDocumentedOrder() throws {
        // Keras Tuner's GridSearch docstring: ["sgd", 0.01], ["sgd", 0.1], ["adam", 0.01], ["adam", 0.1].
        let space = try SearchSpace([
            try .choice("model_name", values: ["sgd", "adam"]),
            try .choice("learning_rate", values: [0.01, 0.1]),
        ])
        let oracle = try GridSearchOracle(objective: .maximize("accuracy"), searchSpace: space)
        let trials = try runSequentially(oracle)
        #expect(trials.map(\.values) == [
            ["model_name": "sgd", "learning_rate": 0.01], ["model_name": "sgd", "learning_rate": 0.1],
            ["model_name": "adam", "learning_rate": 0.01], ["model_name": "adam", "learning_rate": 0.1],
        ])
    }

    @Test func defaultComesFirstThenTheOthersInOrder() throws {
        let space = try SearchSpace([
            try .int("n_hidden", min: 1, max: 4, default: 3),
            try .float("dropout", min: 0, max: 0.5, step: 0.25),
        ])
        let oracle = try GridSearchOracle(objective: .maximize("accuracy"), searchSpace: space)
        let trials = try runSequentially(oracle)
        #expect(trials.map { $0.values["n_hidden"] } == [3, 3, 3, 1, 1, 1, 2, 2, 2, 4, 4, 4].map { .int($0) })
        #expect(trials.prefix(3).map { $0.values["dropout"] } == [0.0, 0.25, 0.5].map { .float($0) })
    }

    @Test func conditionalParametersVaryOnlyWhileActive() throws {
        let hp = HyperParameters()
        try hp.choice("optimizer", values: ["sgd", "adam"])
        try hp.conditionalScope(parent: "optimizer", values: ["adam"]) {
            try hp.choice("beta_1", values: [0.9, 0.99])
        }
        try hp.int("units", min: 1, max: 3)
        try hp.boolean("normalize")
        let oracle = try GridSearchOracle(objective: .maximize("accuracy"), searchSpace: hp.space)
        let trials = try runSequentially(oracle)
        #expect(trials.count == 18)
        #expect(Set(trials.map(\.values)).count == 18)
        #expect(trials.first?.values == ["optimizer": "sgd", "units": 1, "normalize": false])
        #expect(trials[6].values == ["optimizer": "adam", "beta_1": 0.9, "units": 1, "normalize": false])
        #expect(trials.last?.values == ["optimizer": "adam", "beta_1": 0.99, "units": 3, "normalize": true])
        for trial in trials {
            #expect((trial.values["beta_1"] != nil) == (trial.values["optimizer"] == "adam"))
        }
    }

    @Test func floatsNeedAStep() throws {
        let space = try bookSpace()
        do {
            _ = try GridSearchOracle(objective: .maximize("accuracy"), searchSpace: space)
            Issue.record("a continuous float should be refused")
        } catch {
            #expect(error == .gridNeedsDiscreteParameter(name: "learning_rate"))
            #expect(error.description.contains("Grid search cannot enumerate 'learning_rate': a float needs a step"))
        }
        let oracle = try GridSearchOracle(objective: .maximize("accuracy"))
        let continuous = try SearchSpace([try .float("dropout", min: 0, max: 0.5)])
        #expect(throws: OracleError.gridNeedsDiscreteParameter(name: "dropout")) { try oracle.updateSpace(continuous) }
        #expect(oracle.searchSpace.isEmpty)
    }

    @Test func maxTrialsCutsTheGridAndRaisingItContinues() throws {
        let space = try SearchSpace([try .int("units", min: 1, max: 10)])
        let oracle = try GridSearchOracle(objective: .maximize("accuracy"), searchSpace: space, maxTrials: 4)
        #expect(try runSequentially(oracle).map { $0.values["units"] } == [1, 2, 3, 4].map { .int($0) })
        try oracle.setMaxTrials(6)
        #expect(try runSequentially(oracle).map { $0.values["units"] } == [5, 6].map { .int($0) })
    }

    @Test func enqueuedCombinationsAreNotRepeated() throws {
        let space = try SearchSpace([try .int("units", min: 1, max: 4)])
        let oracle = try GridSearchOracle(objective: .maximize("accuracy"), searchSpace: space)
        try oracle.enqueue(["units": 3])
        #expect(try runSequentially(oracle).map { $0.values["units"] } == [3, 1, 2, 4].map { .int($0) })
    }

    @Test func parallelWorkersGetDistinctCombinations() throws {
        let space = try SearchSpace([try .int("units", min: 1, max: 3), try .boolean("normalize")])
        let oracle = try GridSearchOracle(objective: .maximize("accuracy"), searchSpace: space)
        let running = (0..<6).compactMap { oracle.createTrial(workerID: "w\($0)").trial }
        #expect(Set(running.map(\.values)).count == 6)
        #expect(oracle.createTrial(workerID: "w6") == .searchIsOver)
    }

    @Test func resumesFromTheNextCombination() throws {
        let space = try SearchSpace([
            try .choice("activation", values: ["relu", "tanh", "selu"]),
            try .int("units", min: 16, max: 64, step: 16),
        ])
        let uninterrupted = try runSequentially(try GridSearchOracle(objective: .maximize("accuracy"), searchSpace: space))
        let first = try GridSearchOracle(objective: .maximize("accuracy"), searchSpace: space, maxTrials: 5)
        let before = try runSequentially(first)
        let restored = try GridSearchOracle(restoringFrom: try first.exportState())
        try restored.setMaxTrials(nil)
        let after = try runSequentially(restored)
        #expect(uninterrupted.count == 12)
        #expect((before + after).map(\.values) == uninterrupted.map(\.values))
    }
}
