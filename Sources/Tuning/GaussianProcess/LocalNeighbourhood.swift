/// The observations a large study's Gaussian process is conditioned on, and the box of the unit cube
/// where its suggestions are looked for (a trust region, as in TuRBO, Eriksson et al., 2019).
///
/// An exact GP costs O(n³) time and O(n²) memory in its n observations: ten thousand finished trials
/// would take seconds and 800 MB per suggestion. Past `BayesianOptimizer.Configuration`'s
/// `maximumModelPoints`, the model sees only the observations nearest to the best one (distance scaled
/// by the last fit's length scales, so a dimension that barely matters barely counts), and the
/// acquisition is maximized inside the box they span, widened a little: outside it the local model
/// knows nothing of the observations it left out and would send the search back to where it has been.
public struct LocalNeighbourhood: Sendable, Equatable {
    /// Indices of the chosen observations, ascending.
    public let indices: [Int]
    /// The region's lower corner in the unit cube.
    public let lower: [Double]
    /// The region's upper corner in the unit cube.
    public let upper: [Double]

    /// How far the box is widened on each side, as a fraction of its extent in that dimension (and at
    /// least `minimumMargin`), so the next point may step just past the neighbourhood's edge.
    public static let margin = 0.1
    /// The least widening on each side, for a neighbourhood flat in some dimension.
    public static let minimumMargin = 0.01

    /// The `limit` observations nearest to the best (lowest) value among `values`, and their box.
    /// `points` are unit-cube coordinates of equal length; `lengthScales` (one per coordinate, positive)
    /// scale the distances when known.
    ///
    /// Ties in distance break by index, so the choice is deterministic.
    public init(points: [[Double]], values: [Double], limit: Int, lengthScales: [Double]?) {
        let d = points.first?.count ?? 0
        var best = 0
        for index in values.indices where (values[index], index) < (values[best], best) { best = index }
        let center = points.isEmpty ? [] : points[best]
        let weights = (0..<d).map { k -> Double in
            guard let lengthScales, k < lengthScales.count, lengthScales[k] > 0, lengthScales[k].isFinite else { return 1 }
            return 1 / (lengthScales[k] * lengthScales[k])
        }
        var distances = [Double](repeating: 0, count: points.count)
        for (index, point) in points.enumerated() {
            var sum = 0.0
            for k in 0..<d {
                let delta = point[k] - center[k]
                sum += weights[k] * delta * delta
            }
            distances[index] = sum
        }
        let chosen = (0..<points.count)
            .sorted { (distances[$0], $0) < (distances[$1], $1) }
            .prefix(Swift.max(1, limit))
            .sorted()
        var lower = [Double](repeating: 1, count: d), upper = [Double](repeating: 0, count: d)
        for index in chosen {
            for k in 0..<d {
                lower[k] = Swift.min(lower[k], points[index][k])
                upper[k] = Swift.max(upper[k], points[index][k])
            }
        }
        for k in 0..<d {
            let margin = Swift.max(Self.minimumMargin, Self.margin * (upper[k] - lower[k]))
            lower[k] = Swift.max(0, lower[k] - margin)
            upper[k] = Swift.min(1, upper[k] + margin)
        }
        indices = Array(chosen)
        self.lower = lower
        self.upper = upper
    }

    /// A unit-cube point `u` mapped into the region (`lower + u · (upper − lower)` per coordinate).
    public func mapped(_ u: [Double]) -> [Double] {
        var point = u
        for k in 0..<Swift.min(u.count, lower.count) {
            let extent: Double = upper[k] - lower[k]
            point[k] = lower[k] + u[k] * extent
        }
        return point
    }

    /// `point` with each coordinate clamped into the region.
    public func clamped(_ point: [Double]) -> [Double] {
        var clamped = point
        for k in 0..<Swift.min(point.count, lower.count) {
            clamped[k] = Swift.min(Swift.max(point[k], lower[k]), upper[k])
        }
        return clamped
    }

    /// Whether `point` lies in the region (within `tolerance`, for points that projection rounded).
    public func contains(_ point: [Double], tolerance: Double = 1e-9) -> Bool {
        for k in 0..<Swift.min(point.count, lower.count) where point[k] < lower[k] - tolerance || point[k] > upper[k] + tolerance {
            return false
        }
        return true
    }
}
