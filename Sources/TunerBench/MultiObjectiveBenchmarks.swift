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
        let model = try seeds.map { try multiObjectiveSearch(problem, initial: 10, suggested: 30, seed: $0) }
        let random = try seeds.map { try multiObjectiveSearch(problem, initial: 40, suggested: 0, seed: $0) }
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
    let times = try (0..<3).map { try multiObjectiveSearch(zdt1, initial: 100, suggested: 1, seed: UInt64($0)).secondsPerSuggestion }
    report("mo_gp_suggest_zdt1_4d_100trials", median(times) * 1000, "ms")
}

/// `initial` uniform random points of `problem` from the seed's generator, then `suggested` points of
/// the multi-objective GP suggestion (default configuration, warm-started fits): the hypervolume of
/// the feasible observations against the problem's reference point and the mean suggestion time.
private func multiObjectiveSearch(
    _ problem: MultiObjectiveProblem, initial: Int, suggested: Int, seed: UInt64
) throws -> (hypervolume: Double, secondsPerSuggestion: Double) {
    var random = TuningRandom(seed: seed)
    var inputs: [[Double]] = [], objectives: [[Double]] = [], constraints: [[Double]] = []
    func observe(_ point: [Double]) {
        let (values, limits) = problem.evaluate(point)
        inputs.append(point)
        objectives.append(values)
        constraints.append(limits)
    }
    for _ in 0..<initial { observe((0..<problem.dimensionCount).map { _ in random.nextDouble() }) }
    let space = try UnitCubeSpace(continuousDimensions: problem.dimensionCount)
    var warmStarts: [GaussianProcess.Hyperparameters]?
    var elapsed = Duration.zero
    for _ in 0..<suggested {
        let start = ContinuousClock.now
        let result = try MultiObjectiveSuggestion.suggest(
            inputs: inputs, objectives: objectives, constraints: problem.constraintCount > 0 ? constraints : nil,
            space: space, warmStarts: warmStarts, random: &random)
        elapsed += ContinuousClock.now - start
        warmStarts = result.hyperparameters
        observe(result.point)
    }
    let feasible = objectives.indices.filter { ParetoDominance.isFeasible(constraints[$0]) }.map { objectives[$0] }
    let parts = elapsed.components
    let seconds = Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    return (try Hypervolume.of(feasible, reference: problem.referencePoint), seconds / Double(max(suggested, 1)))
}
