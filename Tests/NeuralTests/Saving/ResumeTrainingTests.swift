import Neural
import Testing
import TestSupport

/// A saved and loaded model continues training exactly where it stopped: 2 epochs, save, load,
/// 1 more epoch gives bit-identical weights to 3 epochs without the save.
///
/// Weights start from a private generator and batches come in a fixed order (either unshuffled, or
/// shuffled per epoch by the test's own generator), because the global generator that `fit`
/// shuffles with is shared by every test running in parallel: a seed set with `GlobalRandom.seed`
/// would not guarantee the same shuffles here.
@Suite struct ResumeTrainingTests {
    static let optimizers: [String] = ["sgd-nesterov", "adam-schedule", "adamw", "nadam", "rmsprop-centered", "adagrad-clipped"]

    static func makeOptimizer(_ name: String) throws -> Optimizer {
        switch name {
        case "sgd-nesterov": return try SGD(learningRate: 0.05, momentum: 0.9, nesterov: true)
        case "adam-schedule":
            return try Adam(learningRate: .schedule(try ExponentialDecay(initialLearningRate: 0.01, decaySteps: 3, decayRate: 0.5)))
        case "adamw": return try AdamW(learningRate: 0.01, weightDecay: 0.01)
        case "nadam": return try Nadam(learningRate: 0.01)
        case "rmsprop-centered": return try RMSprop(learningRate: 0.01, momentum: 0.5, centered: true)
        default: return try Adagrad(learningRate: 0.1, globalClipnorm: 0.5)
        }
    }

    /// A small regressor with fixed initial weights and a regularized layer.
    static func makeModel(_ optimizer: String) throws -> Sequential {
        let model = Sequential([
            Input(shape: [8]),
            Dense(units: 16, activation: .tanh, kernelRegularizer: L2(0.001), name: "hidden"),
            Dense(units: 1, name: "out"),
        ], name: "regressor")
        SavingTestSupport.setWeights(of: model, seed: 17)
        try model.compile(optimizer: try makeOptimizer(optimizer), loss: Losses.MeanSquaredError(), metrics: ["mae"])
        return model
    }

    private func bits(_ model: Model) throws -> [String: [UInt32]] {
        try model.weightTensors().mapValues { $0.scalars.map(\.bitPattern) }
    }

    @Test(arguments: optimizers)
    func continuesExactlyAfterSaveAndLoad(optimizer: String) throws {
        let directory = try TemporaryDirectory()
        let (x, y) = ModelTestData.regression(count: 80)

        let uninterrupted = try Self.makeModel(optimizer)
        let full = try uninterrupted.fit(x, y, batchSize: 16, epochs: 3, verbosity: .silent, shuffle: false)

        let first = try Self.makeModel(optimizer)
        try first.fit(x, y, batchSize: 16, epochs: 2, verbosity: .silent, shuffle: false)
        try first.save(to: directory.file("checkpoint"))
        let resumed = try Model.load(from: directory.file("checkpoint"))
        #expect(resumed.optimizer?.iterations == 10)
        let rest = try resumed.fit(x, y, batchSize: 16, epochs: 3, verbosity: .silent, shuffle: false, initialEpoch: 2)

        #expect(try bits(resumed) == bits(uninterrupted), "\(optimizer)")
        #expect(rest.epochs == [2])
        #expect(rest.values["loss"] == full.values["loss"].map { [$0[2]] })
        #expect(rest.values["mae"] == full.values["mae"].map { [$0[2]] })
        #expect(resumed.optimizer?.iterations == uninterrupted.optimizer?.iterations)
    }

    /// The optimizer's state finds its weights by name (the `variables` metadata), not by position:
    /// a file listing the weights in another order still restores each slot to its weight, and a file
    /// for other weights is refused.
    @Test func optimizerStateFindsItsWeightsByName() throws {
        let directory = try TemporaryDirectory()
        let (x, y) = ModelTestData.regression(count: 80)
        let uninterrupted = try Self.makeModel("adamw")
        try uninterrupted.fit(x, y, batchSize: 16, epochs: 3, verbosity: .silent, shuffle: false)
        let first = try Self.makeModel("adamw")
        try first.fit(x, y, batchSize: 16, epochs: 2, verbosity: .silent, shuffle: false)
        let path = directory.file("checkpoint")
        try first.save(to: path)

        // Rewrite the state with the weights listed in reverse order.
        let optimizerPath = directory.file("checkpoint/optimizer.safetensors")
        let (state, metadata) = try SafetensorsFile.read(from: optimizerPath)
        let variables = try #require(metadata["variables"])
        let names = try #require(try JSONValue(json: variables).arrayValue)
        #expect(names == ["hidden/kernel", "hidden/bias", "out/kernel", "out/bias"])
        var reordered: [String: Tensor] = [:]
        for (key, tensor) in state {
            if let slash = key.firstIndex(of: "/"), let index = Int(key[..<slash]) {
                reordered["\(names.count - 1 - index)\(key[slash...])"] = tensor
            } else {
                reordered[key] = tensor
            }
        }
        var reversedMetadata = metadata
        reversedMetadata["variables"] = try JSONValue.array(names.reversed()).strictJSONText()
        try SafetensorsFile.write(reordered, metadata: reversedMetadata, to: optimizerPath)
        let resumed = try Model.load(from: path)
        try resumed.fit(x, y, batchSize: 16, epochs: 3, verbosity: .silent, shuffle: false, initialEpoch: 2)
        #expect(try bits(resumed) == bits(uninterrupted))

        var foreign = metadata
        foreign["variables"] = #"["hidden/kernel","hidden/bias","other/kernel","out/bias"]"#
        try SafetensorsFile.write(state, metadata: foreign, to: optimizerPath)
        do {
            _ = try Model.load(from: path)
            Issue.record("a state for other weights should be refused")
        } catch let SavingError.invalidFile(errorPath, reason) {
            #expect(errorPath == optimizerPath && reason.contains("other/kernel") && reason.contains("out/kernel"))
        }
    }

