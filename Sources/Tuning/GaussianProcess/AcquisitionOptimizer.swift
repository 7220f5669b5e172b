/// Maximizes an acquisition function of a Gaussian process over a `UnitCubeSpace`, never returning an
/// excluded (already evaluated or pending) point.
///
/// 1. Candidates: half a digitally shifted Sobol sequence over the whole cube (exploration), half random
///    perturbations of the best observed points (exploitation, where the optimum usually is; in six or
///    more dimensions space-filling candidates alone land too far from it). Small finite spaces are
///    enumerated instead.
/// 2. The best few distinct candidates are refined by a pattern search: each continuous coordinate
///    moves by `± step`, ordered variables by one value, categorical ones to every other category; a
///    move is taken when it improves the acquisition, otherwise the step halves. The moves of all
///    starts are scored in one batch so each iteration is one BLAS-3 solve.
/// 3. Every point scored on the way is kept; the answer is the best one that is not excluded, so a
///    maximum sitting on an evaluated point yields the next-best distinct candidate.
///
/// With a `region` (a large study's `LocalNeighbourhood`), candidates, perturbations and refinement
/// moves stay inside its box (clamped, then projected again).
///
/// Gradient-free on purpose: projection makes the acquisition piecewise constant in discrete and
/// categorical coordinates, where gradients say nothing.
struct AcquisitionOptimizer {
    var candidateCount = 1024
    var refinedCount = 5
    var maximumRefinementIterations = 40
    var initialStep = 0.1
    var minimumStep = 1e-3
    /// Coordinates closer than this (in every dimension) are the same point.
    static let duplicateTolerance = 1e-9

    struct Scored {
        var point: [Double]
        var score: Double
    }

    /// The best non-excluded point found, or nil when every candidate was excluded.
    func maximize(
        model: GaussianProcess, acquisition: AcquisitionFunction, incumbent: Double, space: UnitCubeSpace,
        excluded: [[Double]], anchors: [[Double]], region: LocalNeighbourhood? = nil, random: inout TuningRandom
    ) -> [Double]? {
        maximize(space: space, excluded: excluded, anchors: anchors, region: region, random: &random) { points in
            let prediction = model.predictStandardized(flatPoints: points.flatMap { $0 })
            return (0..<points.count).map { index in
                let deviation = Swift.max(prediction.variance[index], 1e-18).squareRoot()
                return acquisition.score(mean: prediction.mean[index], standardDeviation: deviation, incumbent: incumbent)
            }
        }?.point
    }

    /// Each acquisition's best non-excluded point (nil for one whose candidates were all excluded),
    /// with the candidates' posterior computed once for all of them: a hedge portfolio's proposals.
    func maximizeEach(
        model: GaussianProcess, acquisitions: [AcquisitionFunction], incumbent: Double, space: UnitCubeSpace,
        excluded: [[Double]], anchors: [[Double]], region: LocalNeighbourhood? = nil, random: inout TuningRandom
    ) -> [[Double]?] {
        func scored(_ points: [[Double]], by functions: [AcquisitionFunction]) -> [[Double]] {
            let prediction = model.predictStandardized(flatPoints: points.flatMap { $0 })
            let deviations = prediction.variance.map { Swift.max($0, 1e-18).squareRoot() }
            return functions.map { function in
                (0..<points.count).map { index in
                    function.score(mean: prediction.mean[index], standardDeviation: deviations[index], incumbent: incumbent)
                }
            }
        }
        return maximizeEach(
            space: space, excluded: excluded, anchors: anchors, region: region, random: &random,
            candidateScores: { scored($0, by: acquisitions) },
            scores: acquisitions.map { function in { scored($0, by: [function])[0] } }
        ).map { $0?.point }
    }

