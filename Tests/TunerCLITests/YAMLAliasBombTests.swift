import Foundation
import Testing
import TestSupport

/// Issue 12, item 7: a small study file whose nested anchors expand to 10^10 values.
@Suite struct YAMLAliasBombTests {
    /// Ten levels of `aN: &aN [*aM x 10]`, under a key validation does not know.
    private static let bomb: String = {
        var lines = [
            "name: laughs", "objective: { metric: loss, direction: min }", "oracle: { type: random, max_trials: 2 }",
            "hyperparameters:", "  x: { type: float, min: 0, max: 1 }", "command:", "  run: echo {x}", "lol:",
            "  a0: &a0 [x, x, x, x, x, x, x, x, x, x]",
        ]
        for level in 1..<10 {
            lines.append("  a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    /// Runs `tuner arguments...`, killed after 10 s: before the fix this grew past 14 GB, and a
    /// regression must not eat the machine. Returns the status, standard error and the time taken.
    private static func runBounded(_ arguments: [String], in directory: TemporaryDirectory) throws -> (status: Int32, stderr: String, elapsed: Duration) {
        let start = ContinuousClock.now
        let process = try TunerBinary.start(arguments, in: directory.path,
                                            stdout: directory.path + "/.out", stderr: directory.path + "/.err")
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let stderr = (try? String(contentsOfFile: directory.path + "/.err", encoding: .utf8)) ?? ""
        return (process.terminationStatus, stderr, ContinuousClock.now - start)
    }

    @Test func searchRefusesAnAliasBombFastNamingTheLine() throws {
        let directory = try TemporaryDirectory()
        try directory.write("bomb.yaml", Self.bomb)
        let result = try Self.runBounded(["search", "bomb.yaml"], in: directory)
        #expect(result.status == 64, "status \(result.status): \(result.stderr)")
        // a4 (line 13) is where the expansion passes 100,000 values.
        #expect(result.stderr.contains("bomb.yaml:13:"), "\(result.stderr)")
        #expect(result.stderr.contains("aliases expand to more than 100,000 values"), "\(result.stderr)")
        #expect(result.elapsed < .seconds(2), "took \(result.elapsed)")
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/tuner.sqlite"))
    }

    @Test func createRefusesAnAliasBombInASearchSpaceFile() throws {
        let directory = try TemporaryDirectory()
        let space = "hyperparameters:\n  x: { type: float, min: 0, max: 1 }\n"
            + Self.bomb.split(separator: "\n").dropFirst(7).joined(separator: "\n") + "\n"
        try directory.write("space.yaml", space)
        let result = try Self.runBounded(
            ["create", "s", "--space", "space.yaml", "--oracle", "random", "--direction", "min", "--max-trials", "2"],
            in: directory)
        #expect(result.status == 64, "status \(result.status): \(result.stderr)")
        #expect(result.stderr.contains("space.yaml:8:"), "\(result.stderr)")
        #expect(result.stderr.contains("aliases expand to more than 100,000 values"), "\(result.stderr)")
        #expect(result.elapsed < .seconds(2), "took \(result.elapsed)")
    }
}
