import Foundation
import Neural
import ReferenceWorkloads
import TunerKit
import Tuning

/// Anytime performance (issue 17): how good the best configuration found is against the epochs spent
/// (the real cost of a search), for every way of spending them — plain random search, Hyperband, BOHB,
/// TPE, random / Bayesian / TPE search stopped early by ASHA — under the same budget of epochs and several
/// seeds. Two problems:
///
/// - `anytime_synthetic_*`: Hartmann-6 seen through a budget: at epoch `e` of `R` a trial reports
///   `f(x) + d(e) · (0.8 + 0.4 sin(3 x₀))` plus noise of size `0.15 d(e)`, where `d(e) = (R − e) / (R − 1)`,
///   so low budgets are biased and noisy but still rank configurations; the figure is the mean regret
///   `f(x*) − f_min` of the configuration with the best reported value (its true, noiseless value), 12 seeds.
/// - `anytime_fmnist_*`: the book's MLP space (`BookTuning.buildModel`) on 3,000 Fashion-MNIST images,
///   validated on 1,000, up to 9 epochs a trial; the figure is the best validation accuracy measured, 3 seeds
///   (about 5 minutes).
///
/// Each search runs one trial at a time in this process (oracles and pruners from `Tuning` and
/// `TunerKit`, no store: the storage's cost is measured elsewhere). A Hyperband promotion continues its
/// parent's run (weights and optimizer state), as the tuner does. The budget is what Hyperband spends on
/// its passes over the brackets (one for the synthetic problem, three for Fashion-MNIST). For each method: the mean final quality, and for fixed targets and for
/// Hyperband's final mean, the median over seeds of the first cumulative epoch at which the method's best
/// reaches it (-1 when fewer than half the seeds do) and how many seeds reach it.
enum AnytimeBenchmarks {
    /// The ways of spending epochs compared.
    enum Method: String, CaseIterable {
        case random, hyperband, bohb, randomASHA = "random_asha", bayesianASHA = "bayesian_asha", tpe, tpeASHA = "tpe_asha"

    }

    /// One trial's training, an epoch at a time; `value` is what the trial reports after each epoch.
    protocol TrainingRun: AnyObject {
        func trainEpoch() throws -> Double
    }

    /// A problem searched at several budgets.
    protocol Problem {
        var space: SearchSpace { get }
        var objective: Objective { get }
        var maxEpochs: Int { get }
        /// Hyperband's passes over its brackets: their epochs are every method's budget.
        var hyperbandIterations: Int { get }
        func start(_ values: [String: HyperParameterValue], seed: UInt64) throws -> any TrainingRun
        /// The quality of a configuration found, as the figure reports it (lower is better for regret).
        func quality(of values: [String: HyperParameterValue], bestReported: Double) -> Double
    }

    /// What one search produced: after each epoch spent, the quality of the best configuration so far.
    struct Trace {
        var qualityAfterEpoch: [Double] = []
    }

    /// The synthetic comparison (`anytime_synthetic_*`).
    static func runSynthetic(report: (String, Double, String) -> Void) throws {
        try compare(SyntheticProblem(), name: "synthetic", seeds: 12, qualityName: "regret", lowerIsBetter: true,
                    targets: [("regret_1", 1.0), ("regret_0.5", 0.5)], report: report)
    }

    /// The Fashion-MNIST comparison (`anytime_fmnist_*`).
    static func runFashionMNIST(report: (String, Double, String) -> Void) throws {
        let data = try BookTuning.fashionMNIST(trainCount: 3_000, validationCount: 1_000)
        BLAS.setThreadCount(1)
        try compare(FashionMNISTProblem(x: data.x, y: data.y, xValid: data.xValid, yValid: data.yValid), name: "fmnist",
                    seeds: 3, qualityName: "best_val_accuracy", lowerIsBetter: false,
                    targets: [("accuracy_0.80", 0.80), ("accuracy_0.83", 0.83)], report: report)
    }

