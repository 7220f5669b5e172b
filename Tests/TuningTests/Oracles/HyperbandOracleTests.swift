import Foundation
import Testing
import Tuning

@Suite struct HyperbandOracleTests {
    private func makeOracle(maxEpochs: Int = 10, factor: Int = 3, iterations: Int = 1, seed: UInt64 = 42) throws -> HyperbandOracle {
        try HyperbandOracle(
            objective: .maximize("val_accuracy"), searchSpace: try bookSpace(), maxEpochs: maxEpochs, factor: factor,
            hyperbandIterations: iterations, seed: seed)
    }

    /// Trials grouped as `[iteration][bracket index][round] -> count`, in schedule order.
    private func roundSizes(_ trials: [Trial], schedule: HyperbandSchedule) -> [[[Int]]] {
        (0..<schedule.iterations).map { iteration in
            schedule.brackets.map { bracket in
                bracket.rounds.map { round in
                    trials.count {
                        $0.hyperband?.iteration == iteration && $0.hyperband?.bracket == bracket.bracket
                            && $0.hyperband?.round == round.round
                    }
                }
            }
        }
    }

    @Test func sequentialSearchRunsExactlyTheSchedule() throws {
        let oracle = try makeOracle()
        let trials = try runSequentially(oracle)
        let schedule = oracle.schedule
        #expect(trials.count == 30)
        #expect(roundSizes(trials, schedule: schedule) == [[[12, 4, 2], [6, 2], [4]]])
        #expect(Set(trials.map(\.values)).count == 22)
        // Keras Tuner's order: fill a bracket's first round, promote, then open the next bracket.
        let places = trials.compactMap { trial in trial.hyperband.map { "\($0.bracket).\($0.round)" } }
        let expected = Array(repeating: "2.0", count: 12) + Array(repeating: "2.1", count: 4) + ["2.2", "2.2"]
            + Array(repeating: "1.0", count: 6) + ["1.1", "1.1"] + Array(repeating: "0.0", count: 4)
        #expect(places == expected)
        for trial in trials {
            let assignment = try #require(trial.hyperband)
            let round = schedule.brackets.first { $0.bracket == assignment.bracket }?.rounds[assignment.round]
            #expect(assignment.epochs == round?.epochs)
            #expect(assignment.initialEpoch == round?.initialEpoch)
        }
        #expect(oracle.createTrial(workerID: "late") == .searchIsOver)
    }

    @Test func promotionsContinueTheBestTrialsOfThePreviousRound() throws {
        let oracle = try makeOracle()
        let trials = try runSequentially(oracle)
        let byID = Dictionary(uniqueKeysWithValues: oracle.trials.map { ($0.id, $0) })
        for trial in trials {
            guard let assignment = trial.hyperband, let parentID = assignment.parentTrialID else {
                #expect(trial.hyperband?.round == 0)
                continue
            }
            let parent = try #require(byID[parentID])
            #expect(parent.values == trial.values)
            #expect(parent.hyperband?.bracket == assignment.bracket)
            #expect(parent.hyperband?.round == assignment.round - 1)
            #expect(parent.hyperband?.epochs == assignment.initialEpoch)
        }
        // Each round's parents are exactly the top trials of the round before.
        for bracket in [2, 1] {
            for round in 1...bracket {
                let previous = oracle.trials.filter { $0.hyperband?.bracket == bracket && $0.hyperband?.round == round - 1 }
                let promoted = oracle.trials.filter { $0.hyperband?.bracket == bracket && $0.hyperband?.round == round }
                let best = previous.sorted { ($0.score ?? 0) > ($1.score ?? 0) }.prefix(promoted.count).map(\.id)
                #expect(Set(promoted.compactMap { $0.hyperband?.parentTrialID }) == Set(best))
            }
        }
    }

    @Test func twoIterationsOfHundredEpochs() throws {
        let oracle = try makeOracle(maxEpochs: 100, iterations: 2, seed: 3)
        let trials = try runSequentially(oracle)
        #expect(trials.count == 508)
        let once = [[98, 33, 11, 4, 2], [41, 14, 5, 2], [18, 6, 2], [9, 3], [6]]
        #expect(roundSizes(trials, schedule: oracle.schedule) == [once, once])
        let trained = trials.reduce(0) { $0 + ($1.hyperband?.epochsToTrain ?? 0) }
        #expect(trained == 5344)
    }

