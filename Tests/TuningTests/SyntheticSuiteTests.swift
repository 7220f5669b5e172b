import Foundation
import Testing
import Tuning

/// The problems of `SyntheticProblem.suite` (issue 21's benchmark suite): each stated optimum is
/// reached at the problem's known minimizer and never undercut by random points, and fixed points
/// score what `Scripts/gp_suite_peers.py --check` asserts for its Python definitions.
@Suite struct SyntheticSuiteTests {
    /// Known minimizers of the suite's problems, by name.
    static let minimizers: [String: [String: HyperParameterValue]] = [
        "branin": ["x1": .float(Double.pi), "x2": 2.275],
        "six_hump_camel": ["x1": 0.0898420131, "x2": -0.7126564030],
        "hartmann3": ["x1": 0.114614, "x2": 0.555649, "x3": 0.852547],
        "hartmann6": ["x1": 0.20169, "x2": 0.150011, "x3": 0.476874, "x4": 0.275332, "x5": 0.311652, "x6": 0.6573],
        "ackley5": point(5) { _ in 0 },
        "rosenbrock4": point(4) { _ in 1 },
        "michalewicz5": ["x1": 2.202906, "x2": 1.570796, "x3": 1.284992, "x4": 1.923058, "x5": 1.720470],
        "levy6": point(6) { _ in 1 },
        "styblinski_tang4": point(4) { _ in -2.903534027771178 },
        "mixed": [
            "n_layers": 7, "learning_rate": .float(pow(10, -3.8)), "optimizer": "adam", "beta_1": .float(0.5 + 0.8 * 0.499),
            "batch_size": 64, "units": 128,
        ],
        "categorical": [
            "optimizer": "adamw", "activation": "relu", "initializer": "he_normal", "normalization": "batch",
            "batch_size": 64, "dropout": 0.2,
        ],
        "branin_noisy": ["x1": .float(Double.pi), "x2": 2.275],
        "hartmann6_noisy": ["x1": 0.20169, "x2": 0.150011, "x3": 0.476874, "x4": 0.275332, "x5": 0.311652, "x6": 0.6573],
    ]

    /// `x1`...`xd` with `value(i)` for `xi`.
    static func point(_ d: Int, _ value: (Int) -> Double) -> [String: HyperParameterValue] {
        Dictionary(uniqueKeysWithValues: (1...d).map { ("x\($0)", HyperParameterValue.float(value($0))) })
    }

    @Test func theSuiteHasAtLeastTwelveProblemsWithBudgetsOf30To100AndTwoNoisyOnes() {
        let problems = SyntheticProblem.suite
        #expect(problems.count >= 12)
        #expect(Set(problems.map(\.name)).count == problems.count)
        #expect(problems.allSatisfy { (30...100).contains($0.trials) })
        #expect(problems.filter { $0.noise > 0 }.count >= 2)
        #expect(Set(problems.map(\.name)) == Set(Self.minimizers.keys))
    }

    @Test(arguments: SyntheticProblem.suite.map(\.name))
    func theOptimumIsReachedAtTheKnownMinimizer(name: String) throws {
        let problem = try #require(SyntheticProblem.suite.first { $0.name == name })
        let minimizer = try #require(Self.minimizers[name])
        let value = problem.score(minimizer)
        // `mixed` states 0.0011; its best configuration scores 1/900 + 5.6e-10 (7 layers).
        let tolerance = 1e-4 * max(1, abs(problem.optimum)) + (name == "mixed" ? 2e-5 : 0)
        #expect(abs(value - problem.optimum) <= tolerance, "\(name): \(value) against \(problem.optimum)")
    }

    @Test(arguments: SyntheticProblem.suite.map(\.name))
    func randomPointsAreNeverBelowTheOptimum(name: String) throws {
        let problem = try #require(SyntheticProblem.suite.first { $0.name == name })
        var random = TuningRandom(seed: 21)
        for _ in 0..<2000 {
            let values = problem.space.randomValues(using: &random)
            let value = problem.score(values)
            #expect(value.isFinite && value >= problem.optimum - 1e-9, "\(name): \(values) scores \(value)")
        }
    }

    /// The same points and values as `FIXED_POINTS` / `FIXED_EXPECTED` in Scripts/gp_suite_peers.py.
    @Test func fixedPointsScoreWhatThePythonDefinitionsScore() throws {
        let cases: [(String, [String: HyperParameterValue], Double)] = [
            ("branin", ["x1": 1.0, "x2": 2.0], 21.627635392062),
            ("hartmann3", ["x1": 0.25, "x2": 0.5, "x3": 0.75], -2.999716768817),
            ("ackley5", Self.point(5) { Double($0) }, 9.697286414062),
            ("rosenbrock4", ["x1": 0.5, "x2": -1.0, "x3": 2.0, "x4": 1.5], 886.5),
            ("michalewicz5", Self.point(5) { 0.5 * Double($0) }, -0.234909421702),
            ("levy6", Self.point(6) { Double($0) - 3 }, 8.412215467263),
            ("styblinski_tang4", ["x1": -1.0, "x2": 0.0, "x3": 1.0, "x4": 2.0], -34.0),
            ("six_hump_camel", ["x1": 1.0, "x2": -1.0], 1.233333333333),
            ("mixed", ["n_layers": 3, "learning_rate": 0.01, "optimizer": "rmsprop", "batch_size": 256, "units": 32], 1.013838272160),
            ("categorical", [
                "optimizer": "sgd", "activation": "relu", "initializer": "glorot_uniform", "normalization": "none",
                "batch_size": 512, "dropout": 0.5,
            ], 0.952),
        ]
        for (name, values, expected) in cases {
            let problem = try #require(SyntheticProblem.suite.first { $0.name == name })
            let value = problem.score(values)
            #expect(abs(value - expected) <= 1e-10 * max(1, abs(expected)) + 1e-12, "\(name): \(value) against \(expected)")
        }
    }

    @Test func noiseIsReproducibleAndZeroOnNoiselessProblems() {
        let noisy = SyntheticProblem.braninNoisy
        let values: [String: HyperParameterValue] = ["x1": 1.0, "x2": 2.0]
        #expect(noisy.observedScore(values, seed: 3, trial: 7) == noisy.observedScore(values, seed: 3, trial: 7))
        #expect(noisy.observedScore(values, seed: 3, trial: 7) != noisy.observedScore(values, seed: 3, trial: 8))
        #expect(noisy.observedScore(values, seed: 3, trial: 7) != noisy.observedScore(values, seed: 4, trial: 7))
        #expect(SyntheticProblem.branin.observedScore(values, seed: 3, trial: 7) == SyntheticProblem.branin.score(values))
        // The draws are standard normal scaled by the noise: mean near 0, standard deviation near 0.5.
        let draws = (0..<4000).map { noisy.observedScore(values, seed: 1, trial: $0) - noisy.score(values) }
        let mean = draws.reduce(0, +) / Double(draws.count)
        let deviation = (draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(draws.count)).squareRoot()
        #expect(abs(mean) < 0.05 && abs(deviation - 0.5) < 0.05)
    }
}
