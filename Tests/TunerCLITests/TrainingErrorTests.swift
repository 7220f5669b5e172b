import Foundation
import StudyStore
import Testing
import TestSupport

/// Data that does not fit a study's model fails its trial with the reason; the process never dies
/// and the healthy trials beside it complete (issue 12, items 5 and 15).
@Suite(.serialized) struct TrainingErrorTests {
    /// A three-class CSV: features a, b; label y in 0, 1, 2 (row i has class i % 3).
    static func classificationCSV(rows: Int = 90) -> String {
        var lines = ["a,b,y"]
        for row in 0..<rows {
            let label = row % 3
            lines.append("\(Double(label) + Double(row % 7) * 0.01),\(Double(2 - label) - Double(row % 5) * 0.01),\(label)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A model study whose last layer's units are a grid choice among `units`.
    static func study(name: String, units: [Int], loss: String, maxFailures: Int = 3, validation: String = "0.2") -> String {
        """
        name: \(name)
        objective: { metric: val_loss, direction: min }
        oracle: { type: grid, seed: 2, max_consecutive_failed_trials: \(maxFailures) }
        hyperparameters:
          units: { type: choice, values: [\(units.map(String.init).joined(separator: ", "))] }
        data: { source: csv, path: data.csv, label: y, validation: \(validation) }
        model:
          - dense: { units: 8, activation: relu }
          - dense: { units: units }
        compile: { loss: \(loss), optimizer: adam, learning_rate: 0.01 }
        fit: { epochs: 2, batch_size: 16 }
        """
    }

    static func trials(_ study: String, in directory: TemporaryDirectory) throws -> [[String: Any]] {
        let result = try TunerBinary.run(["trials", study, "--format", "json"], in: directory.path)
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]], "\(result.output)")
    }

    @Test func tooFewOutputUnitsFailTheTrialWhileTheHealthyOneBesideItCompletes() throws {
        let directory = try TemporaryDirectory()
        try directory.write("data.csv", Self.classificationCSV())
        // units 2 cannot hold label 2; units 3 can. Both run at once.
        try directory.write("classes.yaml", Self.study(name: "classes", units: [2, 3], loss: "sparse_categorical_crossentropy"))
        let search = try TunerBinary.run(["search", "classes.yaml", "--parallel", "2", "--quiet"], in: directory.path)
        #expect(search.status != 132 && search.status != 134, "crashed: \(search.output)")
        #expect(!search.output.contains("Fatal error"), "\(search.output)")
        let list = try Self.trials("classes", in: directory)
        #expect(list.count == 2)
        let failed = try #require(list.first { $0["units"] as? Int == 2 })
        #expect(failed["state"] as? String == "FAILED")
        let reason = failed["error"] as? String ?? ""
        #expect(reason.contains("labels must be integers in 0..<2 for sparse_categorical_crossentropy with 2 outputs; found 2 at row 2 of the training data"), "\(reason)")
        #expect(reason.contains("the last layer needs 3 units"), "\(reason)")
        let healthy = try #require(list.first { $0["units"] as? Int == 3 })
        #expect(healthy["state"] as? String == "COMPLETE", "\(healthy)")
    }

    @Test func everyTrialFailingOnShapesStopsTheSearchAtTheFailureLimit() throws {
        let directory = try TemporaryDirectory()
        try directory.write("data.csv", regressionCSV(rows: 60))
        // Three (or two) regression outputs for one target column, for every trial.
        try directory.write("outputs.yaml", Self.study(name: "outputs", units: [3, 2, 4, 5], loss: "mse", maxFailures: 2))
        // One trial at a time, so that no third trial is already running when the second fails.
        let search = try TunerBinary.run(["search", "outputs.yaml", "--quiet", "--parallel", "1"], in: directory.path)
        #expect(search.status == 1, "\(search.output)")
        #expect(!search.output.contains("Fatal error"), "\(search.output)")
        let list = try Self.trials("outputs", in: directory)
        #expect(list.count == 2, "max_consecutive_failed_trials 2 stops after two trials: \(list)")
        #expect(list.allSatisfy { $0["state"] as? String == "FAILED" })
        let reason = list.first?["error"] as? String ?? ""
        #expect(reason.contains("mean_squared_error cannot compare targets of shape [48] with predictions of shape [48, 3] in the training data"), "\(reason)")
        #expect(reason.contains("give the last layer 1 unit"), "\(reason)")
    }

    @Test func aValidationFractionThatLeavesNoValidationSampleIsRefusedBeforeAnyTrial() throws {
        let directory = try TemporaryDirectory()
        try directory.write("data.csv", "a,b,y\n0.5,0.25,1.0\n")
        try directory.write("one.yaml", Self.study(name: "one", units: [1], loss: "mse"))
        let search = try TunerBinary.run(["search", "one.yaml"], in: directory.path)
        #expect(search.status == 64, "\(search.output)")
        #expect(search.stderr.contains("data.validation"), "\(search.stderr)")
        #expect(search.stderr.contains("0.2 of 1 sample is no validation sample"), "\(search.stderr)")
        let storage = directory.path + "/tuner.sqlite"
        let stored = FileManager.default.fileExists(atPath: storage) ? try SQLiteStudyStorage(path: storage).studies() : []
        #expect(stored.isEmpty)
    }
}
