import Foundation
import Testing
import Tuning

// The exact-resume check every oracle's tests use: saving an oracle's state and restoring it
// continues the search with the same suggestions, in the same order, as a search never interrupted.

/// Drives `oracle` with three workers that end their trials in a fixed interleaving (so saved
/// states contain running trials too), calling `checkpoint` between steps; `checkpoint` may
/// return a restored copy to continue with. Returns the final oracle.
func driveThreeWorkers<S: SearchStrategy>(
    _ start: SearchOracle<S>, steps: Int, checkpoint: (Int, SearchOracle<S>) throws -> SearchOracle<S>
) throws -> SearchOracle<S> {
    var oracle = start
    var running: [Trial] = []
    for step in 0..<steps {
        oracle = try checkpoint(step, oracle)
        if running.count < 3, case .run(let trial) = oracle.createTrial(workerID: "worker \(step)") {
            running.append(trial)
            try oracle.reportIntermediate(trialID: trial.id, step: 0, value: step % 7 == 0 ? .nan : 0.1)
            continue
        }
        guard !running.isEmpty else { break }
        let finished = running.removeFirst()
        let epochs = finished.hyperband?.epochs ?? 10
        if finished.id % 9 == 4 {
            try oracle.endTrial(trialID: finished.id, outcome: .failed("simulated crash"))
        } else {
            try oracle.endTrial(trialID: finished.id, outcome: .complete(syntheticScore(finished.values, epochs: epochs)))
        }
    }
    return oracle
}

/// Runs the same search twice, the second time saved and restored at each step in `interruptions`,
/// and expects identical trials and byte-identical final states; the search must end by itself.
func checkExactResume<S: SearchStrategy>(
    steps: Int, interruptions: Set<Int>, make: () throws -> SearchOracle<S>
) throws {
    let uninterrupted = try driveThreeWorkers(try make(), steps: steps) { _, oracle in oracle }
    var restores = 0
    let resumed = try driveThreeWorkers(try make(), steps: steps) { step, oracle in
        guard interruptions.contains(step) else { return oracle }
        let data = try oracle.exportState()
        let restored = try SearchOracle<S>(restoringFrom: data)
        // Restoring loses nothing: the restored oracle writes the same bytes.
        #expect(try restored.exportState() == data)
        restores += 1
        return restored
    }
    #expect(restores == interruptions.count)
    #expect(uninterrupted.trials.count > 10)
    // Trials are compared through their fields: NaN intermediate values make `==` false.
    #expect(resumed.trials.map(\.values) == uninterrupted.trials.map(\.values))
    #expect(resumed.trials.map(\.state) == uninterrupted.trials.map(\.state))
    #expect(resumed.trials.map(\.score) == uninterrupted.trials.map(\.score))
    #expect(resumed.trials.map(\.hyperband) == uninterrupted.trials.map(\.hyperband))
    #expect(try resumed.exportState() == uninterrupted.exportState())
    #expect(uninterrupted.createTrial(workerID: "end") == .searchIsOver)
    #expect(resumed.createTrial(workerID: "end") == .searchIsOver)
}
