import Testing
import Tuning

@Suite struct MultiObjectiveHypervolumeTests {
    /// The hypervolume by inclusion–exclusion over all subsets: Σ (−1)^(|S|+1) Π (r − max over S).
    static func bruteForce(_ points: [[Double]], reference: [Double]) -> Double {
        let inside = points.filter { zip($0, reference).allSatisfy { $0 < $1 } }
        var total = 0.0
        for mask in 1..<(1 << inside.count) {
            var corner = [Double](repeating: -.infinity, count: reference.count)
            var size = 0
            for (index, point) in inside.enumerated() where mask & (1 << index) != 0 {
                size += 1
                for k in corner.indices { corner[k] = max(corner[k], point[k]) }
            }
            let volume = zip(reference, corner).reduce(1.0) { $0 * ($1.0 - $1.1) }
            total += size % 2 == 1 ? volume : -volume
        }
        return total
    }

    static func randomPoints(_ count: Int, dimension: Int, random: inout TuningRandom) -> [[Double]] {
        (0..<count).map { _ in (0..<dimension).map { _ in random.nextDouble() } }
    }

    @Test func twoObjectivesByHand() throws {
        let points: [[Double]] = [[1, 3], [2, 2], [3, 1]]
        #expect(try Hypervolume.of(points, reference: [4, 4]) == 6)
        // A duplicate, a dominated point, points outside or on the reference's boundary and a NaN
        // point add nothing.
        let noisy = points + [[1, 3], [3, 3], [5, 0], [4, 0], [0, 4], [.nan, 0]]
        #expect(try Hypervolume.of(noisy, reference: [4, 4]) == 6)
        #expect(try Hypervolume.of([[5, 5]], reference: [4, 4]) == 0)
        #expect(try Hypervolume.of([], reference: [4, 4]) == 0)
        #expect(try Hypervolume.of([[1]], reference: [3]) == 2)
    }

    @Test func maximizedColumnsUseTheirOwnDirection() throws {
        // Second objective maximized, reference 0 below it: the same staircase as above.
        let values: [[Double]] = [[1, 1], [2, 2], [3, 3]]
        #expect(try Hypervolume.of(values: values, directions: [.minimize, .maximize], reference: [4, 0]) == 6)
    }

    @Test func threeObjectivesByHand() throws {
        #expect(try Hypervolume.of([[0, 0, 0]], reference: [1, 2, 3]) == 6)
        // Boxes of 4 and 2 overlapping in a unit cube.
        #expect(try Hypervolume.of([[0, 0, 1], [1, 1, 0]], reference: [2, 2, 2]) == 5)
        #expect(try Hypervolume.of([[0, 0, 1], [1, 1, 0], [0, 0, 1], [1, 1, 1]], reference: [2, 2, 2]) == 5)
    }

    @Test func agreesWithInclusionExclusionInTwoToFiveDimensions() throws {
        var random = TuningRandom(seed: 7)
        for dimension in 2...5 {
            for _ in 0..<4 {
                // Some points beyond the reference (coordinates up to 1.2 against 1.1).
                let points = Self.randomPoints(9, dimension: dimension, random: &random).map { $0.map { $0 * 1.2 } }
                let reference = [Double](repeating: 1.1, count: dimension)
                let expected = Self.bruteForce(points, reference: reference)
                let actual = try Hypervolume.of(points, reference: reference)
                #expect(abs(actual - expected) < 1e-12, "d=\(dimension): \(actual) vs \(expected)")
            }
        }
    }

    @Test func knownFrontsGiveTheAnalyticValue() throws {
        // The true fronts of ZDT1 and ZDT2, sampled densely through the problems themselves (x₂… = 0):
        // the staircase approaches the analytic hypervolume from below, within 1/n.
        for problem in [try MultiObjectiveProblem.zdt1(dimensionCount: 3), try MultiObjectiveProblem.zdt2(dimensionCount: 3)] {
            let n = 1000
            let front = (0...n).map { problem.evaluate([Double($0) / Double(n), 0, 0]).objectives }
            let value = try Hypervolume.of(front, reference: problem.referencePoint)
            let optimum = try #require(problem.optimalHypervolume)
            #expect(value <= optimum && optimum - value < 1.0 / Double(n), "\(problem.name): \(value) vs \(optimum)")
        }
        // 3-D: the front x + y + z = 1 on a grid, against (1, 1, 1), tends to the simplex's complement 1 − 1/6.
        let n = 30
        var simplex: [[Double]] = []
        for i in 0...n {
            for j in 0...(n - i) { simplex.append([Double(i), Double(j), Double(n - i - j)].map { $0 / Double(n) }) }
        }
        let covered = try Hypervolume.of(simplex, reference: [1, 1, 1])
        #expect(covered < 5.0 / 6 && 5.0 / 6 - covered < 3.0 / Double(n), "\(covered)")
    }

    @Test func runningCurveAddsExclusiveContributions() throws {
        var random = TuningRandom(seed: 3)
        for dimension in [2, 3, 4] {
            let points = Self.randomPoints(30, dimension: dimension, random: &random)
            let constraints = (0..<30).map { _ in [random.nextDouble() - 0.3] }
            let reference = [Double](repeating: 1, count: dimension)
            let curve = try Hypervolume.curve(points, reference: reference, constraints: constraints)
            #expect(curve.count == 30)
            for end in [1, 10, 30] {
                let feasible = (0..<end).filter { constraints[$0][0] <= 0 }.map { points[$0] }
                let expected = try Hypervolume.of(feasible, reference: reference)
                #expect(abs(curve[end - 1] - expected) < 1e-12)
            }
            #expect(zip(curve, curve.dropFirst()).allSatisfy { $0 <= $1 })
        }
        #expect(try Hypervolume.curve([[1, 3], [5, 5], [2, 2], [.nan, 0]], reference: [4, 4]) == [3, 3, 5, 5])
    }

    @Test func referencePointIsTheWorstPlusTenPercentOfTheRange() throws {
        #expect(try Hypervolume.referencePoint(for: [[0, 10], [1, 0]]) == [1.1, 11])
        let single = try Hypervolume.referencePoint(for: [[2, -30], [.nan, 0]])
        #expect(abs(single[0] - 2.2) < 1e-12 && abs(single[1] + 27) < 1e-12)
        #expect(throws: MultiObjectiveError.noObservations) { try Hypervolume.referencePoint(for: []) }
    }

    @Test func badReferencesAndShapesThrow() {
        #expect(throws: MultiObjectiveError.lengthMismatch(expected: 2, found: 3, context: "point 1")) {
            try Hypervolume.of([[1, 1], [1, 1, 1]], reference: [2, 2])
        }
        #expect(throws: MultiObjectiveError.nonFiniteValue(context: "the reference point")) {
            try Hypervolume.of([[1, 1]], reference: [2, .nan])
        }
        #expect(throws: MultiObjectiveError.noObjectives) { try Hypervolume.of([], reference: []) }
        #expect(throws: MultiObjectiveError.self) {
            try Hypervolume.of(values: [[1, 1]], directions: [.minimize, .maximize], reference: [2])
        }
        #expect(throws: MultiObjectiveError.self) {
            try Hypervolume.curve([[1, 1]], reference: [2, 2], constraints: [])
        }
    }
}
