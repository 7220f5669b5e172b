import Neural
import Tuning

extension StudyFileParser {
    // MARK: - Values

    /// A template value: a bare string naming a hyperparameter or `{hp: name}` is a reference; lists
    /// and mappings are read element by element; other scalars are literals.
    func parseTemplateValue(_ value: YAMLValue, at path: String) -> TemplateValue? {
        switch value.kind {
        case .null: return .literal(.null)
        case .bool(let flag): return .literal(.bool(flag))
        case .int(let number): return .literal(.int(number))
        case .double(let number): return .literal(.double(number))
        case .string(let text):
            return names.contains(text) ? .hyperParameter(text) : .literal(.string(text))
        case .sequence(let elements):
            var result: [TemplateValue] = []
            for (index, element) in elements.enumerated() {
                guard let parsed = parseTemplateValue(element, at: "\(path)[\(index)]") else { return nil }
                result.append(parsed)
            }
            return .list(result)
        case .mapping(let entries):
            if entries.count == 1, entries[0].key == "hp" {
                guard let name = reader.string(entries[0].value, at: "\(path).hp") else { return nil }
                guard names.contains(name) else {
                    reader.fail(entries[0].value, "\(path).hp", "unknown hyperparameter \"\(name)\"",
                                suggestion: NameSuggestion.closest(to: name, among: names))
                    return nil
                }
                return .hyperParameter(name)
            }
            var result: [String: TemplateValue] = [:]
            for entry in entries {
                guard let parsed = parseTemplateValue(entry.value, at: "\(path).\(entry.key)") else { return nil }
                result[entry.key] = parsed
            }
            return .object(result)
        }
    }

    /// Reports a string literal that is one or two edits from a hyperparameter's name as a
    /// misspelled reference; returns whether it did.
    @discardableResult
    func reportNearReference(_ value: YAMLValue, at path: String) -> Bool {
        guard let text = value.string, !names.contains(text),
              let near = NameSuggestion.closest(to: text, among: names) else { return false }
        reader.fail(value, path, "unknown hyperparameter \"\(text)\"", suggestion: near)
        return true
    }

    /// The values a reference may take, for validating a template against each of them.
    func sampleValues(of name: String) -> [HyperParameterValue] {
        guard let spec = specs[name] else { return [] }
        switch spec.kind {
        case .int(let domain): return [.int(domain.defaultValue), .int(domain.min), .int(domain.max)]
        case .float(let domain): return [.float(domain.defaultValue), .float(domain.min), .float(domain.max)]
        case .choice(let domain): return domain.values
        case .boolean: return [.bool(false), .bool(true)]
        case .fixed(let value): return [value]
        }
    }

    /// Every declared parameter at its default.
    var defaultValues: [String: HyperParameterValue] {
        var result: [String: HyperParameterValue] = [:]
        for (name, spec) in specs { result[name] = spec.defaultValue }
        return result
    }

    // MARK: - Model

