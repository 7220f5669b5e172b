#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The next point of a multi-objective Gaussian-process search, as a pure function of the observations.
///
/// Given points of the unit cube with their objective values (minimization form) and optional
/// constraint values (feasible when all ≤ 0), it
/// 1. fits one `GaussianProcess` per objective and one per constraint (standardized targets, maximum a
///    posteriori hyperparameters, each warm-started from the given previous fit if any);
/// 2. builds the acquisition, to maximize:
///    - **log expected hypervolume improvement** (`LogExpectedHypervolumeImprovement`, exact for any
///      number of objectives) over the Pareto front of the *feasible* observations, in each objective's
///      standardized model units, with the reference point at the worst feasible observed value plus
///      `referenceMargin` (10 %) of the observed range per objective (`Hypervolume.referencePoint`): far
///      enough that the extreme points of the front still count, close enough that the acquisition
///      does not reward pushing one objective to absurd values;
///    - plus, per constraint, the **log probability of feasibility** `log P(c ≤ 0)` (added in log space,
///      as constrained expected improvement multiplies the probabilities);
///    - when no observation is feasible yet, the log probability of feasibility alone, so the search
///      first looks for the feasible region;
/// 3. maximizes it over Sobol candidates and perturbations of the front's points, refined by pattern
///    search (the scheme of `AcquisitionOptimizer`), never returning an observed or excluded point.
///
/// With three or more objectives the number of boxes of the exact decomposition grows like (k+1)^(m−1)
/// for k front points; past `maximumBoxCount` the acquisition uses the front points with the largest
/// exclusive hypervolume contributions only (an approximation, documented in `Configuration`).
///
/// **Determinism.** The same inputs, configuration, warm starts and generator state give the same point.
/// **Cost.** m + k model fits and about three thousand acquisition evaluations per suggestion.
public enum MultiObjectiveSuggestion {
    /// The settings of a suggestion.
    public struct Configuration: Sendable, Hashable {
        /// How each Gaussian process is fitted (as in `BayesianOptimizer`).
        public var fitOptions = GaussianProcess.FitOptions()
        /// The number of candidates scored before local refinement.
        public var candidateCount = 1024
        /// The number of best candidates refined by pattern search.
        public var refinedCandidateCount = 5
        /// The reference point's distance beyond the worst feasible observation, as a fraction of the
        /// observed range of each objective.
        public var referenceMargin = 0.1
        /// The most boxes the exact hypervolume decomposition may have (only reachable with three or
        /// more objectives: 63 front points for 3, 15 for 4); beyond, the front is thinned to the
        /// points of largest exclusive contribution.
        public var maximumBoxCount = 4096

        /// The default configuration.
        public init() {}

        func validate() throws(MultiObjectiveError) {
            do {
                try fitOptions.validate()
            } catch {
                throw .invalidConfiguration(error.description)
            }
            guard candidateCount >= 1, refinedCandidateCount >= 0 else {
                throw .invalidConfiguration("candidateCount must be >= 1 and refinedCandidateCount >= 0")
            }
            guard referenceMargin.isFinite, referenceMargin > 0 else {
                throw .invalidConfiguration("referenceMargin must be finite and > 0, got \(referenceMargin)")
            }
            guard maximumBoxCount >= 16 else {
                throw .invalidConfiguration("maximumBoxCount must be at least 16, got \(maximumBoxCount)")
            }
        }
    }

    /// A suggested point and what produced it.
    public struct Result: Sendable, Hashable {
        /// The point to evaluate next (projected onto the space).
        public var point: [Double]
        /// The acquisition's value there (log EHVI + Σ log P(feasible), or the latter alone).
        public var logAcquisition: Double
        /// Whether no observation was feasible, so only the probability of feasibility was maximized.
        public var feasibilityOnly: Bool
        /// The fitted hyperparameters: one per objective, then one per constraint (pass them back as
        /// `warmStarts` next time).
        public var hyperparameters: [GaussianProcess.Hyperparameters]
    }

