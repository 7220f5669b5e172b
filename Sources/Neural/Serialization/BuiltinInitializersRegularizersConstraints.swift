/// Registers every built-in initializer, regularizer and constraint type, and ``Activation``, in
/// `registry` under its `typeName` (`"GlorotUniform"`, `"L2"`, `"MaxNorm"`, `"ActivationFunction"`,
/// ...), so that generic loading (`registry.make(name, configuration:kind:)`) rebuilds them.
///
/// Called once, from the one place that registers the built-ins in ``ObjectRegistry/shared``.
/// Keras's lower-case identifiers and aliases (`"glorot_uniform"`, `"Orthogonal"`, `"l1_l2"`, ...)
/// are deliberately not put in the shared registry, where they could collide with other kinds' names
/// (`"Identity"` is also a Keras layer); ``Initializers``, ``Regularizers``, ``Constraints`` and
/// ``Activation/init(named:)`` resolve them, and also find the built-ins without this registration.
internal func registerBuiltinInitializersRegularizersConstraints(in registry: ObjectRegistry = .shared) {
    func add<T: ConfigurationRepresentable>(_ type: T.Type) { registry.register(type) }
    for type in Initializers.builtinTypes { add(type) }
    for type in Regularizers.builtinTypes { add(type) }
    for type in Constraints.builtinTypes { add(type) }
    add(Activation.self)
}
