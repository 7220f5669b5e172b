import Testing
import Tuning

@Suite struct MultiObjectiveSuggestionTests {
    /// Cheaper than the defaults so the searches stay fast in debug builds.
    static var configuration: MultiObjectiveSuggestion.Configuration {
        var configuration = MultiObjectiveSuggestion.Configuration()
        configuration.candidateCount = 256
        configuration.refinedCandidateCount = 3
        return configuration
    }

    /// `initial` uniform points then `suggested` model points on `problem`; the feasible observed
    /// hypervolume at the end. With `suggested` 0 it is random search on the same first points.
    static func search(_ problem: MultiObjectiveProblem, initial: Int, suggested: Int, seed: UInt64) throws -> Double {
        try problem.hypervolumeOfSuggestions(initial: initial, suggested: suggested, seed: seed, configuration: configuration).hypervolume
    }

    @Test func improvesTheHypervolumeOverRandomSearchOnZDT1() throws {
        let problem = try MultiObjectiveProblem.zdt1(dimensionCount: 3)
        var wins = 0
        var model = 0.0, random = 0.0
        for seed: UInt64 in 0..<3 {
            let withModel = try Self.search(problem, initial: 10, suggested: 15, seed: seed)
            let withoutModel = try Self.search(problem, initial: 25, suggested: 0, seed: seed)
            if withModel > withoutModel { wins += 1 }
            model += withModel
            random += withoutModel
        }
        // Random search reaches about 0.3–0.5 of the optimum 0.877 here; the model gets well past it.
        #expect(wins == 3, "model beat random search on \(wins) of 3 seeds")
        #expect(model / 3 > random / 3 + 0.1, "mean hypervolume \(model / 3) vs random \(random / 3)")
    }

    @Test func seeksFeasibilityWhenNothingIsFeasible() throws {
        // Feasible only where x₀ ≥ 0.6; every observation so far has x₀ < 0.5.
        var random = TuningRandom(seed: 2)
        let inputs = (0..<8).map { index in [0.5 * Double(index) / 8, random.nextDouble()] }
        let objectives = inputs.map { [$0[0], 1 - $0[1]] }
        let constraints = inputs.map { [0.6 - $0[0]] }
        let space = try UnitCubeSpace(continuousDimensions: 2)
        let result = try MultiObjectiveSuggestion.suggest(
            inputs: inputs, objectives: objectives, constraints: constraints, space: space,
            configuration: Self.configuration, random: &random)
        #expect(result.feasibilityOnly)
        #expect(result.point[0] > 0.6, "\(result.point)")
        #expect(result.hyperparameters.count == 3)

        // Once a point is feasible, the hypervolume term comes in and the suggestion stays feasible-looking.
        let more = try MultiObjectiveSuggestion.suggest(
            inputs: inputs + [[0.9, 0.5]], objectives: objectives + [[0.9, 0.5]], constraints: constraints + [[-0.3]],
            space: space, configuration: Self.configuration, random: &random)
        #expect(!more.feasibilityOnly && more.logAcquisition.isFinite)
        #expect(more.point[0] > 0.5, "\(more.point)")
    }

    @Test func sameGeneratorStateGivesTheSamePointAndNeverAnObservedOne() throws {
        let problem = try MultiObjectiveProblem.zdt2(dimensionCount: 2)
        var random = TuningRandom(seed: 9)
        let inputs = (0..<6).map { _ in [random.nextDouble(), random.nextDouble()] }
        let objectives = inputs.map { problem.evaluate($0).objectives }
        var first = TuningRandom(seed: 1), second = TuningRandom(seed: 1)
        let a = try MultiObjectiveSuggestion.suggest(inputs: inputs, objectives: objectives, dimensionCount: 2, random: &first)
        let b = try MultiObjectiveSuggestion.suggest(inputs: inputs, objectives: objectives, dimensionCount: 2, random: &second)
        #expect(a == b)
        #expect(!inputs.contains(a))
    }

