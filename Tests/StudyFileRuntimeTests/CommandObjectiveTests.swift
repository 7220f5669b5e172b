import Foundation
import StudyFileRuntime
import StudyFiles
import TestSupport
import Testing
import Tuning
import TunerKit

@Suite struct CommandObjectiveTests {
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

    static func hp(_ study: StudyFile, _ values: [String: HyperParameterValue] = [:]) throws -> HyperParameters {
        try HyperParameters(space: study.searchSpace(), values: values)
    }

    @Test func stepsAreReportedAndTheLastJSONLineGivesTheMetrics() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try write("""
        echo "starting"
        echo '{"step": 0, "loss": 3.5}'
        echo '{"step": 1, "loss": 2.25, "acc": 0.5}'
        echo "lr=$1 env=$TUNER_HP_LR name=$2 env=$TUNER_HP_NAME" >&2
        echo '{"loss": 1.5, "acc": 0.75, "converged": true}'
        """, to: "\(directory)/train.sh")
        let study = try Self.study(run: "sh train.sh {lr} {name}", directory: directory)
        let objective = try #require(study.commandObjective)
        let reporter = RecordingReporter()
        let metrics = try objective.run(try Self.hp(study, ["lr": 0.25, "name": "it's"]), reporter: reporter)
        #expect(metrics == ["loss": 1.5, "acc": 0.75])
        #expect(reporter.steps.map(\.step) == [0, 1])
        #expect(reporter.steps.map(\.metrics) == [["loss": 3.5], ["loss": 2.25, "acc": 0.5]])
    }

    @Test func placeholdersAreShellQuotedAndEnvironmentVariablesSet() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let study = try Self.study(
            run: #"test {name} = "it's" && test "$TUNER_HP_NAME" = "it's" && test "$TUNER_HP_LR" = 0.25 && echo '{"loss": 1}'"#,
            directory: directory)
        let metrics = try #require(study.commandObjective).run(try Self.hp(study, ["lr": 0.25, "name": "it's"]), reporter: RecordingReporter())
        #expect(metrics == ["loss": 1])
        #expect(CommandObjective.environmentName(for: "learning-rate") == "TUNER_HP_LEARNING_RATE")
        #expect(CommandTemplate.fill("run {name} {{x}} ${HOME} {\"a\": 1}", values: ["name": "a b"]) == "run 'a b' {x} ${HOME} {\"a\": 1}")
    }

    @Test func nonZeroExitFailsWithTheStatusAndTheStderrTail() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let script = (1...30).map { "echo \"err line \($0)\" >&2" }.joined(separator: "; ") + "; echo '{\"loss\": 1}'; exit 3"
        let study = try Self.study(run: script, directory: directory)
        do {
            _ = try #require(study.commandObjective).run(try Self.hp(study), reporter: RecordingReporter())
            Issue.record("no error")
        } catch let error as CommandTrialError {
            #expect(error.reason == .exitStatus(3))
            #expect(error.stderrTail.count == 20)
            #expect(error.stderrTail.first == "err line 11")
            #expect(error.stderrTail.last == "err line 30")
            #expect(error.description.contains("status 3"))
            #expect(error.description.contains("err line 30"))
        }
    }

    @Test func timeoutKillsTheProcessGroup() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A child in the background that would outlive the shell, and a foreground sleep.
        let study = try Self.study(
            run: "echo started >&2; sleep 30 & echo $! > child.pid; sleep 30", extra: "  timeout: 0.5", directory: directory)
        let start = Date()
        do {
            _ = try #require(study.commandObjective).run(try Self.hp(study), reporter: RecordingReporter())
            Issue.record("no error")
        } catch let error as CommandTrialError {
            #expect(error.reason == .timeout(0.5))
            #expect(error.stderrTail == ["started"])
        }
        #expect(Date().timeIntervalSince(start) < 10)
        // The background child was in the group and is gone (or a zombie waiting for init).
        let childPID = try String(contentsOfFile: "\(directory)/child.pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        Thread.sleep(forTimeInterval: 0.2)
        if let stat = try? String(contentsOfFile: "/proc/\(childPID)/stat", encoding: .utf8) {
            let state = stat.split(separator: ")").last?.split(separator: " ").first
            #expect(state == "Z", "child \(childPID) still running: \(stat)")
        }
    }

    @Test func metricPatternReadsTheLastMatch() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let study = try Self.study(
            run: "echo 'loss: 9.0'; echo 'progress'; echo 'loss: 0.125'", extra: "  metric_pattern: 'loss: ([0-9.eE+-]+)'",
            directory: directory)
        let metrics = try #require(study.commandObjective).run(try Self.hp(study), reporter: RecordingReporter())
        #expect(metrics == ["loss": 0.125])
    }

    @Test func missingMetricFails() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let study = try Self.study(run: "echo '{\"accuracy\": 1}'", directory: directory)
        do {
            _ = try #require(study.commandObjective).run(try Self.hp(study), reporter: RecordingReporter())
            Issue.record("no error")
        } catch let error as CommandTrialError {
            #expect(error.reason == .missingMetric("loss"))
        }
    }

    @Test func aPrunedStepStopsTheCommand() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let study = try Self.study(
            run: "for i in 0 1 2 3 4 5 6 7 8 9; do echo \"{\\\"step\\\": $i, \\\"loss\\\": 1}\"; sleep 0.2; done",
            directory: directory)
        let reporter = RecordingReporter(stopAtStep: 1)
        let start = Date()
        #expect(throws: TrialStop.pruned(step: 1)) {
            _ = try study.commandObjective?.run(try Self.hp(study), reporter: reporter)
        }
        #expect(reporter.steps.count == 2)
        #expect(Date().timeIntervalSince(start) < 1.5)
    }

    @Test func theShippedCommandStudyRunsItsScript() throws {
        let study = try StudyFile.load(path: "\(packageRoot)/Studies/quadratic-command.yaml")
        let reporter = RecordingReporter()
        let metrics = try #require(study.commandObjective).run(
            try Self.hp(study, ["x": 0.0, "y": 0.0, "lr": 0.1, "optimizer": "sgd"]), reporter: reporter)
        #expect(reporter.steps.count == 20)
        let loss = try #require(metrics["loss"])
        #expect(loss < 0.01)
    }

    @Test func shortFormAndRestatedMetric() throws {
        let short = """
        name: s
        objective: { metric: loss, direction: min }
        oracle: { type: random, max_trials: 1 }
        hyperparameters: {}
        command: echo '{"loss":2}'
        """
        let study = try StudyFile.parse(yaml: short, fileName: "s.yaml")
        let metrics = try #require(study.commandObjective).run(HyperParameters(), reporter: RecordingReporter())
        #expect(metrics == ["loss": 2])
        let restated = short.replacingOccurrences(of: "command: echo '{\"loss\":2}'", with: "command: { run: 'true', metric: val_loss }")
        do {
            _ = try StudyFile.parse(yaml: restated, fileName: "s.yaml")
            Issue.record("accepted")
        } catch {
            #expect(error.keyPath == "command.metric")
            #expect(error.line == 5)
        }
    }
}
