import Foundation
import Tuning

/// Issue 21's benchmark suite (`tuner-bench gp_suite`, or one problem: `tuner-bench gp_suite_branin`;
/// docs/gp-benchmark-suite.md): every problem of `SyntheticProblem.suite` searched with its budget by
/// the Gaussian-process oracle, TPE and random search, seeds 0..<10, one worker. Per problem and
/// method it prints
///
///     BENCH gp_suite_<problem>_<method>_median_regret <v> regret
///     BENCH gp_suite_<problem>_<method>_median_auc <v> regret
///     BENCH gp_suite_<problem>_<method>_suggest_ms <v> ms
///     BENCH gp_suite_<problem>_<method>_seconds <v> s
///
/// where, for one seed, the regret after t trials is the noiseless `score` of the trial with the best
/// observed score among the first t (observed: `observedScore`, the score plus the problem's seeded
/// noise) minus the problem's `optimum`; the final regret is the regret after the budget and the AUC
/// the mean of the regret after t over t = 1...budget (the area under the best-so-far regret curve
/// divided by the budget, so budgets compare). Both are medians over the seeds. `suggest_ms` is the
/// median time of one `createTrial` over every trial of every seed (the first, random trials
/// included, as for the peers); `seconds` the wall time of the method's ten searches.
/// `Scripts/gp_suite_peers.py` prints the same lines for Optuna and scikit-optimize. Before them, one
/// `SEED gp_suite_<problem>_<method> <seed> <final regret> <AUC>` line per search. `GP_SUITE_SEEDS=10-30`
/// runs other seeds, `GP_SUITE_METHODS=bayesian` (comma-separated) only some methods; `bayesian_hedge`
/// (the GP oracle with the GP-Hedge portfolio) runs only when named there.
///
/// - Throws: `OracleError` from an oracle (not expected).
func runGPSuiteBenchmarks(filters: [String], report: (String, Double, String) -> Void) throws {
    let seeds = gpSuiteSeeds()
    let onlyMethods = ProcessInfo.processInfo.environment["GP_SUITE_METHODS"].map { $0.split(separator: ",").map(String.init) }
    let problems = SyntheticProblem.suite.filter { problem in
        filters.isEmpty || filters.contains { "gp_suite_\(problem.name)".hasPrefix($0) }
    }
    for problem in problems {
        let budget = problem.trials
        let methods: [(String, (UInt64) throws -> any Oracle)] = [
            ("bayesian", { seed in
                try BayesianOptimizationOracle(objective: problem.objective, searchSpace: problem.space, maxTrials: budget, seed: seed)
            }),
            ("bayesian_hedge", { seed in
                try BayesianOptimizationOracle(
                    objective: problem.objective, searchSpace: problem.space, maxTrials: budget, acquisition: .hedge, seed: seed)
            }),
            ("tpe", { seed in try TPEOracle(objective: problem.objective, searchSpace: problem.space, maxTrials: budget, seed: seed) }),
            ("random", { seed in
                try RandomSearchOracle(objective: problem.objective, searchSpace: problem.space, maxTrials: budget, seed: seed)
            }),
        ]
        // The hedge portfolio is an alternative acquisition, run only when asked for by name.
        for (method, make) in methods where onlyMethods?.contains(method) ?? (method != "bayesian_hedge") {
            let start = ContinuousClock.now
            var finals: [Double] = [], areas: [Double] = [], times: [Double] = []
            for seed in seeds {
                let run = try regretCurve(try make(seed), problem: problem, seed: seed)
                guard let last = run.regrets.last else { continue }
                let area = run.regrets.reduce(0, +) / Double(run.regrets.count)
                // One line per search, as Scripts/gp_suite_peers.py prints, for paired comparisons.
                print("SEED gp_suite_\(problem.name)_\(method) \(seed) \(last) \(area)")
                finals.append(last)
                areas.append(area)
                times += run.suggestionSeconds
            }
            let prefix = "gp_suite_\(problem.name)_\(method)"
            reportRegret("\(prefix)_median_regret", median(finals), report: report)
            reportRegret("\(prefix)_median_auc", median(areas), report: report)
            report("\(prefix)_suggest_ms", median(times) * 1000, "ms")
            report("\(prefix)_seconds", seconds(ContinuousClock.now - start), "s")
        }
    }
}

/// The seeds of the suite: 0..<10, or `GP_SUITE_SEEDS=first-end` (end excluded, e.g. `10-30`) to compare
/// changes on more seeds than the published tables.
private func gpSuiteSeeds() -> Range<UInt64> {
    guard let text = ProcessInfo.processInfo.environment["GP_SUITE_SEEDS"] else { return 0..<10 }
    let bounds = text.split(separator: "-").compactMap { UInt64($0) }
    guard bounds.count == 2, bounds[0] < bounds[1] else { return 0..<10 }
    return bounds[0]..<bounds[1]
}

/// The regret after each trial of one sequential search of `problem` by `oracle` (see
/// `runGPSuiteBenchmarks`), and the seconds of each `createTrial`.
private func regretCurve(
    _ oracle: any Oracle, problem: SyntheticProblem, seed: UInt64
) throws -> (regrets: [Double], suggestionSeconds: [Double]) {
    var regrets: [Double] = [], times: [Double] = []
    var bestObserved = Double.infinity, bestTrue = Double.infinity
    while true {
        let start = ContinuousClock.now
        guard case .run(let trial) = oracle.createTrial(workerID: "bench") else { break }
        times.append(seconds(ContinuousClock.now - start))
        let observed = problem.observedScore(trial.values, seed: seed, trial: regrets.count)
        try oracle.endTrial(trialID: trial.id, outcome: .complete(observed))
        if observed < bestObserved {
            bestObserved = observed
            bestTrue = problem.score(trial.values)
        }
        regrets.append(bestTrue - problem.optimum)
    }
    return (regrets, times)
}

private func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

/// A regret, in scientific notation below 1e-3 (where `report`'s four decimals would hide it).
private func reportRegret(_ name: String, _ value: Double, report: (String, Double, String) -> Void) {
    if value != 0 && abs(value) < 1e-3 {
        print("BENCH \(name) \(String(format: "%.3e", value)) regret")
        fflush(nil)
    } else {
        report(name, value, "regret")
    }
}
