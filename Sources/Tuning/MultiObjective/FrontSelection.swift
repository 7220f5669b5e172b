/// Choosing the best `count` of a set of trials on several objectives, as Optuna's multi-objective TPE
/// chooses its good trials and as Hyperband promotes on several objectives: whole fronts of constrained
/// non-dominated sorting first (feasible fronts, then infeasible trials by total violation), the front
/// that does not fit whole thinned greedily by hypervolume contribution (Optuna's HSSP), the reference
/// point being that front's worst value plus 10 % of its range.
public enum FrontSelection {
    /// The indices of `values` (minimization form, one row per trial) in selection order: the first
    /// `count` are the chosen ones, the rest follow in rank order. `constraints`, when every row has
    /// the same number, are used for constrained dominance; rows with a NaN value come last.
    public static func ranked(_ values: [[Double]], constraints: [[Double]]? = nil, count: Int) -> [Int] {
        let width = values.first?.count ?? 0
        let minimize = [Objective.Direction](repeating: .minimize, count: width)
        let usable = usableConstraints(constraints, rowCount: values.count)
        guard width > 0, let fronts = try? ParetoDominance.nonDominatedFronts(values, directions: minimize, constraints: usable)
        else { return Array(values.indices) }
        var ranked: [Int] = []
        for front in fronts {
            if ranked.count < count && ranked.count + front.count > count {
                ranked += hypervolumeOrder(front, of: values, count: count - ranked.count)
            } else {
                ranked += front
            }
        }
        let placed = Set(ranked)
        return ranked + values.indices.filter { !placed.contains($0) }
    }

    /// `trials` best first for a search on `objectives`: trials that ended with every value
    /// (`Trial.objectiveValues`) in `ranked(_:constraints:count:)` order — feasible fronts first — with
    /// `count` the places being filled; the others (no values, or the wrong number) after them, by ID.
    public static func ranked(_ trials: [Trial], objectives: [Objective], count: Int) -> [Trial] {
        let (valued, rows) = minimizationRows(of: trials, objectives: objectives)
        let order = ranked(rows, constraints: valued.map { $0.objectiveValues?.constraints ?? [] }, count: count)
        let placed = Set(valued.map(\.id))
        return order.map { valued[$0] } + trials.filter { !placed.contains($0.id) }.sorted { $0.id < $1.id }
    }

    /// The first front of `trials`' constrained non-dominated sorting on `objectives`, by ID: the feasible
    /// trials no other feasible trial dominates (when none is feasible, the least violating ones). Trials
    /// without every value are left out. A trial off this front never comes back onto it, since values
    /// and feasibility of ended trials do not change, which is why checkpoint retention keeps it whole.
    public static func firstFront(_ trials: [Trial], objectives: [Objective]) -> [Trial] {
        let (valued, rows) = minimizationRows(of: trials, objectives: objectives)
        let usable = usableConstraints(valued.map { $0.objectiveValues?.constraints ?? [] }, rowCount: rows.count)
        let minimize = [Objective.Direction](repeating: .minimize, count: objectives.count)
        let front = (try? ParetoDominance.paretoFront(rows, directions: minimize, constraints: usable)) ?? []
        return front.map { valued[$0] }
    }

    /// `constraints` when they can judge feasibility: one non-empty row per value row, all of one length;
    /// else nil (plain dominance).
    private static func usableConstraints(_ constraints: [[Double]]?, rowCount: Int) -> [[Double]]? {
        constraints.flatMap { rows in
            rows.count == rowCount && Set(rows.map(\.count)).count == 1 && rows.first?.isEmpty == false ? rows : nil
        }
    }

    /// The trials of `trials` that ended with a value for each of `objectives`, and those values in
    /// minimization form (NaN rows for values that cannot be put in that form).
    private static func minimizationRows(of trials: [Trial], objectives: [Objective]) -> (trials: [Trial], rows: [[Double]]) {
        let directions = objectives.map(\.direction)
        let valued = trials.filter { $0.objectiveValues?.objectives.count == directions.count }
        let rows = valued.map { trial in
            (try? ParetoDominance.minimizationForm(point: trial.objectiveValues?.objectives ?? [], directions: directions))
                ?? [Double](repeating: .nan, count: directions.count)
        }
        return (valued, rows)
    }

    /// The members of `front` (indices into `values`) in the greedy order of hypervolume contribution:
    /// the first `count` make a subset of large hypervolume; the others follow in index order.
    static func hypervolumeOrder(_ front: [Int], of values: [[Double]], count: Int) -> [Int] {
        let points = front.map { values[$0] }
        guard let reference = try? Hypervolume.referencePoint(for: points) else { return front }
        var chosen: [Int] = []
        var remaining = Array(front.indices)
        while chosen.count < count, !remaining.isEmpty {
            var best = 0, bestVolume = -Double.infinity
            for (slot, candidate) in remaining.enumerated() {
                let volume = (try? Hypervolume.of((chosen + [candidate]).map { points[$0] }, reference: reference)) ?? 0
                if volume > bestVolume { best = slot; bestVolume = volume }
            }
            chosen.append(remaining.remove(at: best))
        }
        return (chosen + remaining).map { front[$0] }
    }
}
