/// The hypervolume indicator: the volume of the region dominated by a point set and bounded by a
/// reference point, for minimization (put values in minimization form first, see
/// `ParetoDominance.minimizationForm`, or use `of(values:directions:reference:)`).
///
/// Only points strictly better than the reference in every coordinate contribute; the others (and
/// points with a NaN coordinate) add nothing. Dominated points and duplicates are removed before the
/// computation, which is exact:
/// - 1 objective: the distance from the best value to the reference;
/// - 2 objectives: a sort and a sweep, O(n log n);
/// - 3 objectives: slices along the third objective, each adding one point to a sorted list and
///   sweeping it, O(n²);
/// - d ≥ 4 objectives: slicing the last objective recursively (HSO, While et al. 2006), O(n^(d−1));
///   a few hundred points in 4 dimensions take a fraction of a second.
public enum Hypervolume {
    /// The hypervolume of `points` (rows in minimization form) with respect to `reference`.
    ///
    /// Throws `MultiObjectiveError.noObjectives` for an empty reference, `.lengthMismatch` when a
    /// point does not have the reference's length, and `.nonFiniteValue` when the reference has a NaN
    /// or infinite coordinate.
    public static func of(_ points: [[Double]], reference: [Double]) throws(MultiObjectiveError) -> Double {
        try checkReference(reference, points: points)
        return exact(nonDominated(inside(points, reference: reference)), reference: reference)
    }

    /// The hypervolume of `values` given in the objectives' own `directions`, with the `reference`
    /// point in the same directions (a maximized objective's reference is a lower bound).
    ///
    /// Throws like `of(_:reference:)`, and `.lengthMismatch` when the reference or a row does not have
    /// one value per direction.
    public static func of(
        values: [[Double]], directions: [Objective.Direction], reference: [Double]
    ) throws(MultiObjectiveError) -> Double {
        let points = try ParetoDominance.minimizationForm(values, directions: directions)
        return try of(points, reference: ParetoDominance.minimizationForm(point: reference, directions: directions))
    }

    /// The hypervolume of the first 1, 2, …, n points (rows in minimization form, in trial order):
    /// the running curve of a study. With `constraints` (one row per point), only feasible points
    /// (every value ≤ 0) count. Each step adds the new point's exclusive contribution, so the curve
    /// costs about n hypervolumes of the front's size rather than n of the whole history.
    ///
    /// Throws like `of(_:reference:)`, and `.lengthMismatch` when the constraint rows do not match.
    public static func curve(
        _ points: [[Double]], reference: [Double], constraints: [[Double]]? = nil
    ) throws(MultiObjectiveError) -> [Double] {
        try checkReference(reference, points: points)
        if let constraints { try ParetoDominance.checkConstraints(constraints, rowCount: points.count) }
        var front: [[Double]] = []
        var total = 0.0
        var result: [Double] = []
        result.reserveCapacity(points.count)
        for (index, point) in points.enumerated() {
            let feasible = constraints.map { ParetoDominance.isFeasible($0[index]) } ?? true
            if feasible, isInside(point, reference: reference),
               !front.contains(where: { q in zip(q, point).allSatisfy { $0 <= $1 } })
            {
                // Exclusive contribution: the point's own box minus what the front already covers of it.
                let covered = front.map { q in zip(q, point).map { Swift.max($0, $1) } }
                total += box(point, reference: reference) - exact(nonDominated(covered), reference: reference)
                front = front.filter { !ParetoDominance.dominates(point, $0) } + [point]
            }
            result.append(total)
        }
        return result
    }

    /// A reference point for `points` (rows in minimization form): per column, the worst observed
    /// value plus `margin` times the observed range (plus `margin · max(1, |worst|)` when the range is
    /// zero), so that every observed point, the worst included, contributes. Rows with NaN are ignored.
    ///
    /// Throws `MultiObjectiveError.noObservations` when no row is free of NaN, `.lengthMismatch` for
    /// ragged rows, `.nonFiniteValue` for an infinite value, `.invalidConfiguration` for a negative or
    /// non-finite margin.
    public static func referencePoint(for points: [[Double]], margin: Double = 0.1) throws(MultiObjectiveError) -> [Double] {
        guard margin.isFinite, margin >= 0 else {
            throw .invalidConfiguration("the reference margin must be finite and >= 0, got \(margin)")
        }
        let rows = points.filter { !$0.contains(where: \.isNaN) }
        guard let first = rows.first else { throw .noObservations }
        guard !first.isEmpty else { throw .noObjectives }
        var worst = first, best = first
        for (index, row) in rows.enumerated() {
            guard row.count == first.count else {
                throw .lengthMismatch(expected: first.count, found: row.count, context: "point \(index)")
            }
            guard row.allSatisfy(\.isFinite) else { throw .nonFiniteValue(context: "point \(index)") }
            for k in row.indices {
                worst[k] = Swift.max(worst[k], row[k])
                best[k] = Swift.min(best[k], row[k])
            }
        }
        return worst.indices.map { k in
            let range = worst[k] - best[k]
            return worst[k] + margin * (range > 0 ? range : Swift.max(1, abs(worst[k])))
        }
    }