    /// The `model` section: a list (Sequential) or `{inputs, nodes, outputs}` (functional).
    func parseModel(_ value: YAMLValue) -> ModelTemplate? {
        if let elements = value.elements {
            let before = reader.issues.count
            let items = parseLayerList(elements, at: "model")
            guard reader.issues.count == before else { return nil }
            return .sequential(items)
        }
        guard let fields = reader.mapping(
            value, at: "model", allowed: ["inputs", "nodes", "outputs"], required: ["inputs", "nodes", "outputs"],
            what: "a list of layers (Sequential) or a mapping")
        else { return nil }
        let before = reader.issues.count
        var inputs: [FunctionalTemplate.InputSpec] = []
        var known: [String] = []
        if let section = fields["inputs"] {
            if let entries = section.entries, !entries.isEmpty {
                for entry in entries {
                    let path = "model.inputs.\(entry.key)"
                    var shapeValue: YAMLValue? = entry.value
                    if entry.value.entries != nil {
                        shapeValue = reader.mapping(entry.value, at: path, allowed: ["shape"], required: ["shape"])?["shape"]
                    }
                    guard let shapeValue, let list = reader.sequence(shapeValue, at: "\(path).shape") else { continue }
                    let shape = list.enumerated().compactMap { reader.int($1, at: "\(path).shape[\($0)]", in: 1...Int.max) }
                    guard shape.count == list.count, !shape.isEmpty else {
                        if list.isEmpty { reader.fail(shapeValue, "\(path).shape", "an input shape needs at least one dimension") }
                        continue
                    }
                    inputs.append(.init(name: entry.key, shape: shape))
                    known.append(entry.key)
                }
            } else {
                reader.fail(section, "model.inputs", "expected a mapping from input names to shapes, such as { wide: [5], deep: [6] }, found \(section.summary)")
            }
        }
        var nodes: [FunctionalTemplate.Node] = []
        if let list = fields["nodes"].flatMap({ reader.sequence($0, at: "model.nodes") }) {
            for (index, element) in list.enumerated() {
                let path = "model.nodes[\(index)]"
                guard let node = parseNode(element, at: path, known: known) else { continue }
                if known.contains(node.name) {
                    reader.fail(element, "\(path).name", "the name \"\(node.name)\" is already used by an input or an earlier node")
                    continue
                }
                known.append(node.name)
                nodes.append(node)
            }
        }
        var outputs: [String] = []
        if let outputValue = fields["outputs"] {
            let list = outputValue.elements ?? [outputValue]
            for (index, element) in list.enumerated() {
                let path = outputValue.elements == nil ? "model.outputs" : "model.outputs[\(index)]"
                guard let name = reader.string(element, at: path) else { continue }
                guard known.contains(name) else {
                    reader.fail(element, path, "\"\(name)\" is not an input or a node", suggestion: NameSuggestion.closest(to: name, among: known))
                    continue
                }
                outputs.append(name)
            }
            if list.isEmpty { reader.fail(outputValue, "model.outputs", "give at least one output") }
        }
        guard reader.issues.count == before else { return nil }
        let graph = FunctionalTemplate(inputs: inputs, nodes: nodes, outputs: outputs)
        // Build the graph once with the defaults: checks shapes and wiring before any trial runs.
        do {
            _ = try TemplateBuilder(values: defaultValuesRespectingConditions, fallbacks: defaultValues).buildModel(.functional(graph))
        } catch {
            reader.fail(markValue(for: error.keyPath) ?? value, error.keyPath, error.message)
            return nil
        }
        return .functional(graph)
    }

    /// The default configuration of the declared space (inactive parameters left out).
    var defaultValuesRespectingConditions: [String: HyperParameterValue] {
        var space = SearchSpace()
        for name in names { if let spec = specs[name] { try? space.add(spec) } }
        return space.defaultValues
    }

    private func parseNode(_ value: YAMLValue, at path: String, known: [String]) -> FunctionalTemplate.Node? {
        guard let entries = value.entries else {
            reader.fail(value, path, "expected a node such as { name: hidden, inputs: [deep], dense: { units: 30 } }, found \(value.summary)")
            return nil
        }
        guard let nameEntry = entries.first(where: { $0.key == "name" }), let name = reader.string(nameEntry.value, at: "\(path).name") else {
            if !entries.contains(where: { $0.key == "name" }) { reader.fail(value, "\(path).name", "missing required key \"name\"") }
            return nil
        }
        let nodePath = path
        recordMark(value, for: nodePath)
        var inputNames: [String] = []
        if let inputEntry = entries.first(where: { $0.key == "inputs" }) {
            let list = inputEntry.value.elements ?? [inputEntry.value]
            for (index, element) in list.enumerated() {
                let elementPath = inputEntry.value.elements == nil ? "\(path).inputs" : "\(path).inputs[\(index)]"
                guard let inputName = reader.string(element, at: elementPath) else { continue }
                guard known.contains(inputName) else {
                    reader.fail(element, elementPath, "\"\(inputName)\" is not an input or an earlier node",
                                suggestion: NameSuggestion.closest(to: inputName, among: known))
                    continue
                }
                inputNames.append(inputName)
            }
        } else {
            reader.fail(value, "\(path).inputs", "missing required key \"inputs\" (the input or node names this node takes)")
        }
        let rest = entries.filter { $0.key != "name" && $0.key != "inputs" }
        let layers: [LayerTemplate]
        if rest.isEmpty {
            layers = []
        } else if rest.count == 1, rest[0].key == "layers" {
            guard let list = reader.sequence(rest[0].value, at: "\(path).layers") else { return nil }
            layers = parseLayerList(list, at: "\(path).layers")
        } else {
            let item = YAMLValue(kind: .mapping(rest), line: value.line, column: value.column)
            guard let layer = parseLayerItem(item, at: path) else { return nil }
            layers = [layer]
        }
        return FunctionalTemplate.Node(name: name, inputs: inputNames, layers: layers, keyPath: nodePath)
    }

