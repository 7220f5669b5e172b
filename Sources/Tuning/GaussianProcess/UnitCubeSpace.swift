/// The search space of a `BayesianOptimizer`: the unit cube [0, 1]^d, with the kind of each variable so
/// candidates can be projected onto points the objective can actually evaluate.
///
/// The integrator (the Bayesian oracle) maps every hyperparameter to one variable:
/// - a float becomes `.continuous`, in its own scale (log floats in log space);
/// - an integer with `L` values becomes `.integer(levels: L)`: level `k` sits at the centre of the
///   `k`-th of `L` equal buckets, `(k + 0.5) / L` (see `coordinate(ofLevel:levels:)`), so uniform points
///   of the cube give uniform levels;
/// - any other finite ordered set (stepped floats, log-spaced integers, ordered choices) becomes
///   `.discrete(values:)` with the cube coordinates of its values;
/// - an unordered choice of `n` values becomes `.categorical(count: n)`: `n` one-hot coordinates.
///
/// **How categories are modelled.** A one-hot group is handled as `n` ordinary dimensions of the cube,
/// each with its own length scale in the kernel, and every candidate is projected onto a vertex (the
/// largest coordinate becomes 1, the others 0) before the model sees it. Two different categories are
/// then always at the same kernel distance from each other whatever their order, so categories are never
/// treated as ordered numbers; with per-dimension length scales, the kernel learns how much each category
/// differs from the rest (the approach of Garrido-Merchán and Hernández-Lobato, 2020).
///
/// `canonicalize` is an optional extra projection applied after the per-variable one, for rules the
/// kinds cannot express, for example setting the coordinates of an inactive conditional parameter to a
/// fixed value so that configurations differing only in inactive parameters count as duplicates.
public struct UnitCubeSpace: Sendable {
    /// The kind of one variable of the space and the coordinates it occupies.
    public enum Variable: Sendable, Hashable, Codable {
        /// A real number in [0, 1]: one coordinate.
        case continuous
        /// `levels` equally likely values at the bucket centres `(k + 0.5) / levels`: one coordinate.
        case integer(levels: Int)
        /// A finite set of allowed coordinates in [0, 1] (snapped to the nearest): one coordinate.
        case discrete(values: [Double])
        /// An unordered choice among `count` values, one-hot encoded: `count` coordinates.
        case categorical(count: Int)

        /// The number of unit-cube coordinates the variable occupies.
        public var width: Int {
            if case let .categorical(count) = self { return count }
            return 1
        }
    }

    /// Where a variable lives in the flat point and the values it may take.
    enum Slot: Sendable {
        case continuous(offset: Int)
        case grid(offset: Int, values: [Double])
        case categorical(offset: Int, count: Int)
    }

    /// The variables, in the order their coordinates appear in a point.
    public let variables: [Variable]
    /// The number of unit-cube coordinates of a point (categorical variables count one per category).
    public let dimensionCount: Int
    let slots: [Slot]
    let canonicalize: (@Sendable ([Double]) -> [Double])?

    /// A space with the given variables and an optional extra projection.
    ///
    /// Throws `BayesianOptimizationError.invalidSpace` when there are no variables, an integer has fewer
    /// than one level, a discrete variable has no values or a value outside [0, 1] or not finite, or a
    /// categorical variable has fewer than one category.
    public init(
        _ variables: [Variable], canonicalize: (@Sendable ([Double]) -> [Double])? = nil
    ) throws(BayesianOptimizationError) {
        guard !variables.isEmpty else {
            throw .invalidSpace("the space has no variables; give at least one")
        }
        var slots: [Slot] = []
        var offset = 0
        for (index, variable) in variables.enumerated() {
            switch variable {
            case .continuous:
                slots.append(.continuous(offset: offset))
            case let .integer(levels):
                guard levels >= 1 else {
                    throw .invalidSpace("variable \(index) is an integer with \(levels) levels; it needs at least 1")
                }
                let values = (0..<levels).map { Self.coordinate(ofLevel: $0, levels: levels) }
                slots.append(.grid(offset: offset, values: values))
            case let .discrete(values):
                guard !values.isEmpty else {
                    throw .invalidSpace("variable \(index) is discrete with no values; give at least one")
                }
                if let offending = values.first(where: { !$0.isFinite || $0 < 0 || $0 > 1 }) {
                    throw .invalidSpace("variable \(index) is discrete with the value \(offending), outside [0, 1]")
                }
                slots.append(.grid(offset: offset, values: Array(Set(values)).sorted()))
            case let .categorical(count):
                guard count >= 1 else {
                    throw .invalidSpace("variable \(index) is categorical with \(count) categories; it needs at least 1")
                }
                slots.append(.categorical(offset: offset, count: count))
            }
            offset += variable.width
        }
        self.variables = variables
        self.dimensionCount = offset
        self.slots = slots
        self.canonicalize = canonicalize
    }

