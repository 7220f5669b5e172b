import Foundation
import Testing
import Tuning

/// BOHB on several objectives: Hyperband's schedule promoting by fronts, new configurations from the
/// Bayesian oracle's expected hypervolume improvement once a budget has enough results with every value.
@Suite struct BOHBFrontTests {
    static let problem: MultiObjectiveProblem = {
        do {
            return try MultiObjectiveProblem.zdt1(dimensionCount: 3)
        } catch {
            preconditionFailure("ZDT1 in 3 dimensions is valid: \(error)")
        }
    }()

    static func bohb(seed: UInt64, randomFraction: Double = 1.0 / 3.0) throws -> BOHBOracle {
        try BOHBOracle(objective: .minimize("f1"), additionalObjectives: [.minimize("f2")], searchSpace: try problem.searchSpace(),
                       maxEpochs: 9, factor: 3, hyperbandIterations: 3, randomFraction: randomFraction, seed: seed)
    }

    /// Runs `oracle` to its end (or `limit` trials), each trial told ZDT1's two values at its point;
    /// returns the hypervolume of every trial's values and the trials.
    static func run(_ oracle: BOHBOracle, limit: Int = 1_000) throws -> (hypervolume: Double, trials: [Trial]) {
        var points: [[Double]] = []
        var trials: [Trial] = []
        while trials.count < limit, case .run(let trial) = oracle.createTrial(workerID: "w") {
            let x = (0..<problem.dimensionCount).map { trial.values["x\($0)"]?.doubleValue ?? 0 }
            let objectives = problem.evaluate(x).objectives
            try oracle.endTrial(trialID: trial.id, outcome: .completeWith(TrialValues(objectives: objectives)))
            points.append(objectives)
            trials.append(trial)
        }
        return (try Hypervolume.of(points, reference: problem.referencePoint), trials)
    }

    /// With the model (two draws in three), the front covers more than Hyperband's random draws (a
    /// random fraction of 1 is Hyperband draw for draw), summed over seeds.
    @Test func theModelImprovesTheFrontOverHyperband() throws {
        var withModel = 0.0, random = 0.0
        for seed in UInt64(1)...4 {
            let bohb = try Self.bohb(seed: seed)
            let result = try Self.run(bohb)
            #expect(bohb.modelBudget != nil)
            #expect(result.trials.allSatisfy { bohb.trial($0.id)?.objectiveValues?.objectives.count == 2 })
            withModel += result.hypervolume
            random += try Self.run(try Self.bohb(seed: seed, randomFraction: 1)).hypervolume
        }
        #expect(withModel > random, "BOHB \(withModel / 4), Hyperband \(random / 4)")
    }

    /// A search stopped and restored from its exported state suggests exactly what it would have.
    @Test func itResumesExactlyOnSeveralObjectives() throws {
        let uninterrupted = try Self.run(try Self.bohb(seed: 7)).trials
        let first = try Self.bohb(seed: 7)
        let before = try Self.run(first, limit: 20).trials
        let restored = try BOHBOracle(restoringFrom: try first.exportState())
        #expect(restored.state.additionalObjectives == [.minimize("f2")])
        let after = try Self.run(restored).trials
        #expect((before + after).map(\.values) == uninterrupted.map(\.values))
        #expect((before + after).map(\.hyperband) == uninterrupted.map(\.hyperband))
    }
}
