/// The files of a saved model directory and their formats.
///
/// `Model.save(to: directory)` writes three files (each atomically: a crash leaves the old file or
/// the new one, never a part of one):
/// - `model.weights.safetensors`: every weight by its stable name (``Layer/namedWeights()``);
/// - `optimizer.safetensors`: the optimizer's state (``Optimizer/stateTensors(for:)``: `iterations`,
///   `learning_rate`, `<index>/<slot>` per trainable weight), with the trainable weights' names in
///   order in the metadata key `variables` (a JSON list), so the state finds its weights by name;
///   absent when the model has no optimizer;
/// - `config.json`, written last: `{"format": "tuner.model", "format_version": 1, "class_name": ...,
///   "config": {...}, "build_config": {"input_shapes": [[null, ...]]}, "compile_config": {...} or null,
///   "save_id": ...}`, Keras's layout of a `.keras` archive's `config.json`.
///
/// Every file carries the same random `save_id` (in the safetensors metadata), so loading notices
/// files that come from different saves (an interrupted save, a copied file) instead of mixing them.
public enum SavedModel {
    /// `config.json`.
    public static let configurationFile = "config.json"
    /// `model.weights.safetensors`.
    public static let weightsFile = "model.weights.safetensors"
    /// `optimizer.safetensors`.
    public static let optimizerFile = "optimizer.safetensors"
    /// The `format` of `config.json`.
    public static let format = "tuner.model"
    /// The `format_version` this code writes and the newest it reads.
    public static let formatVersion = 1
    /// The `format` metadata of a weights file.
    public static let weightsFormat = "tuner.weights"
    /// The `format` metadata of an optimizer state file.
    public static let optimizerFormat = "tuner.optimizer"

    static func newSaveID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let text = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - text.count) + text
        }.joined()
    }
}

extension Model {
    /// Saves the whole model in `directory` (created if needed): architecture and compile arguments
    /// in `config.json`, weights in `model.weights.safetensors`, optimizer state in
    /// `optimizer.safetensors` (see ``SavedModel``). ``load(from:registry:customOptimizers:)`` gives
    /// back a model that predicts the same and, trained on, continues exactly where this one stopped.
    ///
    /// ``Sequential`` and ``Functional`` models save as they are when their layers do (built-in
    /// layers, and custom layers conforming to ``ConfigurationRepresentable``). A subclassed model
    /// saves only if it conforms to ``ConfigurationRepresentable`` and is registered with
    /// ``ObjectRegistry`` (Keras asks for `get_config` the same way); otherwise use
    /// ``saveWeights(to:)``.
    ///
    /// - Throws: ``SavingError/notBuilt(model:)``, ``SavingError/notSerializable(object:type:advice:)``
    ///   naming what cannot be saved and what to implement, ``SavingError/io(path:reason:)`` when the
    ///   directory cannot be made, ``SafetensorsError`` when a file cannot be written, and
    ///   ``JSONError`` for a configuration holding a non-finite number.
    public func save(to directory: String) throws {
        guard isBuilt || !weights.isEmpty else { throw SavingError.notBuilt(model: name) }
        let (className, architecture) = try savedArchitecture()
        let named = try namedWeights()
        let saveID = SavedModel.newSaveID()
        let document: Configuration = [
            "format": .string(SavedModel.format),
            "format_version": .int(SavedModel.formatVersion),
            "class_name": .string(className),
            "config": .object(architecture),
            "build_config": .object(["input_shapes": .array(builtInputShapes.map { shape in
                .array(shape.isEmpty ? [] : [.null] + shape.dropFirst().map { .int($0) })
            })]),
            "compile_config": compileConfiguration.map { .object($0) } ?? .null,
            "save_id": .string(saveID),
        ]
        let configurationText = try document.jsonTextForSaving()

        do {
            try FileIO.makeDirectories(directory)
        } catch {
            throw SavingError.io(path: error.path, reason: error.reason)
        }
        let tensors = withoutRecording { Dictionary(uniqueKeysWithValues: named.map { ($0.name, $0.variable.value) }) }
        try SafetensorsFile.write(tensors, metadata: ["format": SavedModel.weightsFormat, "save_id": saveID],
                                  to: FileIO.join(directory, SavedModel.weightsFile))
        let optimizerPath = FileIO.join(directory, SavedModel.optimizerFile)
        if let optimizer {
            let keys = Dictionary(uniqueKeysWithValues: named.map { (ObjectIdentifier($0.variable), $0.name) })
            let trainable = trainableWeights
            let variableNames = JSONValue.array(trainable.map { .string(keys[ObjectIdentifier($0)] ?? $0.name) })
            let state = withoutRecording { optimizer.stateTensors(for: trainable) }
            try SafetensorsFile.write(state, metadata: [
                "format": SavedModel.optimizerFormat, "save_id": saveID,
                "class_name": optimizer.className, "variables": try variableNames.strictJSONText(),
            ], to: optimizerPath)
        } else {
            do {
                try FileIO.removeIfPresent(optimizerPath)
            } catch {
                throw SavingError.io(path: error.path, reason: error.reason)
            }
        }
        let configurationPath = FileIO.join(directory, SavedModel.configurationFile)
        do {
            try FileIO.writeAtomically(Array(configurationText.utf8), to: configurationPath)
        } catch {
            throw SavingError.io(path: error.path, reason: error.reason)
        }
    }

