import Synchronization

/// The built-in losses (Keras's `keras.losses`), lookup by Keras's string names, and the table of
/// named loss functions that closure losses and metrics are saved by.
///
/// ```swift
/// let loss = try Losses.named("sparse_categorical_crossentropy")
/// let value = loss(yTrue: labels, yPred: probabilities)   // a scalar, differentiable
/// ```
public enum Losses {
    /// A loss or metric function: per-sample values from targets and predictions (seed 000's `huber_fn`).
    public typealias Function = @Sendable (_ yTrue: Tensor, _ yPred: Tensor) -> Tensor

    private static let functions = Mutex<[String: Function]>([:])

    /// Makes `function` known under `name`, so that a ``ClosureLoss`` or ``Metrics/MeanMetricWrapper``
    /// saved with that name loads again, and `Losses.named(name)` / `Metrics.named(name)` find it
    /// (Keras's `custom_objects={"huber_fn": huber_fn}`). Replaces an earlier function of that name.
    public static func register(function: @escaping Function, named name: String) {
        functions.withLock { $0[name] = function }
    }

    /// The function registered under `name`, if any.
    public static func function(named name: String) -> Function? {
        functions.withLock { $0[name] }
    }

    /// The names of the registered functions, sorted.
    public static var registeredFunctionNames: [String] {
        functions.withLock { $0.keys.sorted() }
    }

    /// The name a ``ClosureLoss`` or ``Metrics/MeanMetricWrapper`` configuration holds and the function
    /// it is saved by: the one registered under `fn`, or under `name` when `fn` is absent.
    ///
    /// - Throws: ``ConfigurationError`` naming `type` when `name` is missing or either is not a string,
    ///   and ``ConfigurationError/invalidValue(type:key:expected:found:)`` for `fn`, listing the
    ///   registered names, when no function of that name is registered.
    static func registeredFunction(
        in configuration: Configuration, type: String
    ) throws(ConfigurationError) -> (name: String, function: Function) {
        let name = try configuration.string("name", in: type)
        let functionName = configuration["fn"] == nil ? name : try configuration.string("fn", in: type)
        guard let function = Losses.function(named: functionName) else {
            let known = registeredFunctionNames
            throw .invalidValue(
                type: type, key: "fn",
                expected: "the name of a function registered with Losses.register(function:named:) "
                    + "(registered: \(known.isEmpty ? "none" : known.joined(separator: ", ")))",
                found: .string(functionName))
        }
        return (name, function)
    }

    /// The string identifiers ``named(_:)`` accepts besides registered functions: Keras's class names,
    /// their snake-case forms and the aliases `mse`, `mae`, `bce`.
    public static var knownNames: [String] { builtinNames.keys.sorted() }

    private static let builtinNames: [String: @Sendable (String) -> any Loss] = [
        "mse": { _ in MeanSquaredError() },
        "MSE": { _ in MeanSquaredError() },
        "mean_squared_error": { _ in MeanSquaredError() },
        "MeanSquaredError": { _ in MeanSquaredError() },
        "mae": { _ in MeanAbsoluteError() },
        "MAE": { _ in MeanAbsoluteError() },
        "mean_absolute_error": { _ in MeanAbsoluteError() },
        "MeanAbsoluteError": { _ in MeanAbsoluteError() },
        "huber": { _ in Huber() },
        "huber_loss": { _ in Huber() },
        "Huber": { _ in Huber() },
        "sparse_categorical_crossentropy": { _ in SparseCategoricalCrossentropy() },
        "SparseCategoricalCrossentropy": { _ in SparseCategoricalCrossentropy() },
        "categorical_crossentropy": { _ in CategoricalCrossentropy() },
        "CategoricalCrossentropy": { _ in CategoricalCrossentropy() },
        "bce": { _ in BinaryCrossentropy() },
        "BCE": { _ in BinaryCrossentropy() },
        "binary_crossentropy": { _ in BinaryCrossentropy() },
        "BinaryCrossentropy": { _ in BinaryCrossentropy() },
    ]