    /// Runs every method on `problem` for each seed and reports the final quality and the epochs each
    /// needs to reach Hyperband's final mean.
    static func compare(_ problem: some Problem, name: String, seeds: Int, qualityName: String, lowerIsBetter: Bool,
                        targets: [(String, Double)], report: (String, Double, String) -> Void) throws {
        var traces: [Method: [Trace]] = [:]
        // Hyperband first: its spending on one pass of the brackets is everyone's budget.
        var budget = 0
        for seed in 0..<seeds {
            let trace = try search(problem, method: .hyperband, seed: UInt64(seed + 1), budget: nil)
            budget = max(budget, trace.qualityAfterEpoch.count)
            traces[.hyperband, default: []].append(trace)
        }
        for method in Method.allCases where method != .hyperband {
            for seed in 0..<seeds {
                traces[method, default: []].append(try search(problem, method: method, seed: UInt64(seed + 1), budget: budget))
            }
        }
        report("anytime_\(name)_budget", Double(budget), "epochs")
        func final(_ trace: Trace) -> Double {
            trace.qualityAfterEpoch.last ?? .nan
        }
        let hyperbandFinal = (traces[.hyperband] ?? []).map(final).reduce(0, +) / Double(seeds)
        report("anytime_\(name)_hyperband_final_mean_\(qualityName)", hyperbandFinal, lowerIsBetter ? "" : "fraction")
        for method in Method.allCases {
            let runs = traces[method] ?? []
            let mean = runs.map(final).reduce(0, +) / Double(max(runs.count, 1))
            report("anytime_\(name)_\(method.rawValue)_\(qualityName)", mean, lowerIsBetter ? "" : "fraction")
            for (label, target) in targets + [("hyperband_final", hyperbandFinal)] {
                let epochs = runs.compactMap { trace in
                    trace.qualityAfterEpoch.firstIndex { lowerIsBetter ? $0 <= target : $0 >= target }.map { $0 + 1 }
                }.sorted()
                // The median over every seed, a seed that never reached the target counting as never.
                let median = epochs.count * 2 > runs.count ? Double(epochs[(runs.count - 1) / 2]) : .infinity
                if median.isFinite {
                    report("anytime_\(name)_\(method.rawValue)_median_epochs_to_\(label)", median, "epochs")
                } else {
                    report("anytime_\(name)_\(method.rawValue)_median_epochs_to_\(label)", -1, "epochs (fewer than half the seeds reached it)")
                }
                report("anytime_\(name)_\(method.rawValue)_seeds_reaching_\(label)", Double(epochs.count), "of \(runs.count)")
            }
        }
    }

    /// One search of `problem` by `method` with `seed`, until the oracle is done or `budget` epochs are
    /// spent (Hyperband's schedule: one pass; others: the budget).
    static func search(_ problem: some Problem, method: Method, seed: UInt64, budget: Int?) throws -> Trace {
        let maxEpochs = problem.maxEpochs
        let oracle: any Oracle
        var pruner: (any TrialPruner)?
        switch method {
        case .random:
            oracle = try RandomSearchOracle(objective: problem.objective, searchSpace: problem.space, seed: seed)
        case .hyperband:
            oracle = try HyperbandOracle(objective: problem.objective, searchSpace: problem.space, maxEpochs: maxEpochs,
                                         factor: 3, hyperbandIterations: problem.hyperbandIterations, seed: seed)
        case .bohb:
            oracle = try BOHBOracle(objective: problem.objective, searchSpace: problem.space, maxEpochs: maxEpochs,
                                    factor: 3, hyperbandIterations: problem.hyperbandIterations + 4, seed: seed)
        case .randomASHA:
            oracle = try RandomSearchOracle(objective: problem.objective, searchSpace: problem.space, seed: seed)
            pruner = try SuccessiveHalvingPruner(minResource: 1, reductionFactor: 3)
        case .bayesianASHA:
            oracle = try BayesianOptimizationOracle(objective: problem.objective, searchSpace: problem.space, seed: seed)
            pruner = try SuccessiveHalvingPruner(minResource: 1, reductionFactor: 3)
        case .tpe:
            oracle = try TPEOracle(objective: problem.objective, searchSpace: problem.space, seed: seed)
        case .tpeASHA:
            oracle = try TPEOracle(objective: problem.objective, searchSpace: problem.space, seed: seed)
            pruner = try SuccessiveHalvingPruner(minResource: 1, reductionFactor: 3)
        }
        var trace = Trace()
        var runs: [Trial.ID: any TrainingRun] = [:]
        var reported: [Trial.ID: [Int: Double]] = [:]
        var states: [Trial.ID: TrialState] = [:]
        var best: (value: Double, values: [String: HyperParameterValue])?
        let direction = problem.objective.direction
        func spend(_ value: Double, _ values: [String: HyperParameterValue]) {
            if value.isFinite, best.map({ direction == .maximize ? value > $0.value : value < $0.value }) ?? true {
                best = (value, values)
            }
            trace.qualityAfterEpoch.append(best.map { problem.quality(of: $0.values, bestReported: $0.value) } ?? .nan)
        }
        func exhausted() -> Bool { budget.map { trace.qualityAfterEpoch.count >= $0 } ?? false }

        while !exhausted() {
            guard case .run(let trial) = oracle.createTrial(workerID: "bench") else { break }
            // A promotion continues its parent's run; each trial is promoted at most once.
            let run: any TrainingRun
            if let parent = trial.hyperband?.parentTrialID, let parentRun = runs.removeValue(forKey: parent) {
                run = parentRun
            } else {
                run = try problem.start(trial.values, seed: seed &* 1_000_003 &+ UInt64(trial.id))
            }
            let first = trial.hyperband?.initialEpoch ?? 0
            let last = trial.hyperband?.epochs ?? maxEpochs
            var value = Double.nan
            var outcome: TrialOutcome?
            states[trial.id] = .running
            for step in first..<last where !exhausted() {
                value = try run.trainEpoch()
                reported[trial.id, default: [:]][step] = value
                spend(value, trial.values)
                if let pruner {
                    let question = PruningQuestion(trial: trial.id, step: step, value: value, history: reported[trial.id],
                                                   direction: direction)
                    let stop = try pruner.shouldPrune(question) { step, wanted in
                        reported.compactMap { id, curve in wanted.contains(states[id] ?? .failed) ? curve[step] : nil }
                    }
                    if stop { outcome = .pruned; break }
                }
            }
            let ended = outcome ?? (value.isFinite ? .complete(value) : .failed("no finite value"))
            try oracle.endTrial(trialID: trial.id, outcome: ended)
            states[trial.id] = oracle.trial(trial.id)?.state ?? .failed
            if oracle.trialsThatMayBePromoted.contains(trial.id) { runs[trial.id] = run }
        }
        return trace
    }

