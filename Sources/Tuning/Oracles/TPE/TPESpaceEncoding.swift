#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How the TPE oracle models each parameter of a `SearchSpace`, and how trials become observations.
///
/// Numbers live in the parameter's unit coordinate (`HyperParameterSpec.toUnit`), which is its own
/// scale mapped affinely onto `[0, 1]`: log floats and log integers in log space, reverse-log floats
/// in theirs. Optuna's kernels (centres, the bandwidth rule, the magic clip, the prior at the middle
/// with the range as bandwidth) are all unchanged by an affine map, so this is Optuna's
/// parameterization exactly for linear and log floats and linear integers (whose range Optuna widens
/// by half a step at each end, as the unit buckets do).
/// - A continuous float is `.continuous`: a normal kernel truncated to `[0, 1]`.
/// - Any other ordered finite set (integers, stepped floats, ordered numeric choices) is
///   `.discrete`: value `i` owns an interval of `[0, 1]` (its bucket; for log integers of step 1,
///   `[u(v), u(v + 1)]` in log space, as `fromUnit` reads them), a sample is rounded onto the value
///   whose interval holds it, and a value's likelihood is the kernel's mass over its interval —
///   Optuna's discrete truncated normal. (Optuna has no ordered choices and treats every choice as a
///   category; ordered numeric choices here keep their order, as the Gaussian process does.)
/// - An unordered choice or a boolean is `.categorical`: Optuna's categorical kernel.
/// - A fixed parameter or one with a single value is not modelled (`constant`).
struct TPESpaceEncoding: Sendable {
    /// How one tuned parameter is modelled.
    enum Dimension: Sendable, Equatable {
        /// A unit coordinate in `[0, 1]`.
        case continuous
        /// `count` ordered values with equal intervals of `[0, 1]`.
        case discrete(count: Int)
        /// An integer of log sampling and step 1 from `min` to `max`: value `v` owns
        /// `[log(v/min), log((v+1)/min)] / log((max+1)/min)`.
        case logInteger(min: Int, max: Int)
        /// `count` unordered categories.
        case categorical(count: Int)
    }

    /// The space encoded.
    let space: SearchSpace
    /// For each spec (in space order), the index of its tuned dimension, or `nil` when it is constant.
    let dimensionOfSpec: [Int?]
    /// The tuned dimensions, in space order.
    let dimensions: [Dimension]
    /// For each dimension, the index of its spec in `space.specs`.
    let specOfDimension: [Int]

    /// The encoding of `space`.
    init(space: SearchSpace) {
        self.space = space
        var dimensionOfSpec: [Int?] = []
        var dimensions: [Dimension] = []
        var specOfDimension: [Int] = []
        for (index, spec) in space.specs.enumerated() {
            guard let dimension = Self.dimension(of: spec) else {
                dimensionOfSpec.append(nil)
                continue
            }
            dimensionOfSpec.append(dimensions.count)
            dimensions.append(dimension)
            specOfDimension.append(index)
        }
        self.dimensionOfSpec = dimensionOfSpec
        self.dimensions = dimensions
        self.specOfDimension = specOfDimension
    }

    /// The dimension of `spec`, or `nil` when it has a single value.
    private static func dimension(of spec: HyperParameterSpec) -> Dimension? {
        switch spec.kind {
        case .fixed:
            return nil
        case .float(let domain) where domain.min == domain.max:
            return nil
        case .int(let domain) where domain.sampling == .log && domain.step == 1 && domain.valueCount > 1:
            return .logInteger(min: domain.min, max: domain.max)
        default:
            break
        }
        switch spec.unitEncoding {
        case .constant: return nil
        case .continuous: return .continuous
        case .discrete(let count): return count > 1 ? .discrete(count: count) : nil
        case .categorical(let count): return count > 1 ? .categorical(count: count) : nil
        }
    }

    /// Whether the space has nothing to tune.
    var isEmpty: Bool { dimensions.isEmpty }