    @Test func threeObjectivesWithTheFrontThinnedToTheBoxBudget() throws {
        // Every point of the plane x₀ + x₁ + f₃ = 2 is non-dominated: 12 front points would need
        // 13² boxes; a budget of 16 keeps the 3 of largest contribution.
        var random = TuningRandom(seed: 4)
        let inputs = (0..<12).map { _ in [random.nextDouble(), random.nextDouble()] }
        let objectives = inputs.map { [$0[0], $0[1], 2 - $0[0] - $0[1]] }
        var configuration = Self.configuration
        configuration.maximumBoxCount = 16
        let result = try MultiObjectiveSuggestion.suggest(
            inputs: inputs, objectives: objectives, space: try UnitCubeSpace(continuousDimensions: 2),
            configuration: configuration, random: &random)
        #expect(result.logAcquisition.isFinite && !result.feasibilityOnly && !inputs.contains(result.point))
        #expect(result.hyperparameters.count == 3)
        configuration.maximumBoxCount = 8
        #expect(throws: MultiObjectiveError.self) {
            try MultiObjectiveSuggestion.suggest(
                inputs: inputs, objectives: objectives, space: try UnitCubeSpace(continuousDimensions: 2),
                configuration: configuration, random: &random)
        }
    }

    @Test func inputErrorsThrow() throws {
        var random = TuningRandom(seed: 0)
        let space = try UnitCubeSpace(continuousDimensions: 2)
        #expect(throws: MultiObjectiveError.noObservations) {
            try MultiObjectiveSuggestion.suggest(inputs: [], objectives: [], space: space, random: &random)
        }
        #expect(throws: MultiObjectiveError.lengthMismatch(expected: 2, found: 1, context: "the list of objective rows")) {
            try MultiObjectiveSuggestion.suggest(inputs: [[0, 0], [1, 1]], objectives: [[1, 2]], space: space, random: &random)
        }
        #expect(throws: MultiObjectiveError.lengthMismatch(expected: 2, found: 3, context: "input 1")) {
            try MultiObjectiveSuggestion.suggest(
                inputs: [[0, 0], [1, 1, 1]], objectives: [[1, 2], [2, 1]], space: space, random: &random)
        }
        #expect(throws: MultiObjectiveError.lengthMismatch(expected: 2, found: 1, context: "objective row 1")) {
            try MultiObjectiveSuggestion.suggest(inputs: [[0, 0], [1, 1]], objectives: [[1, 2], [2]], space: space, random: &random)
        }
        #expect(throws: MultiObjectiveError.lengthMismatch(expected: 2, found: 1, context: "the list of constraint rows")) {
            try MultiObjectiveSuggestion.suggest(
                inputs: [[0, 0], [1, 1]], objectives: [[1, 2], [2, 1]], constraints: [[0]], space: space, random: &random)
        }
        #expect(throws: MultiObjectiveError.nonFiniteValue(context: "objective row 0")) {
            try MultiObjectiveSuggestion.suggest(
                inputs: [[0, 0], [1, 1]], objectives: [[.nan, 2], [2, 1]], space: space, random: &random)
        }
        #expect(throws: MultiObjectiveError.invalidConfiguration("zdt1 needs at least 2 dimensions, got 1")) {
            try MultiObjectiveProblem.zdt1(dimensionCount: 1)
        }
    }

    @Test func testProblemsMatchTheirPublishedDefinitions() throws {
        let zdt1 = try MultiObjectiveProblem.zdt1(dimensionCount: 4)
        // x = (0.25, 0.5, 0.5, 0.5): g = 1 + 9·1.5/3 = 5.5, f2 = 5.5·(1 − √(0.25/5.5)).
        let values = zdt1.evaluate([0.25, 0.5, 0.5, 0.5]).objectives
        #expect(values[0] == 0.25 && abs(values[1] - 5.5 * (1 - (0.25 / 5.5).squareRoot())) < 1e-12)
        // Binh–Korn at (x, y) = (5, 3): f = (136, 4), c₁ = 9 − 25, c₂ = 7.7 − 9 − 36.
        let (objectives, constraints) = MultiObjectiveProblem.binhKorn.evaluate([1, 1])
        #expect(objectives == [136, 4] && constraints == [-16, 7.7 - 45])
        // (x, y) = (0, 3) lies outside the first circle: 25 + 9 > 25.
        #expect(MultiObjectiveProblem.binhKorn.evaluate([0, 1]).constraints[0] > 0)
    }
}
