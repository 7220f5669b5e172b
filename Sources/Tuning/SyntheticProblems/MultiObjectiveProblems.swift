/// A multi-objective test problem with a known Pareto front, for testing and benchmarking
/// multi-objective searches: objectives (minimized) and constraints (feasible when all ≤ 0) of a point
/// of the unit cube, mapped onto the problem's own domain, and the reference point its hypervolume is
/// reported against.
///
/// ```swift
/// let problem = try MultiObjectiveProblem.zdt1(dimensionCount: 4)
/// let (objectives, constraints) = problem.evaluate([0.5, 0, 0, 0])   // ([0.5, 0.2929], [])
/// let hv = try Hypervolume.of([objectives], reference: problem.referencePoint)
/// ```
public struct MultiObjectiveProblem: Sendable {
    /// A short name (`"zdt1_4d"`).
    public let name: String
    /// The number of unit-cube coordinates of a point.
    public let dimensionCount: Int
    /// The number of objectives (all minimized).
    public let objectiveCount: Int
    /// The number of constraints (feasible when every value ≤ 0).
    public let constraintCount: Int
    /// The problem's own bounds of each coordinate (a unit-cube coordinate u maps to `lower + u·width`).
    public let bounds: [ClosedRange<Double>]
    /// The reference point of the reported hypervolume (minimization form).
    public let referencePoint: [Double]
    /// The hypervolume of the true Pareto front with respect to `referencePoint`, when known exactly.
    public let optimalHypervolume: Double?
    /// The objectives and constraint values at a point of the problem's own domain.
    let function: @Sendable ([Double]) -> (objectives: [Double], constraints: [Double])

    /// The objectives and constraint values at `point` of the unit cube (coordinates clamped to [0, 1]).
    public func evaluate(_ point: [Double]) -> (objectives: [Double], constraints: [Double]) {
        function(zip(point, bounds).map { u, range in
            range.lowerBound + Swift.min(1, Swift.max(0, u)) * (range.upperBound - range.lowerBound)
        })
    }

    /// The problem as a search space: one float `x0`, `x1`, ... in [0, 1] per unit-cube coordinate.
    ///
    /// - Throws: `HyperParameterError` (not expected: the names and ranges are fixed).
    public func searchSpace() throws -> SearchSpace {
        let hp = HyperParameters()
        for index in 0..<dimensionCount { _ = try hp.float("x\(index)", min: 0, max: 1) }
        return hp.space
    }

    /// Runs `trials` trials of `oracle` (made on `searchSpace()`) on the problem, each ended with its
    /// objective and constraint values, and returns the hypervolume of the feasible ones against
    /// `referencePoint`: the figure tests and benchmarks compare oracles by.
    ///
    /// - Throws: `OracleError` from the oracle, `MultiObjectiveError` from the hypervolume.
    public func hypervolume(after trials: Int, of oracle: some Oracle) throws -> Double {
        var feasible: [[Double]] = []
        for _ in 0..<trials {
            guard case .run(let trial) = oracle.createTrial(workerID: "problem") else { break }
            let point = (0..<dimensionCount).map { trial.values["x\($0)"]?.doubleValue ?? 0 }
            let (objectives, constraints) = evaluate(point)
            try oracle.endTrial(trialID: trial.id, outcome: .completeWith(TrialValues(objectives: objectives, constraints: constraints)))
            if ParetoDominance.isFeasible(constraints) { feasible.append(objectives) }
        }
        return try Hypervolume.of(feasible, reference: referencePoint)
    }

    /// `initial` uniform random points of the unit cube from `seed`'s generator, then `suggested`
    /// points of `MultiObjectiveSuggestion` (warm-started fits): the hypervolume of the feasible
    /// observations against `referencePoint`, and the mean seconds per suggestion. With `suggested` 0
    /// it is random search on the same first points.
    ///
    /// - Throws: `MultiObjectiveError` from a suggestion or the hypervolume.
    public func hypervolumeOfSuggestions(
        initial: Int, suggested: Int, seed: UInt64,
        configuration: MultiObjectiveSuggestion.Configuration = MultiObjectiveSuggestion.Configuration()
    ) throws -> (hypervolume: Double, secondsPerSuggestion: Double) {
        var random = TuningRandom(seed: seed)
        var inputs: [[Double]] = [], objectives: [[Double]] = [], constraints: [[Double]] = []
        func observe(_ point: [Double]) {
            let (values, limits) = evaluate(point)
            inputs.append(point)
            objectives.append(values)
            constraints.append(limits)
        }
        for _ in 0..<initial { observe((0..<dimensionCount).map { _ in random.nextDouble() }) }
        let space = try UnitCubeSpace(continuousDimensions: dimensionCount)
        var warmStarts: [GaussianProcess.Hyperparameters]?
        var elapsed = Duration.zero
        for _ in 0..<suggested {
            let start = ContinuousClock.now
            let result = try MultiObjectiveSuggestion.suggest(
                inputs: inputs, objectives: objectives, constraints: constraintCount > 0 ? constraints : nil,
                space: space, configuration: configuration, warmStarts: warmStarts, random: &random)
            elapsed += ContinuousClock.now - start
            warmStarts = result.hyperparameters
            observe(result.point)
        }
        let feasible = objectives.indices.filter { ParetoDominance.isFeasible(constraints[$0]) }.map { objectives[$0] }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return (try Hypervolume.of(feasible, reference: referencePoint), seconds / Double(Swift.max(suggested, 1)))
    }

