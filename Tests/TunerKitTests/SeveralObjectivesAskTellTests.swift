import Foundation
import Testing
import StudyStore
import TunerKit
import Tuning
import TestSupport

/// Ask-and-tell on a study with several objectives and constraints (Optuna's `study.tell(trial, values)`
/// with a `constraints_func`): values and constraint values are stored, the front is the non-dominated
/// feasible trials, and values that do not fit the study are refused without changing anything.
@Suite struct SeveralObjectivesAskTellTests {
    /// A random-search study on x ∈ [0, 1] minimizing both x² and (x − 1)², with a declared constraint.
    func makeStudy(_ directory: TemporaryDirectory, oracle: OracleSettings = .randomSearch(maxTrials: 12),
                   constraints: [MetricConstraint] = [MetricConstraint(metric: "x", .max, 0.8)]) throws -> StudyAskTell {
        let hp = HyperParameters()
        _ = try hp.float("x", min: 0, max: 1)
        let definition = StudyDefinition(
            name: "two", objective: .minimize("f1"), additionalObjectives: [.minimize("f2")], constraints: constraints,
            oracle: oracle, seed: 3, searchSpace: hp.space)
        try StudyRunner(definition: definition, storage: directory.path("a.sqlite")).createOrResume()
        return StudyAskTell(storagePath: directory.path("a.sqlite"), study: "two")
    }

    /// Every asked trial told its two values and its constraint value (x − 0.8): the stored front is
    /// exactly the feasible trials (on this problem every feasible point is Pareto-optimal) and no
    /// infeasible one, and each trial's score is its first value.
    @Test func valuesAndConstraintsMakeTheFront() throws {
        let directory = try TemporaryDirectory()
        let study = try makeStudy(directory)
        while case .trial(let asked) = try study.ask() {
            let x = try #require(asked.hyperparameters["x"]?.doubleValue)
            let told = try study.tell(trial: asked.trial, values: [x * x, (x - 1) * (x - 1)], constraints: [x - 0.8])
            #expect(told.state == .complete && told.score == x * x)
        }
        let results = try StudySnapshot.load(storagePath: directory.path("a.sqlite"), study: "two")
        #expect(results.trials.count == 12)
        let feasible = results.trials.filter { ($0.hyperparameters["x"]?.doubleValue ?? 1) <= 0.8 }
        #expect(!feasible.isEmpty && feasible.count < 12)
        #expect(results.paretoFront.map(\.number) == feasible.map(\.number))
        #expect(results.trials.allSatisfy { $0.values?.objectives.count == 2 })
    }

