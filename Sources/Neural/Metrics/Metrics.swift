/// The built-in metrics (Keras's `keras.metrics`), lookup by Keras's string names, and the `"accuracy"`
/// resolution `compile` does.
///
/// ```swift
/// let precision = Metrics.Precision()
/// precision(Tensor([0, 1, 1, 1, 0, 1, 0, 1]), Tensor([1, 1, 0, 1, 0, 1, 0, 1]))   // 0.8
/// precision(Tensor([0, 1, 0, 0, 1, 0, 1, 1]), Tensor([1, 0, 1, 1, 0, 0, 0, 0]))   // 0.5
/// let accuracy = try Metrics.named("accuracy", forLoss: Losses.SparseCategoricalCrossentropy())
/// ```
public enum Metrics {
    private static let builtinNames: [String: @Sendable (String) -> Metric] = {
        var table: [String: @Sendable (String) -> Metric] = [:]
        func add(_ names: [String], _ make: @escaping @Sendable (String) -> Metric) {
            for name in names { table[name] = make }
        }
        add(["Mean", "mean"]) { Mean(name: $0) }
        add(["Sum", "sum"]) { Sum(name: $0) }
        add(["SparseCategoricalAccuracy", "sparse_categorical_accuracy"]) { SparseCategoricalAccuracy(name: $0) }
        add(["CategoricalAccuracy", "categorical_accuracy"]) { CategoricalAccuracy(name: $0) }
        add(["BinaryAccuracy", "binary_accuracy"]) { BinaryAccuracy(name: $0) }
        add(["MeanAbsoluteError", "mean_absolute_error", "mae", "MAE"]) { MeanAbsoluteError(name: $0) }
        add(["MeanSquaredError", "mean_squared_error", "mse", "MSE"]) { MeanSquaredError(name: $0) }
        add(["RootMeanSquaredError", "root_mean_squared_error"]) { RootMeanSquaredError(name: $0) }
        add(["Precision", "precision"]) { Precision(name: $0) }
        add(["Recall", "recall"]) { Recall(name: $0) }
        add(["AUC", "auc"]) { AUC(name: $0) }
        return table
    }()

    /// The string identifiers ``named(_:forLoss:)`` accepts besides `"accuracy"`/`"acc"` and registered
    /// functions: Keras's class names, their snake-case forms and the aliases `mae`, `mse`.
    public static var knownNames: [String] { builtinNames.keys.sorted() }

    /// The metric a Keras string identifier names, named after the identifier (as `compile` names it,
    /// so `"mae"` logs as `mae`), with default arguments.
    ///
    /// `"accuracy"` and `"acc"` (any case) resolve by the loss, as the compiled loss decides the task:
    /// sparse categorical cross-entropy gives ``SparseCategoricalAccuracy``, categorical cross-entropy
    /// ``CategoricalAccuracy``, binary cross-entropy ``BinaryAccuracy`` (threshold 0.5, also for
    /// logits, as in Keras). Other names may be functions registered with
    /// ``Losses/register(function:named:)``, which become a ``MeanMetricWrapper``.
    ///
    /// - Throws: ``NameLookupError/accuracyNeedsShapes(name:loss:)`` for `"accuracy"` with any other
    ///   loss (Keras 3 then decides from the shapes: see ``accuracy(named:targetShape:predictionShape:)``),
    ///   and ``NameLookupError/unknownMetric(name:known:)`` listing the known names.
    public static func named(_ name: String, forLoss loss: (any Loss)? = nil) throws(NameLookupError) -> Metric {
        if ["accuracy", "acc"].contains(name.lowercased()) {
            switch loss {
            case is Losses.SparseCategoricalCrossentropy: return SparseCategoricalAccuracy(name: name)
            case is Losses.CategoricalCrossentropy: return CategoricalAccuracy(name: name)
            case is Losses.BinaryCrossentropy: return BinaryAccuracy(name: name)
            default: throw .accuracyNeedsShapes(name: name, loss: loss?.name)
            }
        }
        if let make = builtinNames[name] { return make(name) }
        if let function = Losses.function(named: name) { return MeanMetricWrapper(name: name, fn: function) }
        throw .unknownMetric(name: name, known: ["accuracy", "acc"] + knownNames + Losses.registeredFunctionNames)
    }

    /// Keras 3's `"accuracy"` resolution from the shapes of a batch: predictions with a last dimension
    /// of 1 give ``BinaryAccuracy``; targets of lower rank, or ending in 1 against predictions that do
    /// not, give ``SparseCategoricalAccuracy``; otherwise ``CategoricalAccuracy``. Named `name`.
    public static func accuracy(named name: String = "accuracy", targetShape: [Int], predictionShape: [Int]) -> Metric {
        let predictionLast = predictionShape.last ?? 1
        if predictionLast == 1 { return BinaryAccuracy(name: name) }
        if targetShape.count < predictionShape.count || (targetShape.last ?? 1) == 1 {
            return SparseCategoricalAccuracy(name: name)
        }
        return CategoricalAccuracy(name: name)
    }

    /// Registers every built-in metric type with `registry` under its ``Metric/typeName`` (idempotent),
    /// so that saved configurations of them load.
    ///
    /// The metrics sharing a Keras class name with a loss register under distinct names, since the
    /// registry has one namespace: ``MeanSquaredError`` as `"MeanSquaredErrorMetric"` and
    /// ``MeanAbsoluteError`` as `"MeanAbsoluteErrorMetric"`.
    public static func registerBuiltins(in registry: ObjectRegistry = .shared) {
        registry.register(Mean.self)
        registry.register(Sum.self)
        registry.register(MeanMetricWrapper.self)
        registry.register(SparseCategoricalAccuracy.self)
        registry.register(CategoricalAccuracy.self)
        registry.register(BinaryAccuracy.self)
        registry.register(MeanSquaredError.self)
        registry.register(MeanAbsoluteError.self)
        registry.register(RootMeanSquaredError.self)
        registry.register(Precision.self)
        registry.register(Recall.self)
        registry.register(AUC.self)
    }
}
