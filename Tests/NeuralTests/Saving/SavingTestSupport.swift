import Foundation
import Neural
import Testing

enum SavingTestSupport {
    /// Sets every weight of `layer` from a private generator, so that tests do not depend on the
    /// global generator (which tests running in parallel share).
    static func setWeights(of layer: Layer, seed: UInt64, scale: Float = 0.3) {
        var generator = SeededGenerator(seed: seed)
        for variable in layer.weights {
            variable.assign(Tensor(randomNormal: variable.shape, standardDeviation: scale, generator: &generator))
        }
    }

    /// The weights' values by saved name.
    static func values(_ model: Model) throws -> [String: [Float]] {
        try model.weightTensors().mapValues(\.scalars)
    }

    /// A `python3` on the PATH that can import NumPy, or nil.
    static func pythonWithNumPy() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/python3"
            guard FileManager.default.isExecutableFile(atPath: candidate) else { continue }
            if let result = try? run(candidate, ["-c", "import numpy"]), result.status == 0 { return candidate }
        }
        return nil
    }

    /// Runs a program, returning its exit status and standard output.
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
    }
}