    /// Loads a model saved by ``save(to:)``: rebuilds it from `config.json` (classes through
    /// `registry`, then the shared registry: Keras's `custom_objects`), loads its weights, compiles it
    /// as it was compiled and restores its optimizer's state, so that `fit` continues where the saved
    /// model stopped (pass `initialEpoch` to `fit` to keep the epoch numbers).
    ///
    /// `customOptimizers` builds optimizers of your own classes from their configuration (see
    /// ``Optimizer/fromConfiguration(_:customOptimizers:customSchedules:)``). Closure losses and metrics
    /// load when their function is registered with ``Losses/register(function:named:)``.
    ///
    /// - Throws: ``SavingError/missingFile(path:advice:)``, ``SavingError/invalidFile(path:reason:)``,
    ///   ``SavingError/inconsistentSave(directory:reason:)``,
    ///   ``SavingError/weightsMismatch(path:missing:unexpected:shapeMismatches:)``,
    ///   ``ConfigurationError/unknownType(kind:name:known:)`` for a class that is not registered,
    ///   ``SafetensorsError`` for a damaged file, ``OptimizerError`` for an optimizer that does not load,
    ///   and ``LayerError`` from building.
    public static func load(
        from directory: String, registry: ObjectRegistry = .shared,
        customOptimizers: [String: (OptimizerConfiguration) throws(OptimizerError) -> Optimizer] = [:]
    ) throws -> Model {
        try registry.withActive { try loadInCurrentRegistry(from: directory, customOptimizers: customOptimizers) }
    }

    private static func loadInCurrentRegistry(
        from directory: String,
        customOptimizers: [String: (OptimizerConfiguration) throws(OptimizerError) -> Optimizer]
    ) throws -> Model {
        let configurationPath = FileIO.join(directory, SavedModel.configurationFile)
        let bytes: [UInt8]
        do {
            bytes = try FileIO.readAll(configurationPath)
        } catch {
            if error.notFound {
                throw SavingError.missingFile(
                    path: configurationPath,
                    advice: "not a saved model directory (Model.save(to:) writes \(SavedModel.configurationFile), "
                        + "\(SavedModel.weightsFile) and \(SavedModel.optimizerFile))")
            }
            throw SavingError.io(path: error.path, reason: error.reason)
        }
        let document: Configuration
        do {
            guard let object = try JSONValue(json: bytes).objectValue else {
                throw SavingError.invalidFile(path: configurationPath, reason: "not a JSON object")
            }
            document = object
        } catch let error as JSONError {
            throw SavingError.invalidFile(path: configurationPath, reason: error.description)
        }
        func invalid(_ reason: String) -> SavingError { .invalidFile(path: configurationPath, reason: reason) }
        guard document["format"]?.stringValue == SavedModel.format else {
            throw invalid("'format' is \(document["format"] ?? .null), not \"\(SavedModel.format)\"")
        }
        guard let version = document["format_version"]?.intValue, version >= 1, version <= SavedModel.formatVersion else {
            throw invalid("'format_version' \(document["format_version"] ?? .null) is not one this version reads (1...\(SavedModel.formatVersion))")
        }
        guard let className = document["class_name"]?.stringValue else { throw invalid("no string 'class_name'") }
        guard let architecture = document["config"]?.objectValue else { throw invalid("no object 'config'") }
        let saveID = document["save_id"]?.stringValue

        let model: Model
        if className == "Functional" {
            model = try Functional(configuration: architecture)
        } else {
            model = try ObjectRegistry.resolving(className).make(className, configuration: architecture, as: Model.self, kind: "model")
        }
        try model.buildForLoading(document["build_config"], path: configurationPath)

        let weightsPath = FileIO.join(directory, SavedModel.weightsFile)
        let weights = try readSavedTensors(weightsPath, saveID: saveID, directory: directory)
        try model.assignWeights(weights.tensors, source: weightsPath)

        if let compile = document["compile_config"], compile != .null {
            guard let compileConfiguration = compile.objectValue else { throw invalid("'compile_config' is not an object") }
            try model.compile(configuration: compileConfiguration, customOptimizers: customOptimizers)
        }
        if let optimizer = model.optimizer {
            let optimizerPath = FileIO.join(directory, SavedModel.optimizerFile)
            let (state, metadata) = try readSavedTensors(optimizerPath, saveID: saveID, directory: directory)
            let trainable = model.trainableWeights
            let remapped = try model.remapOptimizerState(state, savedNames: metadata["variables"], trainable: trainable, path: optimizerPath)
            try optimizer.loadState(remapped, for: trainable)
        }
        return model
    }

