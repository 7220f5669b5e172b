/// Makes a layer's initial weights from their shape: Keras's `keras.initializers.Initializer`.
///
/// Built-in initializers follow Keras 3 exactly (defaults, fan computation, distributions and
/// configuration keys). Every initializer saves as a type name plus a configuration
/// (``ConfigurationRepresentable``) so a saved model rebuilds it; custom types register with
/// ``ObjectRegistry`` (Keras's `custom_objects`), custom functions with ``ClosureInitializer``.
///
/// Randomness: the generator form draws from the generator you pass, so one generator seeded once
/// reproduces a whole model; the shape-only form draws from a generator split off ``GlobalRandom``.
/// A random initializer built with a `seed` ignores both and draws from its own seed, so it returns
/// the same values at every call (Keras's behaviour with an integer seed).
public protocol Initializer: ConfigurationRepresentable, Sendable {
    /// A tensor of `shape` holding initial values, drawn from `generator` when random (see the
    /// protocol's note on seeds). Traps on a negative dimension or a shape the initializer cannot fill
    /// (e.g. a rank-1 shape for ``OrthogonalInitializer``).
    func callAsFunction(shape: [Int], generator: inout SeededGenerator) -> Tensor
}

extension Initializer {
    /// A tensor of `shape` holding initial values, drawn from a generator split off ``GlobalRandom``
    /// (so `GlobalRandom.seed(_:)` makes the sequence of calls reproducible). Traps as
    /// ``callAsFunction(shape:generator:)`` does.
    public func callAsFunction(shape: [Int]) -> Tensor {
        // A split generator, not the global one under its lock: a custom initializer that itself uses
        // the global form would otherwise deadlock.
        var generator = GlobalRandom.split()
        return self(shape: shape, generator: &generator)
    }
}

/// Traps, naming the initializer, when `shape` has a negative dimension.
@usableFromInline
internal func checkInitializerShape(_ shape: [Int], _ typeName: String) {
    guard shape.allSatisfy({ $0 >= 0 }) else { trap(.invalidShape(op: typeName, shape: shape)) }
}

/// Runs `body` with the initializer's own generator when it has a seed, else with the caller's.
@inline(__always)
internal func drawing<R>(seed: UInt64?, from generator: inout SeededGenerator, _ body: (inout SeededGenerator) -> R) -> R {
    guard let seed else { return body(&generator) }
    var own = SeededGenerator(seed: seed)
    return body(&own)
}
