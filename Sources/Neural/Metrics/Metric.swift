/// A streaming metric (Keras's `keras.metrics.Metric`): state accumulated batch after batch in
/// non-trainable ``Variable``s, a ``result()`` computed from it, and ``reset()`` between epochs.
///
/// Subclasses override ``updateState(yTrue:yPred:sampleWeight:)`` and ``result()``, declare their
/// state as `Variable` properties (found automatically, as Keras tracks attributes; create them with
/// ``stateVariable(named:shape:)``), and add their hyperparameters to ``configuration`` and
/// ``init(configuration:)``. Seed 000's `HuberMetric`:
///
/// ```swift
/// final class HuberMetric: Metric {
///     override class var typeName: String { "HuberMetric" }
///     let threshold: Float
///     let total = Metric.stateVariable(named: "total")
///     let count = Metric.stateVariable(named: "count")
///     init(threshold: Float = 1, name: String? = nil) { self.threshold = threshold; super.init(name: name) }
///     required init(configuration: Configuration) throws {
///         threshold = Float(try configuration.double("threshold", in: Self.typeName))
///         try super.init(configuration: configuration)
///     }
///     override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) {
///         total.assignAdd(createHuber(threshold)(yTrue, yPred).sum())
///         count.assignAdd(Tensor(Float(yTrue.scalarCount)))
///     }
///     override func result() -> Float { total.value.scalar / count.value.scalar }
///     override var configuration: Configuration {
///         super.configuration.merging(["threshold": .double(Double(threshold))]) { $1 }
///     }
/// }
/// ```
///
/// Updates never reach a gradient tape: ``update(yTrue:yPred:sampleWeight:)`` runs the subclass's
/// update inside ``withoutRecording(_:)``.
open class Metric: ConfigurationRepresentable {
    /// The name saved with the configuration; the class name unless overridden (builtins give Keras's).
    open class var typeName: String { String(describing: self) }

    /// The name an instance gets when none is given: Keras's snake-case form of the class name
    /// (`HuberMetric` → `huber_metric`).
    open class var defaultName: String { snakeCased(typeName) }

    /// The metric's name, the key it is logged under (`"accuracy"`, `"mae"`...).
    public var name: String

    /// State added with ``addWeight(named:shape:)`` after initialization.
    private var addedVariables: [Variable] = []

    /// Creates a metric named `name`, or ``defaultName`` when `nil`.
    public init(name: String? = nil) {
        self.name = name ?? Self.defaultName
    }

    /// Rebuilds a metric from its configuration's `name` (``defaultName`` when absent); subclasses
    /// read their own keys and call this.
    ///
    /// - Throws: ``ConfigurationError`` when `name` is not a string.
    public required init(configuration: Configuration) throws {
        self.name = configuration["name"] == nil ? Self.defaultName : try configuration.string("name", in: Self.typeName)
    }

    /// `name` and `dtype` (`"float32"`), as Keras's `Metric.get_config()`; subclasses add their keys.
    open var configuration: Configuration {
        ["name": .string(name), "dtype": "float32"]
    }

    /// A zero-filled, non-trainable state variable, for declaring a metric's state as a property
    /// (Keras's `add_weight(name, initializer="zeros")`).
    public static func stateVariable(named name: String, shape: [Int] = []) -> Variable {
        Variable(Tensor(zeros: shape), trainable: false, name: name)
    }

    /// Creates a zero-filled, non-trainable state variable and tracks it (for state whose shape is
    /// known only after initialization).
    @discardableResult
    public final func addWeight(named name: String, shape: [Int] = []) -> Variable {
        let variable = Metric.stateVariable(named: name, shape: shape)
        addedVariables.append(variable)
        return variable
    }

    /// The metric's state: every `Variable` (or `[Variable]`) stored property, base classes first, in
    /// declaration order, then those added with ``addWeight(named:shape:)`` (Keras's `variables`).
    public var variables: [Variable] {
        var found: [Variable] = []
        var seen = Set<ObjectIdentifier>()
        func add(_ variable: Variable) {
            if seen.insert(ObjectIdentifier(variable)).inserted { found.append(variable) }
        }
        func collect(_ mirror: Mirror) {
            if let parent = mirror.superclassMirror { collect(parent) }
            for child in mirror.children where child.label != "addedVariables" {
                if let variable = child.value as? Variable {
                    add(variable)
                } else if let list = child.value as? [Variable] {
                    list.forEach(add)
                }
            }
        }
        collect(Mirror(reflecting: self))
        addedVariables.forEach(add)
        return found
    }

    /// Accumulates one batch: `yTrue` and `yPred`, optionally weighted per sample. Runs
    /// ``updateState(yTrue:yPred:sampleWeight:)`` with every tape paused.
    public final func update(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor? = nil) {
        withoutRecording { updateState(yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight) }
    }

    /// Updates with one batch and returns the result so far (Keras's `metric(y_true, y_pred)`).
    @discardableResult
    public final func callAsFunction(_ yTrue: Tensor, _ yPred: Tensor, sampleWeight: Tensor? = nil) -> Float {
        update(yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight)
        return result()
    }

    /// Accumulates one batch into the state (Keras's `update_state`). Subclasses override it; call
    /// ``update(yTrue:yPred:sampleWeight:)`` rather than this, so that nothing is recorded.
    open func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) {
        fatalError("\(Self.typeName) must override updateState(yTrue:yPred:sampleWeight:)")
    }

    /// Checks, before training, that `yTrue` (all the targets of one output, samples first) can be
    /// compared with predictions of shape `predictionShape` (samples first): what `fit` and
    /// `evaluate` call once per call, so that targets that do not fit end in an error instead of a
    /// trap in ``updateState(yTrue:yPred:sampleWeight:)``. The built-in metrics check their shape
    /// rules; the default accepts anything, since a custom metric knows its own inputs.
    ///
    /// - Throws: ``TargetError`` naming the metric and what does not fit.
    open func validateTargets(_ yTrue: Tensor, predictionShape: [Int]) throws(TargetError) {}

    /// The metric's value from the state accumulated so far. Subclasses override it.
    open func result() -> Float {
        fatalError("\(Self.typeName) must override result()")
    }

    /// Sets every state variable back to zero (Keras's `reset_state`), as `fit` does at each epoch.
    open func reset() {
        for variable in variables {
            variable.updateInPlace { buffer in buffer.update(repeating: 0) }
        }
    }
}

extension Metric: CustomStringConvertible {
    /// The type and the name, like Keras's `<Precision name=precision>`.
    public var description: String { "<\(Self.typeName) name=\(name)>" }
}

/// Keras's `to_snake_case`: `SparseCategoricalAccuracy` → `sparse_categorical_accuracy`, `AUC` → `auc`.
func snakeCased(_ name: String) -> String {
    let characters = Array(name.filter { $0.isLetter || $0.isNumber || $0 == "_" })
    var result = ""
    for (index, character) in characters.enumerated() {
        if index > 0, character.isUppercase {
            let previous = characters[index - 1]
            let nextIsLower = index + 1 < characters.count && characters[index + 1].isLowercase
            if previous.isLowercase || nextIsLower { result.append("_") }
        }
        result.append(character)
    }
    return result.lowercased()
}