    /// Without the optimizer's state (weights only, a fresh optimizer) the continuation differs: the
    /// test above would notice a lost state.
    @Test func weightsAloneDoNotContinueExactly() throws {
        let directory = try TemporaryDirectory()
        let (x, y) = ModelTestData.regression(count: 80)
        let uninterrupted = try Self.makeModel("adam-schedule")
        try uninterrupted.fit(x, y, batchSize: 16, epochs: 3, verbosity: .silent, shuffle: false)

        let first = try Self.makeModel("adam-schedule")
        try first.fit(x, y, batchSize: 16, epochs: 2, verbosity: .silent, shuffle: false)
        try first.saveWeights(to: directory.file("weights.safetensors"))
        let restarted = try Self.makeModel("adam-schedule")
        try restarted.loadWeights(from: directory.file("weights.safetensors"))
        try restarted.fit(x, y, batchSize: 16, epochs: 3, verbosity: .silent, shuffle: false, initialEpoch: 2)
        #expect(try bits(restarted) != bits(uninterrupted))
    }

    /// Seed 002's Wide & Deep model, two outputs with loss weights, batches shuffled differently each
    /// epoch, trained one epoch per `fit` call: the run with a save and load after epoch 2 matches.
    @Test func functionalModelWithShuffledEpochs() throws {
        let directory = try TemporaryDirectory()
        var dataGenerator = SeededGenerator(seed: 5)
        let xWide = Tensor(randomNormal: [60, 5], generator: &dataGenerator)
        let xDeep = Tensor(randomNormal: [60, 6], generator: &dataGenerator)
        let y = Tensor(randomNormal: [60, 1], generator: &dataGenerator)
        var orderGenerator = SeededGenerator(seed: 99)
        let orders: [[Int]] = (0..<3).map { _ in
            var order = Array(0..<60)
            orderGenerator.shuffle(&order)
            return order
        }
        func epochData(_ epoch: Int) throws -> ModelData {
            let order = orders[epoch][...]
            return try ModelData(inputs: [xWide.gatheringRows(order), xDeep.gatheringRows(order)],
                                 targets: [y.gatheringRows(order), y.gatheringRows(order)])
        }
        func makeModel() throws -> Functional {
            let inputWide = Input(shape: [5], name: "wide"), inputDeep = Input(shape: [6], name: "deep")
            let hidden = try Dense(units: 12, activation: .relu, name: "hidden")(inputDeep)
            let concat = try Concatenate(name: "concat")([inputWide, hidden])
            let output = try Dense(units: 1, name: "output")(concat)
            let aux = try Dense(units: 1, name: "aux_output")(hidden)
            let model = try Functional(inputs: [inputWide, inputDeep], outputs: [output, aux])
            SavingTestSupport.setWeights(of: model, seed: 8)
            try model.compile(optimizer: try Adam(learningRate: 0.01), losses: [Losses.MeanSquaredError(), Losses.Huber()],
                              metrics: ["mae"], lossWeights: [0.9, 0.1])
            return model
        }
        let uninterrupted = try makeModel()
        for epoch in 0..<3 {
            try uninterrupted.fit(try epochData(epoch), batchSize: 16, epochs: epoch + 1, verbosity: .silent, shuffle: false, initialEpoch: epoch)
        }
        var model: Model = try makeModel()
        for epoch in 0..<3 {
            if epoch == 2 {
                try model.save(to: directory.file("wide_deep"))
                model = try Model.load(from: directory.file("wide_deep"))
            }
            try model.fit(try epochData(epoch), batchSize: 16, epochs: epoch + 1, verbosity: .silent, shuffle: false, initialEpoch: epoch)
        }
        #expect(try bits(model) == bits(uninterrupted))
        #expect(model.history?.values == uninterrupted.history?.values)
    }
}
