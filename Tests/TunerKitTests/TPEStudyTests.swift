import Foundation
import StudyStore
import Testing
import TunerKit
import Tuning
import TestSupport

/// The TPE oracle in stored studies: a function study in SQLite with a pruner, its settings and state
/// kept with the study, and a second runner that resumes it from the store.
@Suite struct TPEStudyTests {
    @Test func aPrunedTPEStudyFindsTheMinimumAndResumesFromTheStore() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("tpe.sqlite")
        let definition = StudyDefinition(
            name: "tpe-quadratic", objective: .minimize("loss"), oracle: .tpe(maxTrials: 30, numInitialPoints: 8), seed: 5)
        let objective: TrialObjective = { hp, reporter in
            let x = try hp.float("x", min: -5, max: 5)
            let kind = try hp.choice("kind", values: ["flat", "steep"])
            let loss = (x - 1) * (x - 1) + (kind == "flat" ? 0 : 2)
            // A learning curve that ends at the loss, so the pruner compares like with like.
            for step in 0..<4 { try reporter.report(step: step, metrics: ["loss": loss + Double(3 - step)]) }
            return ["loss": loss]
        }
        let runner = StudyRunner(
            definition: definition, storage: path,
            options: SearchOptions(parallelTrials: 1, pruner: MedianStoppingPruner(startupTrials: 5), verbosity: .silent))
        try runner.optimize(objective)

        let snapshot = try StudySnapshot.load(storagePath: path, study: "tpe-quadratic")
        #expect(snapshot.study.oracleKind == "tpe")
        #expect(snapshot.trials.count == 30)
        #expect(snapshot.trials.contains { $0.state == .pruned }, "the median pruner stops some TPE trials")
        let best = try #require(runner.oracle.bestTrial)
        #expect(try #require(best.score) < 0.1)
        #expect(best.hyperparameters["kind"] == "flat")

        // A second runner restores the TPE oracle from the stored parts: the budget is spent, so it adds nothing.
        let resumed = StudyRunner(definition: definition, storage: path, options: SearchOptions(verbosity: .silent))
        try resumed.optimize(objective)
        #expect(try StudySnapshot.load(storagePath: path, study: "tpe-quadratic").trials.count == 30)
    }
}
