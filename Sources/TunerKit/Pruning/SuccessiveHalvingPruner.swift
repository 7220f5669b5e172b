import Tuning

/// Asynchronous successive halving (ASHA; Li et al. 2020, Optuna's `SuccessiveHalvingPruner`): rung `k`
/// sits at step `minResource * reductionFactor^(minEarlyStoppingRate + k)`; a trial reaching a rung goes
/// on only if its value there is in the best `1 / reductionFactor` of the values every trial reported at
/// that rung (itself included, whatever their state), decided at once — no trial waits for stragglers,
/// so it scales with the number of workers where synchronous Hyperband waits for its round.
///
/// Rung values are read at the rung's exact step, so trials should report every step (model trials
/// report every epoch); a trial that skips a rung's step is judged at its next step with that value.
///
/// On several objectives (MO-ASHA, Schmucker et al. 2021) a rung keeps the same share, the best by
/// constrained non-dominated sorting: whole fronts first, the front that does not fit whole thinned
/// by hypervolume contribution (`FrontSelection`, as Hyperband promotes); a trial whose values tie a
/// kept trial's goes on too. Only trials that reported every objective at the rung's step compete.
public struct SuccessiveHalvingPruner: FrontPruner, Equatable {
    /// The step of the first rung when `minEarlyStoppingRate` is 0.
    public let minResource: Int
    /// Each rung keeps `1 / reductionFactor` of the trials that reach it.
    public let reductionFactor: Int
    /// Moves the first rung to `minResource * reductionFactor^minEarlyStoppingRate`.
    public let minEarlyStoppingRate: Int
    /// Values a rung needs before any trial goes past it (trials reaching it earlier are pruned).
    public let bootstrapCount: Int

    /// A pruner; Optuna's defaults are a minimum resource of 1, a reduction factor of 4, rate 0 and no
    /// bootstrap.
    ///
    /// - Throws: `TunerError.invalidArgument` for `minResource < 1`, `reductionFactor < 2` or negative counts.
    public init(minResource: Int = 1, reductionFactor: Int = 4, minEarlyStoppingRate: Int = 0, bootstrapCount: Int = 0) throws {
        guard minResource >= 1 else { throw TunerError.invalidArgument(name: "minResource", message: "\(minResource) is below 1") }
        guard reductionFactor >= 2 else {
            throw TunerError.invalidArgument(name: "reductionFactor", message: "\(reductionFactor) is below 2")
        }
        guard minEarlyStoppingRate >= 0, bootstrapCount >= 0 else {
            throw TunerError.invalidArgument(name: "minEarlyStoppingRate", message: "the rate and the bootstrap count must be >= 0")
        }
        self.minResource = minResource
        self.reductionFactor = reductionFactor
        self.minEarlyStoppingRate = minEarlyStoppingRate
        self.bootstrapCount = bootstrapCount
    }

    /// The step of rung `rung`, or nil past `Int`'s range.
    public func step(ofRung rung: Int) -> Int? {
        PrunerSettings.successiveHalvingStep(ofRung: rung, minEpochs: minResource, factor: reductionFactor,
                                             minEarlyStoppingRate: minEarlyStoppingRate)
    }

    /// Judges the trial at each rung it reaches with this step and had not reached before.
    public func shouldPrune(_ question: PruningQuestion,
                            valuesAt: (_ step: Int, _ states: Set<TrialState>) throws -> [Double]) throws -> Bool {
        var rung = 0
        while let rungStep = step(ofRung: rung), rungStep <= question.step {
            defer { rung += 1 }
            // Reached at an earlier step: judged then (and kept, or it would not be running).
            if question.history.keys.contains(where: { $0 >= rungStep && $0 < question.step }) { continue }
            if question.value.isNaN { return true }
            var competing = try valuesAt(rungStep, Set(TrialState.allCases))
            // At the rung's own step the store holds this trial's value already.
            if question.step != rungStep { competing.append(question.value) }
            if competing.count <= bootstrapCount { return true }
            if !isPromotable(question.value, among: competing, direction: question.direction) { return true }
        }
        return false
    }

    /// Judges the trial on every objective at each rung it reaches with this step and had not reached
    /// before (see the type's comment).
    public func shouldPrune(_ question: FrontPruningQuestion,
                            valuesAt: (_ step: Int, _ states: Set<TrialState>) throws -> [[Double]]) throws -> Bool {
        var rung = 0
        while let rungStep = step(ofRung: rung), rungStep <= question.step {
            defer { rung += 1 }
            if question.reportedSteps.contains(where: { $0 >= rungStep && $0 < question.step }) { continue }
            if question.values.contains(where: \.isNaN) || question.values.count != question.directions.count { return true }
            var competing = try valuesAt(rungStep, Set(TrialState.allCases))
            if question.step != rungStep { competing.append(question.values) }
            if competing.count <= bootstrapCount { return true }
            if !isPromotable(question.values, among: competing, directions: question.directions) { return true }
        }
        return false
    }

    /// Whether `values` is among the best `1 / reductionFactor` of `competing` (the best one when there
    /// are fewer than `reductionFactor`) by `FrontSelection`, or ties one of them.
    func isPromotable(_ values: [Double], among competing: [[Double]], directions: [Objective.Direction]) -> Bool {
        guard let own = try? ParetoDominance.minimizationForm(point: values, directions: directions) else { return false }
        let rows = competing.compactMap { try? ParetoDominance.minimizationForm(point: $0, directions: directions) }
        guard !rows.isEmpty else { return true }
        let kept = max(rows.count / reductionFactor, 1)
        return FrontSelection.ranked(rows, count: kept).prefix(kept).contains { rows[$0] == own }
    }

    /// Whether `value` is within the best `1 / reductionFactor` of `competing` (the best one when there
    /// are fewer than `reductionFactor`), as Optuna decides.
    func isPromotable(_ value: Double, among competing: [Double], direction: Objective.Direction) -> Bool {
        let sorted = competing.sorted()
        guard !sorted.isEmpty else { return true }
        let index = max(sorted.count / reductionFactor - 1, 0)
        return direction == .maximize ? value >= sorted[sorted.count - 1 - index] : value <= sorted[index]
    }
}
