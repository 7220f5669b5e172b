import Foundation
import Testing
import Tuning

/// Sample efficiency of the optimizer itself: the mixed space against random search (median best over
/// 10 seeds); the Branin and Hartmann-6 targets run through the oracle API, checked here to be
/// the same search.
@Suite struct SampleEfficiencyTests {
    /// Hartmann-6 on the unit cube. Minimum -3.32237.
    static func hartmann6(_ x: [Double]) -> Double {
        let alpha = [1.0, 1.2, 3.0, 3.2]
        let a: [[Double]] = [
            [10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14],
            [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14],
        ]
        let p: [[Double]] = [
            [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
            [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
        ]
        var total = 0.0
        for i in 0..<4 {
            var exponent = 0.0
            for j in 0..<6 { exponent += a[i][j] * (x[j] - p[i][j]) * (x[j] - p[i][j]) }
            total -= alpha[i] * exp(-exponent)
        }
        return total
    }

    /// The points a search of `evaluations` suggestions visits on `function`.
    static func points(
        dimensions: Int, evaluations: Int, seed: UInt64, function: ([Double]) -> Double
    ) throws -> [[Double]] {
        let space = try UnitCubeSpace(continuousDimensions: dimensions)
        var optimizer = try BayesianOptimizer(configuration: .init(budget: evaluations), seed: seed)
        var observations: [BayesianOptimizer.Observation] = []
        for _ in 0..<evaluations {
            let point = try optimizer.suggest(observations: observations, space: space)
            observations.append(.init(point: point, value: function(point)))
        }
        return observations.map(\.point)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return (sorted[(sorted.count - 1) / 2] + sorted[sorted.count / 2]) / 2
    }

    /// The Branin and Hartmann-6 targets (median over 10 seeds) are asserted through the oracle API
    /// in `BayesianOracleSampleEfficiencyTests`, whose float parameters in their own scale give
    /// exactly the optimizer's points, as this shorter run checks; running both would double the
    /// slowest tests for the same numbers.
    @Test func theOracleOnUnitFloatsMakesExactlyTheOptimizersSuggestions() throws {
        let problem = SyntheticProblem.hartmann6
        let budget = 20
        let direct = try Self.points(dimensions: 6, evaluations: budget, seed: 3, function: Self.hartmann6)
        let oracle = try BayesianOptimizationOracle(
            objective: problem.objective, searchSpace: problem.space, maxTrials: budget, seed: 3)
        _ = try problem.run(oracle)
        let throughOracle = oracle.trials.map { trial in (1...6).map { trial.values["x\($0)"]?.doubleValue ?? .nan } }
        #expect(throughOracle == direct)
    }

    /// A mixed space like a network's: an integer (10 levels), a log-scaled float (continuous), an
    /// optimizer choice (4 categories), a momentum active only for the second optimizer (set to 0 by
    /// `canonicalize` otherwise) and a batch size from a list. Minimum about 0.0011.
    static let mixedSpace: UnitCubeSpace = {
        do {
            return try UnitCubeSpace(
                [.integer(levels: 10), .continuous, .categorical(count: 4), .continuous,
                 .discrete(values: [0, 0.25, 0.5, 0.75, 1])]
            ) { point in
                var canonical = point
                if canonical[3] != 1 { canonical[6] = 0 }
                return canonical
            }
        } catch {
            preconditionFailure("the mixed test space is valid: \(error)")
        }
    }()

    static func mixedObjective(_ x: [Double]) -> Double {
        let level = Double(UnitCubeSpace.level(ofCoordinate: x[0], levels: 10)) / 9
        let categoryCosts = [0.3, 0.0, 0.2, 0.4]
        let category = (2..<6).first { x[$0] == 1 }.map { $0 - 2 } ?? 0
        var value = (level - 0.7) * (level - 0.7) + 2 * (x[1] - 0.3) * (x[1] - 0.3) + categoryCosts[category]
        if category == 1 { value += 3 * (x[6] - 0.8) * (x[6] - 0.8) }
        return value + 0.5 * (x[7] - 0.5) * (x[7] - 0.5)
    }

    @Test func mixedSpaceBeatsRandomSearchClearly() throws {
        let space = Self.mixedSpace
        let budget = 30
        var bayesian: [Double] = [], random: [Double] = []
        for seed in UInt64(0)..<10 {
            var optimizer = try BayesianOptimizer(configuration: .init(budget: budget), seed: seed)
            var observations: [BayesianOptimizer.Observation] = []
            for _ in 0..<budget {
                let point = try optimizer.suggest(observations: observations, space: space)
                #expect(point[3] == 1 || point[6] == 0, "an inactive momentum is canonical")
                observations.append(.init(point: point, value: Self.mixedObjective(point)))
            }
            bayesian.append(observations.map(\.value).min() ?? .infinity)

            var state = seed &+ 0x9E37_79B9_7F4A_7C15
            func uniform() -> Double {
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                return Double((z ^ (z >> 31)) >> 11) * 0x1.0p-53
            }
            var best = Double.infinity
            for _ in 0..<budget {
                best = min(best, Self.mixedObjective(try space.project((0..<space.dimensionCount).map { _ in uniform() })))
            }
            random.append(best)
        }
        let bayesianMedian = Self.median(bayesian), randomMedian = Self.median(random)
        print("Mixed space, 30 evaluations: median best \(bayesianMedian) (Bayesian) vs \(randomMedian) (random)")
        #expect(bayesianMedian < 0.05)
        #expect(bayesianMedian < randomMedian / 3)
    }
}
