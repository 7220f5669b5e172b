import Foundation
import Neural
import StudyFileRuntime
import StudyFiles
import TestSupport
import Testing
import TunerKit
import Tuning

@Suite struct StudyFileHyperModelTests {
    /// A tiny regression CSV: y = 2a - b + noise-free, 40 rows.
    static func makeCSV(in directory: String) throws {
        var text = "a,b,y\n"
        for index in 0..<40 {
            let a = Double(index % 7) / 7, b = Double(index % 5) / 5
            text += "\(a),\(b),\(2 * a - b)\n"
        }
        try write(text, to: "\(directory)/tiny.csv")
    }

    static let yaml = """
    name: tiny
    objective: val_loss
    oracle: { type: random, max_trials: 1, seed: 1 }
    hyperparameters:
      units: { type: int, min: 2, max: 8, default: 4 }
      normalize: { type: boolean, default: true }
      batch_size: { type: choice, values: [8, 16] }
    data: { source: csv, path: tiny.csv, label: y, validation: 0.25, scale: standardize }
    model:
      - dense: { units: units, activation: relu }
      - dense: { units: 1 }
    compile: { loss: mse, optimizer: adam, learning_rate: 0.01, metrics: [mae] }
    fit: { epochs: 1, batch_size: batch_size, normalize: normalize, early_stopping: { patience: 1 } }
    """

    /// The tiny study and its data, loaded (the CSV is read at load time, so its folder can go).
    static func tinyStudy() throws -> (StudyFile, StudyData) {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try makeCSV(in: directory)
        let study = try StudyFile.parse(yaml: yaml, fileName: "tiny.yaml", directory: directory)
        return (study, try StudyData.load(for: study))
    }

    @Test func aModelStudyOnATinyCSVTrainsOneEpoch() throws {
        let (study, data) = try Self.tinyStudy()
        #expect(data.training.count == 30)
        #expect(data.validation?.count == 10)
        let hyperModel = try StudyFileHyperModel(study: study)
        let hp = try HyperParameters(space: study.searchSpace(), values: ["batch_size": 16])
        let history = try GlobalRandom.withSeed(3) { () throws -> History in
            let model = try hyperModel.build(hp)
            return try hyperModel.fit(hp, model: model, arguments: hyperModel.fitArguments(data: data))
        }
        #expect(history.epochs == [0])
        let loss = try #require(history.values["val_loss"]?.first)
        #expect(loss.isFinite)
        #expect(history.values["mae"] != nil)
    }

    /// The `normalize` flag's standardized data is made once per hypermodel and shared by its trials
    /// (`StandardizedDataCache`): a trial on the same data trains exactly as with data standardized
    /// afresh, and a trial on other data never gets the cached copy.
    @Test func standardizedDataIsSharedAndNeverStale() throws {
        let (study, data) = try Self.tinyStudy()
        let hp = try HyperParameters(space: study.searchSpace(), values: ["batch_size": 8])
        func train(_ hyperModel: StudyFileHyperModel, _ arguments: FitArguments) throws -> [String: [Float]] {
            try GlobalRandom.withSeed(3) { () throws -> History in
                try hyperModel.fit(hp, model: try hyperModel.build(hp), arguments: arguments)
            }.values
        }
        let shared = try StudyFileHyperModel(study: study)
        let arguments = shared.fitArguments(data: data)
        let fresh = try train(try StudyFileHyperModel(study: study), arguments)
        #expect(try train(shared, arguments) == fresh)
        #expect(try train(shared, arguments) == fresh, "the second trial, on the cached copy")
        // Other data: the inputs squared (standardizing cannot undo that, as it would a scale).
        var other = arguments
        let training = try #require(arguments.data)
        other.data = try ModelData(inputs: training.inputs.map { $0 * $0 }, targets: training.targets)
        #expect(try train(shared, other) == train(try StudyFileHyperModel(study: study), other))
        #expect(try train(shared, other) != fresh)
    }

    @Test func missingDataFileAtLoadTimeNamesTheKeyAndPath() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.makeCSV(in: directory)
        let study = try StudyFile.parse(yaml: Self.yaml, fileName: "tiny.yaml", directory: directory)
        try FileManager.default.removeItem(atPath: "\(directory)/tiny.csv")
        #expect(throws: StudyDataError.self) { try StudyData.load(for: study) }
        do {
            _ = try StudyData.load(for: study)
        } catch let error as StudyDataError {
            #expect(error.keyPath == "data.path")
            #expect(error.description.contains("tiny.csv"))
        }
    }

    @Test func aCommandStudyHasNoHyperModel() throws {
        let study = try StudyFile.load(path: "\(packageRoot)/Studies/quadratic-command.yaml")
        #expect(throws: StudyFileError.self) { try StudyFileHyperModel(study: study) }
    }
}

@Suite struct IDXStudyTests {
    /// An IDX file of unsigned bytes with `shape`.
    static func idx(shape: [Int], bytes: [UInt8]) -> Data {
        var data = Data([0, 0, 0x08, UInt8(shape.count)])
        for dimension in shape {
            data.append(contentsOf: [24, 16, 8, 0].map { UInt8((dimension >> $0) & 0xff) })
        }
        data.append(contentsOf: bytes)
        return data
    }

    @Test func anIDXStudyScalesSplitsNormalizesAndTrains() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let count = 24
        var pixels: [UInt8] = []
        var labels: [UInt8] = []
        for index in 0..<count {
            let label = UInt8(index % 3)
            labels.append(label)
            for pixel in 0..<16 { pixels.append(UInt8((Int(label) * 80 + pixel * 5 + index) % 256)) }
        }
        try Self.idx(shape: [count, 4, 4], bytes: pixels).write(to: URL(fileURLWithPath: "\(directory)/images.idx"))
        try Self.idx(shape: [count], bytes: labels).write(to: URL(fileURLWithPath: "\(directory)/labels.idx"))
        let yaml = """
        name: idx
        objective: val_accuracy
        oracle: { type: hyperband, max_epochs: 2, factor: 2 }
        hyperparameters:
          normalize: { type: boolean, default: true }
        data: { source: idx, images: images.idx, labels: labels.idx, validation: 6, scale: 255, limit: 20 }
        model:
          - flatten
          - dense: { units: 3, activation: softmax }
        compile: { loss: sparse_categorical_crossentropy, optimizer: sgd, metrics: [accuracy] }
        fit: { normalize: normalize }
        """
        let study = try StudyFile.parse(yaml: yaml, fileName: "idx.yaml", directory: directory)
        #expect(study.modelStudy?.fit.epochs == 2)  // Hyperband's max_epochs when fit.epochs is left out
        let data = try StudyData.load(for: study)
        #expect(data.training.inputs[0].shape == [14, 4, 4])
        #expect(data.validation?.inputs[0].shape == [6, 4, 4])
        #expect((data.training.inputs[0].scalars.max() ?? 2) <= 1)
        let hyperModel = try StudyFileHyperModel(study: study)
        let hp = try HyperParameters(space: study.searchSpace())
        var arguments = hyperModel.fitArguments(data: data)
        arguments.epochs = 1
        let history = try GlobalRandom.withSeed(5) { () throws -> History in
            try hyperModel.fit(hp, model: try hyperModel.build(hp), arguments: arguments)
        }
        let accuracy = try #require(history.values["val_accuracy"]?.first)
        #expect(accuracy >= 0 && accuracy <= 1)
    }
}
