#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A search problem with a known optimum and no model to train, for testing and benchmarking oracles:
/// a search space, a score for every configuration (to minimize) and a trial budget.
///
/// The tests and `make bench` run the same problems, so the figures they print agree:
/// ```swift
/// let problem = SyntheticProblem.branin
/// let oracle = try BayesianOptimizationOracle(objective: problem.objective, searchSpace: problem.space,
///                                             maxTrials: problem.trials, seed: 0)
/// let best = try problem.run(oracle)       // within 0.01 of problem.optimum, usually
/// ```
public struct SyntheticProblem: Sendable {
    /// A short name (`"branin"`).
    public let name: String
    /// The hyperparameters.
    public let space: SearchSpace
    /// The trials a search gets (the budget the targets are stated for).
    public let trials: Int
    /// The lowest score any configuration reaches.
    public let optimum: Double
    /// The standard deviation of the Gaussian noise a search observes on top of `score`
    /// (`observedScore(_:seed:trial:)`); 0 for a noiseless problem.
    public let noise: Double
    /// The score of a configuration (lower is better), always without noise: on a noisy problem the
    /// true value regret is measured on.
    public let score: @Sendable ([String: HyperParameterValue]) -> Double

    /// A problem; `noise` is the standard deviation of the noise added to observations (0: none).
    init(
        name: String, space: SearchSpace, trials: Int, optimum: Double, noise: Double = 0,
        score: @escaping @Sendable ([String: HyperParameterValue]) -> Double
    ) {
        self.name = name
        self.space = space
        self.trials = trials
        self.optimum = optimum
        self.noise = noise
        self.score = score
    }

