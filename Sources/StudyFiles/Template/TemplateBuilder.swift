import Neural
import Tuning

/// Builds layers and models from a template for one set of hyperparameter values.
public struct TemplateBuilder {
    /// The active hyperparameters' values (conditions are decided on them).
    public var values: [String: HyperParameterValue]
    /// Values used for references to parameters missing from `values` (inactive ones): their defaults.
    public var fallbacks: [String: HyperParameterValue]
    /// Where layer classes are looked up.
    public var registry: ObjectRegistry

    /// A builder for `values`, falling back to `fallbacks` for missing names.
    public init(values: [String: HyperParameterValue], fallbacks: [String: HyperParameterValue] = [:], registry: ObjectRegistry = .shared) {
        self.values = values
        self.fallbacks = fallbacks
        self.registry = registry
    }

    /// The trial's values of `hp` with every declared parameter's default as fallback.
    public init(hp: HyperParameters, registry: ObjectRegistry = .shared) {
        var fallbacks: [String: HyperParameterValue] = [:]
        for spec in hp.space.specs { fallbacks[spec.name] = spec.defaultValue }
        self.init(values: hp.values, fallbacks: fallbacks, registry: registry)
    }

    private var resolutionValues: [String: HyperParameterValue] {
        values.merging(fallbacks) { value, _ in value }
    }

    /// `value` with references replaced by the values.
    public func resolve(_ value: TemplateValue) -> JSONValue {
        value.resolved(with: resolutionValues)
    }

    /// Whether all `conditions` hold for the values.
    public func holds(_ conditions: [Condition]) -> Bool {
        conditions.allSatisfy { $0.isSatisfied(by: values) }
    }

    /// The model the template describes (not compiled).
    ///
    /// - Throws: `ModelBuildError` naming the template item whose layer or graph failed.
    public func buildModel(_ template: ModelTemplate, name: String? = nil) throws(ModelBuildError) -> Model {
        switch template {
        case .sequential(let items):
            return Sequential(try layers(items), name: name)
        case .functional(let graph):
            return try functionalModel(graph, name: name)
        }
    }

    /// The layers of `items` in order, with repeats expanded and inactive items left out.
    ///
    /// - Throws: `ModelBuildError` for a layer whose class or arguments are refused, or a repeat
    ///   count that is not a non-negative integer.
    public func layers(_ items: [LayerTemplate]) throws(ModelBuildError) -> [Layer] {
        var result: [Layer] = []
        for item in items {
            switch item {
            case .layer(let spec):
                if holds(spec.conditions) { result.append(try makeLayer(spec)) }
            case .repeated(let countValue, let inner, let conditions, let keyPath):
                guard holds(conditions) else { continue }
                let resolved = resolve(countValue)
                guard let count = resolved.intValue, count >= 0 else {
                    throw ModelBuildError(keyPath: keyPath, message: "the repeat count must be a non-negative integer, found \(resolved)", argument: "repeat")
                }
                for _ in 0..<count { result += try layers(inner) }
            case .block(let inner, let conditions, _):
                if holds(conditions) { result += try layers(inner) }
            }
        }
        return result
    }

    /// A new layer for `spec` with its arguments resolved.
    ///
    /// - Throws: `ModelBuildError` naming the argument when the layer's configuration refuses it.
    public func makeLayer(_ spec: LayerSpec) throws(ModelBuildError) -> Layer {
        let configuration = spec.arguments.mapValues(resolve)
        do {
            return try registry.make(spec.className, configuration: configuration, as: Layer.self, kind: "layer")
        } catch let error as ConfigurationError {
            switch error {
            case .missingKey(_, let key):
                throw ModelBuildError(keyPath: spec.keyPath, message: "missing argument \"\(key)\" for \(spec.className)")
            case .invalidValue(let type, let key, let expected, let found):
                throw ModelBuildError(keyPath: spec.keyPath, message: "\(type): should be \(expected), found \(Self.show(found))", argument: key)
            case .unknownType(let kind, let name, _):
                let message = name == spec.className
                    ? "\(spec.className) is not a layer class"
                    : "unknown \(kind) \"\(name)\""
                throw ModelBuildError(keyPath: spec.keyPath, message: message)
            }
        } catch {
            throw ModelBuildError(keyPath: spec.keyPath, message: "\(spec.className): \(error)")
        }
    }

    static func show(_ value: JSONValue) -> String {
        switch value {
        case .null: return "nothing (null)"
        case .bool(let flag): return String(flag)
        case .int(let number): return String(number)
        case .uint(let number): return String(number)
        case .double(let number): return String(number)
        case .string(let text): return "\"\(text)\""
        case .array: return "a list"
        case .object: return "a mapping"
        }
    }

    private func functionalModel(_ graph: FunctionalTemplate, name: String?) throws(ModelBuildError) -> Model {
        var symbols: [String: any SymbolicValue] = [:]
        var inputs: [Input] = []
        for spec in graph.inputs {
            let input = Input(shape: spec.shape, name: spec.name)
            inputs.append(input)
            symbols[spec.name] = input
        }
        for node in graph.nodes {
            var sources: [any SymbolicValue] = []
            for inputName in node.inputs {
                guard let source = symbols[inputName] else {
                    throw ModelBuildError(keyPath: node.keyPath, message: "\"\(inputName)\" is not an input or an earlier node", argument: "inputs")
                }
                sources.append(source)
            }
            let chain = try layers(node.layers)
            // A node ending in a layer without an explicit name gives that layer the node's name, so
            // the logs of a model with several outputs read `output_loss`, `aux_output_loss`.
            if case .layer(let spec)? = node.layers.last, spec.arguments["name"] == nil, holds(spec.conditions) {
                chain.last?.name = node.name
            }
            do {
                guard let first = chain.first else {
                    guard sources.count == 1 else {
                        throw ModelBuildError(keyPath: node.keyPath, message: "no layer is active to combine \(sources.count) inputs")
                    }
                    symbols[node.name] = sources[0]
                    continue
                }
                var current: any SymbolicValue = sources.count == 1 ? try first(sources[0]) : try first(sources)
                for layer in chain.dropFirst() { current = try layer(current) }
                symbols[node.name] = current
            } catch let error as ModelBuildError {
                throw error
            } catch {
                throw ModelBuildError(keyPath: node.keyPath, message: "\(error)")
            }
        }
        var outputs: [SymbolicTensor] = []
        for outputName in graph.outputs {
            guard let output = symbols[outputName] else {
                throw ModelBuildError(keyPath: "model.outputs", message: "\"\(outputName)\" is not an input or a node")
            }
            outputs.append(output.symbolic)
        }
        do {
            return try Functional(inputs: inputs, outputs: outputs, name: name)
        } catch {
            throw ModelBuildError(keyPath: "model", message: "\(error)")
        }
    }
}