    /// One trial as the estimators see it: which dimensions it observed (active in the trial and
    /// given a value the space allows) and the coordinate of each (the unit coordinate of a number,
    /// the index of a category; 0 where not observed).
    struct Observation: Sendable {
        /// Whether each dimension was observed.
        var observed: [Bool]
        /// The coordinate of each dimension.
        var coordinates: [Double]
    }

    /// The observation of a trial's `values`. A parameter counts only where it was active (its
    /// conditions held, parents first) and the trial recorded a value for it; an active parameter the
    /// trial lacks (defined after the trial ran) is not invented from its default, though children see
    /// that default when their conditions are decided, as the model-building code did.
    func observation(of values: [String: HyperParameterValue]) -> Observation {
        var observed = [Bool](repeating: false, count: dimensions.count)
        var coordinates = [Double](repeating: 0, count: dimensions.count)
        var assignment: [String: HyperParameterValue] = [:]
        for (specIndex, spec) in space.specs.enumerated() where spec.isActive(given: assignment) {
            guard let value = values[spec.name] else {
                assignment[spec.name] = spec.defaultValue
                continue
            }
            assignment[spec.name] = value
            guard let dimension = dimensionOfSpec[specIndex] else { continue }
            switch dimensions[dimension] {
            case .categorical:
                guard let index = spec.index(of: value) else { continue }
                coordinates[dimension] = Double(index)
            case .continuous, .discrete, .logInteger:
                guard let unit = spec.toUnit(value) else { continue }
                coordinates[dimension] = unit
            }
            observed[dimension] = true
        }
        return Observation(observed: observed, coordinates: coordinates)
    }

    /// The interval of `[0, 1]` owned by value `index` of a discrete dimension.
    static func interval(of index: Int, in dimension: Dimension) -> (lower: Double, upper: Double) {
        switch dimension {
        case .discrete(let count):
            return (Double(index) / Double(count), Double(index + 1) / Double(count))
        case .logInteger(let min, let max):
            let lower = Double(min), scale = log((Double(max) + 1) / lower)
            let value = Double(min + index)
            return (log(value / lower) / scale, Swift.min(log((value + 1) / lower) / scale, 1))
        case .continuous, .categorical:
            return (0, 1)
        }
    }

    /// The value index of a discrete dimension whose interval holds the unit coordinate `unit`.
    static func index(at unit: Double, in dimension: Dimension) -> Int {
        switch dimension {
        case .discrete(let count):
            return bucket(of: unit, count: count)
        case .logInteger(let min, let max):
            let domainValue = HyperParameterSpec.IntDomain.logInteger(at: unit, min: min, max: max)
            return domainValue - min
        case .continuous, .categorical:
            return 0
        }
    }

    /// The value of dimension `dimension` at the sampled coordinate (a unit coordinate for
    /// `.continuous`, a value index for `.discrete` and `.logInteger`, a category for `.categorical`).
    func value(ofDimension dimension: Int, at coordinate: Double) -> HyperParameterValue {
        let spec = space.specs[specOfDimension[dimension]]
        switch dimensions[dimension] {
        case .continuous:
            return spec.fromUnit(coordinate)
        case .logInteger(let min, _):
            return .int(min + Int(coordinate))
        case .discrete, .categorical:
            return spec.value(atIndex: Int(coordinate))
        }
    }
}

extension HyperParameterSpec.IntDomain {
    /// The log integer (step 1) of `[min, max]` whose log-space interval holds `unit`, as
    /// `fromUnit` maps it.
    static func logInteger(at unit: Double, min: Int, max: Int) -> Int {
        let lower = Double(min), upper = Double(max) + 1
        let unit = unit.isNaN ? 0.5 : Swift.min(Swift.max(unit, 0), 1)
        let position = (lower * pow(upper / lower, unit)).rounded(.down)
        if position <= lower { return min }
        if position >= Double(max) { return max }
        return Int(position)
    }
}