    @Test func waitsOnlyWhenNothingElseCanStart() throws {
        // maxEpochs 3, factor 3: bracket 1 runs 3 trials for 1 epoch then promotes 1 to 3 epochs;
        // bracket 0 runs 2 trials for 3 epochs.
        let oracle = try makeOracle(maxEpochs: 3)
        let first = (0..<3).compactMap { oracle.createTrial(workerID: "w\($0)").trial }
        #expect(first.map { $0.hyperband?.bracket } == [1, 1, 1])
        // Nothing to promote yet: the next bracket opens instead of waiting.
        let fourth = try #require(oracle.createTrial(workerID: "w3").trial)
        let fifth = try #require(oracle.createTrial(workerID: "w4").trial)
        #expect(fourth.hyperband?.bracket == 0 && fifth.hyperband?.bracket == 0)
        #expect(oracle.createTrial(workerID: "w5") == .waitForRunningTrials)
        try oracle.endTrial(trialID: first[0].id, outcome: .complete(0.5))
        try oracle.endTrial(trialID: first[1].id, outcome: .complete(0.7))
        #expect(oracle.createTrial(workerID: "w5") == .waitForRunningTrials)
        try oracle.endTrial(trialID: first[2].id, outcome: .complete(0.6))
        let promoted = try #require(oracle.createTrial(workerID: "w5").trial)
        #expect(promoted.hyperband?.parentTrialID == first[1].id)
        #expect(promoted.hyperband?.initialEpoch == 1 && promoted.hyperband?.epochs == 3)
        #expect(oracle.createTrial(workerID: "w6") == .waitForRunningTrials)
        for trial in [fourth, fifth, promoted] {
            try oracle.endTrial(trialID: trial.id, outcome: .complete(0.8))
        }
        #expect(oracle.createTrial(workerID: "w0") == .searchIsOver)
        #expect(oracle.trials.count == 6)
    }

    @Test func promotesOnlyWhenNoUnfinishedTrialCouldStillWin() throws {
        let oracle = try makeOracle()
        let roundZero = (0..<12).compactMap { oracle.createTrial(workerID: "w\($0)").trial }
        #expect(roundZero.count == 12)
        for (index, trial) in roundZero.prefix(8).enumerated() {
            try oracle.endTrial(trialID: trial.id, outcome: .complete(Double(index)))
        }
        // 4 places and 4 unfinished trials: any of them could beat the finished ones, so no promotion;
        // the next bracket's first round starts instead.
        let next = try #require(oracle.createTrial(workerID: "w0").trial)
        #expect(next.hyperband?.bracket == 1 && next.hyperband?.round == 0)
        try oracle.endTrial(trialID: roundZero[8].id, outcome: .complete(3.5))
        let promoted = try #require(oracle.createTrial(workerID: "w1").trial)
        #expect(promoted.hyperband?.bracket == 2 && promoted.hyperband?.round == 1)
        #expect(promoted.hyperband?.parentTrialID == roundZero[7].id)
        #expect(promoted.values == roundZero[7].values)
        #expect(oracle.trialsThatMayBePromoted.contains(roundZero[9].id))
        #expect(!oracle.trialsThatMayBePromoted.contains(roundZero[7].id))
    }

    @Test func failedTrialsAreNeverPromotedAndDoNotBlockTheirRound() throws {
        let oracle = try makeOracle(maxEpochs: 3)
        let first = (0..<3).compactMap { oracle.createTrial(workerID: "w\($0)").trial }
        try oracle.endTrial(trialID: first[0].id, outcome: .failed("out of memory"))
        try oracle.endTrial(trialID: first[1].id, outcome: .pruned)
        try oracle.endTrial(trialID: first[2].id, outcome: .complete(0.1))
        let promoted = try #require(oracle.createTrial(workerID: "w0").trial)
        #expect(promoted.hyperband?.parentTrialID == first[2].id)

        let allFail = try makeOracle(maxEpochs: 3)
        let doomed = (0..<3).compactMap { allFail.createTrial(workerID: "w\($0)").trial }
        for trial in doomed { try allFail.endTrial(trialID: trial.id, outcome: .failed("diverged")) }
        let rest = try runSequentially(allFail)
        #expect(rest.map { $0.hyperband?.bracket } == [0, 0])
        #expect(allFail.trials.count == 5)
    }

