/// Pareto dominance, constrained dominance and non-dominated sorting of objective value vectors.
///
/// Values come as rows (one vector per trial) with one `Objective.Direction` per column; internally
/// every row is put in *minimization form* (maximized columns negated, see `minimizationForm`), where
/// `a` dominates `b` when `a` is no worse in every column and strictly better in at least one.
/// Exact duplicates do not dominate each other, so both sit on the same front.
///
/// **Constraints** follow Optuna's and NSGA-II's constrained dominance: a trial is feasible when every
/// constraint value is ≤ 0; a feasible trial dominates every infeasible one; of two infeasible trials
/// the one with the smaller total violation `Σ max(0, cᵢ)` dominates (whatever their objectives); two
/// feasible trials compare by ordinary Pareto dominance. A NaN constraint value counts as an infinite
/// violation (the trial is infeasible and worse than any finitely infeasible one).
///
/// **NaN objective values.** A row with a NaN objective value is never ranked and never on a front:
/// its rank is `nil`. (Comparisons with NaN are all false, so such a row would otherwise be
/// "non-dominated" by everything and sit on the first front.)
public enum ParetoDominance {
    /// `values` with every maximized column negated, so that lower is better in every column.
    ///
    /// Throws `MultiObjectiveError.noObjectives` without directions and `.lengthMismatch` when a row
    /// does not have one value per direction.
    public static func minimizationForm(
        _ values: [[Double]], directions: [Objective.Direction]
    ) throws(MultiObjectiveError) -> [[Double]] {
        try check(values, directions: directions)
        return values.map { row in flipped(row, directions: directions) }
    }

    /// One vector (for example a reference point given in the objectives' own directions) in
    /// minimization form.
    ///
    /// Throws `MultiObjectiveError.lengthMismatch` when `point` does not have one value per direction.
    public static func minimizationForm(
        point: [Double], directions: [Objective.Direction]
    ) throws(MultiObjectiveError) -> [Double] {
        guard point.count == directions.count else {
            throw .lengthMismatch(expected: directions.count, found: point.count, context: "the point")
        }
        return flipped(point, directions: directions)
    }

    /// Whether `a` Pareto-dominates `b`, both in minimization form and of the same length: no worse in
    /// every coordinate and strictly better in one. False whenever a coordinate is NaN.
    public static func dominates(_ a: [Double], _ b: [Double]) -> Bool {
        guard a.count == b.count else { return false }
        var strictlyBetter = false
        for k in a.indices {
            // `!(a <= b)` rather than `a > b`, so that a NaN on either side is never dominance.
            if !(a[k] <= b[k]) { return false }
            if a[k] < b[k] { strictlyBetter = true }
        }
        return strictlyBetter
    }

    /// The total constraint violation `Σ max(0, cᵢ)` (0 exactly when feasible); NaN counts as infinite.
    public static func totalViolation(_ constraints: [Double]) -> Double {
        var total = 0.0
        for value in constraints {
            if value.isNaN { return .infinity }
            if value > 0 { total += value }
        }
        return total
    }

    /// Whether a trial with these constraint values is feasible (every value ≤ 0; NaN is infeasible).
    public static func isFeasible(_ constraints: [Double]) -> Bool {
        constraints.allSatisfy { $0 <= 0 }
    }

    /// Whether `a` dominates `b` under constrained dominance (see the type's documentation), with
    /// objectives in minimization form and the trials' total violations (`totalViolation`).
    public static func constrainedDominates(
        _ a: [Double], violation violationA: Double, _ b: [Double], violation violationB: Double
    ) -> Bool {
        let feasibleA = violationA == 0, feasibleB = violationB == 0
        switch (feasibleA, feasibleB) {
        case (true, true): return dominates(a, b)
        case (true, false): return true
        case (false, true): return false
        case (false, false): return violationA < violationB
        }
    }

    /// The rank of every row by fast non-dominated sorting (Deb et al., NSGA-II): 0 for the Pareto
    /// front, 1 for the front of what remains, and so on; `nil` for a row with a NaN objective value.
    /// With `constraints` (one row of constraint values per value row), constrained dominance is used.
    ///
    /// Costs O(m·n²) for n rows of m objectives. Throws `MultiObjectiveError.noObjectives` without
    /// directions and `.lengthMismatch` when a row does not have one value per direction or the
    /// constraints do not have one row per value row (each with the same number of constraints).
    public static func nonDominatedRanks(
        _ values: [[Double]], directions: [Objective.Direction], constraints: [[Double]]? = nil
    ) throws(MultiObjectiveError) -> [Int?] {
        try fronts(values, directions: directions, constraints: constraints).ranks
    }

