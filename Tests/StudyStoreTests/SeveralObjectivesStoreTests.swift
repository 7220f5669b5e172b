import Foundation
import Testing
import Tuning
@testable import StudyStore
import TestSupport

/// Studies with several objectives and constraints, on both backends: the objectives and constraints are
/// stored with the study, each trial's values with the trial, and the snapshot's Pareto front keeps only
/// complete, feasible, non-dominated trials.
@Suite("Several objectives in the store")
struct SeveralObjectivesStoreTests {
    static let accuracyAndSize = NewStudy(
        name: "pareto", objective: .maximize("val_accuracy"), additionalObjectives: [.minimize("params")],
        constraints: [MetricConstraint(metric: "epoch_seconds", .max, 2.5)], oracleKind: "random")

    /// Ends a claimed trial of `study` with `objectives` and `constraints`.
    private func finish(_ store: any StudyStorage, study: Int64, number: Int, _ objectives: [Double],
                        constraints: [Double] = [-1]) throws -> StoredTrial {
        let trial = try store.insertTrial(study: study, number: number, state: .waiting, hyperparameters: ["units": .int(number)])
        _ = try store.claimNextTrial(study: study, worker: "w")
        let values = TrialValues(objectives: objectives, constraints: constraints)
        return try store.finishTrial(trial.id, worker: "w", state: .complete, score: objectives[0], values: values)
    }

    /// The definition reads back as written, after reopening too; the values (a NaN constraint included)
    /// come back with the trial, in a snapshot and through a copy's import.
    @Test(arguments: Backend.allCases)
    func objectivesConstraintsAndValuesAreStored(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(Self.accuracyAndSize)
        let reopened = try storage.open().requireStudy(named: "pareto")
        #expect(reopened.objectives == [.maximize("val_accuracy"), .minimize("params")])
        #expect(reopened.constraints == [MetricConstraint(metric: "epoch_seconds", .max, 2.5)])
        #expect(reopened.definition == Self.accuracyAndSize)

        let first = try finish(store, study: study.id, number: 1, [0.91, 125_000], constraints: [-0.5])
        #expect(first.values == TrialValues(objectives: [0.91, 125_000], constraints: [-0.5]))
        #expect(first.score == 0.91 && first.isFeasible)
        let infeasible = try finish(store, study: study.id, number: 2, [0.95, 90_000], constraints: [.nan])
        #expect(!infeasible.isFeasible && infeasible.finiteScore == nil)
        let read = try storage.open().requireTrial(id: infeasible.id)
        #expect(read.values?.objectives == [0.95, 90_000])
        #expect(read.values?.constraints.first?.isNaN == true)

        let imported = try store.insertImportedTrial(study: study.id, ImportedTrial(
            number: 3, state: .complete, hyperparameters: [:], score: 0.8,
            values: TrialValues(objectives: [0.8, 10_000], constraints: [0]), createdAt: 5))
        #expect(try store.requireTrial(id: imported.id).values == TrialValues(objectives: [0.8, 10_000], constraints: [0]))
        #expect(try store.snapshot(study: "pareto").trials.map(\.values?.objectives) == [[0.91, 125_000], [0.95, 90_000], [0.8, 10_000]])
    }

    /// A study with one objective keeps no values column for its trials (its score says it all), and
    /// reads back with no additional objectives or constraints.
    @Test(arguments: Backend.allCases)
    func oneObjectiveStudiesAreUnchanged(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(NewStudy(name: "one", objective: .minimize("val_loss"), oracleKind: "random"))
        #expect(study.objectives == [.minimize("val_loss")] && study.constraints.isEmpty && !study.definition.isMultiObjective)
        let trial = try store.insertTrial(study: study.id, number: 1, state: .waiting, hyperparameters: [:])
        _ = try store.claimNextTrial(study: study.id, worker: "w")
        let ended = try store.finishTrial(trial.id, worker: "w", state: .complete, score: 0.3)
        #expect(ended.values == nil && ended.finiteObjectiveValues == [0.3])
    }

