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

    /// The command stops at the pruned step: it never reaches its end, and nothing of it is left running.
    @Test func aPrunedStepStopsTheCommand() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let study = try Self.study(
            run: "ps -o pgid= -p $$ | tr -d \" \" > group.txt; for i in 0 1 2 3 4 5 6 7 8 9; do echo \"{\\\"step\\\": $i, \\\"loss\\\": 1}\"; sleep 0.2; done; echo end > finished.txt",
            directory: directory)
        let reporter = RecordingReporter(stopAtStep: 1)
        #expect(throws: TrialStop.pruned(step: 1)) {
            _ = try study.commandObjective?.run(try Self.hp(study), reporter: reporter)
        }
        #expect(reporter.steps.count == 2)
        try Self.expectGroupGone(directory: directory)
        #expect(!FileManager.default.fileExists(atPath: "\(directory)/finished.txt"))
    }

    /// A pruned trial's command gets SIGTERM first (a training script can save what it has), and its
    /// whole process group is gone when `run` returns.
    @Test func aPrunedCommandIsAskedToEndWithSIGTERM() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try write("""
        trap 'echo saved > stopped.txt; exit 0' TERM
        ps -o pgid= -p $$ | tr -d ' ' > group.txt
        for i in 0 1 2 3 4 5 6 7 8 9; do echo "{\\"step\\": $i, \\"loss\\": 1}"; sleep 0.3 & wait $!; done
        """, to: "\(directory)/train.sh")
        let study = try Self.study(run: "sh train.sh", directory: directory)
        #expect(throws: TrialStop.pruned(step: 1)) {
            _ = try study.commandObjective?.run(try Self.hp(study), reporter: RecordingReporter(stopAtStep: 1))
        }
        #expect((try? String(contentsOfFile: "\(directory)/stopped.txt", encoding: .utf8)) == "saved\n")
        try Self.expectGroupGone(directory: directory)
    }

    /// A command that ignores SIGTERM is killed after the grace period, children included.
    @Test func aPrunedCommandThatIgnoresSIGTERMIsKilled() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try write("""
        trap '' TERM
        ps -o pgid= -p $$ | tr -d ' ' > group.txt
        sleep 60 &
        for i in 0 1 2 3 4 5 6 7 8 9; do echo "{\\"step\\": $i, \\"loss\\": 1}"; sleep 1; done
        """, to: "\(directory)/train.sh")
        let study = try Self.study(run: "sh train.sh", directory: directory)
        #expect(throws: TrialStop.pruned(step: 0)) {
            _ = try study.commandObjective?.run(try Self.hp(study), reporter: RecordingReporter(stopAtStep: 0))
        }
        try Self.expectGroupGone(directory: directory)
    }

    /// The process group the script wrote to `group.txt` has no living process left (a killed process
    /// may stay a zombie until its new parent reaps it: that is not a process left running).
    static func expectGroupGone(directory: String) throws {
        let text = try String(contentsOfFile: "\(directory)/group.txt", encoding: .utf8)
        let group = try #require(Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), "group.txt: \(text)")
        #expect(group > 1)
        // SIGKILL is delivered asynchronously: allow the kernel a moment before looking.
        var living = livingProcesses(inGroup: group)
        for _ in 0..<50 where !living.isEmpty {
            usleep(20_000)
            living = livingProcesses(inGroup: group)
        }
        #expect(living.isEmpty, "process group \(group) still runs \(living)")
    }

    /// The pids of `/proc`'s processes in process group `group` that are not zombies.
    static func livingProcesses(inGroup group: Int) -> [Int] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int? in
            guard let pid = Int(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            // After "pid (comm)": state, ppid, pgrp.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, fields[0] != "Z", Int(fields[2]) == group else { return nil }
            return pid
        }
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
