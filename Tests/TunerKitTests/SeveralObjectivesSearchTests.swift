import Foundation
import Neural
import StudyStore
import Testing
import TunerKit
import Tuning
import TestSupport

/// A model search on two objectives, accuracy against the measured parameter count, under a
/// constraint on the measured epoch time: each trial's values are its best epoch's accuracy and its
/// model's true weight count, and the front holds the feasible trials no other beats on both.
@Suite struct SeveralObjectivesSearchTests {
    let data = BlobData()

    @Test func accuracyAgainstSizeGivesAParetoFront() throws {
        let directory = try TemporaryDirectory()
        // One checkpoint kept: on several objectives the whole Pareto front keeps its weights besides
        // (which front member ranks first changes as the front grows; a fresh-clone CI run on 2026-12-07
        // failed with "Trial 4 has no checkpoint to load" when only `bestTrials(1)` was kept).
        let lines = Locked<[String]>([])
        var options = SearchOptions(verbosity: .trials, output: { text in lines.withLock { $0.append(text) } })
        options.checkpointsKept = 1
        let tuner = try Tuner(
            hyperModel: ClosureHyperModel(buildBlobModel), oracle: .randomSearch(maxTrials: 6),
            objectives: ["val_accuracy", "params", "inference_microseconds"],
            constraints: [MetricConstraint(metric: "epoch_seconds", .max, 60)],
            study: "blobs-mo", storage: directory.path("study.sqlite"), seed: 4, options: options)
        #expect(tuner.definition.objectives == [.maximize("val_accuracy"), .minimize("params"), .minimize("inference_microseconds")])
        try tuner.search(data.x, data.y, epochs: 3, validationData: (data.xValid, data.yValid))

        let results = try tuner.oracle
        #expect(results.trials.count == 6 && results.trials.allSatisfy { $0.state == .complete })
        for trial in results.trials {
            let values = try #require(trial.values)
            #expect(values.objectives.count == 3 && values.constraints.count == 1)
            // The first value is the score (the best epoch's val_accuracy), the second the real weight count.
            #expect(values.objectives[0] == trial.score && trial.score == trial.metrics.bestValue("val_accuracy", maximize: true))
            let hp = try trial.hyperParameters(in: results.searchSpace)
            #expect(values.objectives[1] == Double(try buildBlobModel(hp).parameterCount))
            #expect(values.objectives[2] > 0 && values.objectives[2] < 1e6)
            #expect(values.constraints[0] < 0 && trial.isFeasible)
        }
        let front = results.paretoFront
        #expect(!front.isEmpty)
        let best = try #require(results.bestTrials(1).first)
        #expect(front.contains { $0.number == best.number })
        let model = try #require(try tuner.bestModels(1).first)
        #expect(model.parameterCount == Int(best.values?.objectives[1] ?? 0))
        // Every front member's weights were kept, whatever order the front ranked them in as it grew.
        let frontModels = try tuner.bestModels(front.count)
        #expect(frontModels.count == front.count)
        #expect(Set(frontModels.map(\.parameterCount)) == Set(front.compactMap { $0.values.map { Int($0.objectives[1]) } }))
        // Progress names every objective and the front, not the first objective's best alone.
        let progress = lines.withLock { $0.joined(separator: "\n") }
        #expect(progress.contains("val_accuracy: 0.") && progress.contains(" - params: ") && progress.contains(" - inference_microseconds: "))
        #expect(progress.contains("Constraints: epoch_seconds <= 60: -") && progress.contains("(feasible)"))
        #expect(!progress.contains("Best val_accuracy So Far"))
        let members = front.map { "#\($0.number)" }.joined(separator: ", ")
        #expect(progress.contains("Pareto Front So Far: \(front.count) trial\(front.count == 1 ? "" : "s") (\(members))"), "\(progress)")
        let summary = results.resultsSummary()
        #expect(summary.contains("Showing \(front.count) trials of the Pareto front"))
        #expect(summary.contains("Objective(name=\"params\", direction=\"min\")") && summary.contains("Values: "))
        #expect(summary.contains("Constraints: ") && summary.contains("(feasible)"))
        // Nothing off the front beats a front trial on all three.
        for member in front {
            let a = try #require(member.values?.objectives)
            for other in results.trials where other.number != member.number {
                let b = try #require(other.values?.objectives)
                #expect(!(b[0] >= a[0] && b[1] <= a[1] && b[2] <= a[2] && (b[0] > a[0] || b[1] < a[1] || b[2] < a[2])))
            }
        }
    }

