/// Which registry loading consults: the one given to ``Model/load(from:registry:customOptimizers:)``
/// while a model loads (for the objects nested in layer configurations too), the shared one otherwise.
///
/// A registry given to `load` works like Keras's `custom_objects`: its names are looked up first, and
/// everything it does not know (the built-ins) comes from ``ObjectRegistry/shared``.
extension ObjectRegistry {
    private static let scope = TaskLocal<ObjectRegistry?>(wrappedValue: nil)

    /// The registry in effect: the one ``withActive(_:)`` installed for the current task, or ``shared``.
    public static var current: ObjectRegistry { scope.get() ?? shared }

    /// Runs `body` with this registry as ``current``, so every configuration read inside it (nested
    /// initializers, regularizers, layers...) finds this registry's types first.
    /// - Throws: what `body` throws.
    public func withActive<R>(_ body: () throws -> R) rethrows -> R {
        try Self.scope.withValue(self, operation: body)
    }

    /// The registry that should build `name`: ``current`` when it knows the name, else ``shared``.
    static func resolving(_ name: String) -> ObjectRegistry {
        let active = current
        return active === shared || active.contains(name) ? active : shared
    }
}
