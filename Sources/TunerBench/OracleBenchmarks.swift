import Foundation
import Tuning

/// The oracle figures of `make bench`: sample efficiency on the synthetic problems (median best score
/// over 10 seeds, Bayesian optimization beside random search, the same runs as the tests) and the time
/// the Bayesian oracle takes to suggest one trial after 100, 500, 1000 and 10,000 finished trials in 6
/// dimensions, through the `Oracle` API (past 1,000 the model sees the best trial's neighbourhood).
///
/// - Throws: `OracleError` from an oracle (not expected).
func runOracleBenchmarks(report: (String, Double, String) -> Void) throws {
    let seeds: Range<UInt64> = 0..<10
    for problem in [SyntheticProblem.branin, .hartmann6, .mixed] {
        let bayesian = try seeds.map { seed in
            try problem.run(try BayesianOptimizationOracle(
                objective: problem.objective, searchSpace: problem.space, maxTrials: problem.trials, seed: seed))
        }
        let random = try seeds.map { seed in
            try problem.run(try RandomSearchOracle(
                objective: problem.objective, searchSpace: problem.space, maxTrials: problem.trials, seed: seed))
        }
        report("oracle_\(problem.name)_\(problem.trials)trials_bayesian_median_best", median(bayesian), "score")
        report("oracle_\(problem.name)_\(problem.trials)trials_random_median_best", median(random), "score")
    }
    for finished in [100, 500, 1000, 10_000] {
        let (cold, warm) = try suggestionSeconds(afterFinishedTrials: finished, problem: .hartmann6)
        report("oracle_bayesian_suggest_6d_\(finished)trials", warm * 1000, "ms")
        report("oracle_bayesian_suggest_6d_\(finished)trials_first_fit", cold * 1000, "ms")
    }
}

/// The time of one Bayesian suggestion after `count` finished random trials of `problem`: the first
/// (a cold hyperparameter fit) and the median of three more (warm-started from the previous fit, as
/// in a running search).
private func suggestionSeconds(afterFinishedTrials count: Int, problem: SyntheticProblem) throws -> (cold: Double, warm: Double) {
    let oracle = try BayesianOptimizationOracle(objective: problem.objective, searchSpace: problem.space, seed: 1)
    var random = TuningRandom(seed: UInt64(count))
    // Enqueued trials are served without the model, so the history costs only the scoring.
    for _ in 0..<count { try oracle.enqueue(problem.space.randomValues(using: &random)) }
    while oracle.trials.contains(where: { $0.state == .waiting }), case .run(let trial) = oracle.createTrial(workerID: "bench") {
        try oracle.endTrial(trialID: trial.id, outcome: .complete(problem.score(trial.values)))
    }
    var times: [Double] = []
    for _ in 0..<4 {
        let start = ContinuousClock.now
        guard case .run(let trial) = oracle.createTrial(workerID: "bench") else { break }
        times.append(seconds(ContinuousClock.now - start))
        try oracle.endTrial(trialID: trial.id, outcome: .complete(problem.score(trial.values)))
    }
    guard let cold = times.first else { return (.nan, .nan) }
    return (cold, median(Array(times.dropFirst())))
}

private func seconds(_ duration: Duration) -> Double {
    let parts = duration.components
    return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
}

func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return (sorted[(sorted.count - 1) / 2] + sorted[sorted.count / 2]) / 2
}
