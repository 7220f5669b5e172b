import Foundation
import Testing
import Tuning
import StudyStore
import TestSupport

/// `snapshot(study:)`, the one read model of a study, and the ranking every module uses.
@Suite("Snapshots")
struct SnapshotTests {
    @Test(arguments: Backend.allCases)
    func aSnapshotHoldsTheStudyItsTrialsByNumberTheirOwnCurvesCheckpointsAndOracleState(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        let other = try store.createStudy(try sampleStudy("other"))
        // Inserted out of order: the snapshot lists them by number.
        let two = try store.insertTrial(study: study.id, number: 2, hyperparameters: ["n_hidden": .int(2)])
        let zero = try store.insertTrial(study: study.id, number: 0, hyperparameters: ["n_hidden": .int(0)])
        let one = try store.insertTrial(study: study.id, number: 1, hyperparameters: ["n_hidden": .int(1)])
        let foreign = try store.insertTrial(study: other.id, number: 0)
        try store.recordMetrics(trial: zero.id, step: 1, values: ["loss": 0.5, "val_accuracy": 0.8])
        try store.recordMetrics(trial: zero.id, step: 0, values: ["loss": 0.9, "val_accuracy": 0.6])
        try store.recordMetrics(trial: two.id, step: 0, values: ["loss": .nan])
        try store.recordMetrics(trial: foreign.id, step: 0, values: ["loss": 7])
        try store.saveCheckpoint(trial: two.id, epoch: 0, path: "/c/2-0")
        try store.saveCheckpoint(trial: two.id, epoch: 1, path: "/c/2-1")
        try store.saveCheckpoint(trial: foreign.id, epoch: 0, path: "/c/x")
        try store.saveOracleState(study: study.id, json(#"{"seen":3}"#))
        try store.saveOracleState(study: study.id, json(#"{"seen":4}"#))

        let snapshot = try store.snapshot(study: "mnist")
        #expect(snapshot.study == study)
        #expect(snapshot.name == "mnist" && snapshot.objective == .maximize("val_accuracy"))
        #expect(snapshot.trials.map(\.number) == [0, 1, 2])
        #expect(snapshot.trials.map(\.id) == [zero.id, one.id, two.id])
        #expect(snapshot.trials.map(\.trial) == [zero, one, two])
        // Each trial's own curves, in step order.
        #expect(snapshot.trials[0].metrics == MetricsHistory(curves: [
            "loss": [MetricPoint(step: 0, value: 0.9), MetricPoint(step: 1, value: 0.5)],
            "val_accuracy": [MetricPoint(step: 0, value: 0.6), MetricPoint(step: 1, value: 0.8)],
        ]))
        #expect(snapshot.trials[1].metrics.isEmpty)
        // A NaN is kept as NaN (SQLite stored it as NULL, PostgreSQL as NaN).
        #expect(snapshot.trials[2].metrics.names == ["loss"])
        #expect(snapshot.trials[2].metrics.values("loss").count == 1)
        #expect(snapshot.trials[2].metrics.lastValue("loss")?.isNaN == true)
        #expect(snapshot.trials.map(\.hasCheckpoint) == [false, false, true])
        #expect(text(snapshot.oracleState) == #"{"seen":4}"#)
        #expect(snapshot.oracleState?.version == 2)
        #expect(snapshot.trial(number: 1)?.id == one.id && snapshot.trial(number: 9) == nil)
        #expect(snapshot.countsByState == [.waiting: 3])

        // The other study's snapshot holds only its own trial, curve and checkpoint, and no oracle state.
        let second = try store.snapshot(study: "other")
        #expect(second.trials.map(\.id) == [foreign.id])
        #expect(second.trials[0].metrics.values("loss") == [7])
        #expect(second.trials[0].hasCheckpoint)
        #expect(second.oracleState == nil)

        #expect(throws: StoreError.studyNotFound(name: "missing")) { try store.snapshot(study: "missing") }
    }

    /// A snapshot is one consistent read: what it shows of trials, curves and oracle state belongs to one
    /// moment even while workers write.
    @Test(arguments: Backend.allCases) func aSnapshotIsConsistentWhileAnotherWorkerWrites(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let path = storage.connectionString
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        let trials = 40
        try store.write { store in
            for _ in 0..<trials { try store.insertTrial(study: study.id) }
        }
        let errors = Locked<[String]>([])
        let done = Locked(false)
        runOnThreads(2) { index in
            do {
                if index == 0 {
                    let worker = try openStudyStorage(path, busyTimeout: 30)
                    while let trial = try worker.claimNextTrial(study: study.id, worker: "w") {
                        // Metric, finish and oracle state in one transaction, as a consistent reader must see them.
                        try worker.write { worker in
                            try worker.recordMetrics(trial: trial.id, step: 0, values: ["loss": 1])
                            try worker.finishTrial(trial.id, worker: "w", state: .complete, score: Double(trial.number),
                                                   oracleState: whole(#"{"done":\#(trial.number + 1)}"#))
                        }
                    }
                    done.withLock { $0 = true }
                } else {
                    let reader = try openStudyStorage(path, busyTimeout: 30)
                    while !done.withLock({ $0 }) {
                        let snapshot = try reader.snapshot(study: "mnist")
                        let complete = snapshot.trials.filter { $0.state == .complete }
                        let withCurves = snapshot.trials.filter { !$0.metrics.isEmpty }
                        let saved = snapshot.oracleState.map { String(decoding: $0.core, as: UTF8.self) }
                        let expected = complete.isEmpty ? nil : #"{"done":\#(complete.count)}"#
                        if complete.count != withCurves.count || saved != expected {
                            errors.withLock { $0.append("\(complete.count) complete, \(withCurves.count) with curves, state \(saved ?? "nil")") }
                        }
                    }
                }
            } catch {
                errors.withLock { $0.append("\(error)") }
            }
        }
        #expect(errors.withLock { $0 } == [])
        #expect(try store.snapshot(study: "mnist").countsByState == [.complete: trials])
    }
}

@Suite("Ranking")
struct RankingTests {
    private func trial(_ number: Int, _ state: TrialState, _ score: Double?) -> TrialSnapshot {
        TrialSnapshot(trial: StoredTrial(id: Int64(100 + number), studyID: 1, number: number, state: state,
                                         hyperparameters: [:], score: score, createdAt: 0))
    }

    private func snapshot(_ direction: Objective.Direction, _ trials: [TrialSnapshot]) throws -> StudySnapshot {
        let definition = NewStudy(name: "r", objective: Objective("score", direction: direction), oracleKind: "random")
        return StudySnapshot(study: StoredStudy(id: 1, definition: definition, createdAt: 0), trials: trials)
    }

    private var mixed: [TrialSnapshot] {
        [
            trial(5, .complete, 0.7), trial(1, .complete, 0.9), trial(2, .complete, .nan), trial(3, .pruned, 0.99),
            trial(4, .failed, nil), trial(0, .complete, 0.7), trial(6, .running, nil), trial(7, .complete, .infinity),
            trial(8, .complete, nil), trial(9, .complete, 0.2), trial(10, .waiting, nil),
        ]
    }

    @Test func maximizingRanksHighestFirstTiesByNumberOnlyCompleteFiniteScores() throws {
        let ranked = try snapshot(.maximize, mixed).rankedTrials
        // 0 and 5 tie at 0.7: the lower number first. NaN, infinity, no score, and PRUNED / FAILED /
        // RUNNING / WAITING trials are left out (a pruned trial's score is not a final one).
        #expect(ranked.map(\.number) == [1, 0, 5, 9])
        #expect(try snapshot(.maximize, mixed).bestTrial?.number == 1)
        #expect(try snapshot(.maximize, mixed).bestTrials(2).map(\.number) == [1, 0])
        #expect(try snapshot(.maximize, mixed).bestTrials(0).isEmpty)
        #expect(try snapshot(.maximize, mixed).bestTrials(-1).isEmpty)
    }

    @Test func minimizingRanksLowestFirstTiesByNumber() throws {
        let ranked = try snapshot(.minimize, mixed).rankedTrials
        #expect(ranked.map(\.number) == [9, 0, 5, 1])
        #expect(try snapshot(.minimize, mixed).bestTrial?.number == 9)
    }

    @Test func noCompleteTrialMeansNoBest() throws {
        let pending = try snapshot(.maximize, [trial(0, .running, nil), trial(1, .failed, nil), trial(2, .complete, .nan)])
        #expect(pending.rankedTrials.isEmpty && pending.bestTrial == nil)
        #expect(pending.countsByState == [.running: 1, .failed: 1, .complete: 1])
    }

    /// The same ranking from a stored study: NaN scores come back as NaN and stay out.
    @Test(arguments: Backend.allCases) func aStoredStudyRanksTheSameWay(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        var definition = try sampleStudy()
        definition.objective = .minimize("val_loss")
        let study = try store.createStudy(definition)
        for (number, score) in [(0, 0.3), (1, Double.nan), (2, 0.1), (3, 0.3)] {
            let trial = try store.insertTrial(study: study.id, number: number, state: .running, worker: "w")
            try store.finishTrial(trial.id, worker: "w", state: .complete, score: score)
        }
        let pruned = try store.insertTrial(study: study.id, number: 4, state: .running, worker: "w")
        try store.finishTrial(pruned.id, worker: "w", state: .pruned, score: 0.0)
        let snapshot = try store.snapshot(study: "mnist")
        #expect(snapshot.trials[1].score?.isNaN == true)
        #expect(snapshot.rankedTrials.map(\.number) == [2, 0, 3])
    }
}