    /// A metric no trial produces, named as an objective, fails each trial with the reason; a custom
    /// objective after the first and an oracle that ranks by one score are refused up front.
    @Test func missingMetricsAndUnsupportedSetupsAreSaid() throws {
        let directory = try TemporaryDirectory()
        let tuner = try Tuner(
            hyperModel: ClosureHyperModel(buildBlobModel), oracle: .randomSearch(maxTrials: 1),
            objectives: ["val_accuracy", .metric("val_auc", direction: .maximize)],
            study: "missing", storage: directory.path("study.sqlite"), seed: 4,
            options: SearchOptions(verbosity: .silent))
        try? tuner.search(data.x, data.y, epochs: 1, validationData: (data.xValid, data.yValid))
        let trial = try #require(try tuner.oracle.trials.first)
        #expect(trial.state == .failed && (trial.error ?? "").contains("no \"val_auc\""), "\(trial.error ?? "")")

        #expect(throws: TunerError.self) {
            _ = try Tuner(hyperModel: ClosureHyperModel(buildBlobModel), oracle: .randomSearch(maxTrials: 1),
                          objectives: ["val_accuracy", .custom("gap", direction: .minimize) { _ in 0 }],
                          storage: directory.path("other.sqlite"))
        }
        // A pruner that compares one value cannot judge two objectives.
        #expect(throws: TunerError.self) {
            _ = try Tuner(hyperModel: ClosureHyperModel(buildBlobModel), oracle: .randomSearch(maxTrials: 1),
                          objectives: ["val_accuracy", "params"], storage: directory.path("other.sqlite"),
                          pruner: .median(startupTrials: 1, warmupEpochs: 0))
        }
        var options = SearchOptions(verbosity: .silent)
        options.pruner = MedianStoppingPruner()
        let medianSearch = try Tuner(hyperModel: ClosureHyperModel(buildBlobModel), oracle: .randomSearch(maxTrials: 1),
                                     objectives: ["val_accuracy", "params"], study: "median", storage: directory.path("median.sqlite"),
                                     options: options)
        #expect(throws: TunerError.self) {
            try medianSearch.search(data.x, data.y, epochs: 1, validationData: (data.xValid, data.yValid))
        }
        #expect(throws: TunerError.self) {
            _ = try Tuner(hyperModel: ClosureHyperModel(buildBlobModel), oracle: .randomSearch(maxTrials: 1), objectives: [],
                          storage: directory.path("other.sqlite"))
        }
    }

    /// ASHA on accuracy against size: the parameter count is reported at every epoch, so each rung ranks
    /// both objectives; trials stop only at rungs, and a trial no other beats on both at its rungs is
    /// never stopped.
    @Test func ashaJudgesAModelSearchOnBothObjectives() throws {
        let directory = try TemporaryDirectory()
        // One trial at a time, so trial 0 reaches each rung first (with a trial per core, a later trial
        // can get there before it and the last assertion would depend on the machine's load).
        var options = SearchOptions(parallelTrials: 1, verbosity: .silent)
        options.pruner = try SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2)
        let tuner = try Tuner(
            hyperModel: ClosureHyperModel(buildBlobModel), oracle: .randomSearch(maxTrials: 8),
            objectives: ["val_accuracy", "params"], study: "asha-mo", storage: directory.path("study.sqlite"), seed: 9, options: options)
        try tuner.search(data.x, data.y, epochs: 4, validationData: (data.xValid, data.yValid))
        let snapshot = try StudySnapshot.load(storagePath: directory.path("study.sqlite"), study: "asha-mo")
        #expect(snapshot.trials.count == 8)
        for trial in snapshot.trials {
            // Every epoch's metrics hold the parameter count (the built-in metric the study names).
            #expect(trial.metrics.values("params").count == trial.metrics.values("val_accuracy").count)
            #expect(Set(trial.metrics.values("params")).count == 1)
        }
        let pruned = snapshot.trials.filter { $0.state == .pruned }
        #expect(!pruned.isEmpty, "\(snapshot.trials.map(\.state))")
        // Rungs at steps 1 and 2 of epochs 0...3.
        for trial in pruned {
            #expect([1, 2].contains(trial.metrics.values("val_accuracy").count - 1), "trial \(trial.number) stopped off a rung")
        }
        // The first trial is alone at its rungs: it always goes on.
        #expect(snapshot.trials.first?.state == .complete)
    }
}