    /// A wrong number of values or of constraint values, no value, or constraints on a pruned trial are
    /// refused with the mismatch named, and the trial stays RUNNING; a NaN objective fails the trial
    /// with the reason; a NaN constraint value makes it infeasible, not failed.
    @Test func valuesThatDoNotFitAreRefused() throws {
        let directory = try TemporaryDirectory()
        let study = try makeStudy(directory)
        guard case .trial(let asked) = try study.ask() else { Issue.record("no trial"); return }
        func refusal(_ body: () throws -> Void) -> String {
            do { try body() } catch { return "\(error)" }
            return "accepted"
        }
        #expect(refusal { try study.tell(trial: asked.trial, values: [0.1, 0.2, 0.3], constraints: [0]) }
                    .contains("has 2 objectives (f1 (min), f2 (min)); 3 values were given"))
        #expect(refusal { try study.tell(trial: asked.trial, value: 0.1) }.contains("1 values were given"))
        #expect(refusal { try study.tell(trial: asked.trial, values: []) }.contains("a value for each of the study's 2 objectives"))
        #expect(refusal { try study.tell(trial: asked.trial, values: [0.1, 0.2]) }
                    .contains("declares 1 constraint (x <= 0.8); 0 constraint values were given"))
        #expect(refusal { try study.tell(trial: asked.trial, values: [], constraints: [1], outcome: .pruned) }
                    .contains("only a complete trial takes constraint values"))
        let stillRunning = try StudySnapshot.load(storagePath: directory.path("a.sqlite"), study: "two").trial(number: asked.trial)
        #expect(stillRunning?.state == .running)

        let failed = try study.tell(trial: asked.trial, values: [.nan, 0.2], constraints: [0])
        #expect(failed.state == .failed && (failed.error ?? "").contains("objective 1 (of 2) was nan"))
        guard case .trial(let next) = try study.ask() else { Issue.record("no second trial"); return }
        let infeasible = try study.tell(trial: next.trial, values: [0.1, 0.2], constraints: [.nan])
        #expect(infeasible.state == .complete && !infeasible.isFeasible)
    }

    /// Every oracle takes several objectives (BOHB too); of the pruners only asha, which ranks a rung by
    /// non-dominated sorting: a study with another is refused when created (nothing is stored), and asha
    /// answers `report(trial:step:values:pruner:)` on both objectives.
    @Test func severalObjectivesTakeEveryOracleAndOnlyTheASHAPruner() throws {
        let directory = try TemporaryDirectory()
        let storage = directory.path("a.sqlite")
        let hp = HyperParameters()
        _ = try hp.float("x", min: 0, max: 1)
        func create(_ name: String, oracle: OracleSettings, pruner: PrunerSettings? = nil) throws {
            try StudyRunner(definition: StudyDefinition(name: name, objective: .minimize("f1"), additionalObjectives: [.minimize("f2")],
                                                        oracle: oracle, seed: 3, searchSpace: hp.space, pruner: pruner),
                            storage: storage).createOrResume()
        }
        #expect(throws: TunerError.self) {
            try create("median", oracle: .randomSearch(maxTrials: 4), pruner: .median(startupTrials: 1, warmupEpochs: 0))
        }
        #expect((try? StudySnapshot.load(storagePath: storage, study: "median")) == nil)

        try create("bohb", oracle: .bohb(maxEpochs: 3))
        let bohb = StudyAskTell(storagePath: storage, study: "bohb")
        guard case .trial(let first) = try bohb.ask() else { Issue.record("no trial"); return }
        #expect(try bohb.tell(trial: first.trial, values: [0.2, 0.3]).values?.objectives == [0.2, 0.3])

        try create("asha", oracle: .randomSearch(maxTrials: 6),
                   pruner: .successiveHalving(minEpochs: 1, factor: 2, minEarlyStoppingRate: 0, bootstrapCount: 0))
        let asha = StudyAskTell(storagePath: storage, study: "asha")
        let pruner = try asha.studyPruner()
        func askTrial() throws -> Int {
            guard case .trial(let asked) = try asha.ask() else { throw TunerError.invalidArgument(name: "ask", message: "no trial") }
            return asked.trial
        }
        #expect(try !asha.report(trial: try askTrial(), step: 1, values: [0.1, 0.1], pruner: pruner))
        // Dominated at the rung, which keeps 1 of 2.
        #expect(try asha.report(trial: try askTrial(), step: 1, values: [0.5, 0.5], pruner: pruner))
        // Better on one objective only: on the front, kept by hypervolume contribution or not, but judged.
        let third = try askTrial()
        // One value, or three, cannot be judged on two objectives: refused, nothing recorded.
        #expect(throws: TunerError.self) { try asha.report(trial: third, step: 1, value: 0.05, pruner: pruner) }
        #expect(throws: TunerError.self) { try asha.report(trial: third, step: 1, values: [0.05, 0.2, 0.3], pruner: pruner) }
        let unchanged = try StudySnapshot.load(storagePath: storage, study: "asha").trial(number: third)
        #expect(unchanged?.state == .running && unchanged?.metrics.names.isEmpty == true)
        // Without a pruner one value is the first objective's curve.
        #expect(try !asha.report(trial: third, step: 0, value: 0.05))
    }
}