    /// A space of `dimensionCount` continuous variables (the plain unit cube).
    ///
    /// Throws `BayesianOptimizationError.invalidSpace` when `dimensionCount` is below 1.
    public init(continuousDimensions dimensionCount: Int) throws(BayesianOptimizationError) {
        guard dimensionCount >= 1 else {
            throw .invalidSpace("a continuous space needs at least 1 dimension, got \(dimensionCount)")
        }
        try self.init(Array(repeating: .continuous, count: dimensionCount))
    }

    /// The cube coordinate of level `level` (0-based) of an integer variable with `levels` levels: the
    /// centre of its bucket, `(level + 0.5) / levels`.
    public static func coordinate(ofLevel level: Int, levels: Int) -> Double {
        (Double(level) + 0.5) / Double(Swift.max(1, levels))
    }

    /// The level (0-based) of an integer variable with `levels` levels whose bucket holds `coordinate`;
    /// coordinates outside [0, 1] give the nearest end level.
    public static func level(ofCoordinate coordinate: Double, levels: Int) -> Int {
        guard levels > 1, coordinate.isFinite else { return 0 }
        return Swift.min(levels - 1, Swift.max(0, Int((coordinate * Double(levels)).rounded(.down))))
    }

    /// The valid point nearest to `point` in the sense of each variable: continuous coordinates clamped
    /// to [0, 1], integer and discrete ones snapped to the nearest allowed value, each categorical group
    /// set to the one-hot vector of its largest coordinate (the first on ties), then `canonicalize`.
    ///
    /// Throws `BayesianOptimizationError.dimensionMismatch` when `point` does not have `dimensionCount`
    /// coordinates and `.nonFiniteValue` when a coordinate is NaN or infinite.
    public func project(_ point: [Double]) throws(BayesianOptimizationError) -> [Double] {
        guard point.count == dimensionCount else {
            throw .dimensionMismatch(expected: dimensionCount, found: point.count, context: "the point to project")
        }
        guard point.allSatisfy(\.isFinite) else { throw .nonFiniteValue(context: "a coordinate of the point to project") }
        return projected(point)
    }

    /// `project` without the checks, for points this component generated itself.
    func projected(_ point: [Double]) -> [Double] {
        var result = point
        snap(&result)
        if let canonicalize {
            let canonical = canonicalize(result)
            precondition(
                canonical.count == dimensionCount,
                "UnitCubeSpace: canonicalize returned \(canonical.count) coordinates, expected \(dimensionCount)")
            result = canonical
            snap(&result)
        }
        return result
    }

    private func snap(_ point: inout [Double]) {
        for slot in slots {
            switch slot {
            case let .continuous(offset):
                let x = point[offset]
                point[offset] = x.isNaN ? 0.5 : Swift.min(1, Swift.max(0, x))
            case let .grid(offset, values):
                point[offset] = values[Self.nearestIndex(of: point[offset], in: values)]
            case let .categorical(offset, count):
                var best = offset
                for i in offset..<(offset + count) where point[i] > point[best] { best = i }
                for i in offset..<(offset + count) { point[i] = i == best ? 1 : 0 }
            }
        }
    }

    /// The index of the value of the sorted `values` nearest to `x` (the lower one on ties).
    static func nearestIndex(of x: Double, in values: [Double]) -> Int {
        guard x.isFinite else { return 0 }
        var low = 0, high = values.count - 1
        while low < high {
            let middle = (low + high) / 2
            if values[middle] < x { low = middle + 1 } else { high = middle }
        }
        // `low` is the first value >= x (or the last); the one before may be nearer.
        if low > 0, x - values[low - 1] <= values[low] - x { return low - 1 }
        return low
    }

