import Foundation
import Neural
import StudyStore
import Testing
import TunerKit
import Tuning
import TestSupport

/// BOHB through the tuner: Hyperband's schedule with promotions that continue their parent's
/// checkpoint, the study stored as `bohb`, resumed and finished.
@Suite struct BOHBSearchTests {
    let data = BlobData()

    @Test func aBOHBSearchRunsHyperbandsScheduleWithPromotions() throws {
        let directory = try TemporaryDirectory()
        let storage = directory.path("study.sqlite")
        // Few points needed at a budget: the model takes over within the first bracket.
        let settings = OracleSettings.bohb(maxEpochs: 4, factor: 2, randomFraction: 0.25, minPointsInModel: 2)
        let tuner = try Tuner(oracle: settings, objective: "val_accuracy", study: "bohb", storage: storage, seed: 5,
                              options: SearchOptions(verbosity: .silent), build: buildBlobModel)
        try tuner.search(data.x, data.y, epochs: 4, batchSize: 40, validationData: (data.xValid, data.yValid))
        let trials = try tuner.oracle.trials
        let schedule = try HyperbandSchedule(maxEpochs: 4, factor: 2, iterations: 1)
        #expect(trials.count == schedule.totalTrials, "\(trials.count) trials")
        #expect(trials.allSatisfy { $0.state == .complete && $0.hyperband != nil })
        let promoted = trials.filter { $0.hyperband?.parentTrialID != nil }
        #expect(!promoted.isEmpty)
        for trial in promoted {
            let hyperband = try #require(trial.hyperband)
            #expect(trial.metrics.curves["val_accuracy"]?.first?.step == hyperband.initialEpoch)
            let parent = try #require(trials.first { $0.number == hyperband.parentTrialID })
            #expect(parent.hyperparameters == trial.hyperparameters)
        }
        let store = try openStudyStorage(storage)
        let study = try store.requireStudy(named: "bohb")
        #expect(study.oracleKind == "bohb")
        #expect(study.oracleConfiguration.objectValue?["random_fraction"] == .double(0.25))

        // A second run resumes the finished study: nothing more to do, nothing lost.
        let again = try Tuner(oracle: settings, objective: "val_accuracy", study: "bohb", storage: storage, seed: 5,
                              options: SearchOptions(verbosity: .silent), build: buildBlobModel)
        try again.search(data.x, data.y, epochs: 4, batchSize: 40, validationData: (data.xValid, data.yValid))
        #expect(try again.oracle.trials.count == trials.count)
    }
}