    /// The next point to evaluate.
    ///
    /// - Parameters:
    ///   - inputs: The observed points, one row of `space.dimensionCount` unit-cube coordinates each.
    ///   - objectives: One row per point, one value per objective, in minimization form
    ///     (`ParetoDominance.minimizationForm`).
    ///   - constraints: One row per point, one value per constraint (feasible when all ≤ 0), or nil.
    ///   - space: The unit-cube space (continuous, integer, discrete and categorical variables).
    ///   - configuration: Model and optimizer settings.
    ///   - excluding: Points not to suggest that carry no values (pending or failed trials).
    ///   - warmStarts: The previous `Result.hyperparameters`, if any (ignored when their count differs).
    ///   - random: The generator for fit restarts and candidates; advanced.
    /// - Throws: `MultiObjectiveError.noObservations` without observations, `.lengthMismatch` for rows
    ///   of the wrong length or lists of different lengths, `.nonFiniteValue` for NaN or infinite data,
    ///   `.invalidConfiguration` for bad settings, `.model` when a Gaussian process cannot be fitted and
    ///   `.spaceExhausted` when a finite space has no point left.
    public static func suggest(
        inputs: [[Double]], objectives: [[Double]], constraints: [[Double]]? = nil, space: UnitCubeSpace,
        configuration: Configuration = Configuration(), excluding: [[Double]] = [],
        warmStarts: [GaussianProcess.Hyperparameters]? = nil, random: inout TuningRandom
    ) throws(MultiObjectiveError) -> Result {
        try configuration.validate()
        let (m, k) = try validate(inputs: inputs, objectives: objectives, constraints: constraints, space: space)
        let points = inputs.map { space.projected($0) }
        let flat = points.flatMap { $0 }
        let d = space.dimensionCount

        // One model per objective, then per constraint.
        var columns: [[Double]] = (0..<m).map { j in objectives.map { $0[j] } }
        if let constraints { columns += (0..<k).map { j in constraints.map { $0[j] } } }
        let warm = warmStarts?.count == columns.count ? warmStarts : nil
        var models: [GaussianProcess] = []
        for (index, column) in columns.enumerated() {
            let (mean, scale) = GaussianProcess.standardization(of: column)
            do {
                models.append(try GaussianProcess.fit(
                    flatInputs: flat, dimensionCount: d, standardizedTargets: column.map { ($0 - mean) / scale },
                    targetMean: mean, targetScale: scale, options: configuration.fitOptions, random: &random,
                    warmStart: warm?[index]))
            } catch {
                throw .model(error)
            }
        }

        // The acquisition's parts.
        let feasibleRows = (0..<inputs.count).filter { row in constraints.map { ParetoDominance.isFeasible($0[row]) } ?? true }
        var improvement: LogExpectedHypervolumeImprovement?
        if !feasibleRows.isEmpty {
            let values = feasibleRows.map { objectives[$0] }
            let reference = try Hypervolume.referencePoint(for: values, margin: configuration.referenceMargin)
            func standardized(_ row: [Double]) -> [Double] {
                (0..<m).map { j in (row[j] - models[j].targetMean) / models[j].targetScale }
            }
            let standardizedReference = standardized(reference)
            let front = thinned(
                Hypervolume.nonDominated(Hypervolume.inside(values.map(standardized), reference: standardizedReference)),
                reference: standardizedReference, maximumBoxCount: configuration.maximumBoxCount)
            improvement = try LogExpectedHypervolumeImprovement(front: front, reference: standardizedReference)
        }
        let thresholds = (0..<k).map { c in (0 - models[m + c].targetMean) / models[m + c].targetScale }

        func score(_ batch: [[Double]]) -> [Double] {
            let flatBatch = batch.flatMap { $0 }
            let predictions = models.map { $0.predictStandardized(flatPoints: flatBatch) }
            return batch.indices.map { i in
                var total = 0.0
                if let improvement {
                    total += improvement.value(
                        mean: (0..<m).map { predictions[$0].mean[i] },
                        standardDeviation: (0..<m).map { Swift.max(predictions[$0].variance[i], 1e-18).squareRoot() })
                }
                for c in 0..<k {
                    let prediction = predictions[m + c]
                    total += LogProbabilityOfFeasibility.value(
                        mean: prediction.mean[i], standardDeviation: Swift.max(prediction.variance[i], 1e-18).squareRoot(),
                        threshold: thresholds[c])
                }
                return total
            }
        }

        // Anchors for local candidates: the front (under constrained dominance: the least violating
        // points while nothing is feasible), at most ten, spread along the first objective.
        let frontRows = (try? ParetoDominance.paretoFront(
            objectives, directions: Array(repeating: .minimize, count: m), constraints: constraints)) ?? []
        let sortedFront = frontRows.sorted { (objectives[$0][0], $0) < (objectives[$1][0], $1) }
        let anchorCount = Swift.min(10, sortedFront.count)
        let anchors = (0..<anchorCount).map { index in
            points[sortedFront[anchorCount > 1 ? index * (sortedFront.count - 1) / (anchorCount - 1) : 0]]
        }

        let maximizer = AcquisitionOptimizer(
            candidateCount: configuration.candidateCount, refinedCount: configuration.refinedCandidateCount)
        let excluded = points + excluding.map { space.projected($0) }
        guard let best = maximizer.maximize(space: space, excluded: excluded, anchors: anchors, skipsExcludedStarts: true,
                                            random: &random, score: score)
        else {
            throw .spaceExhausted(distinctPoints: ExclusionIndex(excluded).count)
        }
        return Result(
            point: best.point, logAcquisition: best.score, feasibilityOnly: improvement == nil,
            hyperparameters: models.map(\.hyperparameters))
    }