    /// The number of distinct valid points, or nil when a variable is continuous or the count exceeds
    /// `Int.max`. `canonicalize` may merge points, so the true count can be smaller.
    public var cardinality: Int? {
        var total = 1
        for slot in slots {
            let size: Int
            switch slot {
            case .continuous: return nil
            case let .grid(_, values): size = values.count
            case let .categorical(_, count): size = count
            }
            let (product, overflow) = total.multipliedReportingOverflow(by: size)
            if overflow { return nil }
            total = product
        }
        return total
    }

    /// Every valid point of a finite space (after `canonicalize`, duplicates removed), in a stable
    /// order; nil when the space is infinite or has more than `limit` points.
    func allPoints(limit: Int) -> [[Double]]? {
        guard let cardinality, cardinality <= limit else { return nil }
        var points: [[Double]] = []
        points.reserveCapacity(cardinality)
        var seen = Set<[Double]>()
        var digits = Array(repeating: 0, count: slots.count)
        for _ in 0..<cardinality {
            var point = Array(repeating: 0.0, count: dimensionCount)
            for (slotIndex, slot) in slots.enumerated() {
                switch slot {
                case .continuous: break
                case let .grid(offset, values): point[offset] = values[digits[slotIndex]]
                case let .categorical(offset, _): point[offset + digits[slotIndex]] = 1
                }
            }
            let canonical = projected(point)
            if seen.insert(canonical).inserted { points.append(canonical) }
            // Mixed-radix increment.
            for slotIndex in 0..<slots.count {
                let radix: Int
                switch slots[slotIndex] {
                case .continuous: radix = 1
                case let .grid(_, values): radix = values.count
                case let .categorical(_, count): radix = count
                }
                digits[slotIndex] += 1
                if digits[slotIndex] < radix { break }
                digits[slotIndex] = 0
            }
        }
        return points
    }

    /// The points one move away from `point`: each continuous coordinate `± step`, each ordered
    /// variable one value up or down, each categorical variable switched to each other category; all
    /// projected, those equal to `point` left out.
    func neighbours(of point: [Double], step: Double) -> [[Double]] {
        var result: [[Double]] = []
        func add(_ candidate: [Double]) {
            let projectedCandidate = projected(candidate)
            if projectedCandidate != point { result.append(projectedCandidate) }
        }
        for slot in slots {
            switch slot {
            case let .continuous(offset):
                for sign in [-1.0, 1.0] {
                    var candidate = point
                    candidate[offset] = Swift.min(1, Swift.max(0, point[offset] + sign * step))
                    if candidate[offset] != point[offset] { add(candidate) }
                }
            case let .grid(offset, values):
                let index = Self.nearestIndex(of: point[offset], in: values)
                for other in [index - 1, index + 1] where values.indices.contains(other) {
                    var candidate = point
                    candidate[offset] = values[other]
                    add(candidate)
                }
            case let .categorical(offset, count):
                guard count > 1 else { continue }
                for category in 0..<count where point[offset + category] < 0.5 {
                    var candidate = point
                    for i in 0..<count { candidate[offset + i] = i == category ? 1 : 0 }
                    add(candidate)
                }
            }
        }
        return result
    }

    /// A random point near `point`: each variable is changed with probability `probability`
    /// (continuous ones by a Gaussian step of standard deviation `scale`, ordered ones by one value,
    /// categorical ones to a random category); at least one variable always changes. Projected.
    func perturbed(_ point: [Double], scale: Double, probability: Double, random: inout TuningRandom) -> [Double] {
        var candidate = point
        let forced = random.nextInt(below: slots.count)
        for (slotIndex, slot) in slots.enumerated() {
            guard slotIndex == forced || random.nextDouble() < probability else { continue }
            switch slot {
            case let .continuous(offset):
                candidate[offset] = Swift.min(1, Swift.max(0, point[offset] + scale * random.normal()))
            case let .grid(offset, values):
                guard values.count > 1 else { continue }
                let index = Self.nearestIndex(of: point[offset], in: values)
                let other = random.nextDouble() < 0.5 ? index - 1 : index + 1
                candidate[offset] = values[Swift.min(values.count - 1, Swift.max(0, other))]
            case let .categorical(offset, count):
                let category = random.nextInt(below: count)
                for i in 0..<count { candidate[offset + i] = i == category ? 1 : 0 }
            }
        }
        return projected(candidate)
    }
}
