import Foundation
import Testing
import Tuning

@Suite struct MultiObjectiveExpectedHypervolumeImprovementTests {
    static func randomFront(_ count: Int, dimension: Int, random: inout TuningRandom) -> [[Double]] {
        (0..<count).map { _ in (0..<dimension).map { _ in random.nextDouble() } }
    }

    @Test func boxesGiveTheExactHypervolumeImprovement() throws {
        var random = TuningRandom(seed: 11)
        for dimension in [1, 2, 3, 4] {
            let front = Self.randomFront(8, dimension: dimension, random: &random)
            let reference = [Double](repeating: 1.05, count: dimension)
            let acquisition = try LogExpectedHypervolumeImprovement(front: front, reference: reference)
            let before = try Hypervolume.of(front, reference: reference)
            for _ in 0..<20 {
                let y = (0..<dimension).map { _ in random.nextDouble() * 1.2 - 0.1 }
                let expected = try Hypervolume.of(front + [y], reference: reference) - before
                #expect(abs(acquisition.hypervolumeImprovement(y) - expected) < 1e-12)
            }
        }
        // No front inside the reference: one box, the whole region below the reference.
        let empty = try LogExpectedHypervolumeImprovement(front: [[2, 2]], reference: [1, 1])
        #expect(empty.boxCount == 1 && empty.hypervolumeImprovement([0, 0.5]) == 0.5)
    }

    @Test func tinyUncertaintyGivesTheLogImprovement() throws {
        let front: [[Double]] = [[0.1, 0.8], [0.4, 0.4], [0.8, 0.1]]
        let acquisition = try LogExpectedHypervolumeImprovement(front: front, reference: [1, 1])
        let y = [0.3, 0.3]
        let improvement = acquisition.hypervolumeImprovement(y)
        let value = acquisition.value(mean: y, standardDeviation: [1e-9, 1e-9])
        #expect(improvement > 0 && abs(value - log(improvement)) < 1e-6)
    }

    @Test func agreesWithMonteCarloInTwoAndThreeObjectives() throws {
        var random = TuningRandom(seed: 5)
        for dimension in [2, 3] {
            let front = Self.randomFront(5, dimension: dimension, random: &random)
            let reference = [Double](repeating: 1.1, count: dimension)
            let acquisition = try LogExpectedHypervolumeImprovement(front: front, reference: reference)
            let mean = [Double](repeating: 0.5, count: dimension)
            let deviation = (0..<dimension).map { 0.1 + 0.1 * Double($0) }
            let samples = 40_000
            var sum = 0.0
            for _ in 0..<samples {
                let y = (0..<dimension).map { k -> Double in
                    // Box–Muller from the public generator.
                    let u1 = max(random.nextDouble(), 1e-300), u2 = random.nextDouble()
                    return mean[k] + deviation[k] * (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
                }
                sum += acquisition.hypervolumeImprovement(y)
            }
            let estimate = sum / Double(samples)
            let exact = exp(acquisition.value(mean: mean, standardDeviation: deviation))
            #expect(abs(exact - estimate) < 0.03 * exact, "d=\(dimension): \(exact) vs Monte Carlo \(estimate)")
        }
    }

    @Test func staysFiniteAndOrderedFarFromTheFront() throws {
        let acquisition = try LogExpectedHypervolumeImprovement(front: [[0, 1], [1, 0]], reference: [2, 2])
        let near = acquisition.value(mean: [3, 3], standardDeviation: [0.1, 0.1])
        let far = acquisition.value(mean: [10, 10], standardDeviation: [0.1, 0.1])
        // Plain EHVI underflows to 0 at the far point; its logarithm keeps the ordering.
        #expect(far.isFinite && near.isFinite && far < near)
        #expect(exp(far) == 0)
        #expect(acquisition.value(mean: [1], standardDeviation: [1]) == -.infinity)
    }

    @Test func logProbabilityOfFeasibility() {
        #expect(abs(StandardNormal.logCDF(0) - log(0.5)) < 1e-15)
        #expect(abs(LogProbabilityOfFeasibility.value(mean: 1, standardDeviation: 1) - log(0.15865525393145707)) < 1e-12)
        // Far in the tail Φ underflows; its logarithm follows −z²/2 − log(−z√(2π)).
        let tail = StandardNormal.logCDF(-60)
        #expect(tail.isFinite && abs(tail - (-1800 - log(60 * (2 * Double.pi).squareRoot()))) < 1e-3)
        let justBefore = StandardNormal.logCDF(-29.999)
        let justAfter = StandardNormal.logCDF(-30.001)
        #expect(justAfter < justBefore && justBefore - justAfter < 0.1)
        #expect(LogProbabilityOfFeasibility.value(mean: -1, standardDeviation: 0) == 0)
        #expect(LogProbabilityOfFeasibility.value(mean: 1, standardDeviation: 0) == -.infinity)
    }

    @Test func badShapesThrow() {
        #expect(throws: MultiObjectiveError.lengthMismatch(expected: 2, found: 1, context: "front point 0")) {
            try LogExpectedHypervolumeImprovement(front: [[1]], reference: [2, 2])
        }
        #expect(throws: MultiObjectiveError.noObjectives) { try LogExpectedHypervolumeImprovement(front: [], reference: []) }
    }
}