    /// Reads one of a saved model's safetensors files, checking it belongs to the same save.
    private static func readSavedTensors(
        _ path: String, saveID: String?, directory: String
    ) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        let contents: (tensors: [String: Tensor], metadata: [String: String])
        do {
            contents = try SafetensorsFile.read(from: path)
        } catch SafetensorsError.fileNotFound {
            throw SavingError.missingFile(path: path, advice: "the saved model is incomplete; save it again")
        }
        if let saveID, let fileID = contents.metadata["save_id"], fileID != saveID {
            let (_, file) = FileIO.split(path)
            throw SavingError.inconsistentSave(
                directory: directory, reason: "\(file) has save_id \(fileID) but \(SavedModel.configurationFile) has \(saveID)")
        }
        return contents
    }

    /// Creates the weights of a model that its configuration did not build (a subclassed model):
    /// one call on zeros of the saved input shapes, as Keras's `build_config` does.
    private func buildForLoading(_ buildConfiguration: JSONValue?, path: String) throws {
        guard !isBuilt else { return }
        let shapes = buildConfiguration?.objectValue?["input_shapes"]?.arrayValue ?? []
        guard !shapes.isEmpty else { return }
        let probes = try shapes.map { value -> Tensor in
            guard let dimensions = value.arrayValue, !dimensions.isEmpty else {
                throw SavingError.invalidFile(path: path, reason: "'build_config' input shape \(value) is not [null, d1, ...]")
            }
            let sample = dimensions.dropFirst().compactMap(\.intValue)
            guard sample.count == dimensions.count - 1, sample.allSatisfy({ $0 >= 0 }) else {
                throw SavingError.invalidFile(path: path, reason: "'build_config' input shape \(value) is not [null, d1, ...]")
            }
            return Tensor(zeros: [1] + sample)
        }
        _ = try withoutRecording {
            probes.count == 1 ? try self(probes[0], training: false) : try self(probes, training: false)
        }
    }

    /// The optimizer state with each `<index>/<slot>` key renumbered from the saved order of the
    /// trainable weights (their names in `savedNames`, a JSON list) to this model's order.
    private func remapOptimizerState(
        _ state: [String: Tensor], savedNames: String?, trainable: [Variable], path: String
    ) throws -> [String: Tensor] {
        guard let savedNames else { return state }
        guard let names = (try? JSONValue(json: savedNames))?.arrayValue?.compactMap(\.stringValue) else {
            throw SavingError.invalidFile(path: path, reason: "metadata 'variables' is not a JSON list of names")
        }
        let keys = Dictionary(uniqueKeysWithValues: try namedWeights().map { (ObjectIdentifier($0.variable), $0.name) })
        var currentIndex: [String: Int] = [:]
        for (index, variable) in trainable.enumerated() {
            if let key = keys[ObjectIdentifier(variable)] { currentIndex[key] = index }
        }
        let unknown = names.filter { currentIndex[$0] == nil }
        guard unknown.isEmpty, names.count == trainable.count else {
            let missing = currentIndex.keys.filter { !names.contains($0) }.sorted()
            throw SavingError.invalidFile(
                path: path,
                reason: "the optimizer state is for other trainable weights (saved for but not trained by the model: "
                    + "\(unknown.isEmpty ? "none" : unknown.joined(separator: ", ")); trained but not saved: "
                    + "\(missing.isEmpty ? "none" : missing.joined(separator: ", ")))")
        }
        var remapped: [String: Tensor] = [:]
        for (key, tensor) in state {
            guard let slash = key.firstIndex(of: "/"), let savedIndex = Int(key[..<slash]) else {
                remapped[key] = tensor
                continue
            }
            guard names.indices.contains(savedIndex), let index = currentIndex[names[savedIndex]] else {
                throw SavingError.invalidFile(path: path, reason: "state '\(key)' refers to weight \(savedIndex) of \(names.count)")
            }
            remapped["\(index)\(key[slash...])"] = tensor
        }
        return remapped
    }

    /// The class name and configuration saved for this model, after checking that it and every layer
    /// of a Sequential or Functional model can write a configuration that loads.
    private func savedArchitecture() throws(SavingError) -> (String, Configuration) {
        let className: String
        if type(of: self) == Functional.self {
            className = "Functional"
        } else if let representable = self as? any ConfigurationRepresentable {
            className = type(of: representable).typeName
            guard ObjectRegistry.current.contains(className) || ObjectRegistry.shared.contains(className) else {
                throw .notSerializable(
                    object: name, type: String(describing: type(of: self)),
                    advice: "register its type so that it can be loaded: ObjectRegistry.shared.register(\(type(of: self)).self)")
            }
        } else {
            let typeName = String(describing: type(of: self))
            let functionalHint = self is Functional
                ? " (as a subclass of Functional, make it a final class conforming with `static let typeName`; it inherits the rest)"
                : ""
            throw .notSerializable(
                object: name, type: typeName,
                advice: "a subclassed model saves its architecture only if it conforms to ConfigurationRepresentable "
                    + "(a typeName, a configuration holding its constructor arguments, and init(configuration:)) "
                    + "and is registered with ObjectRegistry.shared.register(\(typeName).self)\(functionalHint); "
                    + "otherwise save its weights with saveWeights(to:), rebuild it in code and loadWeights(from:)")
        }
        try Model.checkContainedLayersSerializable(self)
        return (className, configuration)
    }

    /// Checks the layers of Sequential and Functional models (recursively) can save themselves.
    private static func checkContainedLayersSerializable(_ layer: Layer) throws(SavingError) {
        let contained: [Layer]
        if let sequential = layer as? Sequential {
            contained = sequential.layers
            for child in contained where child is Functional && !(child is any ConfigurationRepresentable) {
                throw .notSerializable(
                    object: child.name, type: String(describing: type(of: child)),
                    advice: "a Functional model inside a Sequential model cannot be saved; build the whole model with the functional API")
            }
        } else if let functional = layer as? Functional {
            contained = functional.layers
        } else {
            return
        }
        for child in contained {
            if !(child is any ConfigurationRepresentable) && type(of: child) != Functional.self {
                let typeName = String(describing: type(of: child))
                throw .notSerializable(
                    object: child.name, type: typeName,
                    advice: child is Lambda
                        ? "a Lambda layer's function cannot be written to a file; write a layer type conforming to ConfigurationRepresentable instead, or save the weights only with saveWeights(to:)"
                        : "conform \(typeName) to ConfigurationRepresentable (a typeName, a configuration with its constructor arguments, and init(configuration:)) and register it with ObjectRegistry.shared.register(\(typeName).self), or save the weights only with saveWeights(to:)")
            }
            try checkContainedLayersSerializable(child)
        }
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    /// Pretty JSON with sorted keys, as `config.json` is written.
    func jsonTextForSaving() throws(JSONError) -> String {
        try JSONValue.object(self).strictJSONText(pretty: true) + "\n"
    }
}
