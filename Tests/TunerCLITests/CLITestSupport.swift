import Foundation
import Testing
import TestSupport

/// Runs the built `tuner` binary (it sits beside the test bundle in `.build/<configuration>/`).
struct TunerBinary {
    static var path: String { BuiltProducts.path(of: "tuner") }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var output: String { stdout + stderr }
    }

    /// Runs `tuner arguments...` in `directory` and waits for it.
    static func run(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> Result {
        let process = try start(arguments, in: directory, environment: environment, stdout: directory + "/.out", stderr: directory + "/.err")
        process.waitUntilExit()
        let out = (try? String(contentsOfFile: directory + "/.out", encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: directory + "/.err", encoding: .utf8)) ?? ""
        return Result(status: process.terminationStatus, stdout: out, stderr: err)
    }

    /// Runs the shell script `script` (a file in `directory`) with the `tuner` binary's path as `$1`, as
    /// a user's ask/tell loop would, and returns its exit status and its standard output and error together.
    static func runScript(_ script: String, in directory: String) throws -> (status: Int32, output: String) {
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = [script, path]
        shell.currentDirectoryURL = URL(fileURLWithPath: directory)
        let pipe = Pipe()
        shell.standardOutput = pipe
        shell.standardError = pipe
        try shell.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        shell.waitUntilExit()
        return (shell.terminationStatus, output)
    }

    /// Starts `tuner arguments...` with its output going to files.
    static func start(_ arguments: [String], in directory: String, environment: [String: String] = [:],
                      stdout: String, stderr: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "TUNER_STORAGE")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        for file in [stdout, stderr] { _ = FileManager.default.createFile(atPath: file, contents: nil) }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdout))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderr))
        try process.run()
        return process
    }
}

/// A tiny regression CSV: y = 2a - b + noise, made with a fixed generator.
func regressionCSV(rows: Int = 200) -> String {
    var state: UInt64 = 12345
    func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
    var lines = ["a,b,y"]
    for _ in 0..<rows {
        let a = next() * 2 - 1, b = next() * 2 - 1
        lines.append("\(a),\(b),\(2 * a - b + (next() - 0.5) * 0.1)")
    }
    return lines.joined(separator: "\n") + "\n"
}

/// A model study on `data.csv`.
func modelStudy(name: String = "tiny", trials: Int = 3, epochs: Int = 3, slow: Bool = false, retries: Int = 0) -> String {
    """
    name: \(name)
    objective: { metric: val_loss, direction: min }
    oracle: { type: random, max_trials: \(trials), seed: 4, max_retries_per_trial: \(retries) }
    hyperparameters:
      units:         { type: int, min: 2, max: 16, default: 8 }
      learning_rate: { type: float, min: 1e-3, max: 1e-1, sampling: log, default: 1e-2 }
    data: { source: csv, path: data.csv, label: y, validation: 0.25 }
    model:
      - dense: { units: units, activation: relu }
      - dense: { units: 1 }
    compile: { loss: mse, optimizer: adam, learning_rate: learning_rate, metrics: [mae] }
    fit: { epochs: \(epochs), batch_size: \(slow ? 1 : 16) }
    """
}
