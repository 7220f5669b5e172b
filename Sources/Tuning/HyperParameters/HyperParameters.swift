import Synchronization

/// The hyperparameters of one trial, defined by running the model-building code (Keras Tuner's
/// define-by-run `HyperParameters`).
///
/// The first call to `int`, `float`, `choice`, `boolean` or `fixed` for a name registers its
/// definition in `space` and returns its default (or `min`, or the first value). On a trial's
/// hyperparameters, made by the oracle with `init(space:values:)`, the same call returns the value
/// the oracle chose. A call inside a `conditionalScope` whose condition does not hold still registers
/// the definition (so one run of the code collects the whole space) and returns the default, but the
/// value is not part of `values`: check the parent, as Keras Tuner users do.
///
/// ```swift
/// let hp = HyperParameters()
/// let nHidden = try hp.int("n_hidden", min: 0, max: 8, default: 2)
/// let nNeurons = try hp.int("n_neurons", min: 16, max: 256)
/// let learningRate = try hp.float("learning_rate", min: 1e-4, max: 1e-2, sampling: .log)
/// let optimizer = try hp.choice("optimizer", values: ["sgd", "adam"])
/// ```
///
/// The object is thread-safe, but one build should use it at a time: conditional scopes are a
/// stack shared by all callers.
public final class HyperParameters: Sendable {
    private struct Storage {
        var space: SearchSpace
        var values: [String: HyperParameterValue]
        var openConditions: [Condition] = []
    }

    private let storage: Mutex<Storage>

    /// Empty hyperparameters, for collecting the search space by running the model-building code once.
    public init() {
        storage = Mutex(Storage(space: SearchSpace(), values: [:]))
    }

    /// The hyperparameters of a trial: `space` with the values an oracle chose.
    ///
    /// Active parameters missing from `values` take their defaults.
    /// - Throws: `HyperParameterError` when a value names no parameter of `space`, is not allowed by
    ///   its definition, or is given to an inactive parameter.
    public init(space: SearchSpace, values: [String: HyperParameterValue] = [:]) throws(HyperParameterError) {
        let checked = try space.validated(values)
        storage = Mutex(Storage(space: space, values: checked))
    }

    /// The values of the active hyperparameters, by name.
    public var values: [String: HyperParameterValue] {
        storage.withLock { $0.values }
    }

    /// Every definition registered so far, in order (inactive ones included).
    public var space: SearchSpace {
        storage.withLock { $0.space }
    }

    /// The value of the active hyperparameter `name`, or `nil` if it is inactive or undefined.
    public subscript(name: String) -> HyperParameterValue? {
        storage.withLock { $0.values[name] }
    }

    /// Whether `name` is defined and all of its conditions hold for the current values.
    public func isActive(_ name: String) -> Bool {
        storage.withLock { storage in
            guard let spec = storage.space[name] else { return false }
            return spec.isActive(given: storage.values)
        }
    }

    /// An integer in `min...max` (both included); see `HyperParameterSpec.int` for `step` and `sampling`.
    ///
    /// - Returns: The trial's value, or `default` (`min` when `nil`) on first definition or when inactive.
    /// - Throws: `HyperParameterError` for an invalid definition (min above max, non-positive step,
    ///   log sampling with `min <= 0`, default out of range or off the step) or a redefinition of `name`.
    @discardableResult
    public func int(
        _ name: String, min: Int, max: Int, step: Int = 1, sampling: Sampling = .linear, default defaultValue: Int? = nil
    ) throws(HyperParameterError) -> Int {
        let spec = try HyperParameterSpec.int(
            name, min: min, max: max, step: step, sampling: sampling, default: defaultValue, conditions: currentConditions)
        return try typed(try retrieve(spec), of: spec)
    }

    /// A float in `min...max`; see `HyperParameterSpec.float` for `step` and `sampling`.
    ///
    /// - Returns: The trial's value, or `default` (`min` when `nil`) on first definition or when inactive.
    /// - Throws: `HyperParameterError` for an invalid definition (non-finite numbers, min above max,
    ///   log sampling with `min <= 0`, bad step, default out of range or off the step) or a redefinition.
    @discardableResult
    public func float(
        _ name: String, min: Double, max: Double, step: Double? = nil, sampling: Sampling = .linear,
        default defaultValue: Double? = nil
    ) throws(HyperParameterError) -> Double {
        let spec = try HyperParameterSpec.float(
            name, min: min, max: max, step: step, sampling: sampling, default: defaultValue, conditions: currentConditions)
        return try typed(try retrieve(spec), of: spec)
    }

