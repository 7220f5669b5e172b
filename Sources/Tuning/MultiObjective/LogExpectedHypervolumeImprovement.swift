#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The exact expected hypervolume improvement (EHVI) of a new point over a front, for independent
/// Gaussian predictions of the objectives, computed in log space.
///
/// **Box decomposition.** The region a new point `y` can add to the hypervolume (below the reference,
/// dominated by no front point) is split into disjoint boxes `[l, u)`: in each of the first m−1
/// objectives the front's coordinates (with −∞ and the reference) cut a grid, and over each grid cell
/// the non-dominated part along the last objective is one interval `(−∞, t)`, `t` being the smallest
/// last coordinate of the front points below the cell's lower corner (or the reference). Then
/// `HVI(y) = Σ_boxes Π_j (u_j − max(y_j, l_j))₊` exactly, and since the objectives' predictions are
/// independent, the expectation factorizes per box and objective:
/// `E[(u − max(Y, l))₊] = σ·(h(z_u) − h(z_l))` with `z = (bound − μ)/σ` and `h(z) = φ(z) + zΦ(z)`
/// (the expected improvement's `h`). Each factor is taken in log space with
/// `LogExpectedImprovement.logH`, and the boxes are summed by log-sum-exp, so the value stays finite
/// and informative far from the front, where plain EHVI underflows (the log-EHVI of Ament et al., 2023,
/// here exact rather than Monte Carlo). It is exact for any number of objectives; the number of boxes
/// is the product over the first m−1 objectives of (distinct front values + 1): k+1 for 2 objectives,
/// about (k+1)² for 3.
///
/// Values are in minimization form and in any units, as long as the front, the reference and the
/// predictions share them (the suggestion uses each objective's standardized model units: the
/// hypervolume of an affinely rescaled problem is a constant multiple, so the best point is the same).
public struct LogExpectedHypervolumeImprovement: Sendable {
    /// The reference point (minimization form).
    public let reference: [Double]
    /// The front points strictly inside the reference box, dominated ones and duplicates removed.
    public let front: [[Double]]
    /// Per objective except the last: −∞, the front's distinct coordinates, the reference.
    let grids: [[Double]]
    /// The boxes' grid intervals (m−1 per box, flattened).
    let boxIntervals: [Int]
    /// The index into `tops` of each box's upper bound in the last objective.
    let boxTops: [Int]
    /// The distinct upper bounds in the last objective.
    let tops: [Double]

    /// The number of boxes of the decomposition (the cost of one evaluation is proportional to it).
    public var boxCount: Int { boxTops.count }

    /// The decomposition for `front` (rows in minimization form; points not strictly inside the
    /// reference box, NaN rows and dominated rows are ignored) and `reference`.
    ///
    /// Throws `MultiObjectiveError.noObjectives` for an empty reference, `.nonFiniteValue` for a NaN or
    /// infinite reference coordinate and `.lengthMismatch` when a row does not have its length.
    public init(front: [[Double]], reference: [Double]) throws(MultiObjectiveError) {
        guard !reference.isEmpty else { throw .noObjectives }
        guard reference.allSatisfy(\.isFinite) else { throw .nonFiniteValue(context: "the reference point") }
        for (index, point) in front.enumerated() where point.count != reference.count {
            throw .lengthMismatch(expected: reference.count, found: point.count, context: "front point \(index)")
        }
        let points = Hypervolume.nonDominated(Hypervolume.inside(front, reference: reference))
        let m = reference.count
        let grids = (0..<(m - 1)).map { j in
            [-Double.infinity] + Array(Set(points.map { $0[j] })).sorted() + [reference[j]]
        }
        var boxIntervals: [Int] = []
        var boxTops: [Int] = []
        var tops: [Double] = []
        var topIndex: [Double: Int] = [:]
        // Odometer over the grid cells of the first m−1 objectives.
        var cell = [Int](repeating: 0, count: m - 1)
        outer: while true {
            var top = reference[m - 1]
            for point in points {
                var below = true
                for j in 0..<(m - 1) where !(point[j] <= grids[j][cell[j]]) {
                    below = false
                    break
                }
                if below { top = Swift.min(top, point[m - 1]) }
            }
            let index: Int
            if let known = topIndex[top] {
                index = known
            } else {
                index = tops.count
                tops.append(top)
                topIndex[top] = index
            }
            boxIntervals += cell
            boxTops.append(index)
            var j = 0
            while j < m - 1 {
                cell[j] += 1
                if cell[j] < grids[j].count - 1 { continue outer }
                cell[j] = 0
                j += 1
            }
            break
        }
        self.reference = reference
        self.front = points
        self.grids = grids
        self.boxIntervals = boxIntervals
        self.boxTops = boxTops
        self.tops = tops
    }

