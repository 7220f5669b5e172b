import TunerKit

/// A reporter that records every step, and stops the trial as pruned at `stopAtStep`.
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
