import Foundation
import StudyFiles
import Testing

/// `oracle: { type: bohb, ... }`: Hyperband's settings plus the model's, the same requirements as
/// Hyperband (max_epochs, no pruner), and its own settings checked where they are written.
@Suite struct BOHBOracleSectionTests {
    static func parse(_ oracle: String, extra: String = "") throws(StudyFileError) -> StudyFile {
        let yaml = """
        name: b
        objective: { metric: loss, direction: min }
        oracle: \(oracle)
        hyperparameters:
          lr: { type: float, min: 0.001, max: 1 }
        command:
          run: 'echo loss=1'
        \(extra)
        """
        return try StudyFile.parse(yaml: yaml, fileName: "b.yaml", directory: FileManager.default.temporaryDirectory.path)
    }

    static func problems(_ oracle: String, extra: String = "") -> [String] {
        do {
            _ = try parse(oracle, extra: extra)
            return []
        } catch {
            return error.issues.map(\.keyPath)
        }
    }

    @Test func itReadsHyperbandsSettingsAndTheModels() throws {
        let section = try Self.parse("{ type: bohb, max_epochs: 27, factor: 3, random_fraction: 0.2, min_points_in_model: 4 }").oracle
        #expect(section.kind == .bohb && section.kind.followsHyperbandSchedule)
        #expect(section.maxEpochs == 27 && section.factor == 3 && section.hyperbandIterations == 1)
        #expect(section.randomFraction == 0.2 && section.minPointsInModel == 4)
        let defaults = try Self.parse("{ type: bohb, max_epochs: 9 }").oracle
        #expect(defaults.randomFraction == nil && defaults.minPointsInModel == nil && defaults.factor == 3)
    }

    @Test func mistakesAreReportedWhereTheyAreWritten() {
        #expect(Self.problems("{ type: bohb }") == ["oracle.max_epochs"])
        #expect(Self.problems("{ type: bohb, max_epochs: 9, random_fraction: 1.5 }") == ["oracle.random_fraction"])
        #expect(Self.problems("{ type: bohb, max_epochs: 9, min_points_in_model: 0 }") == ["oracle.min_points_in_model"])
        #expect(Self.problems("{ type: hyperband, max_epochs: 9, random_fraction: 0.5 }") == ["oracle.random_fraction"])
        #expect(Self.problems("{ type: bohb, max_epochs: 9 }", extra: "pruner: { type: median }") == ["pruner"])
    }
}