    /// The next point of the plain unit cube `[0, 1]^dimensionCount` with the default configuration.
    ///
    /// Throws like `suggest(inputs:objectives:constraints:space:configuration:excluding:warmStarts:random:)`,
    /// and `.invalidConfiguration` when `dimensionCount` is below 1.
    public static func suggest(
        inputs: [[Double]], objectives: [[Double]], constraints: [[Double]]? = nil, dimensionCount: Int,
        random: inout TuningRandom
    ) throws(MultiObjectiveError) -> [Double] {
        let space: UnitCubeSpace
        do {
            space = try UnitCubeSpace(continuousDimensions: dimensionCount)
        } catch {
            throw .invalidConfiguration(error.description)
        }
        return try suggest(inputs: inputs, objectives: objectives, constraints: constraints, space: space, random: &random).point
    }

    // MARK: - Steps

    /// Checks the shapes and values; returns the numbers of objectives and constraints.
    private static func validate(
        inputs: [[Double]], objectives: [[Double]], constraints: [[Double]]?, space: UnitCubeSpace
    ) throws(MultiObjectiveError) -> (objectives: Int, constraints: Int) {
        guard !inputs.isEmpty else { throw .noObservations }
        guard objectives.count == inputs.count else {
            throw .lengthMismatch(expected: inputs.count, found: objectives.count, context: "the list of objective rows")
        }
        for (index, point) in inputs.enumerated() {
            guard point.count == space.dimensionCount else {
                throw .lengthMismatch(expected: space.dimensionCount, found: point.count, context: "input \(index)")
            }
            guard point.allSatisfy(\.isFinite) else { throw .nonFiniteValue(context: "input \(index)") }
        }
        guard let m = objectives.first?.count, m > 0 else { throw .noObjectives }
        for (index, row) in objectives.enumerated() {
            guard row.count == m else { throw .lengthMismatch(expected: m, found: row.count, context: "objective row \(index)") }
            guard row.allSatisfy(\.isFinite) else { throw .nonFiniteValue(context: "objective row \(index)") }
        }
        guard let constraints else { return (m, 0) }
        try ParetoDominance.checkConstraints(constraints, rowCount: inputs.count)
        for (index, row) in constraints.enumerated() where !row.allSatisfy(\.isFinite) {
            throw .nonFiniteValue(context: "constraint row \(index)")
        }
        return (m, constraints.first?.count ?? 0)
    }

    /// `front` (non-dominated, inside the reference box) reduced to the points of largest exclusive
    /// hypervolume contribution when its exact decomposition would exceed `maximumBoxCount` boxes.
    static func thinned(_ front: [[Double]], reference: [Double], maximumBoxCount: Int) -> [[Double]] {
        let m = reference.count
        guard m >= 3 else { return front }
        let exponent = 1 / Double(m - 1)
        // The largest k with (k + 1)^(m−1) ≤ maximumBoxCount (rounding guarded by the check below).
        var keep = Int(pow(Double(maximumBoxCount), exponent).rounded(.down)) - 1
        while keep > 1, pow(Double(keep + 1), Double(m - 1)) > Double(maximumBoxCount) { keep -= 1 }
        guard front.count > keep else { return front }
        let total = Hypervolume.exact(front, reference: reference)
        let contributions = front.indices.map { index -> Double in
            var others = front
            others.remove(at: index)
            return total - Hypervolume.exact(others, reference: reference)
        }
        let order = front.indices.sorted { (-contributions[$0], $0) < (-contributions[$1], $1) }
        return order.prefix(Swift.max(1, keep)).sorted().map { front[$0] }
    }
}
