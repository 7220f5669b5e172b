import Foundation
import Testing
import TunerKit
import Tuning
import TestSupport

/// Each pruner's decisions on hand-made curves, and ASHA in a search of parallel trials.
@Suite struct PrunerTests {
    /// Other trials' values by step, as the store would answer; records the steps and states asked for.
    final class FakeValues: @unchecked Sendable {
        var byStep: [Int: [Double]]
        var asked: [(step: Int, states: Set<TrialState>)] = []
        init(_ byStep: [Int: [Double]]) { self.byStep = byStep }
        func read(_ step: Int, _ states: Set<TrialState>) -> [Double] {
            asked.append((step, states))
            return byStep[step] ?? []
        }
    }

    func ask(_ pruner: some TrialPruner, step: Int, value: Double, history: [Int: Double]? = nil,
             direction: Objective.Direction = .minimize, others: FakeValues) throws -> Bool {
        try pruner.shouldPrune(PruningQuestion(trial: 1, step: step, value: value, history: history, direction: direction),
                               valuesAt: others.read)
    }

    @Test func percentileKeepsTheGivenShareByTheBestValueSoFar() throws {
        let pruner = try PercentilePruner(percentile: 25, startupTrials: 4)
        // NumPy's linear interpolation: the 25th percentile of 1...4 is 1.75, the 75th 3.25.
        let others = FakeValues([3: [1, 2, 3, 4]])
        #expect(try !ask(pruner, step: 3, value: 1.7, others: others))
        #expect(try ask(pruner, step: 3, value: 1.8, others: others))
        // The best value so far counts, not the last one.
        #expect(try !ask(pruner, step: 3, value: 9, history: [0: 1.5, 3: 9], others: others))
        #expect(try !ask(pruner, step: 3, value: 3.3, direction: .maximize, others: others))
        #expect(try ask(pruner, step: 3, value: 3.2, direction: .maximize, others: others))
        #expect(others.asked.allSatisfy { $0.states == [.complete] })
        // Too few completed trials, warm-up, interval.
        #expect(try !ask(try PercentilePruner(percentile: 25, startupTrials: 5), step: 3, value: 100, others: others))
        #expect(try !ask(try PercentilePruner(percentile: 25, startupTrials: 1, warmupSteps: 4), step: 3, value: 100, others: others))
        #expect(try !ask(try PercentilePruner(percentile: 25, startupTrials: 1, intervalSteps: 2), step: 3, value: 100, others: others))
        // A trial that never reported a number is pruned.
        #expect(try ask(pruner, step: 3, value: .nan, others: others))
        #expect(throws: TunerError.self) { try PercentilePruner(percentile: 0) }
        #expect(throws: TunerError.self) { try PercentilePruner(percentile: 101) }
    }

    @Test func theMedianPrunerComparesTheCurrentValueWithCompletedTrials() throws {
        let others = FakeValues([2: [1, 2, 3]])
        #expect(try ask(MedianStoppingPruner(startupTrials: 3), step: 2, value: 2.5, history: [0: 0.1, 2: 2.5], others: others))
        #expect(try !ask(MedianStoppingPruner(startupTrials: 3), step: 2, value: 1.5, others: others))
        #expect(try !ask(MedianStoppingPruner(startupTrials: 4), step: 2, value: 2.5, others: others))
    }

    @Test func thresholdsPruneOutOfBoundsAndNaNValues() throws {
        let pruner = try ThresholdPruner(lower: 0, upper: 10, warmupSteps: 1)
        let none = FakeValues([:])
        #expect(try !ask(pruner, step: 0, value: 99, others: none))
        #expect(try ask(pruner, step: 1, value: 10.5, others: none))
        #expect(try ask(pruner, step: 1, value: -0.5, others: none))
        #expect(try ask(pruner, step: 1, value: .nan, others: none))
        #expect(try !ask(pruner, step: 1, value: 5, others: none))
        #expect(none.asked.isEmpty)
        #expect(throws: TunerError.self) { try ThresholdPruner() }
        #expect(throws: TunerError.self) { try ThresholdPruner(lower: 2, upper: 1) }
    }

