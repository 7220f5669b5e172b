import Foundation
import Neural
import Testing
import TestSupport

/// Seed 002's `model.save` / `load_model` and seed 000's saving with custom objects: architecture
/// and compile arguments in config.json, weights and optimizer state in safetensors.
@Suite struct ModelSavingTests {
    private func readConfiguration(_ directory: TemporaryDirectory, _ name: String) throws -> Configuration {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: directory.file("\(name)/config.json"))))
        return try #require(try JSONValue(json: bytes).objectValue)
    }

    private func bits(_ tensor: Tensor) -> [UInt32] { tensor.scalars.map(\.bitPattern) }

    @Test func sequentialSavesAndLoadsWhole() throws {
        let directory = try TemporaryDirectory()
        let (x, y) = ModelTestData.blobs(count: 120)
        let images = x.reshaped(to: [120, 4, 2])
        let model = Sequential([
            Flatten(inputShape: [4, 2]),
            Dense(units: 16, activation: .relu, kernelRegularizer: L2(0.001)),
            Dense(units: 3, activation: .softmax()),
        ], name: "classifier")
        try model.compile(optimizer: try SGD(learningRate: 0.05, momentum: 0.9), loss: Losses.SparseCategoricalCrossentropy(),
                          metrics: ["accuracy"])
        try model.fit(images, y, batchSize: 16, epochs: 2, verbosity: .silent)
        let path = directory.file("classifier")
        try model.save(to: path)
        #expect(try directory.entries("classifier") == ["config.json", "model.weights.safetensors", "optimizer.safetensors"])

        let document = try readConfiguration(directory, "classifier")
        #expect(document["format"] == "tuner.model" && document["format_version"] == 1)
        #expect(document["class_name"] == "Sequential")
        let architecture = try #require(document["config"]?.objectValue)
        #expect(architecture["name"] == "classifier")
        #expect(architecture["build_input_shape"] == [nil, 4, 2])
        #expect(architecture["layers"]?.arrayValue?.compactMap { $0.objectValue?["class_name"]?.stringValue } == ["Flatten", "Dense", "Dense"])
        let compile = try #require(document["compile_config"]?.objectValue)
        #expect(compile["optimizer"]?.objectValue?["class_name"] == "SGD")
        #expect(compile["loss"]?.objectValue?["class_name"] == "SparseCategoricalCrossentropy")
        #expect(compile["metrics"] == ["accuracy"])
        let weightNames = try SafetensorsFile.read(from: directory.file("classifier/model.weights.safetensors")).tensors.keys.sorted()
        let denseNames = model.layers.dropFirst().map(\.name)
        #expect(weightNames == denseNames.flatMap { ["\($0)/bias", "\($0)/kernel"] }.sorted())

        let loaded = try #require(try Model.load(from: path) as? Sequential)
        #expect(loaded.name == "classifier")
        #expect(loaded.layers.map(\.name) == model.layers.map(\.name))
        #expect(loaded.parameterCount == model.parameterCount)
        #expect(bits(try loaded.predict(images)) == bits(try model.predict(images)))
        #expect(try loaded.evaluate(images, y, verbosity: .silent) == model.evaluate(images, y, verbosity: .silent))
        #expect(loaded.optimizer?.iterations == model.optimizer?.iterations)
        #expect(loaded.optimizer?.configuration == model.optimizer?.configuration)
        #expect(loaded.metrics.map(\.name) == model.metrics.map(\.name))
        // The regularizer came back with the layer: the losses agree too.
        #expect(loaded.losses.map(\.scalar) == model.losses.map(\.scalar))
    }

    @Test func sequentialBuiltByItsFirstCallRecordsItsInputShape() throws {
        let directory = try TemporaryDirectory()
        let (x, y) = ModelTestData.regression(count: 64)
        let model = Sequential([Dense(units: 4, activation: .tanh), Dense(units: 1)])
        try model.compile(optimizer: "adam", loss: "mse", metrics: ["mae"])
        try model.fit(x, y, epochs: 1, verbosity: .silent)
        try model.save(to: directory.file("m"))
        #expect(try readConfiguration(directory, "m")["config"]?.objectValue?["build_input_shape"] == [nil, 8])
        let loaded = try Model.load(from: directory.file("m"))
        #expect(loaded.isBuilt)
        #expect(bits(try loaded.predict(x)) == bits(try model.predict(x)))
        #expect(loaded.compiledMetricSpecs.count == 1)
        // Saving again over the same directory replaces every file.
        try loaded.save(to: directory.file("m"))
        #expect(try directory.entries("m") == ["config.json", "model.weights.safetensors", "optimizer.safetensors"])
    }

    /// Seed 002's Wide & Deep model: two inputs, Concatenate, two outputs with loss weights.
    @Test func functionalWideAndDeepSavesItsGraph() throws {
        let directory = try TemporaryDirectory()
        var generator = SeededGenerator(seed: 21)
        let xWide = Tensor(randomNormal: [64, 5], generator: &generator)
        let xDeep = Tensor(randomNormal: [64, 6], generator: &generator)
        let y = Tensor(randomNormal: [64, 1], generator: &generator)

        let inputWide = Input(shape: [5], name: "input_wide")
        let inputDeep = Input(shape: [6], name: "input_deep")
        let hidden1 = try Dense(units: 30, activation: .relu, name: "hidden1")(inputDeep)
        let hidden2 = try Dense(units: 30, activation: .relu, name: "hidden2")(hidden1)
        let concat = try Concatenate(name: "concat")([inputWide, hidden2])
        let output = try Dense(units: 1, name: "output")(concat)
        let auxOutput = try Dense(units: 1, name: "aux_output")(hidden2)
        let model = try Functional(inputs: [inputWide, inputDeep], outputs: [output, auxOutput], name: "wide_deep")
        #expect(model.weights.count == 8)
        try model.compile(optimizer: try Adam(learningRate: 0.001), losses: [Losses.MeanSquaredError(), Losses.MeanSquaredError()],
                          metrics: ["root_mean_squared_error"], lossWeights: [0.9, 0.1])
        let data = try ModelData(inputs: [xWide, xDeep], targets: [y, y])
        try model.fit(data, batchSize: 16, epochs: 1, verbosity: .silent)
        try model.save(to: directory.file("wide_deep"))

        let document = try readConfiguration(directory, "wide_deep")
        #expect(document["class_name"] == "Functional")
        let architecture = try #require(document["config"]?.objectValue)
        #expect(architecture["input_layers"] == [["input_wide", 0, 0], ["input_deep", 0, 0]])
        #expect(architecture["output_layers"] == [["output", 0, 0], ["aux_output", 0, 0]])
        let layerValues = architecture["layers"]?.arrayValue ?? []
        let layers = layerValues.compactMap(\.objectValue)
        #expect(layers.count == 7)
        #expect(layers.compactMap { $0["name"]?.stringValue } == ["input_wide", "input_deep", "hidden1", "hidden2", "concat", "output", "aux_output"])
        let concatNode = try #require(layers[4]["inbound_nodes"]?.arrayValue?.first?.objectValue?["args"]?.arrayValue?.first?.arrayValue)
        #expect(concatNode.compactMap { $0.objectValue?["config"]?.objectValue?["keras_history"] } == [["input_wide", 0, 0], ["hidden2", 0, 0]])
        #expect(document["compile_config"]?.objectValue?["loss_weights"] == [0.9, 0.1])

        let loaded = try #require(try Model.load(from: directory.file("wide_deep")) as? Functional)
        #expect(loaded.inputs.map(\.name) == ["input_wide", "input_deep"])
        #expect(loaded.outputNames == ["output", "aux_output"])
        #expect(loaded.lossWeights == [0.9, 0.1])
        let expected = try model.predict([xWide, xDeep])
        let actual = try loaded.predict([xWide, xDeep])
        #expect(actual.count == 2)
        #expect(zip(actual, expected).allSatisfy { bits($0) == bits($1) })
        #expect(try loaded.evaluate(data, verbosity: .silent) == model.evaluate(data, verbosity: .silent))
    }

    /// A layer called twice (node indices 0 and 1) and graphs listed in any order rebuild.
    @Test func functionalWithASharedLayerRoundTrips() throws {
        let first = Input(shape: [3], name: "first"), second = Input(shape: [3], name: "second")
        let shared = Dense(units: 4, activation: .tanh, name: "shared")
        let a = try shared(first), b = try shared(second)
        let sum = try Add(name: "sum")([b, a])
        let out = try Dense(units: 2, name: "head")(sum)
        let model = try Functional(inputs: [first, second], outputs: [out])
        SavingTestSupport.setWeights(of: model, seed: 3)
        let configuration = model.configuration
        let sharedEntry = try #require(configuration["layers"]?.arrayValue?.first { $0.objectValue?["name"] == "shared" }?.objectValue)
        #expect(sharedEntry["inbound_nodes"]?.arrayValue?.count == 2)
        let sumArguments = configuration["layers"]?.arrayValue?.first { $0.objectValue?["name"] == "sum" }?
            .objectValue?["inbound_nodes"]?.arrayValue?.first?.objectValue?["args"]?.arrayValue?.first?.arrayValue
        #expect(sumArguments?.compactMap { $0.objectValue?["config"]?.objectValue?["keras_history"] } == [["shared", 0, 0], ["shared", 1, 0]]
            || sumArguments?.compactMap { $0.objectValue?["config"]?.objectValue?["keras_history"] } == [["shared", 1, 0], ["shared", 0, 0]])

        var reversed = configuration
        reversed["layers"] = .array((configuration["layers"]?.arrayValue ?? []).reversed())
        for variant in [configuration, reversed] {
            let rebuilt = try Functional(configuration: try JSONValue(json: JSONValue.object(variant).strictJSONText()).objectValue ?? [:])
            #expect(rebuilt.weights.count == 4)
            try rebuilt.loadWeightsFromMemory(of: model)
            let x1 = Tensor([[0.5, -1, 2]]), x2 = Tensor([[1, 1, -0.5]])
            #expect(bits(try rebuilt.predict([x1, x2])[0]) == bits(try model.predict([x1, x2])[0]))
        }
    }

    /// Models used as layers (Keras's "models can be used as layers"): a Sequential block and a
    /// Functional block inside a functional model save and load with it.
    @Test func nestedModelsSaveWithTheirContainer() throws {
        let directory = try TemporaryDirectory()
        let block = Sequential([Dense(units: 5, activation: .relu, name: "block_dense")], name: "block")
        let innerInput = Input(shape: [5], name: "inner_input")
        let inner = try Functional(inputs: innerInput, outputs: try Dense(units: 2, name: "inner_dense")(innerInput), name: "inner")
        let input = Input(shape: [4], name: "x")
        let output = try inner(try block(input))
        let model = try Functional(inputs: input, outputs: output, name: "outer")
        SavingTestSupport.setWeights(of: model, seed: 12)
        let names = try model.namedWeights().map(\.name)
        #expect(names == ["block/block_dense/kernel", "block/block_dense/bias", "inner/inner_dense/kernel", "inner/inner_dense/bias"])
        try model.save(to: directory.file("outer"))
        let loaded = try #require(try Model.load(from: directory.file("outer")) as? Functional)
        #expect(loaded.layers.map(\.name) == ["x", "block", "inner"])
        #expect(loaded.layers[2] is Functional)
        let x = Tensor([[0.5, -1, 2, 0.25], [1, 0, -2, 3]])
        #expect(bits(try loaded.predict(x)) == bits(try model.predict(x)))
    }

    /// Seed 000: `load_model(path, custom_objects={"HuberLoss": HuberLoss, ...})` — a custom layer,
    /// a loss with a saved threshold and a streaming metric, found through the registry given to load.
    @Test func customObjectsLoadThroughTheRegistry() throws {
        let directory = try TemporaryDirectory()
        let (x, y) = ModelTestData.regression(count: 96)
        let model = Sequential([Input(shape: [8]), SavingMyDense(units: 6, activation: .relu, name: "my_dense"), Dense(units: 1)])
        try model.compile(optimizer: try Nadam(learningRate: 0.01), loss: HuberLoss(threshold: 2),
                          metrics: [.metric(HuberMetric(threshold: 2)), "mae"])
        try model.fit(x, y, batchSize: 32, epochs: 2, verbosity: .silent)
        let path = directory.file("custom")
        try model.save(to: path)

        // Without the custom layer registered: Keras's "Unknown layer" error, naming it.
        do {
            _ = try Model.load(from: path)
            Issue.record("loading without custom objects should fail")
        } catch let ConfigurationError.unknownType(_, name, _) {
            #expect(name == "SavingMyDense")
        }

        let customObjects = ObjectRegistry()
        customObjects.register(SavingMyDense.self)
        customObjects.register(HuberLoss.self)
        customObjects.register(HuberMetric.self)
        let loaded = try #require(try Model.load(from: path, registry: customObjects) as? Sequential)
        #expect(loaded.layers[1] is SavingMyDense)
        let loss = try #require(loaded.compiledLosses.first as? HuberLoss)
        #expect(loss.threshold == 2)
        let metric = try #require(loaded.compiledMetrics.first?.first as? HuberMetric)
        #expect(metric.threshold == 2)
        #expect(bits(try loaded.predict(x)) == bits(try model.predict(x)))
        #expect(try loaded.evaluate(x, y, verbosity: .silent) == model.evaluate(x, y, verbosity: .silent))
        // The registry was only in effect while loading.
        #expect(ObjectRegistry.current === ObjectRegistry.shared)
    }

    /// Seed 000's `huber_fn`: a closure loss saves its name only; loading needs the function
    /// registered under that name (`custom_objects={"huber_fn": huber_fn}`).
    @Test func closureLossesLoadWhenTheirFunctionIsRegistered() throws {
        let directory = try TemporaryDirectory()
        let (x, y) = ModelTestData.regression(count: 32)
        let model = Sequential([Input(shape: [8]), Dense(units: 1)])
        let name = "saving_tests_huber_fn"
        try model.compile(optimizer: try Nadam(), loss: ClosureLoss(name: name, SeedHuber.huberFn))
        try model.fit(x, y, epochs: 1, verbosity: .silent)
        try model.save(to: directory.file("closure"))
        do {
            _ = try Model.load(from: directory.file("closure"))
            Issue.record("the function is not registered yet")
        } catch let ConfigurationError.invalidValue(_, key, _, found) {
            #expect(key == "fn" && found == .string(name))
        }
        Losses.register(function: SeedHuber.huberFn, named: name)
        let loaded = try Model.load(from: directory.file("closure"))
        #expect(loaded.compiledLosses.first?.name == name)
        #expect(try loaded.evaluate(x, y, verbosity: .silent) == model.evaluate(x, y, verbosity: .silent))
    }

    /// Seed 000's ResidualRegressor: a subclassed model saves whole only with a configuration and a
    /// registration; otherwise the error says what to do, and its weights still save and load.
    @Test func subclassedModels() throws {
        let directory = try TemporaryDirectory()
        let (x, y) = ModelTestData.regression(count: 64)

        let plain = PlainResidualRegressor()
        try plain.compile(optimizer: "adam", loss: "mse")
        try plain.fit(x, y, epochs: 1, verbosity: .silent)
        do {
            try plain.save(to: directory.file("plain"))
            Issue.record("a subclassed model without configuration should not save")
        } catch let SavingError.notSerializable(_, type, advice) {
            #expect(type == "PlainResidualRegressor")
            #expect(advice.contains("ConfigurationRepresentable") && advice.contains("saveWeights"))
        }
        #expect(!FileManager.default.fileExists(atPath: directory.file("plain")))
        // Weights only, into a fresh instance (its default layer names differ: names are paths).
        try plain.saveWeights(to: directory.file("plain.weights.safetensors"))
        let names = try SafetensorsFile.read(from: directory.file("plain.weights.safetensors")).tensors.keys.sorted()
        #expect(names.contains("hidden1/kernel") && names.contains("blocks/1/hidden/0/kernel") && names.contains("out/bias"))
        #expect(names.count == 2 + 2 * 2 * 2 + 2)
        let fresh = PlainResidualRegressor()
        _ = try fresh(x)
        try fresh.loadWeights(from: directory.file("plain.weights.safetensors"))
        #expect(bits(try fresh.predict(x)) == bits(try plain.predict(x)))

        // With a configuration, registered: saved and loaded as its own class.
        let unregistered = SavingResidualRegressor(outputDimension: 1)
        _ = try unregistered(x)
        do {
            try unregistered.save(to: directory.file("unregistered"))
            Issue.record("an unregistered type should not save")
        } catch let SavingError.notSerializable(_, _, advice) {
            #expect(advice.contains("ObjectRegistry.shared.register(SavingResidualRegressor.self)"))
        }
        ObjectRegistry.shared.register(SavingResidualRegressor.self)
        ObjectRegistry.shared.register(SavingResidualBlock.self)
        let model = SavingResidualRegressor(outputDimension: 1, name: "residual")
        try model.compile(optimizer: try Adam(learningRate: 0.001), loss: Losses.Huber())
        try model.fit(x, y, epochs: 2, verbosity: .silent)
        try model.save(to: directory.file("residual"))
        #expect(try readConfiguration(directory, "residual")["build_config"] == ["input_shapes": [[nil, 8]]])
        let loaded = try #require(try Model.load(from: directory.file("residual")) as? SavingResidualRegressor)
        #expect(loaded.name == "residual" && loaded.outputDimension == 1)
        #expect(bits(try loaded.predict(x)) == bits(try model.predict(x)))
        #expect(loaded.optimizer?.iterations == 4)
    }

    /// Seed 001's model with its own train step, saved and loaded as itself.
    @Test func subclassOfFunctionalKeepsItsClass() throws {
        let directory = try TemporaryDirectory()
        let customObjects = ObjectRegistry()
        customObjects.register(SavingCustomFunctional.self)
        let input = Input(shape: [8], name: "features")
        let output = try Dense(units: 1, name: "prediction")(try Dense(units: 4, activation: .relu, name: "hidden")(input))
        let model = try SavingCustomFunctional(inputs: input, outputs: output, name: "custom")
        try model.compile(optimizer: "sgd", loss: "mse", metrics: ["mae"])
        let (x, y) = ModelTestData.regression(count: 32)
        try model.fit(x, y, epochs: 1, verbosity: .silent)
        #expect(model.customSteps == 1)
        // Saving only needs the type to be known where it is saved; use the same registry.
        try customObjects.withActive { try model.save(to: directory.file("custom")) }
        #expect(try readConfiguration(directory, "custom")["class_name"] == "SavingCustomFunctional")
        let loaded = try #require(try Model.load(from: directory.file("custom"), registry: customObjects) as? SavingCustomFunctional)
        #expect(bits(try loaded.predict(x)) == bits(try model.predict(x)))
        try loaded.fit(x, y, epochs: 1, verbosity: .silent)
        #expect(loaded.customSteps == 1)
    }

    /// A model that was never compiled saves without compile arguments or optimizer state, and a
    /// stale optimizer file from an earlier save in the same directory goes away.
    @Test func uncompiledModelsSaveWithoutOptimizer() throws {
        let directory = try TemporaryDirectory()
        let model = Sequential([Input(shape: [3]), Dense(units: 2, name: "d")])
        try model.compile(optimizer: "sgd", loss: "mse")
        try model.save(to: directory.file("m"))
        #expect(try directory.entries("m").contains("optimizer.safetensors"))
        let fresh = Sequential([Input(shape: [3]), Dense(units: 2, name: "d")])
        try fresh.save(to: directory.file("m"))
        #expect(try directory.entries("m") == ["config.json", "model.weights.safetensors"])
        #expect(try readConfiguration(directory, "m")["compile_config"] == .null)
        let loaded = try Model.load(from: directory.file("m"))
        #expect(!loaded.isCompiled && loaded.optimizer == nil)
        let x = Tensor([[1, 2, 3]])
        #expect(bits(try loaded.predict(x)) == bits(try fresh.predict(x)))
    }

    @Test func whatCannotBeSavedSaysWhy() throws {
        let directory = try TemporaryDirectory()
        let unbuilt = Sequential([Dense(units: 2)], name: "unbuilt")
        #expect(throws: SavingError.notBuilt(model: "unbuilt")) { try unbuilt.save(to: directory.file("x")) }
        #expect(throws: SavingError.notBuilt(model: "unbuilt")) { try unbuilt.saveWeights(to: directory.file("x.safetensors")) }

        let lambda = Sequential([Input(shape: [2]), Lambda(name: "exp") { $0.exp() }, Dense(units: 1)])
        do {
            try lambda.save(to: directory.file("lambda"))
            Issue.record("a Lambda layer cannot be saved")
        } catch let SavingError.notSerializable(object, _, advice) {
            #expect(object == "exp" && advice.contains("Lambda"))
        }
        try lambda.saveWeights(to: directory.file("lambda.safetensors"))

        let twins = Sequential([Input(shape: [2]), Dense(units: 2, name: "same"), Dense(units: 2, name: "same")])
        #expect(throws: SavingError.duplicateWeightName(model: twins.name, name: "same/kernel")) {
            try twins.saveWeights(to: directory.file("twins.safetensors"))
        }
        #expect(try directory.entries() == ["lambda.safetensors"])
    }

    @Test func loadWeightsChecksNamesAndShapesBeforeChangingAnything() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("w.safetensors")
        let source = Sequential([Input(shape: [3]), Dense(units: 4, name: "a"), Dense(units: 1, name: "b")])
        try source.saveWeights(to: path)

        let wider = Sequential([Input(shape: [3]), Dense(units: 5, name: "a"), Dense(units: 1, name: "b")])
        let before = try SavingTestSupport.values(wider)
        do {
            try wider.loadWeights(from: path)
            Issue.record("shapes differ")
        } catch let SavingError.weightsMismatch(errorPath, missing, unexpected, mismatches) {
            #expect(errorPath == path && missing.isEmpty && unexpected.isEmpty)
            #expect(mismatches == [.init(name: "a/bias", expected: [5], found: [4]), .init(name: "a/kernel", expected: [3, 5], found: [3, 4]),
                                   .init(name: "b/kernel", expected: [5, 1], found: [4, 1])])
        }
        #expect(try SavingTestSupport.values(wider) == before)

        let renamed = Sequential([Input(shape: [3]), Dense(units: 4, name: "a"), Dense(units: 1, name: "c")])
        #expect(throws: SavingError.weightsMismatch(path: path, missing: ["c/bias", "c/kernel"], unexpected: ["b/bias", "b/kernel"], shapeMismatches: [])) {
            try renamed.loadWeights(from: path)
        }
        let message = "\(SavingError.weightsMismatch(path: path, missing: ["c/bias"], unexpected: ["b/bias"], shapeMismatches: []))"
        #expect(message.contains(path) && message.contains("missing from the file: c/bias") && message.contains("not in the model: b/bias"))

        let unbuilt = Sequential([Dense(units: 4, name: "a"), Dense(units: 1, name: "b")], name: "later")
        #expect(throws: SavingError.notBuilt(model: "later")) { try unbuilt.loadWeights(from: path) }
        #expect(throws: SafetensorsError.fileNotFound(path: directory.file("absent"))) { try source.loadWeights(from: directory.file("absent")) }

        let same = Sequential([Input(shape: [3]), Dense(units: 4, name: "a"), Dense(units: 1, name: "b")])
        try same.loadWeights(from: path)
        #expect(try SavingTestSupport.values(same) == SavingTestSupport.values(source))
    }

    @Test func damagedOrMixedDirectoriesAreRefused() throws {
        let directory = try TemporaryDirectory()
        let model = Sequential([Input(shape: [2]), Dense(units: 1, name: "d")])
        try model.compile(optimizer: "adam", loss: "mse")
        try model.save(to: directory.file("one"))
        try model.save(to: directory.file("two"))

        guard case .missingFile(let path, _)? = loadError(directory.file("empty")) else { Issue.record("empty directory"); return }
        #expect(path.hasSuffix("empty/config.json"))

        // A weights file from another save.
        try FileManager.default.removeItem(atPath: directory.file("one/model.weights.safetensors"))
        try FileManager.default.copyItem(atPath: directory.file("two/model.weights.safetensors"), toPath: directory.file("one/model.weights.safetensors"))
        guard case .inconsistentSave(_, let reason)? = loadError(directory.file("one")) else { Issue.record("mixed saves"); return }
        #expect(reason.contains("model.weights.safetensors"))

        try FileManager.default.removeItem(atPath: directory.file("two/optimizer.safetensors"))
        guard case .missingFile(let optimizerPath, _)? = loadError(directory.file("two")) else { Issue.record("no optimizer file"); return }
        #expect(optimizerPath.hasSuffix("optimizer.safetensors"))

        try "{\"format\": \"tuner.model\", ".write(toFile: directory.file("two/config.json"), atomically: true, encoding: .utf8)
        guard case .invalidFile(_, let jsonReason)? = loadError(directory.file("two")) else { Issue.record("bad JSON"); return }
        #expect(jsonReason.contains("invalid JSON"))
        try "{\"format\": \"keras\"}".write(toFile: directory.file("two/config.json"), atomically: true, encoding: .utf8)
        guard case .invalidFile(_, let formatReason)? = loadError(directory.file("two")) else { Issue.record("other format"); return }
        #expect(formatReason.contains("format"))
    }

    private func loadError(_ path: String) -> SavingError? {
        do {
            _ = try Model.load(from: path)
            return nil
        } catch let error as SavingError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }
}

extension Model {
    /// Copies another model's weights by name, through the same checks as loading a file.
    func loadWeightsFromMemory(of other: Model) throws {
        let tensors = try other.weightTensors()
        let named = try namedWeights()
        for (name, variable) in named {
            guard let tensor = tensors[name] else { throw SavingError.weightsMismatch(path: "<memory>", missing: [name], unexpected: [], shapeMismatches: []) }
            variable.assign(tensor)
        }
    }
}
