extension HyperParameterSpec: Codable {
    private enum CodingKeys: String, CodingKey {
        case name, type, min, max, step, sampling, values, ordered, value, conditions
        case defaultValue = "default"
    }

    private enum TypeTag: String, Codable {
        case int, float, choice, boolean, fixed
    }

    /// Decodes the flat form written by `encode(to:)` and validates it with the same factories as
    /// `hp.int(...)` and friends, so a hand-edited or corrupt stored space cannot smuggle in an invalid spec.
    ///
    /// - Throws: `DecodingError` for missing keys or wrong types, and `DecodingError.dataCorrupted`
    ///   carrying the `HyperParameterError` message when the definition is invalid.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decode(String.self, forKey: .name)
        let type = try container.decode(TypeTag.self, forKey: .type)
        let conditions = try container.decodeIfPresent([Condition].self, forKey: .conditions) ?? []
        do {
            switch type {
            case .int:
                self = try .int(
                    name,
                    min: try container.decode(Int.self, forKey: .min),
                    max: try container.decode(Int.self, forKey: .max),
                    step: try container.decodeIfPresent(Int.self, forKey: .step) ?? 1,
                    sampling: try container.decodeIfPresent(Sampling.self, forKey: .sampling) ?? .linear,
                    default: try container.decodeIfPresent(Int.self, forKey: .defaultValue),
                    conditions: conditions)
            case .float:
                self = try .float(
                    name,
                    min: try container.decode(Double.self, forKey: .min),
                    max: try container.decode(Double.self, forKey: .max),
                    step: try container.decodeIfPresent(Double.self, forKey: .step),
                    sampling: try container.decodeIfPresent(Sampling.self, forKey: .sampling) ?? .linear,
                    default: try container.decodeIfPresent(Double.self, forKey: .defaultValue),
                    conditions: conditions)
            case .choice:
                self = try .choice(
                    name,
                    values: try container.decode([HyperParameterValue].self, forKey: .values),
                    ordered: try container.decodeIfPresent(Bool.self, forKey: .ordered),
                    default: try container.decodeIfPresent(HyperParameterValue.self, forKey: .defaultValue),
                    conditions: conditions)
            case .boolean:
                self = try .boolean(
                    name, default: try container.decodeIfPresent(Bool.self, forKey: .defaultValue) ?? false,
                    conditions: conditions)
            case .fixed:
                self = try .fixed(
                    name, value: try container.decode(HyperParameterValue.self, forKey: .value), conditions: conditions)
            }
        } catch let error as HyperParameterError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    /// Encodes the spec flat, with a `type` key: `{"name": "n_hidden", "type": "int", "min": 0, ...}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        switch kind {
        case .int(let domain):
            try container.encode(TypeTag.int, forKey: .type)
            try container.encode(domain.min, forKey: .min)
            try container.encode(domain.max, forKey: .max)
            try container.encode(domain.step, forKey: .step)
            try container.encode(domain.sampling, forKey: .sampling)
            try container.encode(domain.defaultValue, forKey: .defaultValue)
        case .float(let domain):
            try container.encode(TypeTag.float, forKey: .type)
            try container.encode(domain.min, forKey: .min)
            try container.encode(domain.max, forKey: .max)
            try container.encodeIfPresent(domain.step, forKey: .step)
            try container.encode(domain.sampling, forKey: .sampling)
            try container.encode(domain.defaultValue, forKey: .defaultValue)
        case .choice(let domain):
            try container.encode(TypeTag.choice, forKey: .type)
            try container.encode(domain.values, forKey: .values)
            try container.encode(domain.ordered, forKey: .ordered)
            try container.encode(domain.defaultValue, forKey: .defaultValue)
        case .boolean(let value):
            try container.encode(TypeTag.boolean, forKey: .type)
            try container.encode(value, forKey: .defaultValue)
        case .fixed(let value):
            try container.encode(TypeTag.fixed, forKey: .type)
            try container.encode(value, forKey: .value)
        }
        if !conditions.isEmpty { try container.encode(conditions, forKey: .conditions) }
    }
}
