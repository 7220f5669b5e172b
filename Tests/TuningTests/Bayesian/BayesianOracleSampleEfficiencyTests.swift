import Foundation
import Testing
import Tuning

/// The sample-efficiency targets, through the `Oracle` API on `HyperParameters` spaces:
/// median best value over 10 seeds (seeds run one after the other, see `SampleEfficiencyTests`).
@Suite struct BayesianOracleSampleEfficiencyTests {
    @Test func theSyntheticProblemsHaveTheirKnownOptima() {
        let branin = SyntheticProblem.branin
        for (x1, x2) in [(Double.pi, 2.275), (-Double.pi, 12.275), (9.42478, 2.475)] {
            #expect(abs(branin.score(["x1": .float(x1), "x2": .float(x2)]) - branin.optimum) < 1e-5)
        }
        let hartmann = SyntheticProblem.hartmann6
        let best = [0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573]
        let values = Dictionary(uniqueKeysWithValues: best.enumerated().map { ("x\($0.offset + 1)", HyperParameterValue.float($0.element)) })
        #expect(abs(hartmann.score(values) - hartmann.optimum) < 1e-4)
        #expect(abs(hartmann.score(values) - SampleEfficiencyTests.hartmann6(best)) < 1e-12)
        let mixed = SyntheticProblem.mixed
        let mixedBest: [String: HyperParameterValue] = [
            "n_layers": 7, "learning_rate": .float(pow(10, -3.8)), "optimizer": "adam", "beta_1": .float(0.5 + 0.8 * 0.499),
            "batch_size": 64, "units": 128,
        ]
        #expect(abs(mixed.score(mixedBest) - mixed.optimum) < 1e-4)
        #expect(mixed.score(mixedBest.merging(["optimizer": "rmsprop"]) { $1 }.filter { $0.key != "beta_1" }) > 0.2)
    }

    @Test func braninWithin001After40Trials() throws {
        let start = ContinuousClock.now
        let best = try SyntheticProblem.branin.bestScores(.bayesian, seeds: 0..<10)
        let median = SampleEfficiencyTests.median(best)
        print("Oracle, Branin@40: median best \(median) over 10 seeds (\(best.sorted())), \(ContinuousClock.now - start)")
        #expect(median - SyntheticProblem.branin.optimum <= 0.01)
    }

    @Test func hartmann6Within03After80Trials() throws {
        let start = ContinuousClock.now
        let best = try SyntheticProblem.hartmann6.bestScores(.bayesian, seeds: 0..<10)
        let median = SampleEfficiencyTests.median(best)
        print("Oracle, Hartmann-6@80: median best \(median) over 10 seeds (\(best.sorted())), \(ContinuousClock.now - start)")
        #expect(median - SyntheticProblem.hartmann6.optimum <= 0.3)
    }

    @Test func mixedSpaceBeatsRandomSearchClearly() throws {
        let start = ContinuousClock.now
        let problem = SyntheticProblem.mixed
        let bayesian = try problem.bestScores(.bayesian, seeds: 0..<10)
        let random = try problem.bestScores(.random, seeds: 0..<10)
        let bayesianMedian = SampleEfficiencyTests.median(bayesian), randomMedian = SampleEfficiencyTests.median(random)
        print("Oracle, mixed space@\(problem.trials): median best \(bayesianMedian) (Bayesian) vs \(randomMedian) (random), \(ContinuousClock.now - start)")
        #expect(bayesianMedian < 0.05)
        #expect(bayesianMedian < randomMedian / 3)
    }
}

/// The oracles compared on synthetic problems.
enum SyntheticSearch {
    case bayesian, random, tpe
}

extension SyntheticProblem {
    /// The best score of a search of `trials` trials for each seed, one seed after the other.
    func bestScores(_ search: SyntheticSearch, seeds: Range<UInt64>) throws -> [Double] {
        try seeds.map { seed in
            switch search {
            case .bayesian:
                return try run(try BayesianOptimizationOracle(objective: objective, searchSpace: space, maxTrials: trials, seed: seed))
            case .random:
                return try run(try RandomSearchOracle(objective: objective, searchSpace: space, maxTrials: trials, seed: seed))
            case .tpe:
                return try run(try TPEOracle(objective: objective, searchSpace: space, maxTrials: trials, seed: seed))
            }
        }
    }
}
