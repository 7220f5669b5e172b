import Foundation
import Testing
import Tuning

/// A trial that defines a parameter while it runs records the default it ran with.
@Suite struct CompleteValuesTests {
    func oracle() throws -> RandomSearchOracle {
        let hp = HyperParameters()
        _ = try hp.float("learning_rate", min: 1e-4, max: 1e-2, sampling: .log)
        return try RandomSearchOracle(objective: .maximize("score"), searchSpace: hp.space, maxTrials: 5, seed: 1)
    }

    @Test func valuesDefinedWhileRunningJoinTheTrialAndItsExportedState() throws {
        let oracle = try oracle()
        guard case .run(let trial) = oracle.createTrial(workerID: "w") else {
            Issue.record("no trial")
            return
        }
        // The trial's fit defines a batch size; its default is what it ran with.
        let hp = try oracle.hyperParameters(for: trial)
        let batchSize = try hp.choice("batch_size", values: [16, 32, 64], default: 32)
        #expect(batchSize == 32)
        try oracle.updateSpace(hp.space)
        try oracle.completeValues(trialID: trial.id, with: hp.values)
        let ended = try oracle.endTrial(trialID: trial.id, outcome: .complete(0.5))
        #expect(ended.values["batch_size"] == .int(32))
        #expect(ended.values["learning_rate"] == trial.values["learning_rate"])
        let restored = try RandomSearchOracle(restoringFrom: try oracle.exportState())
        #expect(restored.trial(trial.id)?.values["batch_size"] == .int(32))
    }

    @Test func knownValuesStayAndBadValuesAreRefused() throws {
        let oracle = try oracle()
        guard case .run(let trial) = oracle.createTrial(workerID: "w") else {
            Issue.record("no trial")
            return
        }
        let original = try #require(trial.values["learning_rate"])
        try oracle.completeValues(trialID: trial.id, with: ["learning_rate": .float(0.005), "unknown": .int(3)])
        #expect(oracle.trial(trial.id)?.values == ["learning_rate": original])

        let hp = HyperParameters()
        _ = try hp.float("learning_rate", min: 1e-4, max: 1e-2, sampling: .log)
        _ = try hp.int("units", min: 1, max: 10)
        try oracle.updateSpace(hp.space)
        #expect(throws: OracleError.self) {
            try oracle.completeValues(trialID: trial.id, with: ["units": .int(99)])
        }
        _ = try oracle.endTrial(trialID: trial.id, outcome: .complete(1))
        #expect(throws: OracleError.self) {
            try oracle.completeValues(trialID: trial.id, with: ["units": .int(2)])
        }
    }
}