    /// The Pareto front: complete, feasible, finite and non-dominated (directions respected; equal
    /// points both stay; a dominated, a failed and an infeasible trial do not).
    @Test(arguments: Backend.allCases)
    func theParetoFrontKeepsFeasibleNonDominatedTrials(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(Self.accuracyAndSize)
        _ = try finish(store, study: study.id, number: 1, [0.90, 100_000])   // front
        _ = try finish(store, study: study.id, number: 2, [0.85, 200_000])   // dominated by 1
        _ = try finish(store, study: study.id, number: 3, [0.80, 20_000])    // front (smaller)
        _ = try finish(store, study: study.id, number: 4, [0.99, 10_000], constraints: [0.1])  // infeasible
        _ = try finish(store, study: study.id, number: 5, [0.80, 20_000])    // equal to 3: front too
        let failed = try store.insertTrial(study: study.id, number: 6, state: .waiting, hyperparameters: [:])
        _ = try store.claimNextTrial(study: study.id, worker: "w")
        try store.finishTrial(failed.id, worker: "w", state: .failed, error: "diverged")
        let snapshot = try store.snapshot(study: "pareto")
        #expect(snapshot.paretoFront.map(\.number) == [1, 3, 5])
        // bestTrials is the front (Optuna's best_trials); bestTrial the best feasible first objective.
        #expect(Set(snapshot.bestTrials(10).map(\.number)) == [1, 3, 5])
        #expect(snapshot.bestTrials(2).count == 2 && Set(snapshot.bestTrials(2).map(\.number)).isSubset(of: [1, 3, 5]))
        #expect(snapshot.bestTrial?.number == 1)
    }

    /// Objectives on the same metric twice, an empty metric name or a non-finite limit are refused
    /// before anything is stored.
    @Test(arguments: Backend.allCases)
    func badObjectivesAndConstraintsAreRefused(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let twice = NewStudy(name: "twice", objective: .maximize("acc"), additionalObjectives: [.minimize("acc")], oracleKind: "random")
        #expect(throws: StoreError.self) { try store.createStudy(twice) }
        let unnamed = NewStudy(name: "unnamed", objective: .maximize("acc"), additionalObjectives: [.minimize("")], oracleKind: "random")
        #expect(throws: StoreError.self) { try store.createStudy(unnamed) }
        let infinite = NewStudy(name: "infinite", objective: .maximize("acc"),
                                constraints: [MetricConstraint(metric: "params", .max, .infinity)], oracleKind: "random")
        #expect(throws: StoreError.self) { try store.createStudy(infinite) }
        #expect(try store.studyNames().isEmpty)
    }

    /// A constraint is written `{"metric": ..., "max" | "min": ...}` and reads back; neither or both
    /// bounds is refused.
    @Test func constraintsUseTheStudyFileSpelling() throws {
        let constraint = MetricConstraint(metric: "params", .max, 100_000)
        let text = String(decoding: try JSONEncoder().encode(constraint), as: UTF8.self)
        #expect(text.contains("\"max\"") && text.contains("\"metric\":\"params\""))
        #expect(try JSONDecoder().decode(MetricConstraint.self, from: Data(text.utf8)) == constraint)
        #expect(try JSONDecoder().decode(MetricConstraint.self, from: Data(#"{"metric":"t","min":1}"#.utf8))
                == MetricConstraint(metric: "t", .min, 1))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(MetricConstraint.self, from: Data(#"{"metric":"t"}"#.utf8)) }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(MetricConstraint.self, from: Data(#"{"metric":"t","min":1,"max":2}"#.utf8))
        }
        #expect(constraint.violation(of: 120_000) == 20_000 && MetricConstraint(metric: "t", .min, 1).violation(of: 3) == -2)
    }
}
