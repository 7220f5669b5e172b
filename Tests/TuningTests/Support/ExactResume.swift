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
    let expected = try uninterrupted.exportState()
    #expect(try resumed.exportState() == expected)
    #expect(uninterrupted.createTrial(workerID: "end") == .searchIsOver)
    #expect(resumed.createTrial(workerID: "end") == .searchIsOver)
    try checkResumeFromParts(steps: steps, interruptions: interruptions, make: make, expected: expected)
}

/// A store keeping an oracle's state in parts, as `StudyStore` does: the latest core, and each trial's
/// latest JSON with the version that saved it.
private struct PartStore {
    var core = Data()
    var trials: [Trial.ID: (data: Data, version: Int)] = [:]
    var version = 0

    mutating func save(_ changes: OracleStateChanges) {
        version += 1
        core = changes.core
        if changes.replacesStoredTrials { trials = [:] }
        for (id, data) in changes.trials { trials[id] = (data, version) }
    }

    func trials(savedAfter version: Int) -> [Data] {
        trials.filter { $0.value.version > version }.sorted { $0.key < $1.key }.map(\.value.data)
    }
}

/// The same search with its state saved in parts after every step (`exportChanges()`), restored from the
/// parts at each step in `interruptions`, while a follower oracle is brought up to date from the trials
/// saved since its version (`applyStoredChanges`) at every step: both end with the uninterrupted search's
/// exact state, and the follower matches the search at every step.
private func checkResumeFromParts<S: SearchStrategy>(
    steps: Int, interruptions: Set<Int>, make: () throws -> SearchOracle<S>, expected: Data
) throws {
    let first = try make()
    var store = PartStore()
    store.save(try first.exportChanges())
    let follower = try SearchOracle<S>(restoringCore: store.core, trials: store.trials(savedAfter: 0))
    var followed = store.version
    var largestSave = 0
    let resumed = try driveThreeWorkers(first, steps: steps) { step, oracle in
        let changes = try oracle.exportChanges()
        #expect(!oracle.hasUnexportedChanges)
        // A step changes a trial or two, whatever the number of trials.
        largestSave = max(largestSave, changes.trials.count)
        store.save(changes)
        try follower.applyStoredChanges(core: store.core, trials: store.trials(savedAfter: followed))
        followed = store.version
        #expect(try follower.exportState() == oracle.exportState(), "the follower differs at step \(step)")
        guard interruptions.contains(step) else { return oracle }
        return try SearchOracle<S>(restoringCore: store.core, trials: store.trials(savedAfter: 0))
    }
    #expect(largestSave <= 2)
    #expect(try resumed.exportState() == expected)
}
