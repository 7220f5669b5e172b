/// How the Bayesian oracle lays a `SearchSpace` out as a `UnitCubeSpace` for the Gaussian process,
/// and turns trials into points and points back into configurations.
///
/// Each tunable parameter is one variable, in its own scale (through `HyperParameterSpec.toUnit`):
/// - a continuous float is `.continuous` (log floats in log space, reverse-log in theirs);
/// - a linear integer is `.integer(levels:)` (its values sit at the bucket centres, as `toUnit` puts them);
/// - any other finite ordered set (stepped floats, log integers, ordered numeric choices) is
///   `.discrete(values:)` holding the coordinates of its values;
/// - an unordered choice or a boolean is `.categorical(count:)`, one-hot, never an ordered number;
/// - a fixed parameter, or one with a single possible value, has no variable.
///
/// An ordered parameter with more than `maximumGridValues` values (an integer over millions) is
/// `.continuous` instead, rounded to its nearest value by the canonical projection: a grid that large
/// costs memory on every suggestion and its one-value moves are useless to the local search.
///
/// **Conditional parameters.** A parameter whose conditions do not hold is *parked*: the canonical
/// projection (`UnitCubeSpace`'s `canonicalize`) overwrites its coordinates with those of its default,
/// the value the model-building code sees for it. So two configurations that differ only in inactive
/// parameters are the same point (a duplicate, never suggested twice, and counted once when a finite
/// space is exhausted), and an inactive parameter is a constant for the model rather than noise: the
/// Gaussian process tells active from inactive configurations by their parents' coordinates.
struct BayesianSpaceEncoding: Sendable {
    /// Ordered parameters with more values than this are modelled as continuous and rounded.
    static let maximumGridValues = 1024

    /// How one parameter is represented.
    enum Layout: Sendable {
        /// No coordinate (fixed, or a single value).
        case constant
        /// One coordinate, any value in [0, 1] (continuous floats).
        case continuous(offset: Int)
        /// One coordinate, rounded onto the parameter's values by the canonical projection.
        case rounded(offset: Int)
        /// One coordinate restricted by the `UnitCubeSpace` to the parameter's values.
        case grid(offset: Int)
        /// `count` one-hot coordinates.
        case oneHot(offset: Int, count: Int)
    }

    /// The space encoded.
    let space: SearchSpace
    /// The layout of each spec, in space order.
    let layouts: [Layout]
    /// The unit-cube space with the canonical projection, or `nil` when no parameter is tunable.
    let cube: UnitCubeSpace?

    /// The encoding of `space`.
    init(space: SearchSpace) {
        self.space = space
        var layouts: [Layout] = []
        var variables: [UnitCubeSpace.Variable] = []
        var offset = 0
        for spec in space.specs {
            let count = spec.valueCount
            if case .fixed = spec.kind {
                layouts.append(.constant)
                continue
            }
            if count == 1 {
                layouts.append(.constant)
                continue
            }
            if case .float(let domain) = spec.kind, domain.min == domain.max {
                layouts.append(.constant)
                continue
            }
            switch spec.unitEncoding {
            case .constant:
                layouts.append(.constant)
                continue
            case .continuous:
                layouts.append(.continuous(offset: offset))
                variables.append(.continuous)
            case .categorical(let categories):
                layouts.append(.oneHot(offset: offset, count: categories))
                variables.append(.categorical(count: categories))
            case .discrete(let values) where values > Self.maximumGridValues:
                layouts.append(.rounded(offset: offset))
                variables.append(.continuous)
            case .discrete(let values):
                layouts.append(.grid(offset: offset))
                if case .int(let domain) = spec.kind, domain.sampling == .linear {
                    variables.append(.integer(levels: values))
                } else {
                    // Log integers are not evenly spaced in the cube; stepped floats and ordered
                    // choices are, but listing the coordinates `toUnit` gives is exact for all.
                    variables.append(.discrete(values: (0..<values).map { spec.toUnit(spec.value(atIndex: $0)) ?? 0.5 }))
                }
            }
            offset += variables[variables.count - 1].width
        }
        self.layouts = layouts
        // The projection runs on every candidate the optimizer scores (thousands per suggestion), so
        // it is left out when it would change nothing, and otherwise decodes only the parents.
        let parents = Set(space.specs.flatMap { $0.conditions.map(\.parent) })
        let rounds = layouts.contains { if case .rounded = $0 { return true } else { return false } }
        let canonicalize: (@Sendable ([Double]) -> [Double])?
        if parents.isEmpty && !rounds {
            canonicalize = nil
        } else {
            let specs = space.specs, fixedLayouts = layouts
            canonicalize = { point in Self.canonical(point, specs: specs, layouts: fixedLayouts, parents: parents) }
        }
        // `UnitCubeSpace` refuses a space without variables; the oracle falls back to random draws then.
        cube = try? UnitCubeSpace(variables, canonicalize: canonicalize)
    }

