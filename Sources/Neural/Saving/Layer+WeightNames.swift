/// The stable names weights are saved under: a path of layers from the model down to the weight,
/// then the weight's own name (`dense_1/kernel`, `block1/hidden/0/bias`).
///
/// Inside a ``Sequential`` or a ``Functional`` model a layer is named by its `name` (saved in the
/// model's configuration, so a loaded model has the same names). Elsewhere — the layers a subclassed
/// model or layer holds in its properties — by the property's name, with the index for arrays and the
/// key for dictionaries (`hidden/0`). Property names do not depend on how many layers were created
/// before, as default layer names (`dense_7`) do, so a fresh instance of the same class finds its
/// weights: what Keras's `save_weights` / `load_weights` for subclassed models needs.
extension Layer {
    /// Every weight of this layer and its sublayers (as ``weights``, each once) with its saved name.
    ///
    /// - Throws: ``SavingError/duplicateWeightName(model:name:)`` when two weights get the same name
    ///   (two layers of one model with the same name).
    public func namedWeights() throws(SavingError) -> [(name: String, variable: Variable)] {
        var result: [(name: String, variable: Variable)] = []
        var seenLayers = Set<ObjectIdentifier>()
        var seenNames = Set<String>()
        var pending: [(layer: Layer, prefix: String)] = [(self, "")]
        // Depth-first in property order, each layer once, as tracking visits them.
        while let (layer, prefix) = pending.popLast() {
            guard seenLayers.insert(ObjectIdentifier(layer)).inserted else { continue }
            for variable in layer.ownWeights {
                let key = prefix + layer.localWeightName(variable)
                guard seenNames.insert(key).inserted else { throw .duplicateWeightName(model: name, name: key) }
                result.append((key, variable))
            }
            for (segment, child) in layer.namedSublayers().reversed() {
                pending.append((child, prefix + segment + "/"))
            }
        }
        let named = Set(result.map { ObjectIdentifier($0.variable) })
        for (index, variable) in weights.enumerated() where !named.contains(ObjectIdentifier(variable)) {
            // A weight tracking found but the naming walk did not (should not happen): keep it
            // saveable under a positional name rather than losing it.
            let key = "unnamed/\(index)/" + variable.name
            guard seenNames.insert(key).inserted else { throw .duplicateWeightName(model: name, name: key) }
            result.append((key, variable))
        }
        return result
    }

    /// The weight's name within its layer: what `addWeight(name:)` was given.
    func localWeightName(_ variable: Variable) -> String {
        let prefix = name + "/"
        if variable.name.hasPrefix(prefix) { return String(variable.name.dropFirst(prefix.count)) }
        // The layer was renamed after it was built: the part after the old layer name.
        if let slash = variable.name.firstIndex(of: "/") { return String(variable.name[variable.name.index(after: slash)...]) }
        return variable.name
    }

    /// The direct sublayers with the path segment each is saved under.
    func namedSublayers() -> [(segment: String, layer: Layer)] {
        var children: [(segment: String, layer: Layer)] = []
        var seen = Set<ObjectIdentifier>()
        func add(_ segment: String, _ layer: Layer) {
            guard layer !== self, seen.insert(ObjectIdentifier(layer)).inserted else { return }
            children.append((segment, layer))
        }
        if let sequential = self as? Sequential {
            for layer in sequential.layers { add(layer.name, layer) }
        } else if let functional = self as? Functional {
            for layer in functional.layers { add(layer.name, layer) }
        }
        // The same reflection (and depth limit) as tracking, keeping the property path.
        func collect(_ value: Any, path: String, depth: Int, dictionaryEntry: Bool = false) {
            if let layer = value as? Layer {
                add(path, layer)
                return
            }
            guard depth < 3 else { return }
            let mirror = Mirror(reflecting: value)
            switch mirror.displayStyle {
            case .optional?:
                for child in mirror.children { collect(child.value, path: path, depth: depth + 1) }
            case .collection?, .set?:
                for (index, child) in mirror.children.enumerated() { collect(child.value, path: "\(path)/\(index)", depth: depth + 1) }
            case .dictionary?:
                for child in mirror.children {
                    let key = Mirror(reflecting: child.value).children.first.map { "\($0.value)" } ?? "?"
                    collect(child.value, path: "\(path)/\(key)", depth: depth + 1, dictionaryEntry: true)
                }
            case .tuple?:
                for (index, child) in mirror.children.enumerated() {
                    if dictionaryEntry {
                        if index == 1 { collect(child.value, path: path, depth: depth + 1) }
                    } else {
                        collect(child.value, path: "\(path)/\(child.label ?? String(index))", depth: depth + 1)
                    }
                }
            default:
                break
            }
        }
        var mirror: Mirror? = Mirror(reflecting: self)
        while let current = mirror {
            for child in current.children {
                guard let label = child.label, !label.hasPrefix("trackingCache") else { continue }
                collect(child.value, path: Self.propertyName(label), depth: 0)
            }
            mirror = current.superclassMirror
        }
        return children
    }

    /// A stored property's name as written in the source (lazy properties are stored under a
    /// mangled label).
    private static func propertyName(_ label: String) -> String {
        let lazyPrefix = "$__lazy_storage_$_"
        return label.hasPrefix(lazyPrefix) ? String(label.dropFirst(lazyPrefix.count)) : label
    }
}