    /// ZDT1 (Zitzler, Deb and Thiele, 2000) on [0, 1]^d, d ≥ 2: `f1 = x1`, `g = 1 + 9·Σ_{i≥2} xᵢ/(d−1)`,
    /// `f2 = g·(1 − √(f1/g))`. The Pareto front is `f2 = 1 − √f1` (all xᵢ = 0 for i ≥ 2), convex.
    ///
    /// Reference point (1.1, 1.1): just beyond the front's nadir (1, 1), so the hypervolume measures
    /// how close to and how evenly along the true front a search gets (the literature's (11, 11) would
    /// be dominated by the easy region beyond f1 = 1). The optimum is `∫₀¹ (1.1 − 1 + √x) dx + 0.1·1.1`
    /// `= 0.1 + 2/3 + 0.11 ≈ 0.876667`.
    ///
    /// Throws `MultiObjectiveError.invalidConfiguration` when `dimensionCount` is below 2.
    public static func zdt1(dimensionCount: Int) throws(MultiObjectiveError) -> MultiObjectiveProblem {
        try zdt(name: "zdt1", dimensionCount: dimensionCount, optimalHypervolume: 0.21 + 2.0 / 3) { f1, g in
            g * (1 - (f1 / g).squareRoot())
        }
    }

    /// ZDT2 on [0, 1]^d, d ≥ 2: as ZDT1 with `f2 = g·(1 − (f1/g)²)`; the front `f2 = 1 − f1²` is
    /// concave. Reference point (1.1, 1.1); optimum `0.1 + 1/3 + 0.11 ≈ 0.543333`.
    ///
    /// Throws `MultiObjectiveError.invalidConfiguration` when `dimensionCount` is below 2.
    public static func zdt2(dimensionCount: Int) throws(MultiObjectiveError) -> MultiObjectiveProblem {
        try zdt(name: "zdt2", dimensionCount: dimensionCount, optimalHypervolume: 0.21 + 1.0 / 3) { f1, g in
            g * (1 - (f1 / g) * (f1 / g))
        }
    }

    private static func zdt(
        name: String, dimensionCount d: Int, optimalHypervolume: Double,
        second: @escaping @Sendable (_ f1: Double, _ g: Double) -> Double
    ) throws(MultiObjectiveError) -> MultiObjectiveProblem {
        guard d >= 2 else {
            throw .invalidConfiguration("\(name) needs at least 2 dimensions, got \(d)")
        }
        return MultiObjectiveProblem(
            name: "\(name)_\(d)d", dimensionCount: d, objectiveCount: 2, constraintCount: 0,
            bounds: Array(repeating: 0...1, count: d), referencePoint: [1.1, 1.1],
            optimalHypervolume: optimalHypervolume
        ) { x in
            let g = 1 + 9 * x.dropFirst().reduce(0, +) / Double(d - 1)
            return ([x[0], second(x[0], g)], [])
        }
    }

    /// The Binh and Korn problem (Binh and Korn, 1997; the constrained example of Optuna's
    /// documentation): x ∈ [0, 5], y ∈ [0, 3], minimize `f1 = 4x² + 4y²` and `f2 = (x−5)² + (y−5)²`
    /// subject to `(x−5)² + y² ≤ 25` and `(x−8)² + (y+3)² ≥ 7.7`, written as constraint values
    /// `c1 = (x−5)² + y² − 25` and `c2 = 7.7 − (x−8)² − (y+3)²` (feasible when ≤ 0).
    ///
    /// Reference point (140, 50), the usual one (the front runs from (0, 50) to about (136, 4)). The
    /// true front's hypervolume has no closed form: `optimalHypervolume` is nil.
    public static let binhKorn = MultiObjectiveProblem(
        name: "binh_korn", dimensionCount: 2, objectiveCount: 2, constraintCount: 2,
        bounds: [0...5, 0...3], referencePoint: [140, 50], optimalHypervolume: nil
    ) { x in
        let (a, b) = (x[0], x[1])
        let objectives = [4 * a * a + 4 * b * b, (a - 5) * (a - 5) + (b - 5) * (b - 5)]
        let constraints = [(a - 5) * (a - 5) + b * b - 25, 7.7 - (a - 8) * (a - 8) - (b + 3) * (b + 3)]
        return (objectives, constraints)
    }
}