    @Test func patienceWaitsForAStalledCurveThenAsksTheWrappedPruner() throws {
        let pruner = try PatientPruner(patience: 2)
        let none = FakeValues([:])
        // Improved within the last three steps: kept.
        #expect(try !ask(pruner, step: 3, value: 0.92, history: [0: 1.0, 1: 0.9, 2: 0.95, 3: 0.92], others: none))
        // The best before them (0.5) is still the best: stalled, pruned.
        #expect(try ask(pruner, step: 3, value: 0.92, history: [0: 0.5, 1: 0.9, 2: 0.95, 3: 0.92], others: none))
        #expect(try ask(pruner, step: 3, value: 0.2, history: [0: 0.9, 1: 0.5, 2: 0.4, 3: 0.2], direction: .maximize, others: none))
        // Not enough steps yet.
        #expect(try !ask(pruner, step: 2, value: 0.95, history: [0: 0.5, 1: 0.9, 2: 0.95], others: none))
        // minDelta: an improvement smaller than it does not count.
        let strict = try PatientPruner(patience: 0, minDelta: 0.1)
        #expect(try ask(strict, step: 1, value: 0.95, history: [0: 1.0, 1: 0.95], others: none))
        #expect(try !ask(strict, step: 1, value: 0.85, history: [0: 1.0, 1: 0.85], others: none))
        // Wrapped: stalled, but the threshold says the value is fine.
        let wrapped = try PatientPruner(wrapping: try ThresholdPruner(upper: 1), patience: 2)
        #expect(try !ask(wrapped, step: 3, value: 0.92, history: [0: 0.5, 1: 0.9, 2: 0.95, 3: 0.92], others: none))
        #expect(throws: TunerError.self) { try PatientPruner(patience: -1) }
    }

    @Test func successiveHalvingJudgesEachRungOnceAgainstEveryTrialThatReachedIt() throws {
        let pruner = try SuccessiveHalvingPruner(minResource: 1, reductionFactor: 3)
        #expect(pruner.step(ofRung: 0) == 1 && pruner.step(ofRung: 1) == 3 && pruner.step(ofRung: 2) == 9)
        // Before the first rung: nothing is read.
        let early = FakeValues([:])
        #expect(try !ask(pruner, step: 0, value: 5, others: early))
        #expect(early.asked.isEmpty)
        // Alone at the rung (its own value is stored): promoted.
        #expect(try !ask(pruner, step: 1, value: 0.5, history: [0: 0.9, 1: 0.5], others: FakeValues([1: [0.5]])))
        // Three values at the rung keep the best one: 0.1 goes on, 0.5 stops.
        let three = FakeValues([1: [0.1, 0.5, 0.9]])
        #expect(try !ask(pruner, step: 1, value: 0.1, history: [1: 0.1], others: three))
        #expect(try ask(pruner, step: 1, value: 0.5, history: [1: 0.5], others: three))
        #expect(try !ask(pruner, step: 1, value: 0.9, history: [1: 0.9], direction: .maximize, others: three))
        #expect(three.asked.allSatisfy { $0.step == 1 && $0.states == Set(TrialState.allCases) })
        // Six values keep the best two.
        let six = FakeValues([1: [1, 2, 3, 4, 5, 6]])
        #expect(try !ask(pruner, step: 1, value: 2, history: [1: 2], others: six))
        #expect(try ask(pruner, step: 1, value: 3, history: [1: 3], others: six))
        // A rung reached at an earlier step is not judged again.
        let later = FakeValues([1: [0.1, 0.2, 0.3]])
        #expect(try !ask(pruner, step: 2, value: 0.9, history: [1: 0.3, 2: 0.9], others: later))
        #expect(later.asked.isEmpty)
        // A trial that skipped the rungs' steps is judged at each with its current value, counted once.
        let sparse = FakeValues([1: [0.1, 0.2], 3: [0.3]])
        #expect(try ask(pruner, step: 5, value: 0.25, history: [0: 0.9, 5: 0.25], others: sparse))
        #expect(try !ask(pruner, step: 5, value: 0.05, history: [0: 0.9, 5: 0.05], others: sparse))
        // Bootstrap: a rung with too few values prunes.
        let bootstrap = try SuccessiveHalvingPruner(minResource: 1, reductionFactor: 3, bootstrapCount: 2)
        #expect(try ask(bootstrap, step: 1, value: 0.1, history: [1: 0.1], others: FakeValues([1: [0.1, 0.5]])))
        #expect(try ask(pruner, step: 1, value: .nan, history: [1: .nan], others: FakeValues([1: []])))
        #expect(throws: TunerError.self) { try SuccessiveHalvingPruner(reductionFactor: 1) }
        #expect(throws: TunerError.self) { try SuccessiveHalvingPruner(minResource: 0) }
    }

