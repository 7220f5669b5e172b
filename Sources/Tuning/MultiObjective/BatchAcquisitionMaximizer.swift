/// Maximizes any batch-scored acquisition over a `UnitCubeSpace` with the candidate-and-pattern-search
/// scheme of `AcquisitionOptimizer` (see there for the reasoning): half digitally shifted Sobol
/// candidates, half perturbations of anchor points (at three scales), the best few distinct candidates
/// refined together by pattern search, and the best point scored on the way that is not excluded.
///
/// `AcquisitionOptimizer` is bound to one Gaussian process and a single-objective acquisition; the
/// multi-objective acquisition needs several models and log-space sums, so it is given here as a
/// closure scoring a batch of points (one call per batch keeps each model's prediction one BLAS-3 solve).
struct BatchAcquisitionMaximizer {
    var candidateCount = 1024
    var refinedCount = 5
    var maximumRefinementIterations = 40
    var initialStep = 0.1
    var minimumStep = 1e-3

    /// The best non-excluded point found and its score, or nil when every candidate was excluded.
    /// `score` maps a batch of projected points to one value each (higher is better; NaN is worst).
    func maximize(
        space: UnitCubeSpace, excluded: [[Double]], anchors: [[Double]], random: inout TuningRandom,
        score rawScore: ([[Double]]) -> [Double]
    ) -> AcquisitionOptimizer.Scored? {
        func score(_ points: [[Double]]) -> [Double] {
            guard !points.isEmpty else { return [] }
            return rawScore(points).map { $0.isNaN ? -.infinity : $0 }
        }
        let exclusion = ExclusionIndex(excluded)
        if let all = space.allPoints(limit: candidateCount) {
            let remaining = all.filter { !exclusion.contains($0) }
            return Self.best(zip(remaining, score(remaining)).map { .init(point: $0, score: $1) }, excluding: exclusion)
        }

        var candidates: [[Double]]
        let localCount = anchors.isEmpty ? 0 : candidateCount / 2
        let globalCount = candidateCount - localCount
        if let sobol = try? SobolSequence(dimensionCount: space.dimensionCount) {
            let shift = (0..<space.dimensionCount).map { _ in UInt32(truncatingIfNeeded: random.next()) }
            candidates = sobol.points(from: 0, count: globalCount, digitalShift: shift).map { space.projected($0) }
        } else {
            candidates = (0..<globalCount).map { _ in
                space.projected((0..<space.dimensionCount).map { _ in random.nextDouble() })
            }
        }
        let probability = Swift.min(1, 3 / Double(space.variables.count))
        let scales = [0.01, 0.04, 0.15]
        for index in 0..<localCount {
            let anchor = anchors[index % anchors.count]
            let scale = scales[(index / anchors.count) % scales.count]
            candidates.append(space.perturbed(anchor, scale: scale, probability: probability, random: &random))
        }
        var evaluated = zip(candidates, score(candidates)).map { AcquisitionOptimizer.Scored(point: $0, score: $1) }

        var starts: [AcquisitionOptimizer.Scored] = []
        for candidate in evaluated.sorted(by: AcquisitionOptimizer.ordered) where starts.count < refinedCount {
            if !exclusion.contains(candidate.point), !starts.contains(where: { $0.point == candidate.point }) {
                starts.append(candidate)
            }
        }
        var steps = [Double](repeating: initialStep, count: starts.count)
        var active = [Bool](repeating: true, count: starts.count)
        for _ in 0..<maximumRefinementIterations {
            var batch: [[Double]] = []
            var owners: [Int] = []
            for index in starts.indices where active[index] {
                let moves = space.neighbours(of: starts[index].point, step: steps[index])
                batch += moves
                owners += Array(repeating: index, count: moves.count)
            }
            if batch.isEmpty { break }
            let scores = score(batch)
            var bestMove = [AcquisitionOptimizer.Scored?](repeating: nil, count: starts.count)
            for (offset, point) in batch.enumerated() {
                let owner = owners[offset]
                evaluated.append(.init(point: point, score: scores[offset]))
                if scores[offset] > bestMove[owner]?.score ?? -.infinity {
                    bestMove[owner] = .init(point: point, score: scores[offset])
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

    static func best(_ scored: [AcquisitionOptimizer.Scored], excluding exclusion: ExclusionIndex) -> AcquisitionOptimizer.Scored? {
        scored.sorted(by: AcquisitionOptimizer.ordered).first { !exclusion.contains($0.point) }
    }
}
