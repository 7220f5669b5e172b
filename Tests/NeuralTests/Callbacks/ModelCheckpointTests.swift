import Foundation
import Neural
import Testing
import TestSupport

/// ModelCheckpoint through real `fit` calls, with a `save` closure writing a marker file.
@Suite(.serialized) struct ModelCheckpointTests {
    /// Writes the epoch's first weight value to `path`, so tests can see what was saved and when.
    private static func markerWriter(_ model: Model, _ path: String) throws {
        let value = model.weights.first?.value.scalars.first ?? 0
        try Data("\(value)".utf8).write(to: URL(fileURLWithPath: path))
    }

    private func fit(
        _ checkpoint: ModelCheckpoint, validation: [String: [Float]] = [:], epochs: Int, batchSize: Int = 8,
        model: ScriptedModel? = nil
    ) throws -> ScriptedModel {
        let (x, y) = CallbackData.regression(count: 8)
        let model = try model ?? ScriptedModel.compiled()
        model.validationScript = validation
        try model.fit(x, y, batchSize: batchSize, epochs: epochs, verbosity: .silent, callbacks: [checkpoint],
                      validationData: validation.isEmpty ? nil : (x, y), shuffle: false)
        return model
    }

    @Test func savesEveryEpochWithFilledInPathsAndCreatesTheDirectory() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let template = directory.file("runs/model-{epoch:02d}-{val_loss:.4f}.ckpt")
        let checkpoint = try ModelCheckpoint(filepath: template, save: Self.markerWriter)
        _ = try fit(checkpoint, validation: ["loss": [0.5, 0.25, 0.123456]], epochs: 3)
        let expected = ["model-01-0.5000.ckpt", "model-02-0.2500.ckpt", "model-03-0.1235.ckpt"].map { directory.file("runs/" + $0) }
        #expect(checkpoint.savedPaths == expected)
        for path in expected { #expect(FileManager.default.fileExists(atPath: path)) }
    }

