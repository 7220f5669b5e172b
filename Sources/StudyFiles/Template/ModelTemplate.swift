import Neural
import Tuning

/// The `model` section: a Keras-like description of the network whose sizes and choices may name
/// hyperparameters. A list is a Sequential model; a mapping with `inputs`, `nodes` and `outputs` is
/// a functional model (Wide & Deep).
public enum ModelTemplate: Sendable {
    /// Layers applied in order.
    case sequential([LayerTemplate])
    /// A graph of named inputs and nodes.
    case functional(FunctionalTemplate)
}

/// One item of a layer list.
public indirect enum LayerTemplate: Sendable {
    /// A layer of a registered class with its arguments, present when its conditions hold.
    case layer(LayerSpec)
    /// `count` copies of `layers` (the count may name an integer hyperparameter), when the conditions hold.
    case repeated(count: TemplateValue, layers: [LayerTemplate], conditions: [Condition], keyPath: String)
    /// `layers`, present only when the conditions hold.
    case block(layers: [LayerTemplate], conditions: [Condition], keyPath: String)
}

/// One layer of a template: an `ObjectRegistry` class name (`Dense`), its arguments and conditions.
public struct LayerSpec: Sendable {
    /// The registered class name the file's name resolved to (`dense` → `Dense`).
    public var className: String
    /// The arguments, as in Keras's layer configuration (`units`, `activation`, ...).
    public var arguments: [String: TemplateValue]
    /// Conditions from the item's `when` (all must hold).
    public var conditions: [Condition]
    /// Where the layer is in the file (`model[2].dense`), for messages.
    public var keyPath: String

    /// A layer spec.
    public init(className: String, arguments: [String: TemplateValue], conditions: [Condition] = [], keyPath: String) {
        self.className = className
        self.arguments = arguments
        self.conditions = conditions
        self.keyPath = keyPath
    }
}

/// A functional model: named inputs with shapes, nodes that apply layers to earlier names, and the
/// names whose values the model outputs.
public struct FunctionalTemplate: Sendable {
    /// One model input.
    public struct InputSpec: Sendable, Hashable {
        /// The name nodes refer to (and `data.inputs` splits columns by).
        public var name: String
        /// The shape of one sample.
        public var shape: [Int]
    }

    /// One node: `layers` applied in turn to `inputs` (several inputs go to the first layer as a list,
    /// as `concatenate` needs).
    public struct Node: Sendable {
        /// The name later nodes and `outputs` refer to.
        public var name: String
        /// Names of inputs or earlier nodes.
        public var inputs: [String]
        /// The layers applied in turn (an empty chain passes its single input through).
        public var layers: [LayerTemplate]
        /// Where the node is in the file.
        public var keyPath: String
    }

    /// The inputs, in the order the model takes their data.
    public var inputs: [InputSpec]
    /// The nodes, each after the names it uses.
    public var nodes: [Node]
    /// The names of the outputs.
    public var outputs: [String]
}
