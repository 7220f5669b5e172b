/// The TPE model of one suggestion: the trials encoded and split, the parameter groups, and a good
/// and a bad Parzen estimator for each group. Built once per suggestion (it is cheap next to a trial)
/// and sampled again only when every configuration one sampling makes has been tried.
struct TPEModel {
    /// One group's estimators.
    private struct GroupModel {
        /// The group's dimensions, in increasing order.
        let dimensions: [Int]
        /// l(x): the good trials that observed the group.
        let good: ParzenEstimator
        /// g(x): the bad trials (and pending ones, with the constant liar) that observed the group.
        let bad: ParzenEstimator
    }

    private let encoding: TPESpaceEncoding
    private let groups: [GroupModel]

    /// The model of `trials` (in ID order) on `encoding`.
    init(
        encoding: TPESpaceEncoding, trials: [Trial], objectives: [Objective], priorWeight: Double,
        constantLiar: Bool
    ) {
        let direction = objectives.first?.direction ?? .minimize
        let directions = objectives.map(\.direction)
        self.encoding = encoding
        var entries: [TPETrialSplit.Entry] = []
        var observations: [TPESpaceEncoding.Observation] = []
        for trial in trials {
            switch trial.state {
            case .complete:
                guard let score = trial.score, score.isFinite else { continue }
                var entry = TPETrialSplit.Entry(id: trial.id, state: .complete, score: score, lastIntermediate: nil)
                // Several objectives or constraint values: the split ranks by fronts (trials that miss
                // a value are not modelled, as a non-finite score is not).
                if let values = trial.objectiveValues {
                    guard values.objectives.count == directions.count, values.objectives.allSatisfy(\.isFinite),
                          let minimized = try? ParetoDominance.minimizationForm(point: values.objectives, directions: directions)
                    else { continue }
                    entry.front = (minimized, values.constraints)
                }
                entries.append(entry)
            case .pruned:
                entries.append(.init(id: trial.id, state: .pruned, score: .nan, lastIntermediate: trial.intermediateValues.last))
            case .running, .waiting:
                guard constantLiar else { continue }
                entries.append(.init(id: trial.id, state: trial.state, score: .nan, lastIntermediate: nil))
            case .failed:
                continue
            }
            observations.append(encoding.observation(of: trial.values))
        }
        let (good, bad) = TPETrialSplit.split(entries, direction: direction)
        let finishedSets = entries.indices
            .filter { entries[$0].state == .complete || entries[$0].state == .pruned }
            .map { observations[$0].observed }
        let groupDimensions = TPEParameterGroups.decompose(finishedSets, dimensionCount: encoding.dimensions.count)

        groups = groupDimensions.map { dimensions in
            let kinds = dimensions.map { encoding.dimensions[$0] }
            func estimator(of positions: [Int]) -> ParzenEstimator {
                var rows: [[Double]] = []
                for position in positions {
                    let observation = observations[position]
                    guard dimensions.allSatisfy({ observation.observed[$0] }) else { continue }
                    rows.append(dimensions.map { observation.coordinates[$0] })
                }
                return ParzenEstimator(
                    dimensions: kinds, observations: rows, weights: TPETrialSplit.weights(count: rows.count),
                    priorWeight: priorWeight)
            }
            return GroupModel(dimensions: dimensions, good: estimator(of: good), bad: estimator(of: bad))
        }
    }

    /// The candidates of one group and their acquisition values.
    private struct GroupCandidates {
        /// The samples, row-major (`dimensions.count` per candidate).
        var samples: [Double]
        /// `log l(x) − log g(x)` of each candidate.
        var scores: [Double]
        /// The candidate with the largest score (the first on ties).
        var best: Int
    }

    /// A configuration no trial has used (`isTried` says which have been), or `nil` when every
    /// configuration these samples make has been.
    ///
    /// For each group, `candidates` samples of l(x) are scored by `log l(x) − log g(x)`. The groups are
    /// independent, so a configuration's acquisition is the sum of its groups' scores: the best one
    /// takes each group's best candidate. When that configuration has been tried, the next best are
    /// tried in order of the acquisition they give up — one group's candidate replaced by another of
    /// the same group — rather than dropping the model for a random draw: in a space where one
    /// branch holds a single configuration (a choice without children), TPE keeps favouring that
    /// rarely observed branch long after its one configuration has run.
    func suggest(
        candidates: Int, samples: inout [Double], random: inout TuningRandom,
        isTried: ([String: HyperParameterValue]) -> Bool
    ) -> [String: HyperParameterValue]? {
        var sampled: [GroupCandidates] = []
        sampled.reserveCapacity(groups.count)
        for group in groups {
            group.good.sample(candidates, into: &samples, using: &random)
            let good = group.good.logDensities(of: samples, count: candidates)
            let bad = group.bad.logDensities(of: samples, count: candidates)
            var scores = [Double](repeating: 0, count: candidates)
            var best = 0
            for candidate in 0..<candidates {
                let score = good[candidate] - bad[candidate]
                scores[candidate] = score.isNaN ? -.infinity : score
                if scores[candidate] > scores[best] { best = candidate }
            }
            sampled.append(GroupCandidates(samples: samples, scores: scores, best: best))
        }
        var choice = sampled.map(\.best)
        let first = configuration(choosing: choice, from: sampled)
        if !isTried(first) { return first }
        // One group's candidate swapped, in order of the acquisition lost (ties: group, then candidate).
        var swaps: [(loss: Double, group: Int, candidate: Int)] = []
        for (groupIndex, group) in sampled.enumerated() {
            for candidate in 0..<candidates where candidate != group.best {
                swaps.append((group.scores[group.best] - group.scores[candidate], groupIndex, candidate))
            }
        }
        swaps.sort { ($0.loss, $0.group, $0.candidate) < ($1.loss, $1.group, $1.candidate) }
        for swap in swaps {
            choice[swap.group] = swap.candidate
            let values = configuration(choosing: choice, from: sampled)
            choice[swap.group] = sampled[swap.group].best
            if !isTried(values) { return values }
        }
        return nil
    }

    /// The configuration taking candidate `choice[g]` of each group `g`: the active parameters,
    /// parents first, each from its group's candidate; fixed parameters at their value.
    private func configuration(choosing choice: [Int], from sampled: [GroupCandidates]) -> [String: HyperParameterValue] {
        var coordinates = [Double](repeating: 0, count: encoding.dimensions.count)
        for (groupIndex, group) in groups.enumerated() {
            let width = group.dimensions.count
            let row = choice[groupIndex]
            for (column, dimension) in group.dimensions.enumerated() {
                coordinates[dimension] = sampled[groupIndex].samples[row * width + column]
            }
        }
        var values: [String: HyperParameterValue] = [:]
        for (specIndex, spec) in encoding.space.specs.enumerated() where spec.isActive(given: values) {
            if let dimension = encoding.dimensionOfSpec[specIndex] {
                values[spec.name] = encoding.value(ofDimension: dimension, at: coordinates[dimension])
            } else {
                // Fixed, or a single possible value.
                values[spec.name] = spec.value(atIndex: 0)
            }
        }
        return values
    }
}
