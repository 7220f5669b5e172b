import Foundation
import StudyFiles
import Testing

/// The `tensorboard` key: a folder resolved against the study file's folder, absent by default, and the
/// mistakes reported where they are written.
@Suite struct TensorBoardKeyTests {
    static func parse(_ line: String, directory: String = "/studies") throws(StudyFileError) -> StudyFile {
        let yaml = """
        name: logged
        objective: { metric: loss, direction: min }
        oracle: { type: random, max_trials: 4 }
        hyperparameters:
          lr: { type: float, min: 0.001, max: 1 }
        command:
          run: 'echo loss=1'
        \(line)
        """
        return try StudyFile.parse(yaml: yaml, fileName: "t.yaml", directory: directory)
    }

    @Test func aRelativeFolderIsResolvedAgainstTheStudyFilesFolder() throws {
        #expect(try Self.parse("tensorboard: logs/run").tensorBoard == "/studies/logs/run")
        #expect(try Self.parse("tensorboard: /var/tb").tensorBoard == "/var/tb")
        #expect(try Self.parse("").tensorBoard == nil)
    }

    @Test func anythingButANonEmptyStringIsReportedAtTheKey() {
        for bad in ["tensorboard: ''", "tensorboard: [a, b]", "tensorboard: { dir: x }"] {
            do {
                _ = try Self.parse(bad)
                Issue.record("\(bad) was accepted")
            } catch {
                #expect(error.issues.map(\.keyPath) == ["tensorboard"], "\(bad): \(error)")
            }
        }
    }

    @Test func aMisspeltKeyIsNamedWithTheRightOne() {
        do {
            _ = try Self.parse("tensorbord: logs")
            Issue.record("tensorbord was accepted")
        } catch {
            #expect(error.description.contains("tensorboard"), "\(error)")
        }
    }
}
