import Foundation
import Tuning
import TunerKit

/// The package root, found from this file's path.
let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// A fresh temporary folder for one test.
func makeTemporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "studyfiles-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Writes `text` to `path`.
func write(_ text: String, to path: String) throws {
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}

/// A reporter that records every step.
final class RecordingReporter: TrialReporter {
    let trialNumber: Int
    var steps: [(step: Int, metrics: [String: Double])] = []
    var stopAtStep: Int?

    init(trialNumber: Int = 1, stopAtStep: Int? = nil) {
        self.trialNumber = trialNumber
        self.stopAtStep = stopAtStep
    }

    func report(step: Int, metrics: [String: Double]) throws {
        steps.append((step, metrics))
        if let stopAtStep, step >= stopAtStep { throw TrialStop.pruned(step: step) }
    }
}