    /// A list of layer items.
    func parseLayerList(_ elements: [YAMLValue], at path: String) -> [LayerTemplate] {
        elements.enumerated().compactMap { index, element in parseLayerItem(element, at: "\(path)[\(index)]") }
    }

    /// One item: `flatten`, `{dense: {...}, when: {...}}`, `{repeat: n, layers: [...]}` or `{layers: [...], when: {...}}`.
    func parseLayerItem(_ value: YAMLValue, at path: String) -> LayerTemplate? {
        if let name = value.string {
            return parseLayer(name: name, arguments: nil, conditions: [], nameValue: value, at: path)
        }
        guard let entries = value.entries, !entries.isEmpty else {
            reader.fail(value, path, "expected a layer (such as flatten or { dense: { units: 10 } }), a repeat block or a conditional block, found \(value.summary)")
            return nil
        }
        let conditions = entries.first { $0.key == "when" }.map { parseConditions($0.value, at: "\(path).when") } ?? []
        let keys = entries.map(\.key)
        if keys.contains("repeat") || keys.contains("layers") {
            let allowed = keys.contains("repeat") ? ["repeat", "layers", "when"] : ["layers", "when"]
            guard let fields = reader.mapping(value, at: path, allowed: allowed, required: ["layers"]),
                  let list = fields["layers"].flatMap({ reader.sequence($0, at: "\(path).layers") }) else { return nil }
            let inner = parseLayerList(list, at: "\(path).layers")
            guard let countValue = fields["repeat"] else {
                return .block(layers: inner, conditions: conditions, keyPath: path)
            }
            guard let count = parseRepeatCount(countValue, at: "\(path).repeat") else { return nil }
            return .repeated(count: count, layers: inner, conditions: conditions, keyPath: path)
        }
        let layerEntries = entries.filter { $0.key != "when" }
        guard layerEntries.count == 1, let entry = layerEntries.first else {
            let extra = layerEntries.dropFirst().first
            reader.fail(line: extra?.keyLine ?? value.line, column: extra?.keyColumn ?? value.column, path,
                        layerEntries.isEmpty
                            ? "a layer item needs a layer name such as dense: { units: 10 }"
                            : "one item holds one layer, found \(layerEntries.map(\.key).joined(separator: ", ")); put each layer in its own list item")
            return nil
        }
        let nameValue = YAMLValue(kind: .string(entry.key), line: entry.keyLine, column: entry.keyColumn)
        return parseLayer(name: entry.key, arguments: entry.value, conditions: conditions, nameValue: nameValue, at: path)
    }

    private func parseRepeatCount(_ value: YAMLValue, at path: String) -> TemplateValue? {
        switch value.kind {
        case .int(let count) where count >= 0:
            return .literal(.int(count))
        case .string(let name):
            guard let spec = specs[name] else {
                if names.contains(name) { return nil }
                reader.fail(value, path, "unknown hyperparameter \"\(name)\"; a repeat count is an integer or an integer hyperparameter",
                            suggestion: NameSuggestion.closest(to: name, among: names))
                return nil
            }
            let isInteger: Bool
            switch spec.kind {
            case .int(let domain): isInteger = domain.min >= 0
            case .choice(let domain): isInteger = domain.values.allSatisfy { ($0.intValue ?? -1) >= 0 }
            case .fixed(let fixed): isInteger = (fixed.intValue ?? -1) >= 0
            case .float, .boolean: isInteger = false
            }
            guard isInteger else {
                reader.fail(value, path, "\"\(name)\" is \(spec.description); a repeat count needs a non-negative integer hyperparameter")
                return nil
            }
            return .hyperParameter(name)
        case .mapping:
            guard let reference = parseTemplateValue(value, at: path), case .hyperParameter(let name) = reference else {
                reader.fail(value, path, "expected an integer or the name of an integer hyperparameter, found \(value.summary)")
                return nil
            }
            return parseRepeatCount(YAMLValue(kind: .string(name), line: value.line, column: value.column), at: path)
        default:
            reader.fail(value, path, "expected a non-negative integer or the name of an integer hyperparameter, found \(value.summary)")
            return nil
        }
    }

