import Foundation
import Testing
import Tuning

/// BOHB: Hyperband's schedule with model-based first rounds — random until a budget has enough
/// results, then the model; deterministic for a seed and resumed exactly.
@Suite struct BOHBOracleTests {
    static func bohb(seed: UInt64, randomFraction: Double = 1.0 / 3.0, iterations: Int = 1) throws -> BOHBOracle {
        try BOHBOracle(objective: .maximize("val_accuracy"), searchSpace: try bookSpace(), maxEpochs: 27, factor: 3,
                       hyperbandIterations: iterations, randomFraction: randomFraction, seed: seed)
    }

    static func hyperband(seed: UInt64, iterations: Int = 1) throws -> HyperbandOracle {
        try HyperbandOracle(objective: .maximize("val_accuracy"), searchSpace: try bookSpace(), maxEpochs: 27, factor: 3,
                            hyperbandIterations: iterations, seed: seed)
    }

    @Test func itIsRandomUntilABudgetHasEnoughResultsThenUsesTheModel() throws {
        let bohb = try Self.bohb(seed: 11)
        let plain = try Self.hyperband(seed: 11)
        // The book's space has 4 tuned parameters: the model needs 5 results at one budget.
        var bohbTrials: [Trial] = []
        var plainTrials: [Trial] = []
        for index in 0..<5 {
            #expect(bohb.modelBudget == nil, "model used before trial \(index + 1)")
            bohbTrials += try runOne(bohb)
            plainTrials += try runOne(plain)
        }
        #expect(bohbTrials.map(\.values) == plainTrials.map(\.values))
        #expect(bohb.modelBudget == 1)
        // From now on two draws in three come from the model: the rest of the first round differs.
        let restOfBOHB = try runSequentially(bohb)
        let restOfPlain = try runSequentially(plain)
        // The same schedule (which trials are promoted differs with the configurations).
        func schedule(_ trials: [Trial]) -> [[Int]] {
            trials.map { [$0.hyperband?.bracket ?? -1, $0.hyperband?.round ?? -1, $0.hyperband?.epochs ?? -1] }
        }
        #expect(schedule(restOfBOHB) == schedule(restOfPlain))
        #expect(restOfBOHB.prefix(22).map(\.values) != restOfPlain.prefix(22).map(\.values))
    }

    @Test func itIsDeterministicForASeed() throws {
        let first = try runSequentially(try Self.bohb(seed: 5))
        let second = try runSequentially(try Self.bohb(seed: 5))
        let other = try runSequentially(try Self.bohb(seed: 6))
        #expect(first.map(\.values) == second.map(\.values))
        #expect(first.map(\.values) != other.map(\.values))
    }

    @Test func aRandomFractionOfOneIsHyperband() throws {
        let bohb = try runSequentially(try Self.bohb(seed: 3, randomFraction: 1))
        let plain = try runSequentially(try Self.hyperband(seed: 3))
        #expect(bohb.map(\.values) == plain.map(\.values))
        #expect(bohb.map(\.hyperband) == plain.map(\.hyperband))
    }

    @Test func itResumesExactly() throws {
        try checkExactResume(steps: 400, interruptions: [2, 13, 50, 51, 140, 199]) {
            try Self.bohb(seed: 42, iterations: 2)
        }
    }

    @Test func invalidSettingsAreRefused() {
        #expect(throws: OracleError.self) { try Self.bohb(seed: 1, randomFraction: 1.5) }
        #expect(throws: OracleError.self) { try Self.bohb(seed: 1, randomFraction: .nan) }
        #expect(throws: OracleError.self) {
            try BOHBOracle(objective: .maximize("a"), searchSpace: try bookSpace(), maxEpochs: 9, minPointsInModel: 0)
        }
        #expect(throws: OracleError.self) { try BOHBOracle(objective: .maximize("a"), searchSpace: try bookSpace(), maxEpochs: 0) }
    }

    /// The model finds better configurations than Hyperband's random draws on the book's synthetic
    /// score (deterministic seeds: the same comparison every run), at the full budget.
    @Test func theModelBeatsRandomConfigurationsOnAverage() throws {
        var bohbBest = 0.0
        var plainBest = 0.0
        for seed in UInt64(1)...6 {
            let bohb = try runSequentially(try Self.bohb(seed: seed))
            let plain = try runSequentially(try Self.hyperband(seed: seed))
            bohbBest += bohb.map { syntheticScore($0.values, epochs: $0.hyperband?.epochs ?? 0) }.max() ?? 0
            plainBest += plain.map { syntheticScore($0.values, epochs: $0.hyperband?.epochs ?? 0) }.max() ?? 0
        }
        #expect(bohbBest > plainBest, "BOHB \(bohbBest / 6), Hyperband \(plainBest / 6)")
    }

    /// Runs one trial of `oracle` to completion with the synthetic score.
    func runOne(_ oracle: some Oracle) throws -> [Trial] {
        guard case .run(let trial) = oracle.createTrial(workerID: "w") else { return [] }
        try oracle.endTrial(trialID: trial.id, outcome: .complete(syntheticScore(trial.values, epochs: trial.hyperband?.epochs ?? 10)))
        return [trial]
    }
}
