import Testing
import Tuning

@Suite struct MultiObjectiveParetoDominanceTests {
    let twoMinimized: [Objective.Direction] = [.minimize, .minimize]

    @Test func ranksFollowFrontsWithDuplicatesAndTies() throws {
        // [2, 4] is dominated by [2, 3] (a tie in the first column); [4, 4] by [2, 4] too, so it is one
        // front further; the duplicate [1, 5] does not dominate its twin.
        let values: [[Double]] = [[1, 5], [2, 3], [3, 1], [2, 4], [4, 4], [1, 5]]
        #expect(try ParetoDominance.nonDominatedRanks(values, directions: twoMinimized) == [0, 0, 0, 1, 2, 0])
        #expect(try ParetoDominance.paretoFront(values, directions: twoMinimized) == [0, 1, 2, 5])
        #expect(try ParetoDominance.nonDominatedFronts(values, directions: twoMinimized) == [[0, 1, 2, 5], [3], [4]])
        #expect(try ParetoDominance.nonDominatedRanks([[1, 2], [1, 3]], directions: twoMinimized) == [0, 1])
        #expect(!ParetoDominance.dominates([1, 2], [1, 2]))
    }

    @Test func threeObjectives() throws {
        let values: [[Double]] = [[1, 2, 3], [3, 2, 1], [2, 2, 2], [2, 3, 3], [3, 3, 3]]
        let ranks = try ParetoDominance.nonDominatedRanks(values, directions: [.minimize, .minimize, .minimize])
        #expect(ranks == [0, 0, 0, 1, 2])
    }

    @Test func maximizedColumnsAreFlipped() throws {
        // Second column maximized: [1, 2] beats [1, 1]; [0, 0] is better in the first column.
        let directions: [Objective.Direction] = [.minimize, .maximize]
        let values: [[Double]] = [[1, 1], [1, 2], [0, 0]]
        #expect(try ParetoDominance.minimizationForm(values, directions: directions) == [[1, -1], [1, -2], [0, 0]])
        #expect(try ParetoDominance.nonDominatedRanks(values, directions: directions) == [1, 0, 0])
        #expect(try ParetoDominance.paretoFront(values, directions: [.maximize, .maximize]) == [1])
    }

    @Test func rowsWithNaNAreNeverRankedNorOnTheFront() throws {
        let values: [[Double]] = [[1, .nan], [2, 2], [3, 3]]
        #expect(try ParetoDominance.nonDominatedRanks(values, directions: twoMinimized) == [nil, 0, 1])
        #expect(try ParetoDominance.paretoFront(values, directions: twoMinimized) == [1])
        #expect(try ParetoDominance.paretoFront([[.nan, 1], [1, .nan]], directions: twoMinimized).isEmpty)
        #expect(!ParetoDominance.dominates([.nan, 0], [1, 1]))
        #expect(!ParetoDominance.dominates([0, 0], [.nan, 1]))
    }

    @Test func constrainedDominanceFollowsFeasibilityThenViolation() throws {
        #expect(ParetoDominance.totalViolation([1, -3, 2]) == 3)
        #expect(ParetoDominance.totalViolation([-1, 0]) == 0)
        #expect(ParetoDominance.totalViolation([.nan, -1]) == .infinity)
        #expect(ParetoDominance.isFeasible([0, -2]) && !ParetoDominance.isFeasible([0.1]) && !ParetoDominance.isFeasible([.nan]))
        // A feasible point dominates an infeasible one whatever the objectives.
        #expect(ParetoDominance.constrainedDominates([9, 9], violation: 0, [0, 0], violation: 0.1))
        #expect(!ParetoDominance.constrainedDominates([0, 0], violation: 0.1, [9, 9], violation: 0))
        // Two infeasible points: the smaller violation dominates, objectives aside; equal ones do not.
        #expect(ParetoDominance.constrainedDominates([9, 9], violation: 0.5, [0, 0], violation: 1))
        #expect(!ParetoDominance.constrainedDominates([0, 0], violation: 1, [9, 9], violation: 1))
        // Two feasible points: Pareto dominance.
        #expect(ParetoDominance.constrainedDominates([1, 1], violation: 0, [1, 2], violation: 0))
        #expect(!ParetoDominance.constrainedDominates([1, 2], violation: 0, [2, 1], violation: 0))

        let values: [[Double]] = [[0, 0], [5, 5], [1, 1], [2, 2]]
        let constraints: [[Double]] = [[1, -1], [-1, -1], [0.5, -2], [0, 0]]
        #expect(try ParetoDominance.nonDominatedRanks(values, directions: twoMinimized, constraints: constraints) == [3, 1, 2, 0])
        #expect(try ParetoDominance.paretoFront(values, directions: twoMinimized, constraints: constraints) == [3])
        // Nothing feasible: the least violating rows form the front.
        #expect(try ParetoDominance.paretoFront([[0, 0], [1, 1], [2, 2]], directions: twoMinimized,
                                                constraints: [[2], [1], [1]]) == [1, 2])
    }

    @Test func mismatchedLengthsThrow() {
        #expect(throws: MultiObjectiveError.lengthMismatch(expected: 2, found: 3, context: "value row 1")) {
            try ParetoDominance.nonDominatedRanks([[1, 2], [1, 2, 3]], directions: [.minimize, .minimize])
        }
        #expect(throws: MultiObjectiveError.noObjectives) {
            try ParetoDominance.paretoFront([[1]], directions: [])
        }
        #expect(throws: MultiObjectiveError.lengthMismatch(expected: 2, found: 1, context: "the list of constraint rows")) {
            try ParetoDominance.paretoFront([[1], [2]], directions: [.minimize], constraints: [[0]])
        }
        #expect(throws: MultiObjectiveError.lengthMismatch(expected: 1, found: 2, context: "constraint row 1")) {
            try ParetoDominance.paretoFront([[1], [2]], directions: [.minimize], constraints: [[0], [0, 1]])
        }
        #expect(throws: MultiObjectiveError.self) {
            try ParetoDominance.minimizationForm(point: [1, 2, 3], directions: [.maximize])
        }
        let message = MultiObjectiveError.lengthMismatch(expected: 2, found: 3, context: "value row 1").description
        #expect(message.contains("value row 1") && message.contains("one value per objective"))
    }

    /// The front found without sorting every front equals the first front of the full sort, on random
    /// sets with ties, duplicates, NaN rows, feasible and infeasible rows, in 2 and 3 objectives.
    @Test func theFrontEqualsTheFirstFrontOfTheFullSort() throws {
        var random = TuningRandom(seed: 7)
        for round in 0..<200 {
            let width = round % 2 == 0 ? 2 : 3
            let count = Int.random(in: 1...40, using: &random)
            let directions: [Objective.Direction] = (0..<width).map { _ in Bool.random(using: &random) ? .minimize : .maximize }
            // Few distinct values, so ties and duplicates are common.
            let values: [[Double]] = (0..<count).map { _ in
                (0..<width).map { _ in Int.random(in: 0..<20, using: &random) == 0 ? .nan : Double(Int.random(in: 0..<6, using: &random)) }
            }
            let constraints: [[Double]]? = round % 3 == 0 ? nil
                : (0..<count).map { _ in [Double(Int.random(in: -3...1, using: &random)), Double(Int.random(in: -2...0, using: &random))] }
            let expected = try ParetoDominance.nonDominatedFronts(values, directions: directions, constraints: constraints).first ?? []
            #expect(try ParetoDominance.paretoFront(values, directions: directions, constraints: constraints) == expected,
                    "round \(round): \(values) \(constraints ?? [])")
        }
    }
}
