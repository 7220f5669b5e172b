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

    /// The oracle that ranks by one score (BOHB) refuses several objectives or constraints when the
    /// study is created (nothing is stored), and constraint values told to such a study.
    @Test func scoreRankingOraclesRefuseSeveralObjectives() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: TunerError.self) { _ = try makeStudy(directory, oracle: .bohb(maxEpochs: 3)) }
        #expect(throws: TunerError.self) { _ = try makeStudy(directory, oracle: .bohb(maxEpochs: 3)) }
        #expect((try? StudySnapshot.load(storagePath: directory.path("a.sqlite"), study: "two")) == nil)

        let hp = HyperParameters()
        _ = try hp.float("x", min: 0, max: 1)
        try StudyRunner(definition: StudyDefinition(name: "one", objective: .minimize("loss"),
                                                    oracle: .bohb(maxEpochs: 3), searchSpace: hp.space),
                        storage: directory.path("b.sqlite")).createOrResume()
        let single = StudyAskTell(storagePath: directory.path("b.sqlite"), study: "one")
        guard case .trial(let asked) = try single.ask() else { Issue.record("no trial"); return }
        #expect(throws: TunerError.self) { try single.tell(trial: asked.trial, values: [0.5], constraints: [1]) }
        try single.tell(trial: asked.trial, value: 0.5)
    }
}
