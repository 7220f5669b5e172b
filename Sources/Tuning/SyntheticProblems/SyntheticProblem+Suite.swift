#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The benchmark suite of issue 21 (`tuner-bench gp_suite`, `Scripts/gp_suite_peers.py` for Optuna
/// and scikit-optimize, docs/gp-benchmark-suite.md): standard test functions in 2–6 dimensions, the
/// mixed and the all-categorical spaces hyperparameter searches have, and two noisy variants. Each
/// is minimized; `optimum` is its known minimum, `trials` its budget (30–100).
///
/// The definitions follow the Virtual Library of Simulation Experiments (Surjanovic and Bingham,
/// sfu.ca/~ssurjano); the Python script holds the same definitions and `--check` ties the two to the
/// same numbers.
extension SyntheticProblem {
    /// Every problem of the suite, in the order the benchmark prints them: `branin`, `sixHumpCamel`,
    /// `hartmann3`, `hartmann6`, `ackley5`, `rosenbrock4`, `michalewicz5`, `levy6`, `styblinskiTang4`,
    /// `mixed`, `categorical`, `braninNoisy`, `hartmann6Noisy`.
    public static let suite: [SyntheticProblem] = [
        .branin, .sixHumpCamel, .hartmann3, .hartmann6, .ackley5, .rosenbrock4, .michalewicz5, .levy6,
        .styblinskiTang4, .mixed, .categorical, .braninNoisy, .hartmann6Noisy,
    ]

    /// The floats `x1`...`xd` of a point, in order (0 for a missing one).
    static func coordinates(_ values: [String: HyperParameterValue], _ d: Int) -> [Double] {
        (1...d).map { values["x\($0)"]?.doubleValue ?? 0 }
    }

    /// `d` floats `x1`...`xd`, each in `lower...upper`.
    static func box(_ d: Int, _ lower: Double, _ upper: Double) -> SearchSpace {
        space((1...d).map { float("x\($0)", lower, upper) })
    }

    /// Six-hump camel on `x1` in [-3, 3] and `x2` in [-2, 2], 30 trials:
    /// `(4 − 2.1x1² + x1⁴/3)x1² + x1x2 + (−4 + 4x2²)x2²`; minimum −1.0316284535 at
    /// (±0.0898420, ∓0.7126564).
    public static let sixHumpCamel = SyntheticProblem(
        name: "six_hump_camel", space: space([float("x1", -3, 3), float("x2", -2, 2)]), trials: 30,
        optimum: -1.0316284535
    ) { values in
        let x1 = values["x1"]?.doubleValue ?? 0, x2 = values["x2"]?.doubleValue ?? 0
        return (4 - 2.1 * x1 * x1 + x1 * x1 * x1 * x1 / 3) * x1 * x1 + x1 * x2 + (-4 + 4 * x2 * x2) * x2 * x2
    }

    /// Hartmann-3 on `x1`...`x3` in [0, 1], 40 trials; minimum −3.86278 at (0.114614, 0.555649, 0.852547).
    public static let hartmann3 = SyntheticProblem(name: "hartmann3", space: box(3, 0, 1), trials: 40, optimum: -3.86278) { values in
        let x = coordinates(values, 3)
        let alpha = [1.0, 1.2, 3.0, 3.2]
        let a: [[Double]] = [[3, 10, 30], [0.1, 10, 35], [3, 10, 30], [0.1, 10, 35]]
        let p: [[Double]] = [
            [0.3689, 0.1170, 0.2673], [0.4699, 0.4387, 0.7470], [0.1091, 0.8732, 0.5547], [0.0381, 0.5743, 0.8828],
        ]
        return hartmann(x, alpha: alpha, a: a, p: p)
    }

    /// Ackley (a = 20, b = 0.2, c = 2π) in 5 dimensions on [-32.768, 32.768]⁵, 100 trials:
    /// `−a·exp(−b·√(mean xᵢ²)) − exp(mean cos(c·xᵢ)) + a + e`; minimum 0 at the origin.
    public static let ackley5 = SyntheticProblem(name: "ackley5", space: box(5, -32.768, 32.768), trials: 100, optimum: 0) { values in
        let x = coordinates(values, 5)
        let squares = x.reduce(0) { $0 + $1 * $1 } / 5
        let cosines = x.reduce(0) { $0 + cos(2 * Double.pi * $1) } / 5
        return -20 * exp(-0.2 * squares.squareRoot()) - exp(cosines) + 20 + exp(1.0)
    }

    /// Rosenbrock in 4 dimensions on [-5, 10]⁴, 100 trials: `Σ 100(xᵢ₊₁ − xᵢ²)² + (xᵢ − 1)²`;
    /// minimum 0 at (1, 1, 1, 1).
    public static let rosenbrock4 = SyntheticProblem(name: "rosenbrock4", space: box(4, -5, 10), trials: 100, optimum: 0) { values in
        let x = coordinates(values, 4)
        var total = 0.0
        for i in 0..<3 {
            let step = x[i + 1] - x[i] * x[i]
            total += 100 * step * step + (x[i] - 1) * (x[i] - 1)
        }
        return total
    }

    /// Michalewicz (m = 10) in 5 dimensions on [0, π]⁵, 100 trials: `−Σ sin(xᵢ)·sin(i·xᵢ²/π)²⁰`;
    /// minimum −4.687658 near (2.202906, 1.570796, 1.284992, 1.923058, 1.720470).
    public static let michalewicz5 = SyntheticProblem(
        name: "michalewicz5", space: box(5, 0, Double.pi), trials: 100, optimum: -4.687658
    ) { values in
        let x = coordinates(values, 5)
        var total = 0.0
        for i in 0..<5 { total -= sin(x[i]) * pow(sin(Double(i + 1) * x[i] * x[i] / Double.pi), 20) }
        return total
    }