    // MARK: - Implementation

    private static func checkReference(_ reference: [Double], points: [[Double]]) throws(MultiObjectiveError) {
        guard !reference.isEmpty else { throw .noObjectives }
        guard reference.allSatisfy(\.isFinite) else { throw .nonFiniteValue(context: "the reference point") }
        for (index, point) in points.enumerated() where point.count != reference.count {
            throw .lengthMismatch(expected: reference.count, found: point.count, context: "point \(index)")
        }
    }

    /// Whether every coordinate is strictly below the reference's (false with NaN).
    static func isInside(_ point: [Double], reference: [Double]) -> Bool {
        zip(point, reference).allSatisfy { $0 < $1 }
    }

    static func inside(_ points: [[Double]], reference: [Double]) -> [[Double]] {
        points.filter { isInside($0, reference: reference) }
    }

    /// The volume of the box between `point` and the reference.
    static func box(_ point: [Double], reference: [Double]) -> Double {
        var volume = 1.0
        for k in point.indices { volume *= reference[k] - point[k] }
        return volume
    }

    /// The points no other point dominates, one copy of each (NaN-free input).
    static func nonDominated(_ points: [[Double]]) -> [[Double]] {
        // Lexicographic order: a point can only be dominated by (or equal to) an earlier one.
        let sorted = points.sorted { $0.lexicographicallyPrecedes($1) }
        var kept: [[Double]] = []
        kept.reserveCapacity(sorted.count)
        if sorted.first?.count == 2 {
            // In two dimensions an earlier point covers a later one exactly when its second coordinate
            // is no larger: one pass.
            var lowest = Double.infinity
            for point in sorted where point[1] < lowest {
                kept.append(point)
                lowest = point[1]
            }
            return kept
        }
        for point in sorted {
            var covered = false
            for other in kept {
                var weaklyBetter = true
                for k in point.indices where other[k] > point[k] {
                    weaklyBetter = false
                    break
                }
                if weaklyBetter {
                    covered = true
                    break
                }
            }
            if !covered { kept.append(point) }
        }
        return kept
    }

    /// The exact hypervolume of points strictly inside the reference box (dominated ones allowed).
    static func exact(_ points: [[Double]], reference: [Double]) -> Double {
        guard !points.isEmpty else { return 0 }
        switch reference.count {
        case 1:
            return reference[0] - (points.map { $0[0] }.min() ?? reference[0])
        case 2:
            return sweep2(points.map { ($0[0], $0[1]) }.sorted { $0 < $1 }, reference: (reference[0], reference[1]))
        case 3:
            return slices3(points, reference: reference)
        default:
            // Slice along the last objective: between two consecutive values of it, the dominated
            // region is the (d−1)-dimensional hypervolume of the points below, times the slice depth.
            let d = reference.count
            let sorted = points.sorted { $0[d - 1] < $1[d - 1] }
            let lower = Array(reference.prefix(d - 1))
            var total = 0.0
            for i in sorted.indices {
                let top = i + 1 < sorted.count ? sorted[i + 1][d - 1] : reference[d - 1]
                let depth = top - sorted[i][d - 1]
                guard depth > 0 else { continue }
                let projected = nonDominated(sorted[0...i].map { Array($0.prefix(d - 1)) })
                total += depth * exact(projected, reference: lower)
            }
            return total
        }
    }

    /// The 2-D hypervolume of points sorted by the first coordinate (then the second).
    private static func sweep2(_ sorted: [(Double, Double)], reference: (Double, Double)) -> Double {
        var area = 0.0
        var lowest = reference.1
        for (x, y) in sorted where y < lowest {
            area += (reference.0 - x) * (lowest - y)
            lowest = y
        }
        return area
    }

    /// The 3-D hypervolume by slices along the third coordinate, keeping the points seen so far sorted
    /// in the first two so each slice is one linear sweep.
    private static func slices3(_ points: [[Double]], reference: [Double]) -> Double {
        let sorted = points.sorted { $0[2] < $1[2] }
        var plane: [(Double, Double)] = []
        plane.reserveCapacity(sorted.count)
        var total = 0.0
        for i in sorted.indices {
            let element = (sorted[i][0], sorted[i][1])
            let position = plane.firstIndex { element < $0 } ?? plane.count
            plane.insert(element, at: position)
            let top = i + 1 < sorted.count ? sorted[i + 1][2] : reference[2]
            let depth = top - sorted[i][2]
            if depth > 0 { total += depth * sweep2(plane, reference: (reference[0], reference[1])) }
        }
        return total
    }
}
