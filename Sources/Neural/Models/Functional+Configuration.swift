/// Saving and rebuilding a functional model's graph, in the form of Keras 3's functional
/// configuration:
///
/// ```json
/// {"name": "wide_deep", "trainable": true,
///  "layers": [
///    {"class_name": "InputLayer", "name": "input_wide", "config": {...}, "inbound_nodes": []},
///    {"class_name": "Dense", "name": "hidden1", "config": {...},
///     "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__",
///                                  "config": {"shape": [null, 6], "dtype": "float32", "keras_history": ["input_deep", 0, 0]}}],
///                        "kwargs": {}}]},
///    {"class_name": "Concatenate", "name": "concat", "config": {...},
///     "inbound_nodes": [{"args": [[<tensor of input_wide>, <tensor of hidden2>]], "kwargs": {}}]}],
///  "input_layers": [["input_wide", 0, 0], ["input_deep", 0, 0]],
///  "output_layers": [["output", 0, 0], ["aux_output", 0, 0]]}
/// ```
///
/// Each layer appears once; each of its calls in the graph is an inbound node, numbered from 0 in
/// order. A tensor is named by `keras_history`: the layer, the call (node index) and the output
/// index (always 0: layers here have one output). A call on one tensor has that tensor as its only
/// argument; a call on a list (merge layers) has the list as its only argument.
extension Functional {
    /// The configuration ``configuration`` returns (see the extension's documentation).
    var functionalConfiguration: Configuration {
        var configuration: Configuration = ["name": .string(name), "trainable": .bool(trainable)]
        var nodeIndex: [ObjectIdentifier: Int] = [:]
        var nodesOfLayer: [ObjectIdentifier: [JSONValue]] = [:]
        var history: [ObjectIdentifier: JSONValue] = [:]   // node → [layer, node index, 0]

        func tensorReference(_ symbol: SymbolicTensor) -> JSONValue {
            let reference: JSONValue
            if let producer = symbol.producer {
                reference = history[ObjectIdentifier(producer)] ?? .null
            } else {
                reference = .array([.string(symbol.input?.name ?? ""), 0, 0])
            }
            return .object([
                "class_name": "__keras_tensor__",
                "config": .object([
                    "shape": .array([.null] + symbol.shape.map { .int($0) }),
                    "dtype": "float32",
                    "keras_history": reference,
                ]),
            ])
        }

        for node in nodes {
            let layerID = ObjectIdentifier(node.layer)
            let index = nodeIndex[layerID, default: 0]
            nodeIndex[layerID] = index + 1
            history[ObjectIdentifier(node)] = .array([.string(node.layer.name), .int(index), 0])
            let arguments = node.inputs.map(tensorReference)
            let argument: JSONValue = node.takesList ? .array(arguments) : arguments.first ?? .null
            nodesOfLayer[layerID, default: []].append(.object(["args": .array([argument]), "kwargs": .object([:])]))
        }

        configuration["layers"] = .array(layers.map { layer in
            let (className, layerConfiguration) = Functional.classNameAndConfiguration(of: layer)
            return .object([
                "class_name": .string(className),
                "name": .string(layer.name),
                "config": .object(layerConfiguration),
                "inbound_nodes": .array(nodesOfLayer[ObjectIdentifier(layer)] ?? []),
            ])
        })
        configuration["input_layers"] = .array(inputs.map { .array([.string($0.name), 0, 0]) })
        configuration["output_layers"] = .array(outputs.map { symbol in
            if let producer = symbol.producer, case .array(let reference)? = history[ObjectIdentifier(producer)] {
                return .array(reference)
            }
            return .array([.string(symbol.input?.name ?? ""), 0, 0])
        })
        return configuration
    }

    /// The class name a layer is saved under and its configuration: ``Functional`` models by
    /// `"Functional"`, others by their ``ConfigurationRepresentable/typeName`` (or, for a layer that
    /// cannot save itself, its Swift type name, which loading will report as unknown).
    static func classNameAndConfiguration(of layer: Layer) -> (String, Configuration) {
        if let representable = layer as? any ConfigurationRepresentable {
            return (type(of: representable).typeName, layer.configuration)
        }
        if type(of: layer) == Functional.self { return ("Functional", layer.configuration) }
        return (String(describing: type(of: layer)), layer.configuration)
    }

    /// A layer rebuilt from its class name and configuration: `"Functional"` here, other classes
    /// through ``ObjectRegistry/current`` (then the shared registry).
    /// - Throws: ``ConfigurationError/unknownType(kind:name:known:)`` for an unregistered class, and
    ///   what the class's `init(configuration:)` throws.
    static func makeLayer(className: String, configuration: Configuration) throws -> Layer {
        if className == "Functional" { return try Functional(configuration: configuration) }
        return try ObjectRegistry.resolving(className).make(className, configuration: configuration, as: Layer.self, kind: "layer")
    }

