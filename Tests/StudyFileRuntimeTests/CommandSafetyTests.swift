import Foundation
import StudyFileRuntime
import StudyFiles
import TestSupport
import Testing
import Tuning
import TunerKit

/// Issue 12: what a command study's values and a command's output cannot do — run injected code
/// through a placeholder, keep a trial waiting on a child that holds stdout, or hide a NaN loss.
@Suite struct CommandSafetyTests {
    /// A command study with one free-text choice `v` (its values are given by each test) and `run` as the command.
    static func study(run: String, values: [String], extra: String = "", directory: String) throws -> StudyFile {
        let yaml = studyHead(values: values) + """
          run: '\(run.replacingOccurrences(of: "'", with: "''"))'
        \(extra)
        """
        return try StudyFile.parse(yaml: yaml, fileName: "cmd.yaml", directory: directory)
    }

    /// Everything of the test studies up to their `command:` key: the choice `v` over `values` (YAML
    /// single-quoted) and a float `n`.
    static func studyHead(values: [String]) -> String {
        let choices = values.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" }.joined(separator: ", ")
        return """
        name: cmd
        objective: { metric: loss, direction: min }
        oracle: { type: random, max_trials: 1 }
        hyperparameters:
          v: { type: choice, values: [\(choices)] }
          n: { type: float, min: 0, max: 10, default: 2.5 }
        command:

        """
    }

    static func run(_ study: StudyFile, v: String) throws -> [String: Double] {
        let hp = try HyperParameters(space: study.searchSpace(), values: ["v": .string(v), "n": .float(2.5)])
        return try #require(study.commandObjective).run(hp, reporter: RecordingReporter())
    }

    /// Item 10: a value that is shell code stays a value, whether the placeholder is unquoted, in
    /// double quotes or in single quotes; `f` is never created and the value arrives byte for byte.
    @Test(arguments: [
        #"printf "%s" {v} > out.txt; echo '{"loss": 1}'"#,
        #"printf "%s" "{v}" > out.txt; echo '{"loss": 1}'"#,
        #"printf "%s" "x: {v}" > out.txt; echo '{"loss": 1}'"#,
        #"printf "%s" 'x: {v}' > out.txt; echo '{"loss": 1}'"#,
        #"printf "%s" "$(printf "%s" "{v}")" > out.txt; echo '{"loss": 1}'"#,
    ])
    func injectedShellCodeInAValueIsNeverRun(run: String) throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for value in ["$(touch f)", "`touch f`", "'; touch f; '", "\"; touch f; \"", "a  b  *"] {
            let study = try Self.study(run: run, values: [value], directory: directory)
            #expect(try Self.run(study, v: value) == ["loss": 1])
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/f"), "\(run) ran code from \(value)")
            let written = try String(contentsOfFile: "\(directory)/out.txt", encoding: .utf8)
            let expected = run.contains("x: {v}") ? "x: " + value : value
            #expect(written == expected, "\(run) with \(value)")
        }
    }

    /// Item 10: ordinary values (numbers, strings with spaces) still arrive as they did.
    @Test func ordinaryValuesArriveIntact() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let study = try Self.study(
            run: #"test {n} = 2.5 && test "{v}" = "two words" && test {v} = "two words" && test 'v={v}' = "v=two words" && echo '{"loss": {n}}'"#,
            values: ["two words"], directory: directory)
        #expect(try Self.run(study, v: "two words") == ["loss": 2.5])
    }

    /// A study whose command is the multi-line `script` (a YAML block).
    static func scriptStudy(_ script: String, values: [String], directory: String) throws -> StudyFile {
        let block = script.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
        let yaml = studyHead(values: values) + """
          run: |
        \(block)
        """
        return try StudyFile.parse(yaml: yaml, fileName: "cmd.yaml", directory: directory)
    }

    /// Item 10 in here-documents, comments and after a backslash: an expanding document gets the
    /// value without quotes, a quoted one the value itself, and a value that would end a quoted
    /// document early is refused before anything runs.
    @Test func placeholdersInHereDocumentsAndCommentsStayValues() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for delimiter in ["EOF", "'EOF'"] {
            for value in ["$(touch f)", "a  b  *", "it's \"q\""] {
                let study = try Self.scriptStudy("""
                    # a comment with {v} and a quote ' that does not open anything
                    cat > out.txt <<\(delimiter)
                    x: {v} \\{v}
                    EOF
                    echo '{"loss": 1}'
                    """, values: [value], directory: directory)
                #expect(try Self.run(study, v: value) == ["loss": 1])
                #expect(!FileManager.default.fileExists(atPath: "\(directory)/f"), "<<\(delimiter) ran code from \(value)")
                let written = try String(contentsOfFile: "\(directory)/out.txt", encoding: .utf8)
                #expect(written == "x: \(value) \\{v}\n", "<<\(delimiter) with \(value)")
            }
        }
        // "EOF" alone on a line would end the document and run the next line as a command.
        let study = try Self.scriptStudy("""
            cat > out.txt <<'EOF'
            {v}
            touch f
            EOF
            echo '{"loss": 1}'
            """, values: ["EOF"], directory: directory)
        do {
            _ = try Self.run(study, v: "EOF")
            Issue.record("no error")
        } catch let error as CommandTrialError {
            #expect(error.description.contains("delimiter"), "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: "\(directory)/f"))
    }

    /// Item 9: a command that leaves a child holding its stdout ends once the command has exited
    /// (after a short grace), with the output it printed, and the child is ended too.
    @Test func aChildKeepingStdoutOpenDoesNotHoldTheTrial() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let study = try Self.study(
            run: #"( sleep 40 & echo $! > child.pid ); echo '{"loss": 0.2}'"#, values: ["a"],
            extra: "  timeout: 30", directory: directory)
        let start = Date()
        #expect(try Self.run(study, v: "a") == ["loss": 0.2])
        #expect(Date().timeIntervalSince(start) < 5)
        let childPID = try String(contentsOfFile: "\(directory)/child.pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        Thread.sleep(forTimeInterval: 0.2)
        if let stat = try? String(contentsOfFile: "/proc/\(childPID)/stat", encoding: .utf8) {
            let state = stat.split(separator: ")").last?.split(separator: " ").first
            #expect(state == "Z", "child \(childPID) still running: \(stat)")
        }
    }

    /// Item 15: a NaN or infinite loss is reported as not finite, not as missing.
    @Test(arguments: [
        (#"echo '{"loss": NaN}'"#, ""),
        (#"echo '{"loss": Infinity}'"#, ""),
        (#"echo 'loss: nan'"#, "  metric_pattern: 'loss: (\\S+)'"),
    ])
    func aNonFiniteLossIsReportedAsNotFinite(run: String, extra: String) throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let study = try Self.study(run: run, values: ["a"], extra: extra, directory: directory)
        do {
            _ = try Self.run(study, v: "a")
            Issue.record("no error")
        } catch let error as CommandTrialError {
            #expect(error.description.contains("printed a value of \"loss\" that is not finite"), "\(error)")
            #expect(!error.description.contains("printed no value"))
        }
    }
}
