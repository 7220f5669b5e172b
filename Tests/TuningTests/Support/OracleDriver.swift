import Foundation
import Testing
import Tuning

/// A synthetic objective for driving oracles without models: a smooth function of the book's
/// hyperparameters (best near n_hidden 3, n_neurons 128, learning_rate 1e-3, adam) that improves
/// with the epochs trained, as a learning curve would.
func syntheticScore(_ values: [String: HyperParameterValue], epochs: Int = 10) -> Double {
    var score = 0.9
    if let hidden = values["n_hidden"]?.doubleValue { score -= 0.01 * abs(hidden - 3) }
    if let neurons = values["n_neurons"]?.doubleValue { score -= 0.0005 * abs(neurons - 128) }
    if let rate = values["learning_rate"]?.doubleValue { score -= 0.05 * abs(log10(rate) + 3) }
    if values["optimizer"] == "sgd" { score -= 0.03 }
    if let units = values["units"]?.doubleValue { score += 0.001 * units }
    return score * (1 - 1 / Double(epochs + 1))
}

/// Runs `oracle` with one worker until the search is over, completing every trial with `score`.
@discardableResult
func runSequentially(
    _ oracle: some Oracle, limit: Int = 5_000,
    score: ([String: HyperParameterValue], Trial) -> Double = { values, trial in
        syntheticScore(values, epochs: trial.hyperband?.epochs ?? 10)
    }
) throws -> [Trial] {
    var started: [Trial] = []
    for _ in 0..<limit {
        switch oracle.createTrial(workerID: "worker") {
        case .run(let trial):
            started.append(trial)
            try oracle.reportIntermediate(trialID: trial.id, step: 0, value: 0)
            try oracle.endTrial(trialID: trial.id, outcome: .complete(score(trial.values, trial)))
        case .waitForRunningTrials:
            Issue.record("a single sequential worker should never have to wait")
            return started
        case .searchIsOver:
            return started
        }
    }
    Issue.record("the search did not end within \(limit) trials")
    return started
}

/// The trial of a `.run` suggestion, or `nil`.
extension TrialSuggestion {
    var trial: Trial? {
        if case .run(let trial) = self { return trial }
        return nil
    }
}