    /// On several objectives a rung keeps its share by non-dominated sorting: a trial worse on the first
    /// objective but best on the second goes on, dominated ones stop; with one objective the decisions
    /// are those of the one-value form.
    @Test func successiveHalvingRanksSeveralObjectivesByFronts() throws {
        let pruner = try SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2)
        var asked: [Int] = []
        func ask(_ values: [Double], step: Int = 1, reported: Set<Int>? = nil, others: [Int: [[Double]]]) throws -> Bool {
            try pruner.shouldPrune(FrontPruningQuestion(trial: 1, step: step, values: values, reportedSteps: reported,
                                                        directions: [.maximize, .minimize])) { step, states in
                #expect(states == Set(TrialState.allCases))
                asked.append(step)
                return others[step] ?? []
            }
        }
        // Accuracy (max) and size (min) at the rung of step 1, the asking trial's row included: 2 of 4 go on.
        let rung: [[Double]] = [[0.9, 100], [0.5, 10], [0.4, 50], [0.8, 200]]
        #expect(try !ask([0.9, 100], others: [1: rung]))
        #expect(try !ask([0.5, 10], others: [1: rung]))
        #expect(try ask([0.4, 50], others: [1: rung]))
        #expect(try ask([0.8, 200], others: [1: rung]))
        // Judged at a later step than the rung's: its own row is added to the rung's.
        #expect(try !ask([0.95, 5], step: 2, reported: [0, 2], others: [1: rung, 2: [[0.95, 5]]]))
        #expect(try ask([0.1, 500], step: 2, reported: [0, 2], others: [1: rung, 2: []]))
        // A rung reached at an earlier step is not judged again; before the first rung nothing is read.
        asked = []
        #expect(try !ask([0.1, 500], step: 2, reported: [1, 2], others: [1: rung, 2: [[0.1, 500], [0.05, 600]]]))
        #expect(asked == [2])
        asked = []
        #expect(try !ask([0.1, 500], step: 0, others: [:]))
        #expect(asked.isEmpty)
        // NaN stops the trial.
        #expect(try ask([.nan, 10], others: [1: rung]))

        // One objective: the same answers as the one-value form, ties included.
        var random = TuningRandom(seed: 3)
        for _ in 0..<200 {
            let count = 1 + Int(random.nextDouble() * 9)
            let competing = (0..<count).map { _ in Double(Int(random.nextDouble() * 5)) }
            let own = competing[Int(random.nextDouble() * Double(count))]
            let direction: Objective.Direction = random.nextDouble() < 0.5 ? .minimize : .maximize
            let single = try pruner.shouldPrune(PruningQuestion(trial: 1, step: 1, value: own, direction: direction)) { _, _ in competing }
            let front = try pruner.shouldPrune(FrontPruningQuestion(trial: 1, step: 1, values: [own], directions: [direction])) { _, _ in
                competing.map { [$0] }
            }
            #expect(single == front, "\(own) among \(competing), \(direction)")
        }
    }

    /// ASHA in a search of four trials at once: trials stop only at rungs, never wait for each other, and
    /// the best configuration is never stopped (nothing beats it at any rung).
    @Test func successiveHalvingStopsParallelTrialsAtRungsAndKeepsTheBest() throws {
        let directory = try TemporaryDirectory()
        let runner = StudyRunner(
            definition: StudyDefinition(name: "asha", objective: .maximize("score"), oracle: .randomSearch(maxTrials: 24), seed: 11),
            storage: directory.path("asha.sqlite"),
            options: SearchOptions(parallelTrials: 4, pruner: try SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2),
                                   verbosity: .silent))
        try runner.optimize { hp, reporter in
            let x = try hp.float("x", min: 0, max: 1)
            for step in 0..<8 { try reporter.report(step: step, metrics: ["score": x * Double(step + 1)]) }
            return ["score": x * 8]
        }
        let snapshot = try StudySnapshot.load(storagePath: directory.path("asha.sqlite"), study: "asha")
        #expect(snapshot.trials.count == 24)
        let pruned = snapshot.trials.filter { $0.state == .pruned }
        #expect(!pruned.isEmpty)
        // Rungs at steps 1, 2 and 4.
        for trial in pruned {
            #expect([1, 2, 4].contains(trial.metrics.values("score").count - 1), "trial \(trial.number) stopped off a rung")
        }
        let best = try #require(snapshot.trials.max { ($0.hyperparameters["x"]?.doubleValue ?? 0) < ($1.hyperparameters["x"]?.doubleValue ?? 0) })
        #expect(best.state == .complete)
    }
}
