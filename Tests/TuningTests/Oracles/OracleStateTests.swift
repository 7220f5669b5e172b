import Foundation
import Testing
import Tuning

/// Saving an oracle's state and restoring it continues the search exactly: the same suggestions,
/// in the same order, as a search that was never interrupted.
@Suite struct OracleStateTests {
    @Test func randomSearchResumesExactly() throws {
        try checkExactResume(steps: 120, interruptions: [1, 17, 18, 64]) {
            try RandomSearchOracle(objective: .maximize("val_accuracy"), searchSpace: try bookSpace(), maxTrials: 40, seed: 42)
        }
    }

    @Test func randomSearchResumesExactlyWhileExhaustingAFiniteSpace() throws {
        let space = try SearchSpace([try .int("units", min: 1, max: 6), try .boolean("normalize")])
        try checkExactResume(steps: 60, interruptions: [5, 20, 21]) {
            try RandomSearchOracle(objective: .minimize("val_loss"), searchSpace: space, seed: 7)
        }
    }

    @Test func gridSearchResumesExactly() throws {
        let hp = HyperParameters()
        try hp.choice("optimizer", values: ["sgd", "adam"])
        try hp.conditionalScope(parent: "optimizer", values: ["adam"]) {
            try hp.float("beta_1", min: 0.9, max: 0.99, step: 0.03)
        }
        try hp.int("units", min: 16, max: 128, step: 2, sampling: .log)
        let space = hp.space
        try checkExactResume(steps: 100, interruptions: [3, 10, 33]) {
            try GridSearchOracle(objective: .maximize("accuracy"), searchSpace: space)
        }
    }

    @Test func hyperbandResumesExactly() throws {
        try checkExactResume(steps: 600, interruptions: [2, 13, 50, 51, 140, 199]) {
            try HyperbandOracle(
                objective: .maximize("val_accuracy"), searchSpace: try bookSpace(), maxEpochs: 27, factor: 3,
                hyperbandIterations: 2, seed: 42)
        }
    }

    @Test func tpeResumesExactly() throws {
        try checkExactResume(steps: 130, interruptions: [1, 12, 25, 26, 50, 71]) {
            try TPEOracle(objective: .maximize("val_accuracy"), searchSpace: try bookSpace(), maxTrials: 40, seed: 42)
        }
    }

    @Test func tpeResumesExactlyOnAConditionalSpaceItExhausts() throws {
        let hp = HyperParameters()
        try hp.int("units", min: 1, max: 5)
        try hp.choice("optimizer", values: ["sgd", "adam"])
        try hp.conditionalScope(parent: "optimizer", values: ["adam"]) {
            try hp.float("learning_rate", min: 1e-4, max: 1e-2, step: 10, sampling: .log)
        }
        // 5 × (1 + 3) = 20 configurations: the search ends by exhausting them.
        try checkExactResume(steps: 80, interruptions: [4, 15, 16, 40]) {
            try TPEOracle(objective: .minimize("val_loss"), searchSpace: hp.space, numStartupTrials: 4, seed: 7)
        }
    }

    @Test func enqueuedAndRequeuedTrialsSurviveARestore() throws {
        let oracle = try RandomSearchOracle(objective: .maximize("accuracy"), searchSpace: try bookSpace(), seed: 1)
        let lost = try #require(oracle.createTrial(workerID: "dead").trial)
        try oracle.requeue(trialID: lost.id)
        let queued = try oracle.enqueue(["n_hidden": 7])
        let restored = try RandomSearchOracle(restoringFrom: try oracle.exportState())
        #expect(restored.createTrial(workerID: "a").trial?.id == lost.id)
        #expect(restored.createTrial(workerID: "b").trial?.id == queued.id)
        #expect(restored.createTrial(workerID: "c").trial?.values != lost.values)
    }

    @Test func stateJSONIsReadable() throws {
        let oracle = try RandomSearchOracle(objective: .maximize("val_accuracy"), searchSpace: try bookSpace(), maxTrials: 5, seed: 42)
        let trial = try #require(oracle.createTrial(workerID: "w").trial)
        try oracle.reportIntermediate(trialID: trial.id, step: 0, value: .nan)
        let text = String(decoding: try oracle.exportState(), as: UTF8.self)
        #expect(text.contains(#""kind":"random""#))
        #expect(text.contains(#""objective":{"direction":"max","name":"val_accuracy"}"#))
        #expect(text.contains(#""value":"nan""#))
        #expect(text.contains(#""state":"RUNNING""#))
        #expect(text.contains(#""type":"choice""#))
    }

    @Test func aStateIsRestoredOnlyIntoItsOwnKindOfOracle() throws {
        let random = try RandomSearchOracle(objective: .maximize("accuracy"), searchSpace: try bookSpace(), seed: 1)
        let data = try random.exportState()
        do {
            _ = try HyperbandOracle(restoringFrom: data)
            Issue.record("a random-search state should not restore into Hyperband")
        } catch {
            #expect(error == .stateKindMismatch(expected: "hyperband", found: "random"))
        }
        do {
            _ = try GridSearchOracle(restoringFrom: data)
            Issue.record("a random-search state should not restore into grid search")
        } catch {
            #expect(error == .stateKindMismatch(expected: "grid", found: "random"))
        }
        #expect(throws: OracleError.self) { try RandomSearchOracle(restoringFrom: Data("{not json".utf8)) }
    }