    /// One of `values` (all `String`, `Int`, `Double`, `Bool` or `HyperParameterValue`).
    ///
    /// - Parameters:
    ///   - ordered: Whether the order means something; `nil` means true for numbers, false otherwise.
    ///   - defaultValue: Returned on first definition or when inactive; the first value when `nil`.
    /// - Returns: The trial's value.
    /// - Throws: `HyperParameterError` for an empty list, mixed types, repeated values, `ordered`
    ///   for non-numbers, a default that is not a choice, or a redefinition of `name`.
    @discardableResult
    public func choice<Value: HyperParameterRepresentable>(
        _ name: String, values: [Value], ordered: Bool? = nil, default defaultValue: Value? = nil
    ) throws(HyperParameterError) -> Value {
        let spec = try HyperParameterSpec.choice(
            name, values: values.map(\.hyperParameterValue), ordered: ordered,
            default: defaultValue?.hyperParameterValue, conditions: currentConditions)
        return try typed(try retrieve(spec), of: spec)
    }

    /// `false` or `true`.
    ///
    /// - Returns: The trial's value, or `default` on first definition or when inactive.
    /// - Throws: `HyperParameterError` for an empty name or a redefinition of `name`.
    @discardableResult
    public func boolean(_ name: String, default defaultValue: Bool = false) throws(HyperParameterError) -> Bool {
        let spec = try HyperParameterSpec.boolean(name, default: defaultValue, conditions: currentConditions)
        return try typed(try retrieve(spec), of: spec)
    }

    /// A value recorded with the trial but never tuned.
    ///
    /// - Returns: `value`.
    /// - Throws: `HyperParameterError` for an empty name, a non-finite float or a redefinition of `name`.
    @discardableResult
    public func fixed<Value: HyperParameterRepresentable>(_ name: String, value: Value) throws(HyperParameterError) -> Value {
        let spec = try HyperParameterSpec.fixed(name, value: value.hyperParameterValue, conditions: currentConditions)
        return try typed(try retrieve(spec), of: spec)
    }

    /// Runs `body`, making every hyperparameter it defines active only when `parent` has one of
    /// `values` (Keras Tuner's `conditional_scope`). Scopes nest: all enclosing conditions must hold.
    ///
    /// `body` always runs, so the definitions inside are registered even when inactive; they then
    /// return their defaults, which are not part of `values`.
    ///
    /// ```swift
    /// let optimizer = try hp.choice("optimizer", values: ["sgd", "adam"])
    /// try hp.conditionalScope(parent: "optimizer", values: ["adam"]) {
    ///     let beta1 = try hp.float("beta_1", min: 0.8, max: 0.999, sampling: .reverseLog, default: 0.9)
    ///     if optimizer == "adam" { /* use beta1 */ }
    /// }
    /// ```
    /// - Returns: What `body` returns.
    /// - Throws: `HyperParameterError.unknownParent` when `parent` is not defined yet,
    ///   `.emptyParentValues` for an empty list, `.impossibleParentValue` for a value `parent` can
    ///   never take; and whatever `body` throws.
    @discardableResult
    public func conditionalScope<Result>(
        parent: String, values: [HyperParameterValue], _ body: () throws -> Result
    ) throws -> Result {
        try storage.withLock { (storage) throws(HyperParameterError) in
            guard let parentSpec = storage.space[parent] else { throw .unknownParent(parent: parent) }
            guard !values.isEmpty else { throw .emptyParentValues(parent: parent) }
            var normalizedValues: [HyperParameterValue] = []
            for value in values {
                guard let normalized = parentSpec.normalized(value) else {
                    throw .impossibleParentValue(parent: parent, value: value, parentDefinition: parentSpec.description)
                }
                normalizedValues.append(normalized)
            }
            storage.openConditions.append(Condition(parent: parent, values: normalizedValues))
        }
        defer { storage.withLock { _ = $0.openConditions.popLast() } }
        return try body()
    }

    private var currentConditions: [Condition] {
        storage.withLock { $0.openConditions }
    }

    /// Registers `spec` if new (or checks it matches the registered one) and returns its value.
    private func retrieve(_ spec: HyperParameterSpec) throws(HyperParameterError) -> HyperParameterValue {
        try storage.withLock { (storage) throws(HyperParameterError) -> HyperParameterValue in
            try storage.space.add(spec)
            guard spec.isActive(given: storage.values) else { return spec.defaultValue }
            if let value = storage.values[spec.name] { return value }
            storage.values[spec.name] = spec.defaultValue
            return spec.defaultValue
        }
    }

    private func typed<Value: HyperParameterRepresentable>(
        _ value: HyperParameterValue, of spec: HyperParameterSpec
    ) throws(HyperParameterError) -> Value {
        guard let result = Value(hyperParameterValue: value) else {
            throw .invalidValue(name: spec.name, value: value, definition: spec.description)
        }
        return result
    }
}

extension HyperParameters: CustomStringConvertible {
    /// The active values in definition order: `HyperParameters(n_hidden: 2, optimizer: sgd)`.
    public var description: String {
        let (space, values) = storage.withLock { ($0.space, $0.values) }
        let fields = space.names.compactMap { name in values[name].map { "\(name): \($0)" } }
        return "HyperParameters(\(fields.joined(separator: ", ")))"
    }
}
