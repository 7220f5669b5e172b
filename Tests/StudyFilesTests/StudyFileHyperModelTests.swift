import Foundation
import Neural
import StudyFiles
import Testing
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

    @Test func aModelStudyOnATinyCSVTrainsOneEpoch() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.makeCSV(in: directory)
        let study = try StudyFile.parse(yaml: Self.yaml, fileName: "tiny.yaml", directory: directory)
        let data = try StudyData.load(for: study)
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
