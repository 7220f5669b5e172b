/// Finding, saving and loading regularizers by Keras's names: `keras.regularizers.get`, `serialize`
/// and `deserialize`.
public enum Regularizers {
    /// Every built-in regularizer type, for registering them (see
    /// `registerBuiltinInitializersRegularizersConstraints(in:)`) and for tests.
    public static let builtinTypes: [any Regularizer.Type] = [L1.self, L2.self, L1L2.self, ClosureRegularizer.self]

    /// Keras's string identifiers and class names for the built-ins.
    public static let kerasNames: [String: any Regularizer.Type] = [
        "l1": L1.self, "L1": L1.self, "l2": L2.self, "L2": L2.self,
        "l1_l2": L1L2.self, "l1l2": L1L2.self, "L1L2": L1L2.self,
    ]

    /// The names ``named(_:registry:)`` accepts without a registry: Keras's identifiers and the
    /// registered ``ClosureRegularizer`` functions, sorted.
    public static var knownNames: [String] { (Array(kerasNames.keys) + ClosureRegularizer.functions.names).sorted() }

    /// The regularizer a Keras string names, with its default arguments (`"l1"` is `L1(0.01)`, `"l2"`
    /// is `L2(0.01)`, `"l1_l2"` is `L1L2(l1: 0, l2: 0)`), the name of a registered
    /// ``ClosureRegularizer`` function, or a custom type registered in `registry`.
    ///
    /// - Throws: ``ConfigurationError/unknownType(kind:name:known:)`` listing ``knownNames`` when
    ///   nothing has that name, or what a custom type's `init(configuration: [:])` throws.
    public static func named(_ name: String, registry: ObjectRegistry = .shared) throws -> any Regularizer {
        if let type = kerasNames[name] { return try type.init(configuration: [:]) }
        if let closure = ClosureRegularizer.registered(named: name) { return closure }
        if registry.contains(name) {
            return try registry.make(name, configuration: [:], as: (any Regularizer).self, kind: "regularizer")
        }
        throw ConfigurationError.unknownType(kind: "regularizer", name: name, known: knownNames)
    }

    /// The nested form `{"class_name": ..., "config": {...}}`, or `null` for no regularizer.
    public static func serialize(_ regularizer: (any Regularizer)?) -> JSONValue {
        guard let regularizer else { return .null }
        return ObjectRegistry.serialize(regularizer)
    }

    /// A regularizer from a layer's configuration: `null` (none), a string (see
    /// ``named(_:registry:)``) or the nested form `{"class_name": ..., "config": {...}}`, whose class is
    /// a built-in or registered in `registry`.
    ///
    /// - Throws: ``ConfigurationError`` when the value has none of these forms, the class is unknown,
    ///   or its configuration is invalid.
    public static func deserialize(_ value: JSONValue, registry: ObjectRegistry = .shared) throws -> (any Regularizer)? {
        if value == .null { return nil }
        if let name = value.stringValue { return try named(name, registry: registry) }
        let (typeName, configuration) = try ObjectRegistry.nestedObject(value, kind: "regularizer")
        if let type = kerasNames[typeName] ?? builtinTypes.first(where: { $0.typeName == typeName }) {
            return try type.init(configuration: configuration)
        }
        if registry.contains(typeName) {
            return try registry.make(typeName, configuration: configuration, as: (any Regularizer).self, kind: "regularizer")
        }
        throw ConfigurationError.unknownType(kind: "regularizer", name: typeName, known: builtinTypes.map { $0.typeName })
    }
}
