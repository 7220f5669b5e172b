import Testing
import Tuning

@Suite struct UnitCubeSpaceTests {
    @Test func projectionSnapsEveryKindOfVariable() throws {
        let space = try UnitCubeSpace([
            .continuous, .integer(levels: 4), .discrete(values: [0, 0.2, 0.9]), .categorical(count: 3),
        ])
        #expect(space.dimensionCount == 6)
        let projected = try space.project([1.4, 0.6, 0.6, 0.2, 0.7, 0.1])
        #expect(projected == [1, 0.625, 0.9, 0, 1, 0])
        #expect(try space.project([-0.1, 0, 0.1, 0.5, 0.5, 0.5]) == [0, 0.125, 0, 1, 0, 0])
        #expect(UnitCubeSpace.coordinate(ofLevel: 2, levels: 4) == 0.625)
        #expect(UnitCubeSpace.level(ofCoordinate: 0.625, levels: 4) == 2)
        #expect(UnitCubeSpace.level(ofCoordinate: 1, levels: 4) == 3)
        #expect(space.cardinality == nil)
        #expect(try UnitCubeSpace([.integer(levels: 3), .categorical(count: 4)]).cardinality == 12)
    }

    @Test func canonicalizeRunsAfterTheKinds() throws {
        // The second variable is inactive when the first is below one half: park it at 0.
        let space = try UnitCubeSpace([.continuous, .continuous]) { point in
            point[0] < 0.5 ? [point[0], 0] : point
        }
        #expect(try space.project([0.2, 0.8]) == [0.2, 0])
        #expect(try space.project([0.7, 0.8]) == [0.7, 0.8])
    }

    @Test func invalidSpacesAreRejectedWithTheVariableNamed() {
        #expect(throws: BayesianOptimizationError.invalidSpace("the space has no variables; give at least one")) {
            try UnitCubeSpace([])
        }
        #expect(throws: BayesianOptimizationError.self) { try UnitCubeSpace([.continuous, .integer(levels: 0)]) }
        #expect(throws: BayesianOptimizationError.self) { try UnitCubeSpace([.discrete(values: [])]) }
        #expect(throws: BayesianOptimizationError.self) { try UnitCubeSpace([.discrete(values: [0.5, 1.5])]) }
        #expect(throws: BayesianOptimizationError.self) { try UnitCubeSpace([.categorical(count: 0)]) }
        #expect(throws: BayesianOptimizationError.dimensionMismatch(expected: 1, found: 2, context: "the point to project")) {
            try UnitCubeSpace(continuousDimensions: 1).project([0.1, 0.2])
        }
    }
}
