import Synchronization

/// Something that saves as a type name plus a configuration and is rebuilt from them: layers,
/// losses, metrics, initializers, regularizers, constraints, activations, optimizers.
public protocol ConfigurationRepresentable {
    /// The name saved with the configuration (Keras's `class_name`), e.g. `"Dense"`, `"HuberLoss"`.
    static var typeName: String { get }
    /// The arguments that rebuild this object (Keras's `get_config()`).
    var configuration: Configuration { get }
    /// Rebuilds the object from `configuration`.
    /// - Throws: ``ConfigurationError`` naming the key at fault.
    init(configuration: Configuration) throws
}

/// Maps type names to types, so saved objects of custom types load again: Keras's
/// `custom_objects`. Built-in types register themselves; register your own once, before loading:
///
/// ```swift
/// ObjectRegistry.shared.register(HuberLoss.self)
/// let model = try Model.load(from: path)
/// ```
public final class ObjectRegistry: Sendable {
    /// The process-wide registry that loading consults by default.
    public static let shared: ObjectRegistry = {
        let registry = ObjectRegistry()
        registerBuiltinInitializersRegularizersConstraints(in: registry)
        Losses.registerBuiltins(in: registry)
        Metrics.registerBuiltins(in: registry)
        registerBuiltinLayers(in: registry)
        return registry
    }()

    private let factories = Mutex<[String: @Sendable (Configuration) throws -> Any]>([:])

    /// An empty registry (the shared one is usually what you want).
    public init() {}

    /// Registers `type` under its `typeName` (replacing an earlier registration of that name).
    public func register<T: ConfigurationRepresentable>(_ type: T.Type) {
        factories.withLock { $0[T.typeName] = { configuration in try T(configuration: configuration) } }
    }

    /// Registers `type` under an explicit name (an alias, or a name saved by an older version).
    public func register<T: ConfigurationRepresentable>(_ type: T.Type, as name: String) {
        factories.withLock { $0[name] = { configuration in try T(configuration: configuration) } }
    }

    /// Whether a type of that name is registered.
    public func contains(_ name: String) -> Bool { factories.withLock { $0[name] != nil } }

    /// Rebuilds an object of the registered type `name` as a `T`.
    ///
    /// - Throws: ``ConfigurationError/unknownType(kind:name:known:)`` when `name` is not registered or
    ///   is not a `T`, and whatever the type's initializer throws.
    public func make<T>(_ name: String, configuration: Configuration, as _: T.Type = T.self, kind: String) throws -> T {
        let (factory, known) = factories.withLock { ($0[name], Array($0.keys)) }
        guard let factory else { throw ConfigurationError.unknownType(kind: kind, name: name, known: known) }
        guard let object = try factory(configuration) as? T else {
            throw ConfigurationError.unknownType(kind: kind, name: name, known: known)
        }
        return object
    }
}
