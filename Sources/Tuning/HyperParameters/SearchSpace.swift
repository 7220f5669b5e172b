/// The ordered list of hyperparameter definitions a search explores.
///
/// The order is the order of definition, so a conditional parameter always comes after its parent.
/// A space is `Codable` so it can be stored with a study and compared on resume (`differences(from:)`),
/// and `Hashable` so two spaces can be compared directly.
public struct SearchSpace: Hashable, Sendable {
    /// The definitions, in the order they were made.
    public private(set) var specs: [HyperParameterSpec]

    /// An empty space, to be filled by `add` or by running model-building code on a `HyperParameters`.
    public init() {
        specs = []
    }

    /// A space holding `specs` in order.
    ///
    /// - Throws: `HyperParameterError` when a name repeats with a different definition, or a condition
    ///   names a parent that is not defined earlier or a value the parent can never take.
    public init(_ specs: [HyperParameterSpec]) throws(HyperParameterError) {
        self.specs = []
        for spec in specs { try add(spec) }
    }

    /// The number of parameters.
    public var count: Int { specs.count }

    /// Whether no parameter is defined.
    public var isEmpty: Bool { specs.isEmpty }

    /// The names, in definition order.
    public var names: [String] { specs.map(\.name) }

    /// The definition named `name`, if any.
    public subscript(name: String) -> HyperParameterSpec? {
        specs.first { $0.name == name }
    }

    /// Adds `spec`; adding an identical definition again does nothing.
    ///
    /// - Throws: `HyperParameterError.redefined` when the name exists with another definition or other
    ///   conditions; `.unknownParent` / `.impossibleParentValue` for a condition on a parent not
    ///   defined earlier or on a value it can never take.
    public mutating func add(_ spec: HyperParameterSpec) throws(HyperParameterError) {
        if let existing = self[spec.name] {
            guard existing == spec else {
                throw .redefined(name: spec.name, existing: existing.description, new: spec.description)
            }
            return
        }
        for condition in spec.conditions {
            guard let parent = self[condition.parent] else { throw .unknownParent(parent: condition.parent) }
            guard !condition.values.isEmpty else { throw .emptyParentValues(parent: condition.parent) }
            for value in condition.values where parent.normalized(value) == nil {
                throw .impossibleParentValue(parent: condition.parent, value: value, parentDefinition: parent.description)
            }
        }
        specs.append(spec)
    }

    /// Adds the definitions of `other` that this space lacks, in `other`'s order, and returns their names.
    ///
    /// - Throws: `HyperParameterError.redefined` when a shared name is defined differently (nothing is
    ///   added then).
    @discardableResult
    public mutating func merge(_ other: SearchSpace) throws(HyperParameterError) -> [String] {
        var merged = self
        var added: [String] = []
        for spec in other.specs where merged[spec.name] != spec {
            try merged.add(spec)
            added.append(spec.name)
        }
        self = merged
        return added
    }

    /// The values of every active parameter taken from `assignment`, or its default where
    /// `assignment` lacks it; inactive parameters are left out. Parents are decided before children.
    public func completed(_ assignment: [String: HyperParameterValue]) -> [String: HyperParameterValue] {
        var result: [String: HyperParameterValue] = [:]
        for spec in specs where spec.isActive(given: result) {
            result[spec.name] = assignment[spec.name] ?? spec.defaultValue
        }
        return result
    }

    /// The default configuration: every active parameter at its default.
    public var defaultValues: [String: HyperParameterValue] { completed([:]) }

    /// Checks `values` against the space and returns them normalized, with defaults filled in for
    /// active parameters that were left out.
    ///
    /// - Throws: `HyperParameterError.unknownParameter` for a name not in the space, `.invalidValue`
    ///   for a value the definition does not allow, `.valueForInactiveParameter` for a value given to
    ///   a parameter whose conditions the other values do not meet.
    public func validated(_ values: [String: HyperParameterValue]) throws(HyperParameterError) -> [String: HyperParameterValue] {
        for name in values.keys.sorted() where self[name] == nil { throw .unknownParameter(name: name) }
        var result: [String: HyperParameterValue] = [:]
        for spec in specs {
            let active = spec.isActive(given: result)
            guard let given = values[spec.name] else {
                if active { result[spec.name] = spec.defaultValue }
                continue
            }
            guard active else {
                throw .valueForInactiveParameter(
                    name: spec.name, conditions: spec.conditions.map(\.description).joined(separator: " and "))
            }
            guard let normalized = spec.normalized(given) else {
                throw .invalidValue(name: spec.name, value: given, definition: spec.description)
            }
            result[spec.name] = normalized
        }
        return result
    }

    /// A configuration drawn at random: each active parameter uniformly in its own scale, parents first.
    public func randomValues(using random: inout TuningRandom) -> [String: HyperParameterValue] {
        var result: [String: HyperParameterValue] = [:]
        for spec in specs where spec.isActive(given: result) {
            result[spec.name] = spec.randomValue(using: &random)
        }
        return result
    }

    /// Human-readable differences between this space and `other` (empty when they are equal), for
    /// refusing a resume with a message that says what changed.
    public func differences(from other: SearchSpace) -> [String] {
        var lines: [String] = []
        for spec in other.specs where self[spec.name] == nil {
            lines.append("'\(spec.name)' was defined as \(spec.description) and is no longer defined")
        }
        for spec in specs {
            guard let previous = other[spec.name] else {
                lines.append("'\(spec.name)' is new: \(spec.description)")
                continue
            }
            if previous != spec {
                lines.append("'\(spec.name)' changed from \(previous.description) to \(spec.description)")
            }
        }
        if lines.isEmpty && names != other.names {
            lines.append("the parameters are defined in another order: [\(other.names.joined(separator: ", "))] before, [\(names.joined(separator: ", "))] now")
        }
        return lines
    }
}

extension SearchSpace: Codable {
    private enum CodingKeys: String, CodingKey { case parameters }

    /// Decodes `{"parameters": [...]}` and validates the specs and their conditions.
    ///
    /// - Throws: `DecodingError`, with the `HyperParameterError` message when the space is invalid.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let specs = try container.decode([HyperParameterSpec].self, forKey: .parameters)
        do {
            try self.init(specs)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    /// Encodes `{"parameters": [...]}` in definition order.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(specs, forKey: .parameters)
    }
}
