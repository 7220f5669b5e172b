import Foundation
import Tuning

/// The multi-objective figures of `make bench` (`tuner-bench mo`): the feasible observed hypervolume
/// after 40 trials (median over seeds 0..<5) on ZDT1 and ZDT2 in 4 dimensions and on the constrained
/// Binh–Korn problem, for the multi-objective GP suggestion (10 uniform random points, then 30
/// suggestions) and for random search (40 uniform points; its first 10 are the GP's), the mean time of
/// a suggestion in those runs, and the time of one suggestion after 100 observations. Optuna's samplers
/// print the matching `mo_<problem>_optuna_<sampler>_hypervolume` lines in `make bench-compare`.
///
/// The ZDT reference point (1.1, 1.1) sits just beyond the true front, so in 4-D random search usually
/// finds no point inside it in 40 trials (hypervolume 0): the figure rewards getting close to the front.
///
/// - Throws: `MultiObjectiveError` from a suggestion (not expected on these problems).
func runMultiObjectiveBenchmarks(report: (String, Double, String) -> Void) throws {
    let seeds: Range<UInt64> = 0..<5
    let problems = [try MultiObjectiveProblem.zdt1(dimensionCount: 4), try MultiObjectiveProblem.zdt2(dimensionCount: 4), .binhKorn]
    for problem in problems {
        let model = try seeds.map { try problem.hypervolumeOfSuggestions(initial: 10, suggested: 30, seed: $0) }
        let random = try seeds.map { try problem.hypervolumeOfSuggestions(initial: 40, suggested: 0, seed: $0) }
        report("mo_\(problem.name)_gp_hypervolume", median(model.map(\.hypervolume)), "hv")
        report("mo_\(problem.name)_random_hypervolume", median(random.map(\.hypervolume)), "hv")
        report("mo_\(problem.name)_gp_suggest", model.map(\.secondsPerSuggestion).reduce(0, +) / Double(seeds.count) * 1000, "ms")
        if let optimum = problem.optimalHypervolume { report("mo_\(problem.name)_optimal_hypervolume", optimum, "hv") }
        // The same budget through the oracles a study uses (Bayesian: 10 initial points; TPE: 10 startup trials).
        let space = try problem.searchSpace()
        let bayesian = try seeds.map { seed in
            try problem.hypervolume(after: 40, of: try BayesianOptimizationOracle(
                objective: .minimize("f1"), additionalObjectives: [.minimize("f2")], searchSpace: space, maxTrials: 40,
                numInitialPoints: 10, seed: seed))
        }
        let tpe = try seeds.map { seed in
            try problem.hypervolume(after: 40, of: try TPEOracle(
                objective: .minimize("f1"), additionalObjectives: [.minimize("f2")], searchSpace: space, maxTrials: 40,
                numStartupTrials: 10, seed: seed))
        }
        report("mo_\(problem.name)_bayesian_oracle_hypervolume", median(bayesian), "hv")
        report("mo_\(problem.name)_tpe_hypervolume", median(tpe), "hv")
    }
    let zdt1 = try MultiObjectiveProblem.zdt1(dimensionCount: 4)
    let times = try (0..<3).map { try zdt1.hypervolumeOfSuggestions(initial: 100, suggested: 1, seed: UInt64($0)).secondsPerSuggestion }
    report("mo_gp_suggest_zdt1_4d_100trials", median(times) * 1000, "ms")
}
