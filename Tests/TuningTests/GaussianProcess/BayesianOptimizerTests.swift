import Foundation
import Testing
import Tuning

@Suite struct BayesianOptimizerTests {
    /// A smooth bowl with its minimum at (0.3, 0.7, 0.5).
    static func bowl(_ x: [Double]) -> Double {
        let center = [0.3, 0.7, 0.5]
        return zip(x, center).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    }

    /// Runs `steps` suggestions of `optimizer` on `function`, appending to `observations`.
    static func run(
        _ optimizer: inout BayesianOptimizer, steps: Int, space: UnitCubeSpace,
        observations: inout [BayesianOptimizer.Observation], function: ([Double]) -> Double
    ) throws {
        for _ in 0..<steps {
            let point = try optimizer.suggest(observations: observations, space: space)
            observations.append(.init(point: point, value: function(point)))
        }
    }

    @Test func defaultInitialPointCountFollowsVariablesAndBudget() {
        #expect(BayesianOptimizer.defaultInitialPointCount(variableCount: 2, budget: nil) == 3)
        #expect(BayesianOptimizer.defaultInitialPointCount(variableCount: 6, budget: nil) == 7)
        #expect(BayesianOptimizer.defaultInitialPointCount(variableCount: 30, budget: nil) == 10)
        // Keras Tuner's book example: 10 trials. Never more than a third of the budget is random.
        #expect(BayesianOptimizer.defaultInitialPointCount(variableCount: 4, budget: 10) == 3)
        #expect(BayesianOptimizer.defaultInitialPointCount(variableCount: 6, budget: 80) == 7)
        #expect(BayesianOptimizer.defaultInitialPointCount(variableCount: 3, budget: 2) == 1)
    }

    @Test func sameSeedGivesTheSameSearchAndAResumedSearchContinuesExactly() throws {
        let space = try UnitCubeSpace(continuousDimensions: 3)
        var first = try BayesianOptimizer(seed: 42)
        var firstObservations: [BayesianOptimizer.Observation] = []
        try Self.run(&first, steps: 14, space: space, observations: &firstObservations, function: Self.bowl)

        var second = try BayesianOptimizer(seed: 42)
        var secondObservations: [BayesianOptimizer.Observation] = []
        try Self.run(&second, steps: 8, space: space, observations: &secondObservations, function: Self.bowl)
        // Save and restore the optimizer half-way, as a resumed search does.
        let saved = try JSONEncoder().encode(second)
        var resumed = try JSONDecoder().decode(BayesianOptimizer.self, from: saved)
        try Self.run(&resumed, steps: 6, space: space, observations: &secondObservations, function: Self.bowl)
        #expect(firstObservations == secondObservations)
        #expect(resumed.suggestionCount == 14)
        #expect(resumed.lastHyperparameters == first.lastHyperparameters)

        var other = try BayesianOptimizer(seed: 43)
        var otherObservations: [BayesianOptimizer.Observation] = []
        try Self.run(&other, steps: 4, space: space, observations: &otherObservations, function: Self.bowl)
        #expect(otherObservations[0].point != firstObservations[0].point)
    }

    @Test func initialDesignIsSpaceFillingAndModelFreeThenTheModelTakesOver() throws {
        let space = try UnitCubeSpace(continuousDimensions: 2)
        var optimizer = try BayesianOptimizer(configuration: .init(initialPointCount: 4), seed: 7)
        var observations: [BayesianOptimizer.Observation] = []
        try Self.run(&optimizer, steps: 4, space: space, observations: &observations) { Self.bowl($0 + [0.5]) }
        #expect(optimizer.lastHyperparameters == nil)
        // Four consecutive points of a shifted Sobol sequence fall in different quadrants.
        let quadrants = Set(observations.map { Int($0.point[0] * 2) * 2 + Int($0.point[1] * 2) })
        #expect(quadrants.count == 4)
        try Self.run(&optimizer, steps: 1, space: space, observations: &observations) { Self.bowl($0 + [0.5]) }
        #expect(optimizer.lastHyperparameters != nil)
    }