    /// The point of a trial's `values`: active parameters at their values (defaults for those the
    /// trial does not list, as the model-building code saw them), inactive ones parked.
    func point(for values: [String: HyperParameterValue]) -> [Double]? {
        guard let cube else { return nil }
        let active = space.completed(values)
        var point = [Double](repeating: 0, count: cube.dimensionCount)
        for (spec, layout) in zip(space.specs, layouts) {
            let value = active[spec.name] ?? spec.defaultValue
            Self.write(value, of: spec, layout: layout, into: &point)
        }
        return try? cube.project(point)
    }

    /// The configuration of a (projected) point: each active parameter decoded in space order, so
    /// parents are decided before their children; inactive parameters are left out.
    func values(at point: [Double]) -> [String: HyperParameterValue] {
        var result: [String: HyperParameterValue] = [:]
        for (spec, layout) in zip(space.specs, layouts) where spec.isActive(given: result) {
            result[spec.name] = Self.decode(spec, layout: layout, from: point)
        }
        return result
    }

    /// The canonical form of a point whose variables are already snapped: inactive parameters parked
    /// at their defaults, rounded parameters on their nearest value. Only the values of `parents` (the
    /// parameters some condition reads) are decoded to decide which parameters are active.
    private static func canonical(
        _ point: [Double], specs: [HyperParameterSpec], layouts: [Layout], parents: Set<String>
    ) -> [Double] {
        var result = point
        var assignment: [String: HyperParameterValue] = [:]
        for (spec, layout) in zip(specs, layouts) {
            guard spec.conditions.isEmpty || spec.isActive(given: assignment) else {
                write(spec.defaultValue, of: spec, layout: layout, into: &result)
                continue
            }
            if case .rounded = layout {
                let value = decode(spec, layout: layout, from: result)
                write(value, of: spec, layout: layout, into: &result)
            }
            if parents.contains(spec.name) { assignment[spec.name] = decode(spec, layout: layout, from: result) }
        }
        return result
    }

    /// Writes the coordinates of `value` (the default's when `value` is not allowed).
    private static func write(
        _ value: HyperParameterValue, of spec: HyperParameterSpec, layout: Layout, into point: inout [Double]
    ) {
        switch layout {
        case .constant:
            break
        case .continuous(let offset), .rounded(let offset), .grid(let offset):
            point[offset] = spec.toUnit(value) ?? spec.toUnit(spec.defaultValue) ?? 0.5
        case .oneHot(let offset, let count):
            let category = spec.index(of: value) ?? spec.index(of: spec.defaultValue) ?? 0
            for index in 0..<count { point[offset + index] = index == category ? 1 : 0 }
        }
    }

    /// The value of `spec` that `point` encodes.
    private static func decode(_ spec: HyperParameterSpec, layout: Layout, from point: [Double]) -> HyperParameterValue {
        switch layout {
        case .constant:
            return spec.value(atIndex: 0)
        case .continuous(let offset), .rounded(let offset), .grid(let offset):
            return spec.fromUnit(point[offset])
        case .oneHot(let offset, let count):
            var best = 0
            for category in 1..<count where point[offset + category] > point[offset + best] { best = category }
            return spec.value(atIndex: best)
        }
    }
}
