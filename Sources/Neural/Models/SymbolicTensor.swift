/// A placeholder for a tensor in a functional model's graph (Keras's `KerasTensor`): its shape
/// without the batch dimension, and the layer call that produces it.
public final class SymbolicTensor: SymbolicValue {
    /// The shape of one sample (the batch dimension is left out).
    public let shape: [Int]
    /// The layer call that produced this tensor; nil for a model input.
    let producer: FunctionalNode?
    /// Which of the producer's outputs this is (0 unless the layer has several outputs).
    let outputIndex: Int
    /// The input this tensor stands for, when it is a model input.
    weak var input: Input?

    init(shape: [Int], producer: FunctionalNode?, outputIndex: Int = 0) {
        self.shape = shape
        self.producer = producer
        self.outputIndex = outputIndex
    }

    /// Itself.
    public var symbolic: SymbolicTensor { self }
}

/// One layer applied to symbolic inputs in a functional graph.
final class FunctionalNode {
    let layer: Layer
    let inputs: [SymbolicTensor]
    /// Whether the layer was called with a list (merge layers) rather than one tensor.
    let takesList: Bool
    /// Whether the layer was called for all its outputs (``Layer/outputs(for:)-([any SymbolicValue])``).
    let multipleOutputs: Bool

    init(layer: Layer, inputs: [SymbolicTensor], takesList: Bool, multipleOutputs: Bool = false) {
        self.layer = layer
        self.inputs = inputs
        self.takesList = takesList
        self.multipleOutputs = multipleOutputs
    }
}

/// Anything a layer can be applied to while building a functional model: an ``Input`` or the
/// ``SymbolicTensor`` another layer returned.
public protocol SymbolicValue: AnyObject {
    /// The graph placeholder this value stands for.
    var symbolic: SymbolicTensor { get }
}

/// A model input in the functional API (Keras's `Input(shape=...)`); also usable as the first
/// layer of a ``Sequential`` to declare its input shape.
public final class Input: Layer, SymbolicValue, ConfigurationRepresentable {
    /// The shape of one sample.
    public let shape: [Int]
    /// The placeholder layers are applied to.
    public let symbolic: SymbolicTensor

    /// An input taking samples of `shape` (batch dimension left out).
    public init(shape: [Int], name: String? = nil) {
        self.shape = shape
        self.symbolic = SymbolicTensor(shape: shape, producer: nil)
        super.init(name: name ?? LayerNames.unique(for: "InputLayer"), inputShape: shape)
        symbolic.input = self
    }

    /// Passes its input through, checking its shape.
    /// - Throws: ``LayerError/incompatibleInput(layer:expected:got:)``.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        guard Array(input.shape.dropFirst()) == shape else {
            throw LayerError.incompatibleInput(layer: name, expected: "[batch] + \(shape)", got: input.shape)
        }
        return input
    }

    /// `"InputLayer"`.
    public static let typeName = "InputLayer"

    /// The sample shape.
    public override var configuration: Configuration {
        var configuration = super.configuration
        configuration["shape"] = .array(shape.map { .int($0) })
        return configuration
    }

    /// Rebuilds a saved input.
    /// - Throws: ``ConfigurationError`` when the shape is missing.
    public convenience init(configuration: Configuration) throws {
        guard let shape = configuration["shape"]?.arrayValue?.compactMap(\.intValue) else {
            throw ConfigurationError.missingKey(type: Self.typeName, key: "shape")
        }
        self.init(shape: shape, name: configuration["name"]?.stringValue)
    }
}

extension Layer {
    /// Applies this layer to a graph placeholder, building it from the placeholder's shape, and
    /// returns the placeholder of its output (the functional API: `Dense(units: 30)(input)`).
    /// - Throws: ``LayerError`` when the layer cannot take that shape.
    public func callAsFunction(_ input: some SymbolicValue) throws -> SymbolicTensor {
        let input = input.symbolic
        let probe = Tensor(zeros: [1] + input.shape)
        let output = try withoutRecording { try self(probe, training: false) }
        return SymbolicTensor(shape: Array(output.shape.dropFirst()),
                              producer: FunctionalNode(layer: self, inputs: [input], takesList: false))
    }

    /// Applies this (merge) layer to several placeholders: `Concatenate()([normWide, hidden2])`.
    /// - Throws: ``LayerError`` when the layer cannot take those shapes.
    public func callAsFunction(_ inputs: [any SymbolicValue]) throws -> SymbolicTensor {
        let symbols = inputs.map(\.symbolic)
        let probes = symbols.map { Tensor(zeros: [1] + $0.shape) }
        let output = try withoutRecording { try self(probes, training: false) }
        return SymbolicTensor(shape: Array(output.shape.dropFirst()),
                              producer: FunctionalNode(layer: self, inputs: symbols, takesList: true))
    }

    /// Applies a layer with several outputs to placeholders and returns one placeholder per output
    /// (seed 000's `MyMultiLayer`: `let (sum, product, quotient)` from `[x1, x2]`).
    /// - Throws: ``LayerError`` when the layer cannot take those shapes.
    public func outputs(for inputs: [any SymbolicValue]) throws -> [SymbolicTensor] {
        let symbols = inputs.map(\.symbolic)
        let probes = symbols.map { Tensor(zeros: [1] + $0.shape) }
        let outputs = try withoutRecording { try self.outputs(for: probes, training: false) }
        let node = FunctionalNode(layer: self, inputs: symbols, takesList: true, multipleOutputs: true)
        return outputs.enumerated().map { index, output in
            SymbolicTensor(shape: Array(output.shape.dropFirst()), producer: node, outputIndex: index)
        }
    }
}