    /// The best non-excluded point found for any acquisition given as `score`, a function from a batch
    /// of projected points to one value each (higher is better; NaN is worst): one call per batch keeps
    /// each model's prediction one BLAS-3 solve. The multi-objective acquisition (several models, sums
    /// in log space) is maximized through it. Nil when every candidate was excluded.
    ///
    /// - Parameter skipsExcludedStarts: Refine only candidates that are not excluded (a maximum on an
    ///   evaluated point then does not spend one of the refinement starts).
    func maximize(
        space: UnitCubeSpace, excluded: [[Double]], anchors: [[Double]], region: LocalNeighbourhood? = nil,
        skipsExcludedStarts: Bool = false, random: inout TuningRandom, score: ([[Double]]) -> [Double]
    ) -> Scored? {
        // The array of scoring functions needs escaping closures; this one does not outlive the call.
        withoutActuallyEscaping(score) { score in
            maximizeEach(
                space: space, excluded: excluded, anchors: anchors, region: region,
                skipsExcludedStarts: skipsExcludedStarts, random: &random, candidateScores: { [score($0)] }, scores: [score]
            ).first ?? nil
        }
    }

    /// The maximizer of each of the acquisition functions in `scores` (one entry each, nil when every
    /// candidate was excluded), over one shared set of candidates (the same random draws as one
    /// `maximize`) refined for each function on its own: a portfolio's members.
    ///
    /// - Parameter candidateScores: Every function's scores of one batch at once (one array per entry
    ///   of `scores`), so a shared posterior prediction of the candidates is computed once.
    func maximizeEach(
        space: UnitCubeSpace, excluded: [[Double]], anchors: [[Double]], region: LocalNeighbourhood? = nil,
        skipsExcludedStarts: Bool = false, random: inout TuningRandom,
        candidateScores: ([[Double]]) -> [[Double]], scores: [([[Double]]) -> [Double]]
    ) -> [Scored?] {
        func inRegion(_ point: [Double]) -> [Double] {
            guard let region else { return point }
            return space.projected(region.clamped(point))
        }
        func cleaned(_ values: [Double]) -> [Double] { values.map { $0.isNaN ? -.infinity : $0 } }
        let exclusion = ExclusionIndex(excluded)

        // Small finite spaces: score every remaining point, nothing to refine.
        if let all = space.allPoints(limit: candidateCount) {
            let remaining = all.filter { !exclusion.contains($0) }
            let each = remaining.isEmpty ? [[Double]](repeating: [], count: scores.count) : candidateScores(remaining)
            return scores.indices.map { member in
                let values = cleaned(member < each.count ? each[member] : [])
                return Self.best(zip(remaining, values).map { Scored(point: $0, score: $1) }, excluding: exclusion)
            }
        }

        var candidates: [[Double]] = []
        let localCount = anchors.isEmpty ? 0 : candidateCount / 2
        let globalCount = candidateCount - localCount
        if let sobol = try? SobolSequence(dimensionCount: space.dimensionCount) {
            let shift = (0..<space.dimensionCount).map { _ in UInt32(truncatingIfNeeded: random.next()) }
            candidates = sobol.points(from: 0, count: globalCount, digitalShift: shift).map { space.projected(region?.mapped($0) ?? $0) }
        } else {
            // Beyond the tabulated Sobol dimensions, plain uniform points.
            candidates = (0..<globalCount).map { _ in
                let u = (0..<space.dimensionCount).map { _ in random.nextDouble() }
                return space.projected(region?.mapped(u) ?? u)
            }
        }
        let probability = Swift.min(1, 3 / Double(space.variables.count))
        let scales = [0.01, 0.04, 0.15]
        for index in 0..<localCount {
            let anchor = anchors[index % anchors.count]
            let scale = scales[(index / anchors.count) % scales.count]
            candidates.append(inRegion(space.perturbed(anchor, scale: scale, probability: probability, random: &random)))
        }
        let each = candidates.isEmpty ? [] : candidateScores(candidates)
        return scores.indices.map { member in
            let values = cleaned(member < each.count ? each[member] : [])
            let evaluated = zip(candidates, values).map { Scored(point: $0, score: $1) }
            return refined(
                evaluated, space: space, exclusion: exclusion, skipsExcludedStarts: skipsExcludedStarts,
                inRegion: inRegion
            ) { points in points.isEmpty ? [] : cleaned(scores[member](points)) }
        }
    }

