/// Optuna's group decomposition of a search space (`TPESampler(group=True)`, `_SearchSpaceGroup`),
/// which is how TPE handles conditional parameters natively.
///
/// The tuned dimensions are partitioned so that, in every finished trial, each group is either
/// wholly observed or wholly absent: starting from no groups, each trial's set of observed dimensions
/// splits every group into the part it observed and the part it did not, and its dimensions no group
/// held yet form a new group. The unconditional parameters end up in one group, and the parameters of
/// each conditional scope in another.
///
/// Each group is then modelled jointly (a multivariate Parzen estimator) from only the trials that
/// observed all of it, and sampled on its own; a suggestion keeps the samples of the groups its parents
/// make active and drops the others. So a child's estimator is fitted to the trials where it was
/// active, never to values it did not have, and inactive parameters are never sampled into a trial.
/// Dimensions no finished trial observed yet (a scope never entered, or a parameter added later) are
/// each a group of their own, as Optuna samples them independently: their good estimator is the prior
/// alone.
enum TPEParameterGroups {
    /// The groups (each a list of dimension indices in increasing order) of `dimensionCount`
    /// dimensions, refined by each set of observed dimensions in `observedSets`, in order.
    static func decompose(_ observedSets: [[Bool]], dimensionCount: Int) -> [[Int]] {
        var groups: [[Int]] = []
        // Refining by a set already applied changes nothing, so each distinct set is applied once, in
        // the order first seen (which fixes the order of the groups, and so of the random draws).
        var applied: Set<[Bool]> = []
        for observed in observedSets where applied.insert(observed).inserted {
            var unclaimed = observed
            var refined: [[Int]] = []
            for group in groups {
                let inside = group.filter { observed[$0] }
                let outside = group.filter { !observed[$0] }
                if !inside.isEmpty { refined.append(inside) }
                if !outside.isEmpty { refined.append(outside) }
                for dimension in group { unclaimed[dimension] = false }
            }
            let fresh = (0..<dimensionCount).filter { unclaimed[$0] }
            if !fresh.isEmpty { refined.append(fresh) }
            groups = refined
        }
        var covered = [Bool](repeating: false, count: dimensionCount)
        for group in groups { for dimension in group { covered[dimension] = true } }
        for dimension in 0..<dimensionCount where !covered[dimension] { groups.append([dimension]) }
        return groups
    }
}
