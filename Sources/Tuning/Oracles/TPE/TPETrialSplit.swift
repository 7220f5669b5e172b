/// How TPE divides the trials it models into the good ones, whose density is l(x), and the rest,
/// whose density is g(x) — Optuna's `_split_trials` for one objective.
///
/// - `gamma(n) = min(⌈0.1·n⌉, 25)` of the `n` finished (COMPLETE and PRUNED) trials are good: the best
///   COMPLETE scores first (in the objective's direction, ties to the lower ID), then, if fewer COMPLETE
///   trials than that exist, the PRUNED trials that got furthest (the latest step, then the best last
///   intermediate value, NaN worst);
/// - every other finished trial is bad, and so is every trial still RUNNING or WAITING: the constant
///   liar, which pretends a pending configuration scored badly so that the next suggestion moves
///   away from it and parallel workers get different trials.
///
/// FAILED trials are not modelled. Both lists come back in trial order, which Optuna's weights
/// (`weights(count:)`) read as age.
enum TPETrialSplit {
    /// A modelled trial: its state, score and last intermediate step and value.
    struct Entry: Sendable {
        /// The trial's ID.
        let id: Trial.ID
        /// `.complete`, `.pruned`, or pending (`.running`, `.waiting`).
        let state: TrialState
        /// The score of a COMPLETE trial.
        let score: Double
        /// The last reported step and value of a PRUNED trial, if it reported any.
        let lastIntermediate: StepValue?
        /// A COMPLETE trial's value on every objective in minimization form, and its constraint values,
        /// in a search on several objectives or with constraints (nil otherwise).
        var front: (objectives: [Double], constraints: [Double])? = nil
    }

    /// Optuna's `default_gamma`: `min(⌈0.1·n⌉, 25)`.
    static func goodCount(finished: Int) -> Int {
        Swift.min((finished + 9) / 10, 25)
    }

    /// Optuna's `default_weights`: 1 for each of up to 25 observations; beyond that the oldest
    /// `count − 25` ramp linearly from `1/count` up to 1 and the newest 25 weigh 1.
    static func weights(count: Int) -> [Double] {
        guard count >= 25 else { return [Double](repeating: 1, count: count) }
        let rampCount = count - 25
        var result: [Double] = []
        result.reserveCapacity(count)
        let start = 1 / Double(count)
        for index in 0..<rampCount {
            // numpy's linspace: the last point is exactly the stop value.
            if rampCount == 1 {
                result.append(start)
            } else if index == rampCount - 1 {
                result.append(1)
            } else {
                result.append(start + Double(index) * (1 - start) / Double(rampCount - 1))
            }
        }
        result += [Double](repeating: 1, count: 25)
        return result
    }

    /// The positions in `entries` (given in trial order) of the good and the bad trials, each in trial order.
    static func split(_ entries: [Entry], direction: Objective.Direction) -> (good: [Int], bad: [Int]) {
        let finished = entries.count { $0.state == .complete || $0.state == .pruned }
        var remaining = goodCount(finished: finished)
        var isGood = [Bool](repeating: false, count: entries.count)

        let complete = entries.indices.filter { entries[$0].state == .complete }
        let rankedComplete = complete.contains(where: { entries[$0].front != nil })
            ? rankedByFronts(complete.filter { entries[$0].front != nil }, entries, count: remaining)
            : complete.sorted { first, second in
                let a = entries[first].score, b = entries[second].score
                if a != b { return direction == .maximize ? a > b : a < b }
                return entries[first].id < entries[second].id
            }
        for position in rankedComplete.prefix(remaining) { isGood[position] = true }
        remaining = Swift.max(0, remaining - rankedComplete.count)

        if remaining > 0 {
            let pruned = entries.indices.filter { entries[$0].state == .pruned }
            let keys = pruned.map { prunedKey(entries[$0], direction: direction) }
            let ranked = pruned.indices.sorted { first, second in
                let a = keys[first], b = keys[second]
                if a.negatedStep != b.negatedStep { return a.negatedStep < b.negatedStep }
                if a.value != b.value { return a.value < b.value }
                return entries[pruned[first]].id < entries[pruned[second]].id
            }
            for index in ranked.prefix(remaining) { isGood[pruned[index]] = true }
        }
        var good: [Int] = [], bad: [Int] = []
        for position in entries.indices {
            if isGood[position] { good.append(position) } else { bad.append(position) }
        }
        return (good, bad)
    }

    /// Optuna's multi-objective split (`_split_complete_trials_multi_objective`, with constraints as in
    /// its constrained TPE): `positions` in `FrontSelection` order, the first `count` being the good ones.
    static func rankedByFronts(_ positions: [Int], _ entries: [Entry], count: Int) -> [Int] {
        let values = positions.map { entries[$0].front?.objectives ?? [] }
        let constraints = positions.map { entries[$0].front?.constraints ?? [] }
        return FrontSelection.ranked(values, constraints: constraints, count: count).map { positions[$0] }
    }

    /// Optuna's `_get_pruned_trial_score`: later steps first, then the better last value (signed so
    /// that smaller is better; NaN last); a trial that reported nothing comes after all that did.
    private static func prunedKey(_ entry: Entry, direction: Objective.Direction) -> (negatedStep: Int, value: Double) {
        guard let last = entry.lastIntermediate else { return (1, 0) }
        if last.value.isNaN { return (-last.step, .infinity) }
        return (-last.step, direction == .minimize ? last.value : -last.value)
    }
}