    @Test(arguments: [
        BayesianOptimizer.PendingStrategy.constantLiar(.best), .constantLiar(.mean), .constantLiar(.worst),
        .krigingBeliever,
    ])
    func pendingPointsGiveDistinctSuggestions(strategy: BayesianOptimizer.PendingStrategy) throws {
        let space = try UnitCubeSpace(continuousDimensions: 3)
        var configuration = BayesianOptimizer.Configuration()
        configuration.pendingStrategy = strategy
        var optimizer = try BayesianOptimizer(configuration: configuration, seed: 5)
        var observations: [BayesianOptimizer.Observation] = []
        try Self.run(&optimizer, steps: 10, space: space, observations: &observations, function: Self.bowl)

        let alone = try optimizer.suggest(observations: observations, space: space)
        let withPending = try optimizer.suggest(observations: observations, pending: [alone], space: space)
        #expect(Self.distance(alone, withPending) > 1e-3)

        let batch = try optimizer.suggest(count: 4, observations: observations, pending: [alone], space: space)
        #expect(batch.count == 4)
        let all = batch + [alone] + observations.map(\.point)
        for i in 0..<all.count {
            for j in (i + 1)..<all.count { #expect(Self.distance(all[i], all[j]) > 1e-9) }
        }
    }

    /// A lower confidence bound with beta = 0 is maximized at the best observation itself; the
    /// optimizer must still return a new point.
    @Test func suggestionsNeverDuplicateEvaluatedPoints() throws {
        let space = try UnitCubeSpace([.integer(levels: 5), .continuous])
        var configuration = BayesianOptimizer.Configuration()
        configuration.acquisition = .lowerConfidenceBound(beta: 0)
        var optimizer = try BayesianOptimizer(configuration: configuration, seed: 3)
        var observations: [BayesianOptimizer.Observation] = []
        try Self.run(&optimizer, steps: 25, space: space, observations: &observations) { x in
            (x[0] - 0.5) * (x[0] - 0.5) + abs(x[1] - 0.25)
        }
        for i in 0..<observations.count {
            for j in (i + 1)..<observations.count {
                #expect(Self.distance(observations[i].point, observations[j].point) > 1e-9, "\(i) and \(j)")
            }
        }
    }

    @Test func finiteSpacesAreExhaustedExactlyOnce() throws {
        let space = try UnitCubeSpace([.integer(levels: 3), .categorical(count: 2)])
        var optimizer = try BayesianOptimizer(seed: 11)
        var observations: [BayesianOptimizer.Observation] = []
        try Self.run(&optimizer, steps: 6, space: space, observations: &observations) { x in x[0] + 2 * x[1] }
        #expect(Set(observations.map(\.point)).count == 6)
        for observation in observations {
            #expect(observation.point[1] + observation.point[2] == 1)
        }
        #expect(throws: BayesianOptimizationError.spaceExhausted(distinctPoints: 6)) {
            try optimizer.suggest(observations: observations, space: space)
        }
    }

    /// Points of failed trials are never suggested again and do not count as observations.
    @Test func excludedPointsAreNeverSuggested() throws {
        let space = try UnitCubeSpace([.integer(levels: 3), .categorical(count: 2)])
        let failed: [[Double]] = [[0.5, 1, 0], [1 / 6, 0, 1]]
        var optimizer = try BayesianOptimizer(seed: 4)
        var observations: [BayesianOptimizer.Observation] = []
        for _ in 0..<4 {
            let point = try optimizer.suggest(observations: observations, excluding: failed, space: space)
            #expect(!failed.contains(point))
            observations.append(.init(point: point, value: point[0]))
        }
        #expect(throws: BayesianOptimizationError.spaceExhausted(distinctPoints: 6)) {
            try optimizer.suggest(observations: observations, excluding: failed, space: space)
        }
    }

    /// Equal values carry no scale; the model must still fit and keep exploring.
    @Test func constantObservationsStillGiveNewPoints() throws {
        let space = try UnitCubeSpace(continuousDimensions: 2)
        var optimizer = try BayesianOptimizer(seed: 8)
        var observations: [BayesianOptimizer.Observation] = []
        try Self.run(&optimizer, steps: 8, space: space, observations: &observations) { _ in 1.5 }
        #expect(optimizer.lastHyperparameters != nil)
        #expect(Set(observations.map(\.point)).count == 8)
    }

    @Test func categoricalSuggestionsAreOneHot() throws {
        let space = try UnitCubeSpace([.continuous, .categorical(count: 4)])
        var optimizer = try BayesianOptimizer(seed: 2)
        var observations: [BayesianOptimizer.Observation] = []
        // Category 2 is best; the continuous optimum is at 0.6.
        try Self.run(&optimizer, steps: 16, space: space, observations: &observations) { x in
            (x[0] - 0.6) * (x[0] - 0.6) + (x[3] == 1 ? 0 : 0.5)
        }
        for observation in observations {
            #expect(observation.point[1...].sorted() == [0, 0, 0, 1])
        }
        let best = observations.min { $0.value < $1.value }
        #expect(best?.point[3] == 1)
        #expect(abs((best?.point[0] ?? 0) - 0.6) < 0.05)
    }

    @Test func malformedInputGivesTypedErrors() throws {
        let space = try UnitCubeSpace(continuousDimensions: 2)
        var optimizer = try BayesianOptimizer(seed: 1)
        #expect(throws: BayesianOptimizationError.dimensionMismatch(expected: 2, found: 3, context: "observation 0")) {
            try optimizer.suggest(observations: [.init(point: [0.1, 0.2, 0.3], value: 1)], space: space)
        }
        #expect(throws: BayesianOptimizationError.nonFiniteValue(context: "observation 1")) {
            try optimizer.suggest(
                observations: [.init(point: [0.1, 0.2], value: 1), .init(point: [0.3, 0.2], value: .infinity)], space: space)
        }
        #expect(throws: BayesianOptimizationError.self) {
            try BayesianOptimizer(configuration: .init(beta: -1))
        }
    }

    static func distance(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }
}
