/// The building block of models: its weights plus its configuration, built on first call.
///
/// Subclass it as in Keras: create sublayers in `init`, weights in ``build(inputShape:)`` through
/// ``addWeight(name:shape:initializer:regularizer:constraint:trainable:)``, and compute in
/// ``call(_:training:)``. Sublayers and metrics stored in properties (directly, in arrays or in
/// optionals) are tracked automatically, so their weights, losses and metrics are the model's.
///
/// ```swift
/// final class MyDense: Layer {
///     let units: Int
///     var kernel: Variable!, bias: Variable!
///     init(units: Int) { self.units = units; super.init() }
///     override func build(inputShape: [Int]) throws {
///         kernel = addWeight(name: "kernel", shape: [inputShape.last!, units])
///         bias = addWeight(name: "bias", shape: [units], initializer: Zeros())
///     }
///     override func call(_ x: Tensor, training: Bool) throws -> Tensor {
///         matmul(x, kernel.value) + bias.value
///     }
/// }
/// ```
open class Layer {
    /// Unique within a model (`dense`, `dense_1`, ...), used in summaries and saved weights.
    public var name: String
    /// Whether optimizers update this layer's weights (false freezes it and its sublayers).
    open var trainable: Bool = true
    /// Whether ``build(inputShape:)`` has run.
    public private(set) var isBuilt = false
    /// The input shapes seen when the layer was built (batch dimension included as first seen).
    public private(set) var builtInputShapes: [[Int]] = []

    var ownWeights: [Variable] = []
    var weightRegularizers: [(Variable, any Regularizer)] = []
    var activityLosses: [Tensor] = []
    var addedMetrics: [Metrics.Mean] = []
    private var trackingCache: Tracking?

    struct Tracking {
        var layers: [Layer]
        var directLayers: [Layer]
        var metrics: [Metric]
    }

    /// The input shape (without the batch dimension) given at creation, if any: a ``Sequential``
    /// whose first layer knows it is built at once (Keras's `input_shape=` argument).
    public var declaredInputShape: [Int]?

    /// Creates a layer; without a name it gets its type's snake-case name, numbered when repeated.
    /// `inputShape` (without the batch dimension) lets a model built on this layer exist before data.
    public init(name: String? = nil, inputShape: [Int]? = nil) {
        self.name = name ?? LayerNames.unique(for: String(describing: type(of: self)))
        self.declaredInputShape = inputShape
    }

    // MARK: - What subclasses override

    /// Creates the weights once the input shape is known. Runs once, before the first call.
    /// - Throws: ``LayerError`` when the shape is not one the layer accepts.
    open func build(inputShape: [Int]) throws {}

    /// Builds from several input shapes (merge layers override this); by default the first is used.
    open func build(inputShapes: [[Int]]) throws {
        guard let first = inputShapes.first else { throw LayerError.wrongInputCount(layer: name, expected: "1", got: 0) }
        try build(inputShape: first)
    }

    /// The forward pass for one input.
    /// - Throws: ``LayerError`` for inputs the layer cannot take.
    open func call(_ input: Tensor, training: Bool) throws -> Tensor {
        throw LayerError.callNotImplemented(layer: name)
    }

    /// The forward pass for several inputs (merge layers override this); by default one input is
    /// required and handed to ``call(_:training:)-(Tensor,_)``.
    open func call(_ inputs: [Tensor], training: Bool) throws -> Tensor {
        guard inputs.count == 1 else { throw LayerError.wrongInputCount(layer: name, expected: "1", got: inputs.count) }
        return try call(inputs[0], training: training)
    }

    /// Every output of the forward pass, for layers with several outputs (seed 000's `MyMultiLayer`
    /// returns `X1 + X2, X1 * X2, X1 / X2`); by default the single output of
    /// ``call(_:training:)-([Tensor],_)``. Call it through ``outputs(for:training:)``.
    /// - Throws: ``LayerError`` for inputs the layer cannot take.
    open func callOutputs(_ inputs: [Tensor], training: Bool) throws -> [Tensor] {
        [try call(inputs, training: training)]
    }

    /// The arguments that rebuild this layer (Keras's `get_config()`); subclasses add theirs to it.
    open var configuration: Configuration { ["name": .string(name), "trainable": .bool(trainable)] }

    // MARK: - Calling

    /// Builds the layer if needed, then runs ``call(_:training:)-(Tensor,_)``.
    /// - Throws: ``LayerError`` from building or calling.
    public final func callAsFunction(_ input: Tensor, training: Bool = false) throws -> Tensor {
        try buildIfNeeded([input.shape])
        activityLosses.removeAll(keepingCapacity: true)
        let output = try call(input, training: training)
        if outputShape == nil { outputShape = Array(output.shape.dropFirst()) }
        return output
    }