    /// Levy in 6 dimensions on [-10, 10]⁶, 80 trials: with `wᵢ = 1 + (xᵢ − 1)/4`,
    /// `sin²(πw₁) + Σ_{i<d} (wᵢ − 1)²(1 + 10 sin²(πwᵢ + 1)) + (w_d − 1)²(1 + sin²(2πw_d))`;
    /// minimum 0 at (1, ..., 1).
    public static let levy6 = SyntheticProblem(name: "levy6", space: box(6, -10, 10), trials: 80, optimum: 0) { values in
        let w = coordinates(values, 6).map { 1 + ($0 - 1) / 4 }
        func square(_ v: Double) -> Double { v * v }
        var total = square(sin(Double.pi * w[0]))
        for i in 0..<5 { total += square(w[i] - 1) * (1 + 10 * square(sin(Double.pi * w[i] + 1))) }
        return total + square(w[5] - 1) * (1 + square(sin(2 * Double.pi * w[5])))
    }

    /// Styblinski–Tang in 4 dimensions on [-5, 5]⁴, 60 trials: `½ Σ (xᵢ⁴ − 16xᵢ² + 5xᵢ)`; minimum
    /// −156.6646628 (4 × −39.1661657) at xᵢ = −2.903534.
    public static let styblinskiTang4 = SyntheticProblem(
        name: "styblinski_tang4", space: box(4, -5, 5), trials: 60, optimum: -4 * 39.16616570377142
    ) { values in
        0.5 * coordinates(values, 4).reduce(0) { $0 + $1 * $1 * $1 * $1 - 16 * $1 * $1 + 5 * $1 }
    }

    /// A space of categories and ordered choices only, 40 trials: `optimizer` (sgd, momentum, adam,
    /// adamw, rmsprop), `activation` (relu, gelu, tanh, sigmoid, elu), `initializer` (he_normal,
    /// glorot_uniform, lecun_normal, random_normal), `normalization` (batch, layer, none), each
    /// category with its own cost, 0.1 more for relu without he_normal, and the ordered choices
    /// `batch_size` (16...512, a bowl in log₂ around 64) and `dropout` (0...0.5 by 0.1, a bowl around
    /// 0.2). Minimum 0 at (adamw, relu, he_normal, batch, 64, 0.2); 10,800 configurations.
    public static let categorical: SyntheticProblem = {
        let specs: [HyperParameterSpec]
        do {
            specs = [
                try .choice("optimizer", values: ["sgd", "momentum", "adam", "adamw", "rmsprop"]),
                try .choice("activation", values: ["relu", "gelu", "tanh", "sigmoid", "elu"]),
                try .choice("initializer", values: ["he_normal", "glorot_uniform", "lecun_normal", "random_normal"]),
                try .choice("normalization", values: ["batch", "layer", "none"]),
                try .choice("batch_size", values: [16, 32, 64, 128, 256, 512]),
                try .choice("dropout", values: [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]),
            ]
        } catch {
            preconditionFailure("the categorical problem's parameters are valid: \(error)")
        }
        let optimizers: [String: Double] = ["sgd": 0.35, "momentum": 0.2, "adam": 0.05, "adamw": 0, "rmsprop": 0.15]
        let activations: [String: Double] = ["relu": 0, "gelu": 0.02, "tanh": 0.25, "sigmoid": 0.5, "elu": 0.05]
        let initializers: [String: Double] = ["he_normal": 0, "glorot_uniform": 0.05, "lecun_normal": 0.1, "random_normal": 0.3]
        let normalizations: [String: Double] = ["batch": 0, "layer": 0.03, "none": 0.2]
        return SyntheticProblem(name: "categorical", space: space(specs), trials: 40, optimum: 0) { values in
            let activation = values["activation"]?.stringValue ?? "sigmoid"
            let initializer = values["initializer"]?.stringValue ?? "random_normal"
            var value = optimizers[values["optimizer"]?.stringValue ?? "sgd"] ?? 1
            value += activations[activation] ?? 1
            value += initializers[initializer] ?? 1
            value += normalizations[values["normalization"]?.stringValue ?? "none"] ?? 1
            if activation == "relu" && initializer != "he_normal" { value += 0.1 }
            let batch = Double(values["batch_size"]?.intValue ?? 512)
            let dropout = values["dropout"]?.doubleValue ?? 0.5
            let batchTerm = (log2(batch / 16) - 2) / 5, dropoutTerm = (dropout - 0.2) / 0.5
            return value + 0.3 * batchTerm * batchTerm + 0.4 * dropoutTerm * dropoutTerm
        }
    }()

    /// Branin (as `branin`, 40 trials) observed with Gaussian noise of standard deviation 0.5; regret
    /// on the noiseless `score`.
    public static let braninNoisy = SyntheticProblem(
        name: "branin_noisy", space: branin.space, trials: 40, optimum: branin.optimum, noise: 0.5, score: branin.score)

    /// Hartmann-6 (as `hartmann6`, 80 trials) observed with Gaussian noise of standard deviation 0.1;
    /// regret on the noiseless `score`.
    public static let hartmann6Noisy = SyntheticProblem(
        name: "hartmann6_noisy", space: hartmann6.space, trials: 80, optimum: hartmann6.optimum, noise: 0.1,
        score: hartmann6.score)
}
