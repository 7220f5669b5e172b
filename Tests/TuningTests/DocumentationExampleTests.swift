import Foundation
import Testing
import Tuning

/// The examples of docs/oracles.md, kept compiling and true.
@Suite struct DocumentationExampleTests {
    /// Stands in for the Keras-style model the real `build` returns.
    struct ModelDescription {
        var hiddenLayers: [Int]
        var optimizer: String
        var learningRate: Double
    }

    func buildModel(_ hp: HyperParameters) throws -> ModelDescription {
        let nHidden = try hp.int("n_hidden", min: 0, max: 8, default: 2)
        let nNeurons = try hp.int("n_neurons", min: 16, max: 256)
        let learningRate = try hp.float("learning_rate", min: 1e-4, max: 1e-2, sampling: .log)
        let optimizer = try hp.choice("optimizer", values: ["sgd", "adam"])
        return ModelDescription(
            hiddenLayers: Array(repeating: nNeurons, count: nHidden), optimizer: optimizer, learningRate: learningRate)
    }

    /// A pretend training run: one validation accuracy per epoch.
    func validationAccuracy(_ model: ModelDescription, epoch: Int) -> Double {
        syntheticScore(
            ["n_hidden": .int(model.hiddenLayers.count), "n_neurons": .int(model.hiddenLayers.first ?? 16),
             "learning_rate": .float(model.learningRate), "optimizer": .string(model.optimizer)],
            epochs: epoch + 1)
    }

    @Test func randomSearchLoop() throws {
        let collector = HyperParameters()
        _ = try buildModel(collector)
        #expect(collector.space.summary().hasPrefix("Search space summary\nDefault search space size: 4"))

        let oracle = try RandomSearchOracle(
            objective: .maximize("val_accuracy"), searchSpace: collector.space, maxTrials: 5, seed: 42)
        search: while true {
            switch oracle.createTrial(workerID: "worker-1") {
            case .run(let trial):
                let hp = try oracle.hyperParameters(for: trial)
                let model = try buildModel(hp)
                try oracle.updateSpace(hp.space)
                var best = -Double.infinity
                for epoch in 0..<10 {
                    let accuracy = validationAccuracy(model, epoch: epoch)
                    try oracle.reportIntermediate(trialID: trial.id, step: epoch, value: accuracy)
                    best = max(best, accuracy)
                }
                try oracle.endTrial(trialID: trial.id, outcome: .complete(best))
            case .waitForRunningTrials:
                Thread.sleep(forTimeInterval: 0.01)
            case .searchIsOver:
                break search
            }
        }
        let top3 = oracle.bestTrials(3)
        #expect(top3.count == 3)
        #expect(top3[0].summary(in: oracle.searchSpace).hasPrefix("Trial \(top3[0].id) summary\nHyperparameters:\nn_hidden: "))
        #expect(oracle.trials.count == 5)
    }

    @Test func hyperbandLoop() throws {
        let collector = HyperParameters()
        _ = try buildModel(collector)
        let oracle = try HyperbandOracle(
            objective: .maximize("val_accuracy"), searchSpace: collector.space,
            maxEpochs: 10, factor: 3, hyperbandIterations: 2, seed: 42)
        #expect(oracle.schedule.totalTrials == 60)
        var checkpoints: [Trial.ID: (model: ModelDescription, epoch: Int)] = [:]
        while case .run(let trial) = oracle.createTrial(workerID: "worker-1") {
            let plan = try #require(trial.hyperband)
            var model: ModelDescription
            if let parent = plan.parentTrialID {
                let checkpoint = try #require(checkpoints[parent])
                #expect(checkpoint.epoch == plan.initialEpoch)
                model = checkpoint.model
            } else {
                model = try buildModel(try oracle.hyperParameters(for: trial))
            }
            var last = 0.0
            for epoch in plan.initialEpoch..<plan.epochs {
                last = validationAccuracy(model, epoch: epoch)
                try oracle.reportIntermediate(trialID: trial.id, step: epoch, value: last)
            }
            checkpoints[trial.id] = (model, plan.epochs)
            try oracle.endTrial(trialID: trial.id, outcome: .complete(last))
            let needed = Set(oracle.trialsThatMayBePromoted)
            checkpoints = checkpoints.filter { needed.contains($0.key) }
        }
        #expect(oracle.trials.count == 60)
        #expect(checkpoints.isEmpty)
    }

    @Test func savingAndResuming() throws {
        let collector = HyperParameters()
        _ = try buildModel(collector)
        let oracle = try RandomSearchOracle(
            objective: .maximize("val_accuracy"), searchSpace: collector.space, maxTrials: 5, seed: 42)
        try runSequentially(oracle)
        let saved: Data = try oracle.exportState()

        let resumed = try RandomSearchOracle(restoringFrom: saved)
        #expect(resumed.searchSpace.differences(from: collector.space).isEmpty)
        try resumed.setMaxTrials(10)
        #expect(try runSequentially(resumed).count == 5)
    }

    @Test func bayesianOptimizationOnTheBooksSpace() throws {
        let collector = HyperParameters()
        _ = try buildModel(collector)
        let oracle = try BayesianOptimizationOracle(
            objective: .maximize("val_accuracy"), searchSpace: collector.space, maxTrials: 10, seed: 42)
        while case .run(let trial) = oracle.createTrial(workerID: "worker-1") {
            let model = try buildModel(try oracle.hyperParameters(for: trial))
            let accuracy = validationAccuracy(model, epoch: 9)
            try oracle.endTrial(trialID: trial.id, outcome: .complete(accuracy))
        }
        #expect(oracle.trials.count == 10)
        // Saved and restored, the finished search continues with a larger budget, as in the book.
        let resumed = try BayesianOptimizationOracle(restoringFrom: try oracle.exportState())
        try resumed.setMaxTrials(15)
        #expect(try runSequentially(resumed).count == 5)
        #expect(Set(resumed.trials.map(\.values)).count == 15)

        let problem = SyntheticProblem.branin
        let branin = try BayesianOptimizationOracle(
            objective: problem.objective, searchSpace: problem.space, maxTrials: problem.trials, seed: 0)
        #expect(try problem.run(branin) - problem.optimum < 0.01)
    }
}
