import Foundation
import Testing
import Tuning

/// Past `maximumModelPoints`, the optimizer models the neighbourhood of its best observation and looks
/// for the next point in the box around it (`LocalNeighbourhood`).
@Suite struct LocalModelTests {
    @Test func theNeighbourhoodIsTheNearestPointsToTheBestAndTheirWidenedBox() {
        let points: [[Double]] = [[0.5, 0.5], [0.9, 0.9], [0.55, 0.45], [0.1, 0.1], [0.5, 0.6], [0.45, 0.5]]
        let values = [0.0, 5, 1, 2, 3, 4]
        let neighbourhood = LocalNeighbourhood(points: points, values: values, limit: 4, lengthScales: nil)
        #expect(neighbourhood.indices == [0, 2, 4, 5])
        // x spans 0.45...0.55 and y 0.45...0.6, each widened by a tenth of its extent (at least 0.01).
        #expect(abs(neighbourhood.lower[0] - 0.44) < 1e-12 && abs(neighbourhood.upper[0] - 0.56) < 1e-12)
        #expect(abs(neighbourhood.lower[1] - 0.435) < 1e-12 && abs(neighbourhood.upper[1] - 0.615) < 1e-12)
        #expect(neighbourhood.contains([0.5, 0.5]) && !neighbourhood.contains([0.9, 0.9]))
        #expect(neighbourhood.clamped([0.9, 0.1]) == [neighbourhood.upper[0], neighbourhood.lower[1]])
    }

    @Test func lengthScalesDecideWhichNeighboursAreNear() {
        // Point 1 is nearer in x, point 2 in y; a long x length scale makes x matter less.
        let points: [[Double]] = [[0.5, 0.5], [0.6, 0.5], [0.5, 0.65]]
        let values = [0.0, 1, 1]
        #expect(LocalNeighbourhood(points: points, values: values, limit: 2, lengthScales: nil).indices == [0, 1])
        #expect(LocalNeighbourhood(points: points, values: values, limit: 2, lengthScales: [0.1, 10]).indices == [0, 2])
    }

    /// A study past the limit: every suggestion is new and lies in the box around the best points.
    @Test func aLargeStudysSuggestionsStayInTheNeighbourhoodOfItsBest() throws {
        let space = try UnitCubeSpace(continuousDimensions: 2)
        var configuration = BayesianOptimizer.Configuration()
        configuration.maximumModelPoints = 30
        var optimizer = try BayesianOptimizer(configuration: configuration, seed: 5)
        var random = TuningRandom(seed: 9)
        // 200 random observations of a bowl centred at (0.3, 0.7).
        func bowl(_ x: [Double]) -> Double { (x[0] - 0.3) * (x[0] - 0.3) + (x[1] - 0.7) * (x[1] - 0.7) }
        var observations = (0..<200).map { _ -> BayesianOptimizer.Observation in
            let point = [random.nextDouble(), random.nextDouble()]
            return .init(point: point, value: bowl(point))
        }
        for _ in 0..<5 {
            let neighbourhood = LocalNeighbourhood(
                points: observations.map(\.point), values: observations.map(\.value), limit: 30,
                lengthScales: optimizer.lastHyperparameters?.kernel.lengthScales)
            let point = try optimizer.suggest(observations: observations, space: space)
            #expect(neighbourhood.contains(point), "\(point) outside \(neighbourhood.lower)...\(neighbourhood.upper)")
            #expect(!observations.contains { $0.point == point })
            observations.append(.init(point: point, value: bowl(point)))
        }
        // The box is small around the optimum: 30 of 200 uniform points cover about a seventh of the square.
        let best = try #require(observations.min { $0.value < $1.value })
        #expect(bowl(best.point) < 0.01)
    }

    /// With a small limit the search still beats random search on Branin (median of 5 seeds after 60
    /// trials), and a limit above the study's size changes nothing.
    @Test func aLocalModelStillSearchesWell() throws {
        let problem = SyntheticProblem.branin
        func run(limit: Int?, seed: UInt64) throws -> [Double] {
            let space = try UnitCubeSpace(continuousDimensions: 2)
            var configuration = BayesianOptimizer.Configuration(budget: 60)
            configuration.maximumModelPoints = limit
            var optimizer = try BayesianOptimizer(configuration: configuration, seed: seed)
            var observations: [BayesianOptimizer.Observation] = []
            for _ in 0..<60 {
                let point = try optimizer.suggest(observations: observations, space: space)
                let value = problem.score(["x1": .float(point[0] * 15 - 5), "x2": .float(point[1] * 15)])
                observations.append(.init(point: point, value: value))
            }
            return observations.map(\.value)
        }
        var localBests: [Double] = []
        for seed in UInt64(0)..<5 {
            let local = try run(limit: 25, seed: seed)
            localBests.append(local.min() ?? .infinity)
            if seed == 0 { #expect(try run(limit: 60, seed: 0) == run(limit: nil, seed: 0)) }
        }
        let sorted = localBests.sorted()
        // Random search's median best after 60 trials is about 1.2 (make bench); the optimum is 0.398.
        #expect(sorted[2] < 0.6, "\(localBests)")
    }

    @Test func aStateSavedBeforeTheLimitExistedDecodes() throws {
        var optimizer = try BayesianOptimizer(seed: 1)
        let space = try UnitCubeSpace(continuousDimensions: 1)
        _ = try optimizer.suggest(observations: [], space: space)
        var json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(optimizer)) as? [String: Any])
        var configuration = try #require(json["configuration"] as? [String: Any])
        #expect(configuration["maximumModelPoints"] == nil)
        configuration.removeValue(forKey: "maximumModelPoints")
        json["configuration"] = configuration
        let decoded = try JSONDecoder().decode(BayesianOptimizer.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(decoded.configuration.maximumModelPoints == nil)
        #expect(throws: BayesianOptimizationError.self) {
            var configuration = BayesianOptimizer.Configuration()
            configuration.maximumModelPoints = 1
            _ = try BayesianOptimizer(configuration: configuration)
        }
    }
}