    /// The fronts of fast non-dominated sorting: the indices of rank 0, then of rank 1, … (each in
    /// ascending index order). Rows with a NaN objective value are in none. Throws like
    /// `nonDominatedRanks`.
    public static func nonDominatedFronts(
        _ values: [[Double]], directions: [Objective.Direction], constraints: [[Double]]? = nil
    ) throws(MultiObjectiveError) -> [[Int]] {
        try fronts(values, directions: directions, constraints: constraints).fronts
    }

    /// The indices (ascending) of the Pareto front: the rows no other row dominates (under constrained
    /// dominance with `constraints`), NaN rows excluded. With constraints and at least one feasible
    /// row, the front holds feasible rows only. Throws like `nonDominatedRanks`.
    ///
    /// Costs O(m·n·f) for a front of f rows, and no more memory than the front: searches call it after
    /// every trial (progress, checkpoint retention), where sorting every front of a 10,000-trial study
    /// would cost O(m·n²) time and its lists of dominated rows O(n²) memory.
    public static func paretoFront(
        _ values: [[Double]], directions: [Objective.Direction], constraints: [[Double]]? = nil
    ) throws(MultiObjectiveError) -> [Int] {
        try check(values, directions: directions)
        if let constraints { try checkConstraints(constraints, rowCount: values.count) }
        let violations = constraints?.map(totalViolation) ?? Array(repeating: 0, count: values.count)
        // Constrained dominance is a strict partial order, so a row no current member dominates is kept and
        // the members it dominates dropped; a row dropped earlier is dominated by a member still kept.
        var front: [(index: Int, row: [Double])] = []
        for index in values.indices {
            let row = flipped(values[index], directions: directions)
            if row.contains(where: \.isNaN) { continue }
            if front.contains(where: { constrainedDominates($0.row, violation: violations[$0.index], row, violation: violations[index]) }) {
                continue
            }
            front.removeAll { constrainedDominates(row, violation: violations[index], $0.row, violation: violations[$0.index]) }
            front.append((index, row))
        }
        return front.map(\.index)
    }

    // MARK: - Implementation

    static func check(_ values: [[Double]], directions: [Objective.Direction]) throws(MultiObjectiveError) {
        guard !directions.isEmpty else { throw .noObjectives }
        for (index, row) in values.enumerated() where row.count != directions.count {
            throw .lengthMismatch(expected: directions.count, found: row.count, context: "value row \(index)")
        }
    }

    static func checkConstraints(_ constraints: [[Double]], rowCount: Int) throws(MultiObjectiveError) {
        guard constraints.count == rowCount else {
            throw .lengthMismatch(expected: rowCount, found: constraints.count, context: "the list of constraint rows")
        }
        let width = constraints.first?.count ?? 0
        for (index, row) in constraints.enumerated() where row.count != width {
            throw .lengthMismatch(expected: width, found: row.count, context: "constraint row \(index)")
        }
    }

    private static func flipped(_ row: [Double], directions: [Objective.Direction]) -> [Double] {
        var result = row
        for k in result.indices where directions[k] == .maximize { result[k] = -result[k] }
        return result
    }

    /// Deb's fast non-dominated sort on the rows without NaN.
    private static func fronts(
        _ values: [[Double]], directions: [Objective.Direction], constraints: [[Double]]?
    ) throws(MultiObjectiveError) -> (fronts: [[Int]], ranks: [Int?]) {
        try check(values, directions: directions)
        if let constraints { try checkConstraints(constraints, rowCount: values.count) }
        let rows = values.map { flipped($0, directions: directions) }
        let violations = constraints?.map(totalViolation) ?? Array(repeating: 0, count: rows.count)
        let ranked = rows.indices.filter { !rows[$0].contains(where: \.isNaN) }

        // For each ranked row: how many rows dominate it, and which rows it dominates.
        var dominatedBy = [Int](repeating: 0, count: rows.count)
        var dominating = [[Int]](repeating: [], count: rows.count)
        for (position, i) in ranked.enumerated() {
            for j in ranked[(position + 1)...] {
                if constrainedDominates(rows[i], violation: violations[i], rows[j], violation: violations[j]) {
                    dominating[i].append(j)
                    dominatedBy[j] += 1
                } else if constrainedDominates(rows[j], violation: violations[j], rows[i], violation: violations[i]) {
                    dominating[j].append(i)
                    dominatedBy[i] += 1
                }
            }
        }
        var ranks = [Int?](repeating: nil, count: rows.count)
        var fronts: [[Int]] = []
        var current = ranked.filter { dominatedBy[$0] == 0 }
        while !current.isEmpty {
            for i in current { ranks[i] = fronts.count }
            fronts.append(current)
            var next: [Int] = []
            for i in current {
                for j in dominating[i] {
                    dominatedBy[j] -= 1
                    if dominatedBy[j] == 0 { next.append(j) }
                }
            }
            current = next.sorted()
        }
        return (fronts, ranks)
    }
}
