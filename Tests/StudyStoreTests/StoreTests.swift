import Foundation
import Testing
import Tuning
import StudyStore
import TestSupport

@Suite("Study store")
struct StoreTests {
    @Test func createFindListDeleteStudies() throws {
        let directory = try TemporaryDirectory()
        let store = try StudyStore(path: directory.path("s.sqlite"))
        let created = try store.createStudy(sampleStudy("b"), now: 10)
        try store.createStudy(sampleStudy("a"))
        #expect(created.study == sampleStudy("b"))
        #expect(created.createdAt == 10)
        #expect(try store.study(named: "b") == created)
        #expect(try store.study(named: "missing") == nil)
        #expect(try store.studies().map(\.name) == ["a", "b"])
        #expect(throws: StoreError.studyExists(name: "a")) { try store.createStudy(sampleStudy("a")) }

        let trial = try store.insertTrial(study: created.id, hyperparameters: #"{"units":32}"#)
        try store.recordMetric(trial: trial.id, name: "loss", step: 0, value: 1)
        try store.saveCheckpoint(trial: trial.id, epoch: 0, path: "/ckpt/b-0.weights")
        try store.saveCheckpoint(trial: trial.id, epoch: 1, weights: Data([1, 2, 3]))
        try store.saveOracleState(study: created.id, json: "{}")

        #expect(try store.deleteStudy(named: "b") == ["/ckpt/b-0.weights"])
        #expect(try store.studies().map(\.name) == ["a"])
        // Foreign keys cascade: nothing of the study is left behind.
        for table in ["trials", "trial_metrics", "checkpoints", "oracle_state"] {
            #expect(try store.database.query("SELECT * FROM \(table)").isEmpty, "\(table) not emptied")
        }
        #expect(throws: StoreError.studyNotFound(name: "b")) { try store.deleteStudy(named: "b") }
    }

    @Test func invalidJSONIsRefused() throws {
        let directory = try TemporaryDirectory()
        let store = try StudyStore(path: directory.path("s.sqlite"))
        var study = sampleStudy()
        study.searchSpace = "{not json"
        #expect(throws: StoreError.self) { try store.createStudy(study) }
        #expect(try store.studies().isEmpty)
    }

    @Test func trialLifecycleWithMetricsAndOracleState() throws {
        let directory = try TemporaryDirectory()
        let store = try StudyStore(path: directory.path("s.sqlite"))
        let study = try store.createStudy(sampleStudy())
        let first = try store.insertTrial(study: study.id, hyperparameters: #"{"units":32}"#, oracleState: #"{"n":1}"#)
        let second = try store.insertTrial(study: study.id, hyperparameters: #"{"units":64}"#,
                                           hyperband: #"{"bracket":0,"round":1}"#, oracleState: #"{"n":2}"#)
        #expect(first.number == 0 && second.number == 1)
        #expect(first.state == .waiting && first.worker == nil)
        #expect(try store.loadOracleState(study: study.id)?.json == #"{"n":2}"#)
        #expect(try store.loadOracleState(study: study.id)?.version == 2)

        let claimed = try #require(try store.claimNextTrial(study: study.id, worker: "w1", now: 100))
        #expect(claimed.id == first.id && claimed.state == .running && claimed.worker == "w1")
        #expect(claimed.startedAt == 100 && claimed.heartbeatAt == 100)
        try store.heartbeat(trial: claimed.id, worker: "w1", now: 110)
        #expect(try store.requireTrial(id: claimed.id).heartbeatAt == 110)

        try store.recordMetrics(trial: claimed.id, step: 0, values: ["loss": 0.9, "val_accuracy": 0.5])
        try store.recordMetrics(trial: claimed.id, step: 1, values: ["loss": 0.7, "val_accuracy": 0.6])
        // Recording a step again (a retried write) replaces, never duplicates.
        try store.recordMetric(trial: claimed.id, name: "val_accuracy", step: 1, value: 0.65)
        try store.recordMetric(trial: claimed.id, name: "loss", step: 2, value: .nan)

        // Another worker may neither heartbeat nor finish it.
        #expect(throws: StoreError.trialOwnedByAnotherWorker(id: claimed.id, owner: "w1", caller: "w2")) {
            try store.finishTrial(claimed.id, worker: "w2", state: .complete, score: 1)
        }
        #expect(throws: StoreError.self) { try store.heartbeat(trial: claimed.id, worker: "w2") }
        #expect(throws: StoreError.self) { try store.finishTrial(claimed.id, worker: "w1", state: .running) }

        let finished = try store.finishTrial(claimed.id, worker: "w1", state: .complete, score: 0.65,
                                             oracleState: #"{"n":3}"#, now: 120)
        #expect(finished.state == .complete && finished.score == 0.65 && finished.endedAt == 120)
        #expect(try store.loadOracleState(study: study.id)?.json == #"{"n":3}"#)
        // Finishing twice is refused: the first result stands.
        #expect(throws: StoreError.trialNotRunning(id: claimed.id, state: "COMPLETE")) {
            try store.finishTrial(claimed.id, worker: "w1", state: .failed, error: "again")
        }

        let all = try store.trialsWithMetrics(study: study.id)
        #expect(all.count == 2)
        let curves = all[0].metrics
        #expect(curves.count == 5)
        #expect(curves.filter { $0.name == "val_accuracy" }.map(\.value) == [0.5, 0.65])
        #expect(curves.last?.name == "loss" || curves.contains { $0.name == "loss" && $0.step == 2 && $0.value.isNaN })
        #expect(all[1].trial.hyperband == #"{"bracket":0,"round":1}"#)
        #expect(try store.trials(study: study.id, states: [.waiting]).map(\.number) == [1])
    }

    @Test func failedTrialKeepsReasonAndNaNScore() throws {
        let directory = try TemporaryDirectory()
        let store = try StudyStore(path: directory.path("s.sqlite"))
        let study = try store.createStudy(sampleStudy())
        let running = try store.insertTrial(study: study.id, state: .running, worker: "w")
        let failed = try store.finishTrial(running.id, worker: "w", state: .failed, error: "loss became NaN at epoch 3")
        #expect(failed.state == .failed && failed.error == "loss became NaN at epoch 3" && failed.score == nil)

        let nanRun = try store.insertTrial(study: study.id, state: .running, worker: "w")
        let nanScored = try store.finishTrial(nanRun.id, worker: "w", state: .complete, score: .nan)
        #expect(nanScored.score?.isNaN == true)
    }

    @Test func oracleStateRollsBackWithTheTrialChange() throws {
        let directory = try TemporaryDirectory()
        let store = try StudyStore(path: directory.path("s.sqlite"))
        let study = try store.createStudy(sampleStudy())
        try store.insertTrial(study: study.id, number: 0, oracleState: #"{"n":1}"#)
        // A duplicate number fails the insert, and the oracle state saved with it must not stay either.
        #expect(throws: StoreError.self) { try store.insertTrial(study: study.id, number: 0, oracleState: #"{"n":2}"#) }
        #expect(try store.loadOracleState(study: study.id)?.json == #"{"n":1}"#)
        #expect(try store.trials(study: study.id).count == 1)
    }

    @Test func claimReturnsNilWhenNothingWaits() throws {
        let directory = try TemporaryDirectory()
        let store = try StudyStore(path: directory.path("s.sqlite"))
        let study = try store.createStudy(sampleStudy())
        #expect(try store.claimNextTrial(study: study.id, worker: "w") == nil)
    }

    @Test func checkpointsReplaceAndReportOldPaths() throws {
        let directory = try TemporaryDirectory()
        let store = try StudyStore(path: directory.path("s.sqlite"))
        let study = try store.createStudy(sampleStudy())
        let trial = try store.insertTrial(study: study.id)
        #expect(try store.saveCheckpoint(trial: trial.id, epoch: 3, path: "/a") == nil)
        #expect(try store.saveCheckpoint(trial: trial.id, epoch: 3, path: "/b") == "/a")
        #expect(try store.checkpoints(trial: trial.id).map(\.path) == ["/b"])
        #expect(throws: StoreError.self) { try store.saveCheckpoint(trial: trial.id, epoch: 4) }
        #expect(try store.deleteCheckpoints(trial: trial.id) == ["/b"])
        #expect(try store.checkpoints(trial: trial.id).isEmpty)
    }
}

@Suite("Stale heartbeats")
struct StaleHeartbeatTests {
    @Test func staleTrialIsRequeuedThenFailedAndTheDeadWorkerIsRefused() throws {
        let directory = try TemporaryDirectory()
        let store = try StudyStore(path: directory.path("s.sqlite"))
        let study = try store.createStudy(sampleStudy())
        try store.insertTrial(study: study.id)
        try store.insertTrial(study: study.id)
        let dead = try #require(try store.claimNextTrial(study: study.id, worker: "dead", now: 100))
        let alive = try #require(try store.claimNextTrial(study: study.id, worker: "alive", now: 100))
        try store.heartbeat(trial: alive.id, worker: "alive", now: 190)

        #expect(try store.staleRunningTrials(study: study.id, olderThan: 60, now: 200).map(\.id) == [dead.id])
        let requeued = try store.failOrRequeueStale(study: study.id, olderThan: 60, policy: StalePolicy(maxRetries: 1),
                                                    oracleState: #"{"requeued":1}"#, now: 200)
        #expect(requeued.map(\.state) == [.waiting])
        #expect(requeued.first?.retries == 1 && requeued.first?.worker == nil)
        #expect(try store.loadOracleState(study: study.id)?.json == #"{"requeued":1}"#)
        // The dead worker comes back too late: its result is refused, not written over the new run.
        #expect(throws: StoreError.self) { try store.finishTrial(dead.id, worker: "dead", state: .complete, score: 1) }

        let retry = try #require(try store.claimNextTrial(study: study.id, worker: "second", now: 300))
        #expect(retry.id == dead.id && retry.number == dead.number)
        let failed = try store.failOrRequeueStale(study: study.id, olderThan: 60, policy: StalePolicy(maxRetries: 1), now: 400)
        // The retried trial is out of retries and fails; the now-silent "alive" one still has its retry.
        #expect(failed.map(\.id) == [dead.id, alive.id])
        #expect(failed.map(\.state) == [.failed, .waiting])
        #expect(failed[0].error?.contains("heartbeats") == true && failed[0].endedAt == 400)
        #expect(failed[1].retries == 1 && failed[1].error?.hasPrefix("re-queued") == true)
        #expect(throws: StoreError.trialNotRunning(id: dead.id, state: "FAILED")) {
            try store.heartbeat(trial: dead.id, worker: "second")
        }
        #expect(try store.failOrRequeueStale(study: study.id, olderThan: 60, now: 500).isEmpty)
    }
}