    /// The best non-excluded point among the `evaluated` candidates and the points a pattern search
    /// from the best distinct ones scores on the way (all starts' moves scored in one batch).
    private func refined(
        _ candidates: [Scored], space: UnitCubeSpace, exclusion: ExclusionIndex, skipsExcludedStarts: Bool,
        inRegion: ([Double]) -> [Double], score: ([[Double]]) -> [Double]
    ) -> Scored? {
        var evaluated = candidates
        var starts: [Scored] = []
        for candidate in evaluated.sorted(by: Self.ordered) where starts.count < refinedCount {
            if skipsExcludedStarts && exclusion.contains(candidate.point) { continue }
            if !starts.contains(where: { $0.point == candidate.point }) { starts.append(candidate) }
        }
        var steps = [Double](repeating: initialStep, count: starts.count)
        var active = [Bool](repeating: true, count: starts.count)
        for _ in 0..<maximumRefinementIterations {
            var batch: [[Double]] = []
            var owners: [Int] = []
            for index in starts.indices where active[index] {
                let moves = space.neighbours(of: starts[index].point, step: steps[index]).map(inRegion)
                batch += moves
                owners += Array(repeating: index, count: moves.count)
            }
            if batch.isEmpty { break }
            let scores = score(batch)
            var bestMove = [Scored?](repeating: nil, count: starts.count)
            for (offset, point) in batch.enumerated() {
                let owner = owners[offset]
                evaluated.append(Scored(point: point, score: scores[offset]))
                if scores[offset] > bestMove[owner]?.score ?? -.infinity {
                    bestMove[owner] = Scored(point: point, score: scores[offset])
                }
            }
            for index in starts.indices where active[index] {
                if let move = bestMove[index], move.score > starts[index].score {
                    starts[index] = move
                } else {
                    steps[index] *= 0.5
                    if steps[index] < minimumStep { active[index] = false }
                }
            }
            if !active.contains(true) { break }
        }
        return Self.best(evaluated, excluding: exclusion)
    }

    /// Descending score, then lexicographic coordinates, so ties break the same way on every run.
    static func ordered(_ a: Scored, _ b: Scored) -> Bool {
        if a.score != b.score { return a.score > b.score }
        return a.point.lexicographicallyPrecedes(b.point)
    }

    static func best(_ scored: [Scored], excluding exclusion: ExclusionIndex) -> Scored? {
        scored.sorted(by: ordered).first { !exclusion.contains($0.point) }
    }
}

/// Points that must not be suggested again, with a tolerant membership test.
///
/// Continuous coordinates of an evaluated point may come back through the integrator with rounding
/// differences, so membership allows `duplicateTolerance` in every coordinate. Points are bucketed by
/// their first coordinate so a test scans only the neighbouring buckets.
struct ExclusionIndex {
    private var buckets: [Int: [[Double]]] = [:]
    private let tolerance = AcquisitionOptimizer.duplicateTolerance
    private let bucketWidth = 1e-6

    init(_ points: [[Double]]) {
        for point in points { insert(point) }
    }

    /// Adds `point` unless it is already a member (so `count` counts distinct points).
    mutating func insert(_ point: [Double]) {
        if !contains(point) { buckets[key(point), default: []].append(point) }
    }

    func contains(_ point: [Double]) -> Bool {
        let center = key(point)
        for bucket in (center - 1)...(center + 1) {
            guard let members = buckets[bucket] else { continue }
            for member in members where member.count == point.count {
                var same = true
                for k in 0..<point.count where abs(member[k] - point[k]) > tolerance {
                    same = false
                    break
                }
                if same { return true }
            }
        }
        return false
    }

    var count: Int { buckets.values.reduce(0) { $0 + $1.count } }

    private func key(_ point: [Double]) -> Int {
        guard let first = point.first, first.isFinite else { return 0 }
        return Int((first / bucketWidth).rounded(.down))
    }
}