    @Test func inconsistentStatesAreRefused() throws {
        let oracle = try RandomSearchOracle(objective: .maximize("accuracy"), searchSpace: try bookSpace(), seed: 1)
        _ = oracle.createTrial(workerID: "w")
        var text = String(decoding: try oracle.exportState(), as: UTF8.self)
        text = text.replacingOccurrences(of: #""state":"RUNNING""#, with: #""state":"COMPLETE""#)
        do {
            _ = try RandomSearchOracle(restoringFrom: Data(text.utf8))
            Issue.record("a worker running a finished trial is inconsistent")
        } catch {
            #expect(error.description.contains("worker w is said to run trial 1, which is not RUNNING"))
        }
        let hyperband = try HyperbandOracle(objective: .maximize("accuracy"), searchSpace: try bookSpace(), maxEpochs: 9)
        let broken = String(decoding: try hyperband.exportState(), as: UTF8.self)
            .replacingOccurrences(of: #""factor":3"#, with: #""factor":1"#)
        do {
            _ = try HyperbandOracle(restoringFrom: Data(broken.utf8))
            Issue.record("factor 1 should be refused")
        } catch {
            #expect(error.description.contains("Invalid factor: 1 is below 2"))
        }
    }
}

/// The parts a store keeps (`OracleStateChanges`): what an export holds, how a whole state moves apart,
/// and the errors of parts that do not fit.
@Suite struct OracleStateChangesTests {
    private func makeOracle() throws -> RandomSearchOracle {
        try RandomSearchOracle(objective: .maximize("val_accuracy"), searchSpace: try bookSpace(), maxTrials: 50, seed: 3)
    }

    @Test func anExportHoldsTheCoreWithoutTrialsAndOnlyTheTrialsChangedSinceTheLastOne() throws {
        let oracle = try makeOracle()
        for worker in ["a", "b", "c"] { _ = oracle.createTrial(workerID: worker) }
        let first = try oracle.exportChanges()
        #expect(Set(first.trials.keys) == [1, 2, 3])
        #expect(!first.replacesStoredTrials)
        let core = try JSONSerialization.jsonObject(with: first.core) as? [String: Any]
        #expect((core?["trials"] as? [Any])?.isEmpty == true)
        try oracle.endTrial(trialID: 2, outcome: .complete(0.5))
        #expect(oracle.hasUnexportedChanges)
        #expect(Set(try oracle.exportChanges().trials.keys) == [2])
        #expect(try oracle.exportChanges().trials.isEmpty)
    }

    @Test func aWholeStateRestoresWithEveryTrialToBeMovedApart() throws {
        let oracle = try makeOracle()
        for worker in ["a", "b"] { _ = oracle.createTrial(workerID: worker) }
        let restored = try RandomSearchOracle(restoringCore: try oracle.exportState(), trials: [])
        #expect(restored.trials == oracle.trials)
        #expect(Set(try restored.exportChanges().trials.keys) == [1, 2])
        #expect(OracleStateChanges(wholeState: Data("{}".utf8)).replacesStoredTrials)
    }

    @Test func appliedChangesReplaceAWholeStatesTrialsWhenTheCoreCarriesThem() throws {
        let leader = try makeOracle()
        let follower = try RandomSearchOracle(restoringCore: try leader.exportChanges().core, trials: [])
        for worker in ["a", "b"] { _ = leader.createTrial(workerID: worker) }
        try follower.applyStoredChanges(core: try leader.exportState(), trials: [])
        #expect(follower.trials == leader.trials)
    }

    @Test func partsThatLeaveAGapOrBelongElsewhereAreRefusedAndChangeNothing() throws {
        let oracle = try makeOracle()
        for worker in ["a", "b", "c"] { _ = oracle.createTrial(workerID: worker) }
        let changes = try oracle.exportChanges()
        let third = try #require(changes.trials[3])
        #expect(throws: OracleError.self) { try RandomSearchOracle(restoringCore: changes.core, trials: [third]) }
        let follower = try makeOracle()
        #expect(throws: OracleError.self) { try follower.applyStoredChanges(core: changes.core, trials: [third]) }
        #expect(follower.trials.isEmpty)
        let other = try RandomSearchOracle(objective: .maximize("val_accuracy"), searchSpace: try bookSpace(), maxTrials: 50, seed: 4)
        #expect(throws: OracleError.self) { try other.applyStoredChanges(core: changes.core, trials: []) }
        #expect(throws: OracleError.self) {
            try GridSearchOracle(restoringCore: changes.core, trials: [])
        }
    }

    @Test func changesThatBreakTheStatesInvariantsLeaveTheOracleAsItWas() throws {
        let leader = try makeOracle()
        for worker in ["a", "b"] { _ = leader.createTrial(workerID: worker) }
        _ = try leader.exportChanges()
        let follower = try RandomSearchOracle(restoringFrom: try leader.exportState())
        let before = follower.trials
        try leader.endTrial(trialID: 1, outcome: .complete(0.9))
        _ = leader.createTrial(workerID: "c")
        let changes = try leader.exportChanges()
        // A core that says trial 1 is still queued, with the trials that ended it: not a state.
        var core = try #require(try JSONSerialization.jsonObject(with: changes.core) as? [String: Any])
        core["requeued"] = [1]
        let broken = try JSONSerialization.data(withJSONObject: core)
        let trials = changes.trials.sorted { $0.key < $1.key }.map(\.value)
        let error = #expect(throws: OracleError.self) { try follower.applyStoredChanges(core: broken, trials: trials) }
        #expect(error.map { String(describing: $0) }?.contains("queued trial 1 is not a WAITING trial") == true, "\(String(describing: error))")
        #expect(follower.trials == before)
        try follower.applyStoredChanges(core: changes.core, trials: trials)
        #expect(follower.trials == leader.trials)
    }
}