    /// Hartmann-6 through a budget (see the type's comment).
    struct SyntheticProblem: Problem {
        let base = Tuning.SyntheticProblem.hartmann6
        var space: SearchSpace { base.space }
        var objective: Objective { .minimize("score") }
        var maxEpochs: Int { 27 }
        var hyperbandIterations: Int { 1 }

        final class Run: TrainingRun {
            let problem: SyntheticProblem
            let values: [String: HyperParameterValue]
            var random: TuningRandom
            var epoch = 0

            init(problem: SyntheticProblem, values: [String: HyperParameterValue], seed: UInt64) {
                self.problem = problem
                self.values = values
                random = TuningRandom(seed: seed)
            }

            func trainEpoch() throws -> Double {
                epoch += 1
                let budget = Double(problem.maxEpochs)
                let distance = (budget - Double(epoch)) / (budget - 1)
                let x0 = values.sorted { $0.key < $1.key }.first?.value.doubleValue ?? 0
                // A standard normal draw (Box-Muller) from the trial's own stream.
                let u = max(random.nextDouble(), 1e-12)
                let normal = (-2 * log(u)).squareRoot() * cos(2 * Double.pi * random.nextDouble())
                return problem.base.score(values) + distance * (0.8 + 0.4 * sin(3 * x0)) + 0.15 * distance * normal
            }
        }

        func start(_ values: [String: HyperParameterValue], seed: UInt64) throws -> any TrainingRun {
            Run(problem: self, values: values, seed: seed)
        }

        func quality(of values: [String: HyperParameterValue], bestReported: Double) -> Double {
            base.score(values) - base.optimum
        }
    }

    /// The book's MLP on a Fashion-MNIST subsample (see the type's comment).
    struct FashionMNISTProblem: Problem {
        let x: Tensor
        let y: Tensor
        let xValid: Tensor
        let yValid: Tensor
        var space: SearchSpace {
            let hp = HyperParameters()
            _ = try? BookTuning.buildModel(hp)
            return hp.space
        }
        var objective: Objective { .maximize("val_accuracy") }
        var maxEpochs: Int { 9 }
        // Three passes (225 epochs): one (75) is fewer than TPE's ten random startup trials of 9 epochs.
        var hyperbandIterations: Int { 3 }

        final class Run: TrainingRun {
            let model: Model
            let problem: FashionMNISTProblem
            let seed: UInt64
            var epoch: UInt64 = 0

            init(model: Model, problem: FashionMNISTProblem, seed: UInt64) {
                self.model = model
                self.problem = problem
                self.seed = seed
            }

            func trainEpoch() throws -> Double {
                epoch += 1
                // Each epoch its own shuffle, the same in every search of this seed.
                let history = try GlobalRandom.withSeed(seed &* 31 &+ epoch) {
                    try model.fit(problem.x, problem.y, batchSize: 32, epochs: 1, verbosity: .silent,
                                  validationData: (problem.xValid, problem.yValid))
                }
                return Double(history.last("val_accuracy") ?? .nan)
            }
        }

        func start(_ values: [String: HyperParameterValue], seed: UInt64) throws -> any TrainingRun {
            let hp = try HyperParameters(space: space, values: values)
            let model = try GlobalRandom.withSeed(seed) { try BookTuning.buildModel(hp) }
            return Run(model: model, problem: self, seed: seed)
        }

        func quality(of values: [String: HyperParameterValue], bestReported: Double) -> Double {
            bestReported
        }
    }
}
