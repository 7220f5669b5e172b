/// A value wrapping a function that is saved by its name only: what ``ClosureInitializer``,
/// ``ClosureRegularizer`` and ``ClosureConstraint`` (the Swift forms of a Keras initializer, regularizer
/// or constraint written as a plain function) have in common.
///
/// A closure cannot be written to JSON, so the configuration is `{"name": name}` and loading finds the
/// function registered under that name in ``functions`` (Keras's `custom_objects`): register it with
/// ``register(name:_:)`` before loading. Each conforming type keeps its own table, so one name may
/// mean an initializer in one place and a constraint in another.
public protocol NamedClosure: ConfigurationRepresentable, Sendable {
    /// The function's form.
    associatedtype Function: Sendable

    /// The registered functions of this kind, by name.
    static var functions: NamedFunctionRegistry<Function> { get }
    /// What these functions are called in errors, e.g. `"constraint function"`.
    static var functionKind: String { get }

    /// The name the function is saved (and found again) by.
    var name: String { get }
    /// The function.
    var function: Function { get }

    /// A value calling `function`, saved as `name`. Does not register it; see ``register(name:_:)``.
    init(name: String, _ function: Function)
}

extension NamedClosure {
    /// Registers `function` under `name` in ``functions`` (replacing an earlier one) and returns the
    /// value wrapping it.
    @discardableResult
    public static func register(name: String, _ function: Function) -> Self {
        functions.register(function, as: name)
        return Self(name: name, function)
    }

    /// Finds the function registered under the configuration's `name`.
    /// - Throws: ``ConfigurationError/missingKey(type:key:)`` without a name, and
    ///   ``ConfigurationError/unknownType(kind:name:known:)`` (listing the registered names) when no
    ///   function has that name.
    public init(configuration: Configuration) throws {
        let name = try configuration.string("name", in: Self.typeName)
        guard let function = Self.functions.function(named: name) else {
            throw ConfigurationError.unknownType(kind: Self.functionKind, name: name, known: Self.functions.names)
        }
        self.init(name: name, function)
    }

    /// `{"name": name}`.
    public var configuration: Configuration { ["name": .string(name)] }

    /// The value wrapping the function registered under `name`, or `nil` when none is.
    static func registered(named name: String) -> Self? {
        functions.function(named: name).map { Self(name: name, $0) }
    }
}
