import Foundation
import StudyFiles
import TestSupport
import Testing

/// What a command section is checked for when the file is read (running commands is tested in
/// StudyFileRuntimeTests).
@Suite struct CommandStudyValidationTests {
    static func study(run: String, extra: String = "", directory: String) throws -> StudyFile {
        let yaml = """
        name: cmd
        objective: { metric: loss, direction: min }
        oracle: { type: random, max_trials: 1 }
        hyperparameters:
          lr: { type: float, min: 0.001, max: 1, default: 0.5 }
          name: { type: choice, values: ["it's", plain] }
        command:
          run: '\(run.replacingOccurrences(of: "'", with: "''"))'
        \(extra)
        """
        return try StudyFile.parse(yaml: yaml, fileName: "cmd.yaml", directory: directory)
    }

    @Test func invalidPatternAndWorkdirAreValidationErrors() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            _ = try Self.study(run: "true", extra: "  metric_pattern: 'loss (\\d+) (\\d+)'\n  workdir: nowhere", directory: directory)
            Issue.record("accepted")
        } catch let error as StudyFileError {
            #expect(error.issues.map(\.keyPath).sorted() == ["command.metric_pattern", "command.workdir"])
        }
    }
}