    @Test func exhaustedSpaceStillPromotes() throws {
        let space = try SearchSpace([try .choice("units", values: [8, 16, 32, 64, 128])])
        let oracle = try HyperbandOracle(objective: .maximize("accuracy"), searchSpace: space, maxEpochs: 10, seed: 1)
        let trials = try runSequentially(oracle)
        // Bracket 2 wants 12 configurations but only 5 exist: it closes its first round at 5 and
        // still promotes 4, then 2; later brackets find no new configuration.
        #expect(trials.map { "\($0.hyperband?.bracket ?? -1).\($0.hyperband?.round ?? -1)" }
            == ["2.0", "2.0", "2.0", "2.0", "2.0", "2.1", "2.1", "2.1", "2.1", "2.2", "2.2"])
        #expect(trials.filter { $0.hyperband?.round == 2 }.map { $0.values["units"] } == [128, 64].map { .int($0) })
    }

    @Test func parallelWorkersFinishingInAnyOrderKeepTheInvariants() throws {
        for seed in UInt64(1)...5 {
            let oracle = try makeOracle(maxEpochs: 27, seed: seed)
            var chooser = TuningRandom(seed: seed &* 1000)
            var running: [Trial] = []
            var requests = 0
            while true {
                fill: while running.count < 4 {
                    requests += 1
                    switch oracle.createTrial(workerID: "worker \(requests)") {
                    case .run(let trial): running.append(trial)
                    case .waitForRunningTrials, .searchIsOver: break fill
                    }
                }
                guard !running.isEmpty else { break }
                let finished = running.remove(at: chooser.nextInt(below: running.count))
                if chooser.nextDouble() < 0.1 {
                    try oracle.endTrial(trialID: finished.id, outcome: .failed("random failure"))
                } else {
                    let score = syntheticScore(finished.values, epochs: finished.hyperband?.epochs ?? 1)
                    try oracle.endTrial(trialID: finished.id, outcome: .complete(score))
                }
            }
            #expect(oracle.createTrial(workerID: "after") == .searchIsOver)
            for trial in oracle.trials where trial.state == .running {
                try oracle.endTrial(trialID: trial.id, outcome: .complete(0))
            }
            let trials = oracle.trials
            // A trial is promoted at most once per round, only if it completed, into the next round.
            var seen = Set<String>()
            for trial in trials {
                guard let assignment = trial.hyperband, let parentID = assignment.parentTrialID else { continue }
                #expect(seen.insert("\(parentID)->\(assignment.round)").inserted)
                let parent = trials[parentID - 1]
                #expect(parent.state == .complete)
                #expect(parent.hyperband?.round == assignment.round - 1)
                #expect(parent.hyperband?.bracket == assignment.bracket)
            }
            // Each round's promotions are the best completed trials of the round before.
            for bracket in 0...3 {
                for round in 1..<(bracket + 1) {
                    let previous = trials.filter {
                        $0.hyperband?.bracket == bracket && $0.hyperband?.round == round - 1 && $0.state == .complete
                    }
                    let parents = trials.filter { $0.hyperband?.bracket == bracket && $0.hyperband?.round == round }
                        .compactMap { $0.hyperband?.parentTrialID }
                    let best = previous.sorted { ($0.score ?? 0, -$0.id) > ($1.score ?? 0, -$1.id) }.prefix(parents.count)
                    #expect(Set(parents) == Set(best.map(\.id)), "seed \(seed), bracket \(bracket), round \(round)")
                    let target = oracle.schedule.brackets.first { $0.bracket == bracket }?.rounds[round].trials ?? 0
                    #expect(parents.count == min(target, previous.count), "seed \(seed), bracket \(bracket), round \(round)")
                }
            }
            #expect(trials.count <= oracle.schedule.trialsPerIteration)
        }
    }

    @Test func enqueuedConfigurationsJoinTheFirstRound() throws {
        let oracle = try makeOracle()
        let queued = try oracle.enqueue(["n_hidden": 3, "n_neurons": 128, "learning_rate": 1e-3, "optimizer": "adam"])
        let first = try #require(oracle.createTrial(workerID: "w").trial)
        #expect(first.id == queued.id)
        #expect(first.hyperband?.bracket == 2 && first.hyperband?.round == 0 && first.hyperband?.epochs == 2)
    }

    @Test func maxTrialsCapsTheSchedule() throws {
        let oracle = try HyperbandOracle(
            objective: .maximize("val_accuracy"), searchSpace: try bookSpace(), maxEpochs: 10, maxTrials: 7, seed: 1)
        #expect(try runSequentially(oracle).count == 7)
    }

    @Test func sameSeedSameSearch() throws {
        let first = try runSequentially(try makeOracle(maxEpochs: 27, seed: 11))
        let second = try runSequentially(try makeOracle(maxEpochs: 27, seed: 11))
        #expect(first == second)
        let other = try runSequentially(try makeOracle(maxEpochs: 27, seed: 12))
        #expect(first.map(\.values) != other.map(\.values))
    }
}
