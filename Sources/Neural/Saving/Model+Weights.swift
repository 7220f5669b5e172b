/// Saving and loading a model's weights alone (Keras's `save_weights` / `load_weights`), in a
/// safetensors file keyed by the weights' stable names (see ``Layer/namedWeights()``).
///
/// Works for every kind of model, subclassed ones included: rebuild the model in code (same class,
/// same arguments), build it (call it once, or give it an input shape), then load.
///
/// ```swift
/// try model.saveWeights(to: "regressor.weights.safetensors")
/// let fresh = ResidualRegressor(outputDim: 1)
/// _ = try fresh(xNew)                       // builds the weights
/// try fresh.loadWeights(from: "regressor.weights.safetensors")
/// ```
extension Model {
    /// Writes every weight (trainable and not) to a safetensors file at `path`, atomically.
    ///
    /// - Throws: ``SavingError/notBuilt(model:)`` before the model has weights,
    ///   ``SavingError/duplicateWeightName(model:name:)``, and ``SafetensorsError`` when the file cannot
    ///   be written.
    public func saveWeights(to path: String) throws {
        try writeWeights(to: path, metadata: ["format": SavedModel.weightsFormat])
    }

    /// Replaces every weight by the tensor of the same name in the safetensors file at `path`.
    ///
    /// Nothing changes unless the file has exactly the model's weights with the model's shapes.
    ///
    /// - Throws: ``SavingError/weightsMismatch(path:missing:unexpected:shapeMismatches:)`` listing the
    ///   names missing from the file, the names the model does not have and the shapes that differ;
    ///   ``SavingError/notBuilt(model:)`` when the model has no weights yet; ``SafetensorsError`` for a
    ///   missing or damaged file.
    public func loadWeights(from path: String) throws {
        let (tensors, _) = try SafetensorsFile.read(from: path)
        try assignWeights(tensors, source: path)
    }

    /// Replaces every weight by the tensor of the same name in `tensors` (named as
    /// ``weightTensors()`` names them); `source` names where they came from in errors.
    ///
    /// - Throws: ``SavingError/weightsMismatch(path:missing:unexpected:shapeMismatches:)`` and
    ///   ``SavingError/notBuilt(model:)`` as ``loadWeights(from:)`` does; nothing changes then.
    public func loadWeights(_ tensors: [String: Tensor], source: String = "tensors") throws(SavingError) {
        try assignWeights(tensors, source: source)
    }

    /// The weights by their saved names, as ``saveWeights(to:)`` writes them.
    /// - Throws: ``SavingError/duplicateWeightName(model:name:)``.
    public func weightTensors() throws(SavingError) -> [String: Tensor] {
        let named = try namedWeights()
        return withoutRecording { Dictionary(uniqueKeysWithValues: named.map { ($0.name, $0.variable.value) }) }
    }

    func writeWeights(to path: String, metadata: [String: String]) throws {
        guard isBuilt || !weights.isEmpty else { throw SavingError.notBuilt(model: name) }
        try SafetensorsFile.write(try weightTensors(), metadata: metadata, to: path)
    }

    /// Checks `tensors` against the model's weights, then assigns them all.
    func assignWeights(_ tensors: [String: Tensor], source path: String) throws(SavingError) {
        let named = try namedWeights()
        if named.isEmpty && !tensors.isEmpty && !isBuilt { throw .notBuilt(model: name) }
        var missing: [String] = []
        var mismatches: [SavingError.ShapeMismatch] = []
        for (key, variable) in named {
            guard let tensor = tensors[key] else { missing.append(key); continue }
            if tensor.shape != variable.shape {
                mismatches.append(.init(name: key, expected: variable.shape, found: tensor.shape))
            }
        }
        let known = Set(named.map(\.name))
        let unexpected = tensors.keys.filter { !known.contains($0) }.sorted()
        guard missing.isEmpty, unexpected.isEmpty, mismatches.isEmpty else {
            throw .weightsMismatch(path: path, missing: missing.sorted(), unexpected: unexpected,
                                   shapeMismatches: mismatches.sorted { $0.name < $1.name })
        }
        for (key, variable) in named {
            if let tensor = tensors[key] { variable.assign(tensor) }
        }
    }
}
