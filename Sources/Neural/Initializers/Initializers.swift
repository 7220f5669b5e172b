/// Finding, saving and loading initializers by Keras's names: `keras.initializers.get`,
/// `serialize` and `deserialize`.
public enum Initializers {
    /// Every built-in initializer type, for registering them (see
    /// `registerBuiltinInitializersRegularizersConstraints(in:)`) and for tests.
    public static let builtinTypes: [any Initializer.Type] = [
        GlorotUniform.self, GlorotNormal.self, HeUniform.self, HeNormal.self, LecunUniform.self, LecunNormal.self,
        VarianceScaling.self, Zeros.self, Ones.self, Constant.self, RandomNormal.self, RandomUniform.self,
        TruncatedNormal.self, OrthogonalInitializer.self, IdentityInitializer.self, ClosureInitializer.self,
    ]

    /// Keras's string identifiers and class names for the built-ins (with Keras's aliases such as
    /// `"normal"`, `"uniform"`, `"zero"`, `"one"`, `"Orthogonal"`, `"Identity"`).
    public static let kerasNames: [String: any Initializer.Type] = [
        "glorot_uniform": GlorotUniform.self, "GlorotUniform": GlorotUniform.self,
        "glorot_normal": GlorotNormal.self, "GlorotNormal": GlorotNormal.self,
        "he_uniform": HeUniform.self, "HeUniform": HeUniform.self,
        "he_normal": HeNormal.self, "HeNormal": HeNormal.self,
        "lecun_uniform": LecunUniform.self, "LecunUniform": LecunUniform.self,
        "lecun_normal": LecunNormal.self, "LecunNormal": LecunNormal.self,
        "variance_scaling": VarianceScaling.self, "VarianceScaling": VarianceScaling.self,
        "zeros": Zeros.self, "zero": Zeros.self, "Zeros": Zeros.self,
        "ones": Ones.self, "one": Ones.self, "Ones": Ones.self,
        "constant": Constant.self, "Constant": Constant.self,
        "random_normal": RandomNormal.self, "normal": RandomNormal.self, "RandomNormal": RandomNormal.self,
        "random_uniform": RandomUniform.self, "uniform": RandomUniform.self, "RandomUniform": RandomUniform.self,
        "truncated_normal": TruncatedNormal.self, "TruncatedNormal": TruncatedNormal.self,
        "orthogonal": OrthogonalInitializer.self, "Orthogonal": OrthogonalInitializer.self,
        "OrthogonalInitializer": OrthogonalInitializer.self,
        "identity": IdentityInitializer.self, "Identity": IdentityInitializer.self,
        "IdentityInitializer": IdentityInitializer.self,
    ]

    /// The names ``named(_:registry:)`` accepts without a registry: Keras's identifiers and the
    /// registered ``ClosureInitializer`` functions, sorted.
    public static var knownNames: [String] { (Array(kerasNames.keys) + ClosureInitializer.functions.names).sorted() }

    /// The initializer a Keras string names, with its default arguments: `"glorot_uniform"`,
    /// `"he_normal"`, `"zeros"`, a class name such as `"GlorotUniform"`, the name of a registered
    /// ``ClosureInitializer`` function, or a custom type registered in `registry`.
    ///
    /// - Throws: ``ConfigurationError/unknownType(kind:name:known:)`` listing ``knownNames`` when
    ///   nothing has that name, or what a custom type's `init(configuration: [:])` throws.
    public static func named(_ name: String, registry: ObjectRegistry = .shared) throws -> any Initializer {
        if let type = kerasNames[name] { return try type.init(configuration: [:]) }
        if let closure = ClosureInitializer.registered(named: name) { return closure }
        if registry.contains(name) {
            return try registry.make(name, configuration: [:], as: (any Initializer).self, kind: "initializer")
        }
        throw ConfigurationError.unknownType(kind: "initializer", name: name, known: knownNames)
    }

    /// The nested form `{"class_name": ..., "config": {...}}` that a layer's configuration holds.
    public static func serialize(_ initializer: any Initializer) -> JSONValue {
        ObjectRegistry.serialize(initializer)
    }

    /// An initializer from a layer's configuration: a string (see ``named(_:registry:)``) or the nested
    /// form `{"class_name": ..., "config": {...}}`, whose class is a built-in or registered in `registry`.
    ///
    /// - Throws: ``ConfigurationError`` when the value has neither form, the class is unknown, or its
    ///   configuration is invalid.
    public static func deserialize(_ value: JSONValue, registry: ObjectRegistry = .shared) throws -> any Initializer {
        if let name = value.stringValue { return try named(name, registry: registry) }
        let (typeName, configuration) = try ObjectRegistry.nestedObject(value, kind: "initializer")
        if let type = kerasNames[typeName] ?? builtinTypes.first(where: { $0.typeName == typeName }) {
            return try type.init(configuration: configuration)
        }
        if registry.contains(typeName) {
            return try registry.make(typeName, configuration: configuration, as: (any Initializer).self, kind: "initializer")
        }
        throw ConfigurationError.unknownType(kind: "initializer", name: typeName, known: builtinTypes.map { $0.typeName })
    }
}
