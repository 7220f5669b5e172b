import Foundation
import Neural
import Testing
import TunerKit
import Tuning
import TestSupport

/// Data that cannot train a model is refused before the search when the search arguments show it,
/// and fails only its trial, with the reason, when the trial's model shows it (issue 12, items 5, 15).
@Suite struct TunerDataValidationTests {
    let data = BlobData()

    /// Blob models whose output layer has `units` (a grid choice among 2 and 3) for three classes.
    @Sendable static func buildModel(_ hp: HyperParameters) throws -> Model {
        let units = try hp.choice("units", values: [2, 3])
        let model = Sequential([Dense(units: 8, activation: .relu, inputShape: [4]), Dense(units: units, activation: .softmax())])
        try model.compile(optimizer: try Adam(learningRate: 0.01), loss: Losses.SparseCategoricalCrossentropy(), metrics: ["accuracy"])
        return model
    }

    @Test func aModelWithTooFewOutputsFailsItsTrialWithTheReasonAndTheOtherTrialCompletes() throws {
        let directory = try TemporaryDirectory()
        let tuner = try Tuner(
            oracle: .gridSearch(), objective: "val_accuracy", study: "units", storage: directory.path("study.sqlite"), seed: 1,
            options: SearchOptions(parallelTrials: 2, verbosity: .silent), build: Self.buildModel)
        try tuner.search(data.x, data.y, epochs: 2, validationData: (data.xValid, data.yValid))
        let trials = try tuner.oracle.trials
        #expect(trials.count == 2)
        let failed = try #require(trials.first { $0.hyperparameters["units"] == .int(2) })
        #expect(failed.state == .failed)
        #expect(failed.failureReason?.contains(
            "labels must be integers in 0..<2 for sparse_categorical_crossentropy with 2 outputs; found 2 at row 2 of the training data") == true,
            "\(failed.failureReason ?? "no reason")")
        let healthy = try #require(trials.first { $0.hyperparameters["units"] == .int(3) })
        #expect(healthy.state == .complete)
    }

    @Test func aValidationSplitThatLeavesNoSampleIsRefusedBeforeAnyTrial() throws {
        let directory = try TemporaryDirectory()
        let tuner = try Tuner(
            oracle: .gridSearch(), objective: "val_accuracy", study: "one", storage: directory.path("study.sqlite"), seed: 1,
            options: SearchOptions(verbosity: .silent), build: Self.buildModel)
        let one = (x: data.x[0..<1], y: data.y[0..<1])
        do {
            try tuner.search(one.x, one.y, epochs: 1, validationSplit: 0.2)
            Issue.record("a search whose split leaves no validation sample ran")
        } catch let error as TunerError {
            #expect(error.description.contains("validationSplit 0.2 of 1 sample leaves no validation samples"), "\(error)")
        }
        #expect(throws: TunerError.self) { try tuner.search(data.x, data.y, epochs: 1, validationSplit: 1) }
        // Nothing ran: no study was stored.
        #expect(throws: (any Error).self) { try tuner.oracle }
    }
}