    /// Rebuilds a functional model from its ``configuration``: each layer from its class (built-ins and
    /// types registered with ``ObjectRegistry``), then each call in the graph, then the model. Weights
    /// are freshly initialized; load saved ones with ``Model/loadWeights(from:)`` (or load the whole
    /// model with ``Model/load(from:registry:customOptimizers:)``).
    ///
    /// A subclass of `Functional` (seed 001's model with its own `trainStep`) saves and loads as
    /// itself when it is a `final class` conforming to ``ConfigurationRepresentable`` with its own
    /// `typeName` (it inherits this initializer and ``configuration``) and is registered.
    ///
    /// - Throws: ``ConfigurationError`` naming the key or layer at fault (a reference to a layer not
    ///   in the list, a graph whose calls cannot be ordered, an unknown class), and ``LayerError``
    ///   when a layer cannot take its inputs.
    public convenience init(configuration: Configuration) throws {
        let type = "Functional"
        guard let layerEntries = configuration["layers"]?.arrayValue else {
            throw ConfigurationError.missingKey(type: type, key: "layers")
        }
        struct PendingNode {
            let layerName: String
            let index: Int
            let argument: JSONValue
        }
        var layersByName: [String: Layer] = [:]
        var pending: [PendingNode] = []
        for entry in layerEntries {
            guard let members = entry.objectValue else {
                throw ConfigurationError.invalidValue(type: type, key: "layers", expected: "layer objects", found: entry)
            }
            let className = try members.string("class_name", in: type)
            let layerConfiguration = members["config"]?.objectValue ?? [:]
            let layerName = members["name"]?.stringValue ?? layerConfiguration["name"]?.stringValue ?? ""
            guard !layerName.isEmpty, layersByName[layerName] == nil else {
                throw ConfigurationError.invalidValue(type: type, key: "layers", expected: "layers with distinct, non-empty names",
                                                      found: .string(layerName))
            }
            let layer = try Functional.makeLayer(className: className, configuration: layerConfiguration)
            // Graph references and saved weights use the listed name, whatever the layer's own
            // configuration did with it.
            layer.name = layerName
            layersByName[layerName] = layer
            for (index, node) in (members["inbound_nodes"]?.arrayValue ?? []).enumerated() {
                guard let arguments = node.objectValue?["args"]?.arrayValue, arguments.count == 1 else {
                    throw ConfigurationError.invalidValue(type: type, key: "inbound_nodes",
                                                          expected: "{\"args\": [tensor or list of tensors]} for '\(layerName)'", found: node)
                }
                pending.append(PendingNode(layerName: layerName, index: index, argument: arguments[0]))
            }
        }

        var produced: [String: SymbolicTensor] = [:]   // "layer#node" → output
        for (name, layer) in layersByName {
            if let input = layer as? Input { produced["\(name)#0"] = input.symbolic }
        }
        func referenceKey(_ reference: JSONValue, key: String) throws -> String {
            let history = reference.objectValue?["config"]?.objectValue?["keras_history"]?.arrayValue ?? reference.arrayValue
            guard let history, history.count >= 2, let layerName = history[0].stringValue, let node = history[1].intValue else {
                throw ConfigurationError.invalidValue(type: type, key: key, expected: "a tensor reference [layer, node, 0]", found: reference)
            }
            guard layersByName[layerName] != nil else {
                throw ConfigurationError.invalidValue(type: type, key: key, expected: "a reference to a listed layer", found: reference)
            }
            return "\(layerName)#\(node)"
        }
        // Calls are made once their inputs exist; several passes order graphs listed in any order.
        while !pending.isEmpty {
            var remaining: [PendingNode] = []
            for node in pending {
                let isList = node.argument.arrayValue != nil
                let references = node.argument.arrayValue ?? [node.argument]
                let keys = try references.map { try referenceKey($0, key: "inbound_nodes") }
                let previousCallDone = node.index == 0 || produced["\(node.layerName)#\(node.index - 1)"] != nil
                let symbols = keys.compactMap { produced[$0] }
                guard previousCallDone, symbols.count == keys.count, let layer = layersByName[node.layerName] else {
                    remaining.append(node)
                    continue
                }
                produced["\(node.layerName)#\(node.index)"] = isList ? try layer(symbols) : try layer(symbols[0])
            }
            guard remaining.count < pending.count else {
                throw ConfigurationError.invalidValue(
                    type: type, key: "inbound_nodes",
                    expected: "calls whose inputs can be computed (no cycles, no missing calls)",
                    found: .array(remaining.map { .string("\($0.layerName)#\($0.index)") }))
            }
            pending = remaining
        }

        let inputs = try (configuration["input_layers"]?.arrayValue ?? []).map { reference -> Input in
            let key = try referenceKey(reference, key: "input_layers")
            guard let input = layersByName[String(key.prefix { $0 != "#" })] as? Input else {
                throw ConfigurationError.invalidValue(type: type, key: "input_layers", expected: "references to InputLayer layers", found: reference)
            }
            return input
        }
        let outputs = try (configuration["output_layers"]?.arrayValue ?? []).map { reference -> SymbolicTensor in
            let key = try referenceKey(reference, key: "output_layers")
            guard let symbol = produced[key] else {
                throw ConfigurationError.invalidValue(type: type, key: "output_layers", expected: "references to calls in the graph", found: reference)
            }
            return symbol
        }
        try self.init(inputs: inputs, outputs: outputs, name: configuration["name"]?.stringValue)
        trainable = configuration["trainable"]?.boolValue ?? true
    }
}
