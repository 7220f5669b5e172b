import Foundation
import Neural
import TestSupport
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
            if let result = try? runProcess(candidate, ["-c", "import numpy"]), result.status == 0 { return candidate }
        }
        return nil
    }
}