    /// Builds the layer if needed, then runs ``call(_:training:)-([Tensor],_)`` on several inputs.
    /// - Throws: ``LayerError`` from building or calling.
    public final func callAsFunction(_ inputs: [Tensor], training: Bool = false) throws -> Tensor {
        try buildIfNeeded(inputs.map(\.shape))
        activityLosses.removeAll(keepingCapacity: true)
        let output = try call(inputs, training: training)
        if outputShape == nil { outputShape = Array(output.shape.dropFirst()) }
        return output
    }

    /// Builds the layer if needed, then returns every output of ``callOutputs(_:training:)`` (what
    /// calling a multi-output layer gives in Keras).
    /// - Throws: ``LayerError`` from building or calling.
    public final func outputs(for inputs: [Tensor], training: Bool = false) throws -> [Tensor] {
        try buildIfNeeded(inputs.map(\.shape))
        activityLosses.removeAll(keepingCapacity: true)
        let outputs = try callOutputs(inputs, training: training)
        if outputShape == nil, let first = outputs.first { outputShape = Array(first.shape.dropFirst()) }
        return outputs
    }

    /// The shape of this layer's output without the batch dimension, known once it has been called
    /// (`summary()` prints it).
    public internal(set) var outputShape: [Int]?

    /// Builds with the given input shapes unless already built.
    /// - Throws: what ``build(inputShapes:)`` throws.
    public func buildIfNeeded(_ inputShapes: [[Int]]) throws {
        guard !isBuilt else { return }
        try build(inputShapes: inputShapes)
        builtInputShapes = inputShapes
        isBuilt = true
        invalidateTracking()
    }

    // MARK: - Weights

    /// Creates a weight, initialized now, whose regularizer joins ``losses`` and whose constraint the
    /// optimizer applies after each update (Keras's `add_weight`).
    @discardableResult
    public func addWeight(
        name: String, shape: [Int], initializer: any Initializer = GlorotUniform(),
        regularizer: (any Regularizer)? = nil, constraint: (any Constraint)? = nil, trainable: Bool = true
    ) -> Variable {
        let value = GlobalRandom.withGenerator { initializer(shape: shape, generator: &$0) }
        let variable = Variable(value, trainable: trainable, name: "\(self.name)/\(name)")
        if let constraint { variable.constraint = { constraint($0) } }
        ownWeights.append(variable)
        if let regularizer { weightRegularizers.append((variable, regularizer)) }
        return variable
    }

    /// This layer's weights and its sublayers', in tracking order.
    public var weights: [Variable] { allLayers.flatMap(\.ownWeights) }

    /// The weights optimizers update: those created trainable, in layers that are trainable and not
    /// inside a frozen layer.
    public var trainableWeights: [Variable] {
        var seen = Set<ObjectIdentifier>()
        var result: [Variable] = []
        func visit(_ layer: Layer) {
            guard layer.trainable, seen.insert(ObjectIdentifier(layer)).inserted else { return }
            result += layer.ownWeights.filter(\.trainable)
            for child in layer.tracked.directLayers { visit(child) }
        }
        visit(self)
        return result
    }

    /// The weights optimizers leave alone (statistics such as BatchNormalization's moving mean, and
    /// every weight of a frozen layer).
    public var nonTrainableWeights: [Variable] {
        let trainable = Set(trainableWeights.map(ObjectIdentifier.init))
        return weights.filter { !trainable.contains(ObjectIdentifier($0)) }
    }

    /// The number of scalars in all weights.
    public var parameterCount: Int { weights.reduce(0) { $0 + $1.shape.reduce(1, *) } }

    // MARK: - Losses

    /// Adds a loss computed in ``call(_:training:)-(Tensor,_)`` (an activity regularization, a
    /// reconstruction loss); `fit` adds it to the compiled loss. Cleared at each call of the layer.
    public func addLoss(_ loss: Tensor) { activityLosses.append(loss) }

    /// Reports the running mean of `value` under `name` in the model's metrics (Keras's
    /// `add_metric(value, name=...)`): call it from ``call(_:training:)-(Tensor,_)``, e.g. with the
    /// reconstruction loss of seed 000's `ReconstructingRegressor`. The mean is a ``Metrics/Mean``
    /// created on the first call with that name, reset with the model's other metrics at each epoch.
    public func addMetric(_ value: Tensor, name: String) {
        let metric: Metrics.Mean
        if let existing = addedMetrics.first(where: { $0.name == name }) {
            metric = existing
        } else {
            metric = Metrics.Mean(name: name)
            addedMetrics.append(metric)
        }
        metric.update(values: value)
    }

