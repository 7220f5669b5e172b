/// How configurations of a search space become points of the unit cube and back, for model-based
/// oracles (a Gaussian process needs numbers in `[0, 1]^d`).
///
/// Each numeric parameter (ints, floats, ordered choices) is one coordinate in its own scale (log
/// parameters in log space, via `HyperParameterSpec.toUnit`). Each unordered choice or boolean with
/// `k` values is `k` one-hot coordinates, so categories are never treated as ordered numbers. Fixed
/// parameters have no coordinate. Inactive parameters are encoded as 0.5 (numeric) or all zeros
/// (one-hot); `activeMask` tells which coordinates mean something for a configuration.
public struct UnitCubeEncoding: Hashable, Sendable {
    /// One coordinate of the cube.
    public struct Dimension: Hashable, Sendable {
        /// The parameter it encodes.
        public let parameter: String
        /// For one-hot coordinates, the index of the category this coordinate stands for; `nil` for
        /// a numeric coordinate.
        public let category: Int?
    }

    /// The space encoded.
    public let space: SearchSpace
    /// The coordinates, in space order (one-hot coordinates of a parameter are consecutive).
    public let dimensions: [Dimension]

    /// The encoding of `space`.
    public init(space: SearchSpace) {
        self.space = space
        var dimensions: [Dimension] = []
        for spec in space.specs {
            switch spec.unitEncoding {
            case .continuous, .discrete:
                dimensions.append(Dimension(parameter: spec.name, category: nil))
            case .categorical(let count):
                dimensions += (0..<count).map { Dimension(parameter: spec.name, category: $0) }
            case .constant:
                break
            }
        }
        self.dimensions = dimensions
    }

    /// The number of coordinates.
    public var count: Int { dimensions.count }

    /// The point of `values` (a configuration of active parameters).
    public func encode(_ values: [String: HyperParameterValue]) -> [Double] {
        dimensions.map { dimension in
            guard let spec = space[dimension.parameter], let value = values[dimension.parameter] else {
                return dimension.category == nil ? 0.5 : 0
            }
            if let category = dimension.category {
                return spec.index(of: value) == category ? 1 : 0
            }
            return spec.toUnit(value) ?? 0.5
        }
    }

    /// Which coordinates belong to parameters active in `values`.
    public func activeMask(_ values: [String: HyperParameterValue]) -> [Bool] {
        dimensions.map { values[$0.parameter] != nil }
    }

    /// The configuration nearest to `point`: numeric coordinates through `fromUnit` (rounded for
    /// discrete parameters), one-hot groups by their largest coordinate (the first on ties), parents
    /// decided before their conditional children, fixed parameters at their value.
    ///
    /// - Precondition: `point.count == count`.
    public func decode(_ point: [Double]) -> [String: HyperParameterValue] {
        precondition(point.count == dimensions.count, "a point needs \(dimensions.count) coordinates, got \(point.count)")
        var result: [String: HyperParameterValue] = [:]
        var coordinate = 0
        for spec in space.specs {
            let width: Int
            switch spec.unitEncoding {
            case .continuous, .discrete: width = 1
            case .categorical(let count): width = count
            case .constant: width = 0
            }
            defer { coordinate += width }
            guard spec.isActive(given: result) else { continue }
            switch spec.unitEncoding {
            case .continuous, .discrete:
                result[spec.name] = spec.fromUnit(point[coordinate])
            case .categorical(let count):
                var best = 0
                for category in 1..<count where point[coordinate + category] > point[coordinate + best] { best = category }
                result[spec.name] = spec.value(atIndex: best)
            case .constant:
                result[spec.name] = spec.defaultValue
            }
        }
        return result
    }
}
