import Foundation
import Testing
import Tuning

/// The sample-efficiency targets, through the `Oracle` API on `HyperParameters` spaces:
/// median best value over 10 seeds (seeds run one after the other, see `SampleEfficiencyTests`).
@Suite struct BayesianOracleSampleEfficiencyTests {
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
    case bayesian, random
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
            }
        }
    }
}
