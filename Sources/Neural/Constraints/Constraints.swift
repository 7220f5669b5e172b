/// Finding, saving and loading constraints by Keras's names: `keras.constraints.get`, `serialize`
/// and `deserialize`.
public enum Constraints {
    /// Every built-in constraint type, for registering them (see
    /// `registerBuiltinInitializersRegularizersConstraints(in:)`) and for tests.
    public static let builtinTypes: [any Constraint.Type] = [
        MaxNorm.self, NonNeg.self, UnitNorm.self, MinMaxNorm.self, ClosureConstraint.self,
    ]

    /// Keras's string identifiers and class names for the built-ins (with the Keras 2 aliases
    /// `"maxnorm"`, `"nonneg"`, `"unitnorm"`, `"minmaxnorm"`).
    public static let kerasNames: [String: any Constraint.Type] = [
        "max_norm": MaxNorm.self, "maxnorm": MaxNorm.self, "MaxNorm": MaxNorm.self,
        "non_neg": NonNeg.self, "nonneg": NonNeg.self, "NonNeg": NonNeg.self,
        "unit_norm": UnitNorm.self, "unitnorm": UnitNorm.self, "UnitNorm": UnitNorm.self,
        "min_max_norm": MinMaxNorm.self, "minmaxnorm": MinMaxNorm.self, "MinMaxNorm": MinMaxNorm.self,
    ]

    /// The names ``named(_:registry:)`` accepts without a registry: Keras's identifiers and the
    /// registered ``ClosureConstraint`` functions, sorted.
    public static var knownNames: [String] { (Array(kerasNames.keys) + ClosureConstraint.functions.names).sorted() }

    /// The constraint a Keras string names, with its default arguments (`"max_norm"`, `"non_neg"`,
    /// `"unit_norm"`, `"min_max_norm"`, a class name), the name of a registered ``ClosureConstraint``
    /// function, or a custom type registered in `registry`.
    ///
    /// - Throws: ``ConfigurationError/unknownType(kind:name:known:)`` listing ``knownNames`` when
    ///   nothing has that name, or what a custom type's `init(configuration: [:])` throws.
    public static func named(_ name: String, registry: ObjectRegistry = .shared) throws -> any Constraint {
        if let type = kerasNames[name] { return try type.init(configuration: [:]) }
        if let closure = ClosureConstraint.registered(named: name) { return closure }
        if registry.contains(name) {
            return try registry.make(name, configuration: [:], as: (any Constraint).self, kind: "constraint")
        }
        throw ConfigurationError.unknownType(kind: "constraint", name: name, known: knownNames)
    }

    /// The nested form `{"class_name": ..., "config": {...}}`, or `null` for no constraint.
    public static func serialize(_ constraint: (any Constraint)?) -> JSONValue {
        guard let constraint else { return .null }
        return ObjectRegistry.serialize(constraint)
    }

    /// A constraint from a layer's configuration: `null` (none), a string (see ``named(_:registry:)``)
    /// or the nested form `{"class_name": ..., "config": {...}}`, whose class is a built-in or
    /// registered in `registry`.
    ///
    /// - Throws: ``ConfigurationError`` when the value has none of these forms, the class is unknown,
    ///   or its configuration is invalid.
    public static func deserialize(_ value: JSONValue, registry: ObjectRegistry = .shared) throws -> (any Constraint)? {
        if value == .null { return nil }
        if let name = value.stringValue { return try named(name, registry: registry) }
        let (typeName, configuration) = try ObjectRegistry.nestedObject(value, kind: "constraint")
        if let type = kerasNames[typeName] ?? builtinTypes.first(where: { $0.typeName == typeName }) {
            return try type.init(configuration: configuration)
        }
        if registry.contains(typeName) {
            return try registry.make(typeName, configuration: configuration, as: (any Constraint).self, kind: "constraint")
        }
        throw ConfigurationError.unknownType(kind: "constraint", name: typeName, known: builtinTypes.map { $0.typeName })
    }
}