    /// The book's `save_best_only=True`: only improvements of `val_loss` are saved.
    @Test func saveBestOnlySavesImprovements() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let checkpoint = try ModelCheckpoint(filepath: directory.file("best-{epoch}.ckpt"), saveBestOnly: true, save: Self.markerWriter)
        _ = try fit(checkpoint, validation: ["loss": [1.0, 0.8, 0.9, 0.7]], epochs: 4)
        #expect(checkpoint.savedPaths == ["best-1.ckpt", "best-2.ckpt", "best-4.ckpt"].map(directory.file))
        #expect(checkpoint.best == 0.7)
    }

    /// Saving to one path keeps the best epoch's weights there.
    @Test func oneBestFileHoldsTheBestEpoch() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let path = directory.file("best.ckpt")
        var firstWeights: [Float] = []
        let checkpoint = try ModelCheckpoint(filepath: path, saveBestOnly: true, save: Self.markerWriter)
        let (x, y) = CallbackData.regression(count: 8)
        let model = try ScriptedModel.compiled(learningRate: 0.05)
        model.validationScript = ["loss": [1.0, 0.5, 0.9]]
        let probe = LambdaCallback(onEpochEnd: { _, _ in firstWeights.append(model.weights.first?.value.scalars.first ?? 0) })
        try model.fit(x, y, batchSize: 8, epochs: 3, verbosity: .silent, callbacks: [probe, checkpoint], validationData: (x, y), shuffle: false)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "\(firstWeights[1])")
        #expect(firstWeights[1] != firstWeights[2])
    }

    @Test func maxModeAndInitialThreshold() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let checkpoint = try ModelCheckpoint(
            filepath: directory.file("acc-{epoch}-{val_accuracy:.2f}"), monitor: "val_accuracy", saveBestOnly: true,
            mode: .max, initialValueThreshold: 0.6, save: Self.markerWriter)
        _ = try fit(checkpoint, validation: ["loss": [1, 1, 1, 1], "accuracy": [0.5, 0.7, 0.65, 0.9]], epochs: 4)
        #expect(checkpoint.savedPaths == ["acc-2-0.70", "acc-4-0.90"].map(directory.file))
    }

    /// Keras's integer `save_freq`: every n batches, counted across epochs, with `{batch}` from 1.
    @Test func savesEveryNBatches() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let checkpoint = try ModelCheckpoint(filepath: directory.file("e{epoch}-b{batch}"), saveFrequency: .batches(3), save: Self.markerWriter)
        _ = try fit(checkpoint, epochs: 3, batchSize: 4)
        #expect(checkpoint.savedPaths == ["e2-b1", "e3-b2"].map(directory.file))
    }

    /// A missing monitored quantity with `saveBestOnly` warns and saves, as Keras does.
    @Test func missingMonitorWarnsAndSaves() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let sink = TextSink()
        let checkpoint = try ModelCheckpoint(filepath: directory.file("m{epoch}"), saveBestOnly: true, save: Self.markerWriter)
        checkpoint.warnings = { sink.append($0) }
        _ = try fit(checkpoint, epochs: 2)
        #expect(checkpoint.savedPaths == ["m1", "m2"].map(directory.file))
        #expect(sink.pieces.count == 1)
        #expect(sink.text.contains("val_loss"))
    }

    @Test func templateFormats() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let template = directory.file("{{x}}-{epoch}-{epoch:03d}-{epoch:.1f}-{loss}-{loss:.2e}-{loss:8.3f}-{loss:.1%}-{loss:.3}")
        let checkpoint = try ModelCheckpoint(filepath: template, save: Self.markerWriter)
        let model = try ScriptedModel.compiled()
        model.trainingScript = ["loss": [0.125]]
        let (x, y) = CallbackData.regression(count: 4)
        try model.fit(x, y, batchSize: 4, epochs: 1, verbosity: .silent, callbacks: [checkpoint], shuffle: false)
        // Python: "{{x}}-{epoch}-{epoch:03d}-{epoch:.1f}-{loss}-{loss:.2e}-{loss:8.3f}-{loss:.1%}-{loss:.3}"
        //         .format(epoch=1, loss=0.125) == "{x}-1-001-1.0-0.125-1.25e-01-   0.125-12.5%-0.125"
        #expect(checkpoint.savedPaths == [directory.file("{x}-1-001-1.0-0.125-1.25e-01-   0.125-12.5%-0.125")])
    }

    @Test func badTemplatesAreRejected() throws {
        #expect(throws: CallbackError.self) { try ModelCheckpoint(filepath: "model-{epoch") }
        #expect(throws: CallbackError.self) { try ModelCheckpoint(filepath: "model-}") }
        #expect(throws: CallbackError.self) { try ModelCheckpoint(filepath: "model-{}") }
        #expect(throws: CallbackError.self) { try ModelCheckpoint(filepath: "model-{epoch:>5}") }
        #expect(throws: CallbackError.self) { try ModelCheckpoint(filepath: "m", saveFrequency: .batches(0)) }
    }

    /// An unknown placeholder or a format the value does not take fails when saving, naming the problem.
    @Test func unfillableTemplatesThrowWhenSaving() throws {
        let unknown = try ModelCheckpoint(filepath: "/tmp/never-{val_acc:.2f}", save: Self.markerWriter)
        do {
            _ = try fit(unknown, epochs: 1)
            Issue.record("fit should throw")
        } catch let error as CallbackError {
            #expect("\(error)".contains("{val_acc}"))
            #expect("\(error)".contains("available: epoch, loss"))
        }
        let integerFormat = try ModelCheckpoint(filepath: "/tmp/never-{loss:02d}", save: Self.markerWriter)
        #expect(throws: CallbackError.self) { _ = try fit(integerFormat, epochs: 1) }
    }

    @Test func aDirectoryIsNotAFilePath() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let checkpoint = try ModelCheckpoint(filepath: directory.path, save: Self.markerWriter)
        #expect(throws: CallbackError.self) { _ = try fit(checkpoint, epochs: 1) }
    }

    /// Without `save`, checkpoints use the package's own writers: safetensors weights, or a whole
    /// model directory that loads again.
    @Test func defaultWritersSaveWeightsAndModels() throws {
        let directory = try TemporaryDirectory()
        let weightsPath = directory.file("best.weights.safetensors")
        _ = try fit(try ModelCheckpoint(filepath: weightsPath, saveWeightsOnly: true), epochs: 1)
        let (tensors, _) = try SafetensorsFile.read(from: weightsPath)
        #expect(!tensors.isEmpty)
        let modelPath = directory.file("best.model")
        let (x, y) = CallbackData.regression(count: 8)
        let model = Sequential([Input(shape: [x.shape[1]]), Dense(units: 1)])
        try model.compile(optimizer: try SGD(), loss: Losses.MeanSquaredError())
        try model.fit(x, y, epochs: 1, verbosity: .silent, callbacks: [try ModelCheckpoint(filepath: modelPath)])
        #expect(try directory.entries("best.model").contains("config.json"))
        let loaded = try Model.load(from: modelPath)
        #expect(loaded.parameterCount == model.parameterCount)
    }
}
