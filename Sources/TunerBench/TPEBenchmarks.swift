import Foundation
import Tuning

/// The TPE figures of `make bench` (`tuner-bench tpe`): sample efficiency on the synthetic problems —
/// the mean best score after 30 and 60 trials over seeds 0..<10, TPE beside the Gaussian process and
/// random search — and the time of one TPE suggestion after 100 and 1,000 finished trials, on the
/// 6-dimensional Hartmann problem and on the mixed space with its conditional parameter.
///
/// - Throws: `OracleError` from an oracle (not expected).
func runTPEBenchmarks(report: (String, Double, String) -> Void) throws {
    let seeds: Range<UInt64> = 0..<10
    let budgets = [30, 60]
    for problem in [SyntheticProblem.branin, .hartmann6, .mixed] {
        let searches: [(String, (UInt64) throws -> any Oracle)] = [
            ("tpe", { seed in try TPEOracle(objective: problem.objective, searchSpace: problem.space, maxTrials: 60, seed: seed) }),
            ("bayesian", { seed in
                try BayesianOptimizationOracle(objective: problem.objective, searchSpace: problem.space, maxTrials: 60, seed: seed)
            }),
            ("random", { seed in try RandomSearchOracle(objective: problem.objective, searchSpace: problem.space, maxTrials: 60, seed: seed) }),
        ]
        for (name, make) in searches {
            var bestAt: [Int: [Double]] = [:]
            for seed in seeds {
                let curve = try bestSoFar(try make(seed), problem: problem)
                for budget in budgets where budget <= curve.count { bestAt[budget, default: []].append(curve[budget - 1]) }
            }
            for budget in budgets {
                let values = bestAt[budget] ?? []
                report("tpe_\(problem.name)_\(budget)trials_\(name)_mean_best", values.reduce(0, +) / Double(max(values.count, 1)), "score")
            }
        }
    }
    for problem in [SyntheticProblem.hartmann6, .mixed] {
        for finished in [100, 1000] {
            report("tpe_suggest_\(problem.name)_\(finished)trials", try tpeSuggestionSeconds(afterFinishedTrials: finished, problem: problem) * 1000, "ms")
        }
    }
}

/// The best score after each trial of a sequential search of `problem` by `oracle`.
private func bestSoFar(_ oracle: any Oracle, problem: SyntheticProblem) throws -> [Double] {
    var curve: [Double] = []
    var best = Double.infinity
    while case .run(let trial) = oracle.createTrial(workerID: "bench") {
        let value = problem.score(trial.values)
        try oracle.endTrial(trialID: trial.id, outcome: .complete(value))
        best = min(best, value)
        curve.append(best)
    }
    return curve
}

/// The median time of five TPE suggestions after `count` finished random trials of `problem`.
private func tpeSuggestionSeconds(afterFinishedTrials count: Int, problem: SyntheticProblem) throws -> Double {
    let oracle = try TPEOracle(objective: problem.objective, searchSpace: problem.space, seed: 1)
    var random = TuningRandom(seed: UInt64(count))
    // Enqueued trials are served without the model, so the history costs only the scoring.
    for _ in 0..<count { try oracle.enqueue(problem.space.randomValues(using: &random)) }
    while oracle.trials.contains(where: { $0.state == .waiting }), case .run(let trial) = oracle.createTrial(workerID: "bench") {
        try oracle.endTrial(trialID: trial.id, outcome: .complete(problem.score(trial.values)))
    }
    var times: [Double] = []
    for _ in 0..<5 {
        let start = ContinuousClock.now
        guard case .run(let trial) = oracle.createTrial(workerID: "bench") else { break }
        let elapsed = ContinuousClock.now - start
        times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        try oracle.endTrial(trialID: trial.id, outcome: .complete(problem.score(trial.values)))
    }
    return median(times)
}
