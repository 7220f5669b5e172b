import Foundation
import Testing
import Tuning

/// Median best value over 10 seeds on standard synthetic functions, as the issue asks (release mode:
/// a few seconds each).
@Suite struct SampleEfficiencyTests {
    /// Branin on [-5, 10] × [0, 15], evaluated at a point of the unit square. Minimum 0.397887.
    static func branin(_ u: [Double]) -> Double {
        let x1 = -5 + 15 * u[0], x2 = 15 * u[1]
        let b = 5.1 / (4 * Double.pi * Double.pi), c = 5 / Double.pi, t = 1 / (8 * Double.pi)
        let inner = x2 - b * x1 * x1 + c * x1 - 6
        return inner * inner + 10 * (1 - t) * cos(x1) + 10
    }

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

    /// The best value found by a search of `evaluations` points for each seed. Seeds run one after the
    /// other: the two suites already run in parallel, and more concurrent searches only make OpenBLAS's
    /// threads compete for the two cores.
    static func bestValues(
        dimensions: Int, evaluations: Int, seeds: Range<UInt64>, function: ([Double]) -> Double
    ) throws -> [Double] {
        let space = try UnitCubeSpace(continuousDimensions: dimensions)
        return try seeds.map { seed in
            var optimizer = try BayesianOptimizer(configuration: .init(budget: evaluations), seed: seed)
            var observations: [BayesianOptimizer.Observation] = []
            for _ in 0..<evaluations {
                let point = try optimizer.suggest(observations: observations, space: space)
                observations.append(.init(point: point, value: function(point)))
            }
            return observations.map(\.value).min() ?? .infinity
        }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return (sorted[(sorted.count - 1) / 2] + sorted[sorted.count / 2]) / 2
    }

    @Test func braninWithin001After40Evaluations() throws {
        #expect(abs(Self.branin([(Double.pi + 5) / 15, 2.275 / 15]) - 0.397887) < 1e-6)
        let start = ContinuousClock.now
        let best = try Self.bestValues(dimensions: 2, evaluations: 40, seeds: 0..<10, function: Self.branin)
        let median = Self.median(best)
        print("Branin: median best \(median) over 10 seeds (\(best.sorted())), \(ContinuousClock.now - start)")
        #expect(median - 0.397887 <= 0.01)
    }

    @Test func hartmann6Within03After80Evaluations() throws {
        #expect(abs(Self.hartmann6([0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573]) + 3.32237) < 1e-4)
        let start = ContinuousClock.now
        let best = try Self.bestValues(dimensions: 6, evaluations: 80, seeds: 0..<10, function: Self.hartmann6)
        let median = Self.median(best)
        print("Hartmann-6: median best \(median) over 10 seeds (\(best.sorted())), \(ContinuousClock.now - start)")
        #expect(median - -3.32237 <= 0.3)
    }
}