    private func parseLayer(name: String, arguments: YAMLValue?, conditions: [Condition], nameValue: YAMLValue, at path: String) -> LayerTemplate? {
        let layerPath = "\(path).\(name)"
        guard let className = LayerClassNames.resolve(name) else {
            reader.fail(nameValue, layerPath, "unknown layer \"\(name)\"", suggestion: LayerClassNames.suggestion(for: name))
            return nil
        }
        var parsedArguments: [String: TemplateValue] = [:]
        var argumentValues: [String: YAMLValue] = [:]
        if let arguments, !arguments.isNull {
            guard let entries = arguments.entries else {
                reader.fail(arguments, layerPath, "expected the layer's arguments as a mapping, such as { units: 10 }, found \(arguments.summary)")
                return nil
            }
            for entry in entries {
                let argumentPath = "\(layerPath).\(entry.key)"
                guard let parsed = parseTemplateValue(entry.value, at: argumentPath) else { return nil }
                parsedArguments[entry.key] = parsed
                argumentValues[entry.key] = entry.value
                recordMark(YAMLValue(kind: .null, line: entry.keyLine, column: entry.keyColumn), for: "\(argumentPath)#key")
            }
        }
        let spec = LayerSpec(className: className, arguments: parsedArguments, conditions: conditions, keyPath: layerPath)
        guard validateLayer(spec, argumentValues: argumentValues, nameValue: nameValue) else { return nil }
        return .layer(spec)
    }

    /// Instantiates the layer with the defaults (and with each sample value of every parameter it
    /// references), and checks that every argument is one the layer knows.
    private func validateLayer(_ spec: LayerSpec, argumentValues: [String: YAMLValue], nameValue: YAMLValue) -> Bool {
        let defaults = defaultValues
        var trials: [[String: HyperParameterValue]] = [defaults]
        for name in Set(spec.arguments.values.flatMap(\.referencedNames)).sorted() {
            for sample in sampleValues(of: name) where sample != defaults[name] {
                var values = defaults
                values[name] = sample
                trials.append(values)
            }
        }
        for values in trials {
            let builder = TemplateBuilder(values: values, fallbacks: defaults)
            let layer: Layer
            do {
                layer = try builder.makeLayer(spec)
            } catch {
                if let argument = error.argument, let value = argumentValues[argument] {
                    if reportNearReference(value, at: "\(spec.keyPath).\(argument)") { return false }
                    let shown = builder.resolve(spec.arguments[argument] ?? .literal(.null))
                    let via = spec.arguments[argument]?.referencedNames.first.map { " (hyperparameter \"\($0)\" = \(TemplateBuilder.show(shown)))" } ?? ""
                    reader.fail(value, "\(spec.keyPath).\(argument)", error.message + via)
                } else {
                    for (argument, value) in argumentValues.sorted(by: { $0.key < $1.key }) where reportNearReference(value, at: "\(spec.keyPath).\(argument)") {
                        return false
                    }
                    reader.fail(nameValue, spec.keyPath, error.message)
                }
                return false
            }
            let known = Set(layer.configuration.keys).union(["name", "trainable"])
            var ok = true
            for argument in spec.arguments.keys.sorted() where !known.contains(argument) {
                let mark = marks["\(spec.keyPath).\(argument)#key"]
                reader.fail(line: mark?.line ?? nameValue.line, column: mark?.column ?? nameValue.column, "\(spec.keyPath).\(argument)",
                            "unknown argument \"\(argument)\" for \(spec.className)",
                            suggestion: NameSuggestion.closest(to: argument, among: Array(known)))
                ok = false
            }
            if !ok { return false }
        }
        return true
    }

    func recordMark(_ value: YAMLValue, for path: String) {
        marks[path] = (value.line, value.column)
    }

    func markValue(for path: String) -> YAMLValue? {
        marks[path].map { YAMLValue(kind: .null, line: $0.line, column: $0.column) }
    }
}