    /// The hypervolume a new point `y` (minimization form) would add, from the boxes (for checks and
    /// reports; equals `Hypervolume.of(front + [y]) − Hypervolume.of(front)`). 0 for a wrong length.
    public func hypervolumeImprovement(_ y: [Double]) -> Double {
        let m = reference.count
        guard y.count == m else { return 0 }
        var total = 0.0
        for box in boxTops.indices {
            var volume = Swift.max(0, tops[boxTops[box]] - y[m - 1])
            for j in 0..<(m - 1) where volume > 0 {
                let interval = boxIntervals[box * (m - 1) + j]
                volume *= Swift.max(0, grids[j][interval + 1] - Swift.max(y[j], grids[j][interval]))
            }
            total += volume
        }
        return total
    }

    /// `log EHVI` at independent Gaussian predictions with these means and standard deviations (one
    /// per objective, same units as the front). A standard deviation below 1e-12 is taken as 1e-12.
    /// −∞ when no improvement is possible; NaN inputs give −∞.
    public func value(mean: [Double], standardDeviation: [Double]) -> Double {
        let m = reference.count
        guard mean.count == m, standardDeviation.count == m else { return -.infinity }
        // log E[(u − max(Y, l))₊] for every interval of every grid, then for every top.
        var factors: [[Double]] = []
        factors.reserveCapacity(m - 1)
        for j in 0..<(m - 1) {
            let sigma = Swift.max(standardDeviation[j], 1e-12)
            let grid = grids[j]
            var logH = grid.map { LogExpectedImprovement.logH(($0 - mean[j]) / sigma) }
            logH[0] = -.infinity
            factors.append((0..<(grid.count - 1)).map { i in
                Self.logIntervalExpectation(logHUpper: logH[i + 1], logHLower: logH[i], logSigma: log(sigma))
            })
        }
        let lastSigma = Swift.max(standardDeviation[m - 1], 1e-12)
        let topFactors = tops.map { log(lastSigma) + LogExpectedImprovement.logH(($0 - mean[m - 1]) / lastSigma) }
        var terms = [Double](repeating: 0, count: boxTops.count)
        var largest = -Double.infinity
        for box in boxTops.indices {
            var term = topFactors[boxTops[box]]
            for j in 0..<(m - 1) { term += factors[j][boxIntervals[box * (m - 1) + j]] }
            if term.isNaN { term = -.infinity }
            terms[box] = term
            largest = Swift.max(largest, term)
        }
        guard largest > -.infinity else { return -.infinity }
        var sum = 0.0
        for term in terms { sum += exp(term - largest) }
        return largest + log(sum)
    }

    /// `log(σ·(h(z_u) − h(z_l)))` from the logs of `h` at both ends (`logHLower` = −∞ for l = −∞).
    static func logIntervalExpectation(logHUpper: Double, logHLower: Double, logSigma: Double) -> Double {
        guard logHLower > -.infinity else { return logSigma + logHUpper }
        guard logHUpper > logHLower else { return -.infinity }
        return logSigma + logHUpper + LogExpectedImprovement.log1mexp(logHLower - logHUpper)
    }
}