    /// The score a search observes for `values` as the `trial`-th trial (from 0) of the search of
    /// `seed`: `score(values)` plus `noise` times a standard normal draw from a `TuningRandom` seeded by
    /// `(seed, trial)` alone, so a run is reproducible and the noise does not depend on the oracle.
    /// Equal to `score(values)` when `noise` is 0.
    public func observedScore(_ values: [String: HyperParameterValue], seed: UInt64, trial: Int) -> Double {
        let value = score(values)
        guard noise > 0 else { return value }
        var random = TuningRandom(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(truncatingIfNeeded: trial) &+ 21)
        // Box–Muller; 1 − u keeps the logarithm's argument in (0, 1].
        let u1 = 1 - random.nextDouble(), u2 = random.nextDouble()
        return value + noise * (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Minimize the metric `"score"`.
    public var objective: Objective { .minimize("score") }

    /// Runs `oracle` with one worker until its search is over, scoring every trial, and returns the
    /// best score found (`infinity` if no trial ran).
    ///
    /// - Throws: `OracleError` from the oracle (not expected for an oracle built on `space`).
    public func run(_ oracle: some Oracle) throws(OracleError) -> Double {
        var best = Double.infinity
        while case .run(let trial) = oracle.createTrial(workerID: "synthetic") {
            let value = score(trial.values)
            try oracle.endTrial(trialID: trial.id, outcome: .complete(value))
            best = Swift.min(best, value)
        }
        return best
    }

    /// A space of our own constant definitions (invalid ones are a programming error).
    static func space(_ specs: [HyperParameterSpec]) -> SearchSpace {
        do {
            return try SearchSpace(specs)
        } catch {
            preconditionFailure("the synthetic problems' spaces are valid: \(error)")
        }
    }

    /// A float parameter of our own constant definitions (invalid ones are a programming error).
    static func float(_ name: String, _ min: Double, _ max: Double, sampling: Sampling = .linear) -> HyperParameterSpec {
        do {
            return try .float(name, min: min, max: max, sampling: sampling)
        } catch {
            preconditionFailure("the synthetic problems' parameters are valid: \(error)")
        }
    }

    /// Branin on `x1` in [-5, 10] and `x2` in [0, 15], 40 trials; minimum 0.397887 at three points.
    public static let branin = SyntheticProblem(
        name: "branin", space: space([float("x1", -5, 10), float("x2", 0, 15)]), trials: 40, optimum: 0.397887
    ) { values in
        let x1 = values["x1"]?.doubleValue ?? 0, x2 = values["x2"]?.doubleValue ?? 0
        let b = 5.1 / (4 * Double.pi * Double.pi), c = 5 / Double.pi, t = 1 / (8 * Double.pi)
        let inner = x2 - b * x1 * x1 + c * x1 - 6
        return inner * inner + 10 * (1 - t) * cos(x1) + 10
    }

    /// Hartmann-6 on `x1`...`x6` in [0, 1], 80 trials; minimum -3.32237.
    public static let hartmann6 = SyntheticProblem(
        name: "hartmann6", space: space((1...6).map { float("x\($0)", 0, 1) }), trials: 80, optimum: -3.32237
    ) { values in
        let x = (1...6).map { values["x\($0)"]?.doubleValue ?? 0 }
        let alpha = [1.0, 1.2, 3.0, 3.2]
        let a: [[Double]] = [
            [10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14],
            [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14],
        ]
        let p: [[Double]] = [
            [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
            [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
        ]
        return hartmann(x, alpha: alpha, a: a, p: p)
    }

    /// The Hartmann family's value at `x`: `−Σᵢ αᵢ exp(−Σⱼ Aᵢⱼ (xⱼ − Pᵢⱼ)²)` (Hartmann-3 and Hartmann-6
    /// differ only in their constants).
    static func hartmann(_ x: [Double], alpha: [Double], a: [[Double]], p: [[Double]]) -> Double {
        var total = 0.0
        for i in alpha.indices {
            var exponent = 0.0
            for j in x.indices { exponent += a[i][j] * (x[j] - p[i][j]) * (x[j] - p[i][j]) }
            total -= alpha[i] * exp(-exponent)
        }
        return total
    }

    /// A network-like mixed space, 40 trials: `n_layers` (int 1...10), `learning_rate` (log float
    /// 1e-5...0.1), `optimizer` (4 categories), `beta_1` (float 0.5...0.999, active only for adam),
    /// `batch_size` (ordered choice 16...256) and `units` (log int 8...512). Each term is a bowl in the
    /// parameter's own scale; the best configuration (7 layers, learning rate 1.6e-4, adam with
    /// beta_1 0.9, batch 64, 128 units) scores about 0.0011, and every other optimizer costs at least 0.2.
    public static let mixed: SyntheticProblem = {
        let specs: [HyperParameterSpec]
        do {
            specs = [
                try .int("n_layers", min: 1, max: 10),
                try .float("learning_rate", min: 1e-5, max: 1e-1, sampling: .log),
                try .choice("optimizer", values: ["sgd", "adam", "rmsprop", "adagrad"]),
                try .float("beta_1", min: 0.5, max: 0.999, conditions: [Condition(parent: "optimizer", values: ["adam"])]),
                try .choice("batch_size", values: [16, 32, 64, 128, 256]),
                try .int("units", min: 8, max: 512, sampling: .log),
            ]
        } catch {
            preconditionFailure("the mixed problem's parameters are valid: \(error)")
        }
        return SyntheticProblem(name: "mixed", space: space(specs), trials: 40, optimum: 0.0011) { values in
            let layers = Double(values["n_layers"]?.intValue ?? 1)
            let rate = values["learning_rate"]?.doubleValue ?? 1e-3
            let batch = Double(values["batch_size"]?.intValue ?? 64)
            let units = Double(values["units"]?.intValue ?? 128)
            let costs: [String: Double] = ["sgd": 0.3, "adam": 0, "rmsprop": 0.2, "adagrad": 0.4]
            let optimizer = values["optimizer"]?.stringValue ?? "sgd"
            func square(_ x: Double) -> Double { x * x }
            var value = square((layers - 1) / 9 - 0.7)
            value += 2 * square((log10(rate) + 5) / 4 - 0.3)
            value += costs[optimizer] ?? 1
            if optimizer == "adam" {
                value += 3 * square(((values["beta_1"]?.doubleValue ?? 0.9) - 0.5) / 0.499 - 0.8)
            }
            value += 0.5 * square(log2(batch / 16) / 4 - 0.5)
            value += 0.5 * square(log2(units / 8) / 6 - 0.6667)
            return value
        }
    }()
}
