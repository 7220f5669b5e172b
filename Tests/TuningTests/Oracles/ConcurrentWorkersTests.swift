import Foundation
import Testing
import Tuning

/// Many workers calling one oracle at the same time never share a configuration or lose a result.
@Suite struct ConcurrentWorkersTests {
    @Test func concurrentWorkersGetDistinctTrialsAndEveryResultIsKept() async throws {
        let space = try SearchSpace([try .int("units", min: 1, max: 10), try .choice("activation", values: ["relu", "tanh", "selu"])])
        let oracle = try RandomSearchOracle(objective: .maximize("accuracy"), searchSpace: space, seed: 4)
        let finished = try await withThrowingTaskGroup(of: [Trial.ID].self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var mine: [Trial.ID] = []
                    while case .run(let trial) = oracle.createTrial(workerID: "worker \(worker)") {
                        try oracle.reportIntermediate(trialID: trial.id, step: 0, value: 0.5)
                        try oracle.endTrial(trialID: trial.id, outcome: .complete(Double(trial.id)))
                        mine.append(trial.id)
                    }
                    return mine
                }
            }
            var all: [Trial.ID] = []
            for try await ids in group { all += ids }
            return all
        }
        #expect(finished.sorted() == Array(1...30))
        #expect(Set(oracle.trials.map(\.values)).count == 30)
        #expect(oracle.trials.allSatisfy { $0.state == .complete && $0.score == Double($0.id) })
    }

    @Test func concurrentHyperbandWorkersRunTheWholeSchedule() async throws {
        let oracle = try HyperbandOracle(objective: .maximize("val_accuracy"), searchSpace: try bookSpace(), maxEpochs: 10, seed: 8)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    while true {
                        switch oracle.createTrial(workerID: "worker \(worker)") {
                        case .run(let trial):
                            let epochs = trial.hyperband?.epochs ?? 1
                            try oracle.endTrial(trialID: trial.id, outcome: .complete(syntheticScore(trial.values, epochs: epochs)))
                        case .waitForRunningTrials:
                            await Task.yield()
                        case .searchIsOver:
                            return
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(oracle.trials.count == 30)
        #expect(oracle.trials.allSatisfy { $0.state == .complete })
        let promotions = oracle.trials.compactMap { trial in trial.hyperband?.parentTrialID.map { "\($0)->\(trial.hyperband?.round ?? 0)" } }
        #expect(Set(promotions).count == promotions.count)
    }
}
