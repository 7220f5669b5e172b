import Synchronization

/// A process-wide table of functions by name: how a custom *function* (not a type) saves and loads.
///
/// Keras saves a custom activation, initializer, regularizer or constraint that is a plain function
/// by its name and finds it again through `custom_objects`. A closure cannot be written to JSON, so
/// here too only the name is saved; register the closure under that name before loading. Each kind
/// keeps its own table (``Activation/customFunctions``, ``ClosureInitializer/functions``,
/// ``ClosureRegularizer/functions``, ``ClosureConstraint/functions``), so the same name may mean an
/// activation in one place and a constraint in another, as in Keras.
public final class NamedFunctionRegistry<Function: Sendable>: Sendable {
    private let functions = Mutex<[String: Function]>([:])

    /// An empty table.
    public init() {}

    /// Stores `function` under `name`, replacing an earlier function of that name.
    public func register(_ function: Function, as name: String) {
        functions.withLock { $0[name] = function }
    }

    /// The function registered under `name`, if any.
    public func function(named name: String) -> Function? {
        functions.withLock { $0[name] }
    }

    /// Removes the function registered under `name` (for tests and plugins that unload).
    public func unregister(_ name: String) {
        _ = functions.withLock { $0.removeValue(forKey: name) }
    }

    /// The registered names, sorted.
    public var names: [String] { functions.withLock { $0.keys.sorted() } }
}