    /// The loss a Keras string identifier names (`"mse"`, `"mean_squared_error"`, `"mae"`, `"huber"`,
    /// `"sparse_categorical_crossentropy"`, `"categorical_crossentropy"`, `"binary_crossentropy"`, the
    /// class names such as `"Huber"`...), with its default arguments; or a ``ClosureLoss`` for a function
    /// registered under that name with ``register(function:named:)``.
    ///
    /// - Throws: ``NameLookupError/unknownLoss(name:known:)`` listing the known names.
    public static func named(_ name: String) throws(NameLookupError) -> any Loss {
        if let make = builtinNames[name] { return make(name) }
        if let function = function(named: name) { return ClosureLoss(name: name, function) }
        throw .unknownLoss(name: name, known: knownNames + registeredFunctionNames)
    }

    /// Registers every built-in loss type with `registry` under its ``ConfigurationRepresentable/typeName``
    /// (idempotent), so that saved configurations of them load.
    public static func registerBuiltins(in registry: ObjectRegistry = .shared) {
        registry.register(MeanSquaredError.self)
        registry.register(MeanAbsoluteError.self)
        registry.register(Huber.self)
        registry.register(SparseCategoricalCrossentropy.self)
        registry.register(CategoricalCrossentropy.self)
        registry.register(BinaryCrossentropy.self)
        registry.register(ClosureLoss.self)
    }
}

/// Registers the built-in losses and metrics with `registry` (see ``Losses/registerBuiltins(in:)`` and
/// ``Metrics/registerBuiltins(in:)``): the one call model loading needs before it reads a saved
/// configuration.
func registerBuiltinLossesAndMetrics(in registry: ObjectRegistry = .shared) {
    Losses.registerBuiltins(in: registry)
    Metrics.registerBuiltins(in: registry)
}

/// Why a string identifier did not resolve to a loss or a metric.
public enum NameLookupError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No built-in loss and no registered function has that name.
    case unknownLoss(name: String, known: [String])
    /// No built-in metric and no registered function has that name.
    case unknownMetric(name: String, known: [String])
    /// `"accuracy"` needs to know whether the task is binary, categorical or sparse categorical, and
    /// the loss (if any) does not tell; resolve it from the shapes with
    /// ``Metrics/accuracy(named:targetShape:predictionShape:)``.
    case accuracyNeedsShapes(name: String, loss: String?)

    /// What went wrong and what the known names are.
    public var description: String {
        switch self {
        case let .unknownLoss(name, known):
            return "unknown loss '\(name)'; known: \(known.joined(separator: ", ")) "
                + "(register a function with Losses.register(function:named:))"
        case let .unknownMetric(name, known):
            return "unknown metric '\(name)'; known: \(known.joined(separator: ", ")) "
                + "(register a function with Losses.register(function:named:))"
        case let .accuracyNeedsShapes(name, loss):
            return "metric '\(name)': the loss \(loss.map { "'\($0)'" } ?? "(none)") does not tell binary, "
                + "categorical and sparse categorical accuracy apart; use "
                + "Metrics.accuracy(named:targetShape:predictionShape:) with the first batch's shapes"
        }
    }
}

extension JSONValue {
    /// A `Float` hyperparameter as a JSON number with its shortest decimal form (`0.3`, not
    /// `0.30000001192092896`), which reads back as the same `Float`.
    static func float(_ value: Float) -> JSONValue {
        .double(Double(value.description) ?? Double(value))
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    /// The Boolean at `key`, `defaultValue` when absent; throws naming `type` otherwise.
    func bool(_ key: String, in type: String, default defaultValue: Bool) throws(ConfigurationError) -> Bool {
        self[key] == nil ? defaultValue : try bool(key, in: type)
    }

    /// Checks that `axis`, when present, is -1 (the only class axis these losses support).
    func requireLastAxis(in type: String) throws(ConfigurationError) {
        guard let value = self["axis"] else { return }
        guard value.intValue == -1 else { throw .invalidValue(type: type, key: "axis", expected: "-1", found: value) }
    }
}