    /// The losses of the last call plus the weight regularization penalties computed now (inside a
    /// tape, they are differentiable), for this layer and its sublayers.
    public var losses: [Tensor] {
        allLayers.flatMap { layer in
            layer.activityLosses + layer.weightRegularizers.map { variable, regularizer in regularizer(variable.value) }
        }
    }

    // MARK: - Tracking

    /// This layer then every layer reachable through its properties, each once, in declaration order.
    public var allLayers: [Layer] { tracked.layers }

    /// The direct and nested sublayers (not this layer).
    public var sublayers: [Layer] { Array(tracked.layers.dropFirst()) }

    /// Metric objects stored in this layer's or its sublayers' properties (the seed's
    /// `reconstruction_mean`), then those made by ``addMetric(_:name:)``; models report them in
    /// `fit`'s logs.
    public var trackedMetrics: [Metric] {
        // Added metrics appear during a call, after the tracking was cached: read them each time.
        tracked.metrics + tracked.layers.flatMap(\.addedMetrics)
    }

    /// Forgets the cached list of sublayers; call after changing which layers a property holds.
    public func invalidateTracking() { trackingCache = nil }

    private var tracked: Tracking {
        if let trackingCache { return trackingCache }
        var layers: [Layer] = []
        var metrics: [Metric] = []
        var seenLayers = Set<ObjectIdentifier>(), seenMetrics = Set<ObjectIdentifier>()
        var directLayers: [Layer] = []
        func visit(_ layer: Layer, depth: Int) {
            guard seenLayers.insert(ObjectIdentifier(layer)).inserted else { return }
            layers.append(layer)
            for child in layer.trackableChildren() {
                switch child {
                case .layer(let sublayer):
                    if depth == 0 && !directLayers.contains(where: { $0 === sublayer }) { directLayers.append(sublayer) }
                    visit(sublayer, depth: depth + 1)
                case .metric(let metric):
                    if seenMetrics.insert(ObjectIdentifier(metric)).inserted { metrics.append(metric) }
                }
            }
        }
        visit(self, depth: 0)
        let tracking = Tracking(layers: layers, directLayers: directLayers, metrics: metrics)
        trackingCache = tracking
        return tracking
    }

    enum TrackedChild {
        case layer(Layer)
        case metric(Metric)
    }

    /// The layers and metrics held by this object's stored properties (and its superclasses'),
    /// found by reflection, looking inside arrays, dictionaries and optionals.
    func trackableChildren() -> [TrackedChild] {
        var children: [TrackedChild] = []
        func collect(_ value: Any, depth: Int) {
            if let layer = value as? Layer {
                if layer !== self { children.append(.layer(layer)) }
                return
            }
            if let metric = value as? Metric {
                children.append(.metric(metric))
                return
            }
            guard depth < 3 else { return }
            let mirror = Mirror(reflecting: value)
            switch mirror.displayStyle {
            case .collection?, .optional?, .dictionary?, .tuple?, .set?:
                for child in mirror.children { collect(child.value, depth: depth + 1) }
            default:
                break
            }
        }
        var mirror: Mirror? = Mirror(reflecting: self)
        while let current = mirror {
            for child in current.children where child.label.map({ !$0.hasPrefix("trackingCache") && $0 != "addedMetrics" }) ?? true {
                collect(child.value, depth: 0)
            }
            mirror = current.superclassMirror
        }
        return children
    }
}

/// Per-type counters for default layer names (`dense`, `dense_1`, ...), like Keras's.
enum LayerNames {
    private static let counters = Mutex<[String: Int]>([:])

    static func unique(for typeName: String) -> String {
        let base = snakeCase(typeName)
        let index = counters.withLock { counters -> Int in
            let next = counters[base, default: 0]
            counters[base] = next + 1
            return next
        }
        return index == 0 ? base : "\(base)_\(index)"
    }

    /// `BatchNormalization` → `batch_normalization`, `Conv2D` → `conv2d`.
    static func snakeCase(_ name: String) -> String {
        let plain = name.split(separator: "<").first.map(String.init) ?? name
        var result = ""
        let characters = Array(plain)
        for (index, character) in characters.enumerated() {
            if character.isUppercase {
                let previous = index > 0 ? characters[index - 1] : nil
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                if let previous, previous.isLowercase || (previous.isUppercase && (next?.isLowercase ?? false)) {
                    result.append("_")
                }
                result.append(Character(character.lowercased()))
            } else {
                result.append(character)
            }
        }
        return result
    }
}

import Synchronization
