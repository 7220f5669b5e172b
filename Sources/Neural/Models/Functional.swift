/// A model defined by a graph of layers from inputs to outputs (Keras's functional API), with
/// several inputs and outputs if needed: seed 002's Wide & Deep model.
///
/// ```swift
/// let inputWide = Input(shape: [5]), inputDeep = Input(shape: [6])
/// let hidden1 = try Dense(units: 30, activation: .relu)(inputDeep)
/// let hidden2 = try Dense(units: 30, activation: .relu)(hidden1)
/// let concat = try Concatenate()([inputWide, hidden2])
/// let output = try Dense(units: 1, name: "output")(concat)
/// let auxOutput = try Dense(units: 1, name: "aux_output")(hidden2)
/// let model = try Functional(inputs: [inputWide, inputDeep], outputs: [output, auxOutput])
/// ```
/// Subclass it to override `trainStep` / `testStep` for a graph model (seed 001's `CustomModel`).
open class Functional: Model {
    /// The model inputs, in the order `fit` and `predict` take their tensors.
    public let inputs: [Input]
    /// The placeholders whose values the model returns.
    public let outputs: [SymbolicTensor]
    /// Every layer call, in an order where each input is computed before it is used.
    let nodes: [FunctionalNode]
    /// The graph's layers held directly, so that tracking (which does not look inside graph nodes)
    /// finds them, and with them the model's weights, losses and metrics.
    private let graphLayers: [Layer]

    /// Creates the model from its inputs and outputs.
    /// - Throws: ``LayerError/invalidGraph(message:)`` when an output depends on an input that is not
    ///   listed, or no outputs are given.
    public init(inputs: [Input], outputs: [SymbolicTensor], name: String? = nil) throws {
        guard !outputs.isEmpty else { throw LayerError.invalidGraph(message: "a model needs at least one output") }
        self.inputs = inputs
        self.outputs = outputs
        var ordered: [FunctionalNode] = []
        var visited = Set<ObjectIdentifier>()
        let inputSymbols = Set(inputs.map { ObjectIdentifier($0.symbolic) })
        func visit(_ tensor: SymbolicTensor) throws {
            guard let node = tensor.producer else {
                guard inputSymbols.contains(ObjectIdentifier(tensor)) else {
                    let inputName = tensor.input?.name ?? "an input"
                    throw LayerError.invalidGraph(message: "an output depends on '\(inputName)', which is not among the model's inputs")
                }
                return
            }
            guard visited.insert(ObjectIdentifier(node)).inserted else { return }
            for input in node.inputs { try visit(input) }
            ordered.append(node)
        }
        for output in outputs { try visit(output) }
        nodes = ordered
        var seenLayers = Set<ObjectIdentifier>()
        graphLayers = (inputs as [Layer] + ordered.map(\.layer)).filter { seenLayers.insert(ObjectIdentifier($0)).inserted }
        super.init(name: name)
        try buildIfNeeded(inputs.map { [1] + $0.shape })
    }

    /// A one-input, one-output model.
    /// - Throws: ``LayerError/invalidGraph(message:)`` as the general initializer.
    public convenience init(inputs: Input, outputs: SymbolicTensor, name: String? = nil) throws {
        try self.init(inputs: [inputs], outputs: [outputs], name: name)
    }

    /// The layers in the order they run (inputs first), each once.
    public var layers: [Layer] { graphLayers }

    /// The graph as Keras's functional configuration holds it: every layer with its configuration and
    /// the layers its calls take their inputs from, and the model's inputs and outputs (see
    /// Functional+Configuration.swift, which also rebuilds a model from it).
    open override var configuration: Configuration { functionalConfiguration }

    /// The graph's layers, in the order they run, then what the stored properties hold: the graph
    /// lives in nodes the property walk does not enter, so without this no weight would be tracked
    /// (and `fit` would train nothing).
    override func trackableChildren() -> [TrackedChild] {
        layers.map { .layer($0) } + super.trackableChildren()
    }

    /// The output layers' names (`output_loss`, `aux_output_loss` in the logs).
    open override var outputNames: [String] {
        outputs.map { $0.producer?.layer.name ?? $0.input?.name ?? "output" }
    }

    /// The number of outputs (a single compiled loss serves them all).
    open override var knownOutputCount: Int? { outputs.count }

    /// Builds nothing more: the layers were built while the graph was made.
    public override func build(inputShapes: [[Int]]) throws {}

    /// Runs the graph and returns every output.
    /// - Throws: ``LayerError`` when the number of inputs differs from the model's, or from a layer.
    open override func callOutputs(_ inputs: [Tensor], training: Bool) throws -> [Tensor] {
        guard inputs.count == self.inputs.count else {
            throw LayerError.wrongInputCount(layer: name, expected: "\(self.inputs.count)", got: inputs.count)
        }
        var values: [ObjectIdentifier: Tensor] = [:]
        for (input, tensor) in zip(self.inputs, inputs) {
            values[ObjectIdentifier(input.symbolic)] = try input(tensor, training: training)
        }
        func value(of symbol: SymbolicTensor) throws -> Tensor {
            if let tensor = values[ObjectIdentifier(symbol)] { return tensor }
            throw LayerError.invalidGraph(message: "a layer's input was not computed before it")
        }
        // Each node's output symbols are found through the tensors that reference it (and their index
        // among the outputs of a multi-output layer).
        var nodeOutputs: [ObjectIdentifier: [Tensor]] = [:]
        func computed(_ symbol: SymbolicTensor) throws -> Tensor {
            if let producer = symbol.producer, let results = nodeOutputs[ObjectIdentifier(producer)] {
                guard symbol.outputIndex < results.count else {
                    throw LayerError.invalidGraph(message: "layer '\(producer.layer.name)' returned \(results.count) output(s), output \(symbol.outputIndex) is used")
                }
                return results[symbol.outputIndex]
            }
            return try value(of: symbol)
        }
        for node in nodes {
            let arguments = try node.inputs.map(computed)
            if node.multipleOutputs {
                nodeOutputs[ObjectIdentifier(node)] = try node.layer.outputs(for: arguments, training: training)
            } else {
                nodeOutputs[ObjectIdentifier(node)] = [node.takesList
                    ? try node.layer(arguments, training: training)
                    : try node.layer(arguments[0], training: training)]
            }
        }
        return try outputs.map(computed)
    }

    /// The first output.
    /// - Throws: as ``callOutputs(_:training:)``.
    open override func call(_ inputs: [Tensor], training: Bool) throws -> Tensor {
        try callOutputs(inputs, training: training)[0]
    }

    /// The first output of a one-input model.
    /// - Throws: as ``callOutputs(_:training:)``.
    open override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        try callOutputs([input], training: training)[0]
    }
}
