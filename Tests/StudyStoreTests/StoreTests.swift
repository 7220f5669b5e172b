import Foundation
import Testing
import JSONValues
import Tuning
import StudyStore
import TestSupport

@Suite("Study store")
struct StoreTests {
    @Test(arguments: Backend.allCases) func createFindListDeleteStudies(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let created = try store.createStudy(try sampleStudy("b"), now: 10)
        try store.createStudy(try sampleStudy("a"))
        #expect(created.definition == (try sampleStudy("b")))
        #expect(created.createdAt == 10)
        #expect(try store.study(named: "b") == created)
        #expect(try store.study(named: "missing") == nil)
        #expect(try store.studies().map(\.name) == ["a", "b"])
        #expect(throws: StoreError.studyExists(name: "a")) { try store.createStudy(try sampleStudy("a")) }

        let trial = try store.insertTrial(study: created.id, hyperparameters: ["units": .int(32)])
        try store.recordMetrics(trial: trial.id, step: 0, values: ["loss": 1])
        try store.saveCheckpoint(trial: trial.id, epoch: 0, path: "/ckpt/b-0.weights")
        try store.saveCheckpoint(trial: trial.id, epoch: 1, weights: Data([1, 2, 3]))
        try store.saveOracleState(study: created.id, json("{}"))
        try store.saveStudySource(study: created.id, StudySource(path: "/b.yaml", text: "name: b\n"))

        #expect(try store.deleteStudy(named: "b") == ["/ckpt/b-0.weights"])
        #expect(try store.studies().map(\.name) == ["a"])
        // Foreign keys cascade: nothing of the study is left behind.
        for table in ["trials", "trial_metrics", "checkpoints", "oracle_state", "study_sources"] {
            #expect(try storage.rowCount(table) == 0, "\(table) not emptied")
        }
        #expect(throws: StoreError.studyNotFound(name: "b")) { try store.deleteStudy(named: "b") }
    }

    /// The old store refused a search space that was not JSON; a typed space cannot be anything but a
    /// space, so what is left to refuse is oracle state that is not JSON.
    @Test(arguments: Backend.allCases) func oracleStateThatIsNotJSONIsRefused(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        do {
            try store.saveOracleState(study: study.id, json("{not json"))
            Issue.record("non-JSON oracle state was saved")
        } catch let error as StoreError {
            guard case .constraintViolation = error else { Issue.record("got \(error)"); return }
        }
        #expect(try store.oracleState(study: study.id) == nil)
        // Nor does a trial insert with such a state stay half-written.
        #expect(throws: StoreError.self) { try store.insertTrial(study: study.id, oracleState: whole("nope")) }
        #expect(try store.trials(study: study.id).isEmpty)
    }

    /// An oracle state saved in parts: each save stamps the trials it changed with the new version, a
    /// reader asks for the trials saved after the version it has, a whole state drops the trials kept
    /// apart, and the JSON view puts the trials back in the core's list.
    @Test(arguments: Backend.allCases) func oracleStateKeepsTrialsApartByVersion(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        let core = json(#"{"trials":[],"n":1}"#)
        #expect(try store.saveOracleState(study: study.id, OracleStateChanges(
            core: core, trials: [1: json(#"{"id":1}"#), 2: json(#"{"id":2}"#)])) == 1)
        #expect(try store.saveOracleState(study: study.id, OracleStateChanges(
            core: json(#"{"trials":[],"n":2}"#), trials: [2: json(#"{"id":2,"done":true}"#), 3: json(#"{"id":3}"#)])) == 2)

        let all = try #require(try store.oracleState(study: study.id))
        #expect(all.version == 2)
        #expect(text(all) == #"{"trials":[],"n":2}"#)
        #expect(all.orderedTrials.map { String(decoding: $0, as: UTF8.self) }
                == [#"{"id":1}"#, #"{"id":2,"done":true}"#, #"{"id":3}"#])
        let since1 = try #require(try store.oracleState(study: study.id, trialsSavedAfter: 1))
        #expect(since1.trials.keys.sorted() == [2, 3])
        #expect(try store.oracleState(study: study.id, trialsSavedAfter: 2)?.trials.isEmpty == true)
        #expect(try all.json(study: "s", location: "l") == .object([
            "n": .int(2), "trials": .array([["id": 1], ["id": 2, "done": true], ["id": 3]])]))

        // A trial that is not JSON is refused with the whole save.
        #expect(throws: StoreError.self) {
            try store.saveOracleState(study: study.id, OracleStateChanges(core: core, trials: [4: json("{oops")]))
        }
        #expect(try store.oracleState(study: study.id)?.version == 2)

        // A whole state replaces the trials kept apart.
        try store.saveOracleState(study: study.id, json(#"{"trials":[{"id":1}],"n":3}"#))
        let replaced = try #require(try store.oracleState(study: study.id))
        #expect(replaced.trials.isEmpty)
        #expect(replaced.version == 3)
        #expect(try replaced.json(study: "s", location: "l") == .object(["n": .int(3), "trials": .array([["id": 1]])]))
    }

    @Test(arguments: Backend.allCases) func typedFieldsRoundTrip(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let space = try SearchSpace([
            .int("units", min: 32, max: 512, step: 32), .float("lr", min: 1e-4, max: 1e-1, sampling: .log),
            .choice("activation", values: ["relu", "tanh"]), .boolean("dropout"),
        ])
        let definition = NewStudy(name: "typed", objective: .minimize("val_loss"), oracleKind: "hyperband",
                                  oracleConfiguration: .object(["max_epochs": .int(9), "factor": .double(3.5)]),
                                  searchSpace: space)
        let study = try store.createStudy(definition)
        #expect(try store.requireStudy(named: "typed").definition == definition)

        // 3.0 stays a float and 3 an int: the tags survive the text column.
        let values: [String: HyperParameterValue] = ["units": .int(3), "lr": .float(3.0), "activation": .string("relu"),
                                                     "dropout": .bool(true)]
        let assignment = try hyperbandAssignment(bracket: 2, round: 1, epochs: 6, initialEpoch: 2, parent: 0)
        let trial = try store.insertTrial(study: study.id, hyperparameters: values, hyperband: assignment)
        #expect(try store.requireTrial(id: trial.id).hyperparameters == values)
        #expect(try store.requireTrial(id: trial.id).hyperband == assignment)

        var grown = space
        try grown.add(.int("layers", min: 1, max: 4))
        try store.updateStudy(study.id, searchSpace: grown)
        try store.updateStudy(study.id, oracleConfiguration: .object(["max_epochs": .int(27)]), searchSpace: nil)
        let updated = try store.requireStudy(named: "typed")
        #expect(updated.searchSpace == grown)
        #expect(updated.oracleConfiguration == .object(["max_epochs": .int(27)]))
        #expect(throws: StoreError.studyNotFound(name: "#999")) { try store.updateStudy(999, searchSpace: grown) }

        try store.updateTrialHyperparameters(trial.id, ["units": .int(64)])
        #expect(try store.requireTrial(id: trial.id).hyperparameters == ["units": .int(64)])
        #expect(throws: StoreError.trialNotFound(id: 999)) { try store.updateTrialHyperparameters(999, [:]) }
    }

    /// Every objective's value at a step, one row per trial that reported them all (what a pruner ranks
    /// on several objectives): rows in trial order, a trial missing one or with a NaN left out, states filtered.
    @Test(arguments: Backend.allCases) func metricRowsAtAStepForSeveralObjectives(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        var ids: [Int64] = []
        for units in [32, 64, 96, 128] {
            ids.append(try store.insertTrial(study: study.id, hyperparameters: ["units": .int(units)]).id)
        }
        try store.recordMetrics(trial: ids[0], step: 1, values: ["val_accuracy": 0.5, "params": 100, "loss": 1])
        try store.recordMetrics(trial: ids[1], step: 1, values: ["val_accuracy": 0.6])
        try store.recordMetrics(trial: ids[2], step: 1, values: ["val_accuracy": .nan, "params": 300])
        try store.recordMetrics(trial: ids[3], step: 1, values: ["params": 400, "val_accuracy": 0.8])
        try store.recordMetrics(trial: ids[3], step: 2, values: ["params": 400, "val_accuracy": 0.9])
        let all = Set(TrialState.allCases)
        #expect(try store.metricValues(study: study.id, names: ["val_accuracy", "params"], step: 1, states: all) == [[0.5, 100], [0.8, 400]])
        #expect(try store.metricValues(study: study.id, names: ["params", "val_accuracy"], step: 2, states: all) == [[400, 0.9]])
        #expect(try store.metricValues(study: study.id, names: ["val_accuracy"], step: 1, states: all) == [[0.5], [0.6], [0.8]])
        #expect(try store.metricValues(study: study.id, names: ["val_accuracy", "params"], step: 1, states: [.complete]).isEmpty)
        #expect(try store.metricValues(study: study.id, names: [], step: 1, states: all).isEmpty)
    }

    @Test(arguments: Backend.allCases) func trialLifecycleWithMetricsAndOracleState(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        let first = try store.insertTrial(study: study.id, hyperparameters: ["units": .int(32)], oracleState: whole(#"{"n":1}"#))
        let assignment = try hyperbandAssignment(bracket: 0, round: 1)
        let second = try store.insertTrial(study: study.id, hyperparameters: ["units": .int(64)],
                                           hyperband: assignment, oracleState: whole(#"{"n":2}"#))
        #expect(first.number == 0 && second.number == 1)
        #expect(first.state == .waiting && first.worker == nil)
        #expect(text(try store.oracleState(study: study.id)) == #"{"n":2}"#)
        #expect(try store.oracleState(study: study.id)?.version == 2)
        #expect(try store.oracleStateVersion(study: study.id) == 2)

        let claimed = try #require(try store.claimNextTrial(study: study.id, worker: "w1", now: 100))
        #expect(claimed.id == first.id && claimed.state == .running && claimed.worker == "w1")
        #expect(claimed.startedAt == 100 && claimed.heartbeatAt == 100)
        try store.heartbeat(trial: claimed.id, worker: "w1", now: 110)
        #expect(try store.requireTrial(id: claimed.id).heartbeatAt == 110)

        try store.recordMetrics(trial: claimed.id, step: 0, values: ["loss": 0.9, "val_accuracy": 0.5])
        try store.recordMetrics(trial: claimed.id, step: 1, values: ["loss": 0.7, "val_accuracy": 0.6])
        // Recording a step again (a retried write) replaces, never duplicates.
        try store.recordMetrics(trial: claimed.id, step: 1, values: ["val_accuracy": 0.65])
        try store.recordMetrics(trial: claimed.id, step: 2, values: ["loss": .nan])

        // Another worker may neither heartbeat nor finish it.
        #expect(throws: StoreError.trialOwnedByAnotherWorker(id: claimed.id, owner: "w1", caller: "w2")) {
            try store.finishTrial(claimed.id, worker: "w2", state: .complete, score: 1)
        }
        #expect(throws: StoreError.trialOwnedByAnotherWorker(id: claimed.id, owner: "w1", caller: "w2")) {
            try store.heartbeat(trial: claimed.id, worker: "w2")
        }
        #expect(throws: StoreError.self) { try store.finishTrial(claimed.id, worker: "w1", state: .running) }

        let finished = try store.finishTrial(claimed.id, worker: "w1", state: .complete, score: 0.65, values: nil, error: nil,
                                             oracleState: whole(#"{"n":3}"#), now: 120)
        #expect(finished.state == .complete && finished.score == 0.65 && finished.endedAt == 120)
        #expect(finished.duration == 20)
        #expect(text(try store.oracleState(study: study.id)) == #"{"n":3}"#)
        // Finishing twice is refused: the first result stands.
        #expect(throws: StoreError.trialNotRunning(id: claimed.id, state: "COMPLETE")) {
            try store.finishTrial(claimed.id, worker: "w1", state: .failed, error: "again")
        }
        #expect(try store.requireTrial(id: claimed.id).score == 0.65)

        let curves = try store.metrics(trial: claimed.id)
        #expect(curves.names == ["loss", "val_accuracy"])
        #expect(curves.values("val_accuracy") == [0.5, 0.65])
        #expect(curves.values("loss").count == 3)
        #expect(curves["loss"]?.last?.step == 2 && curves.lastValue("loss")?.isNaN == true)
        #expect(try store.metricValues(study: study.id, name: "val_accuracy", step: 1) == [0.65])
        // A NaN is kept in the curve but left out of the values a pruner compares.
        #expect(try store.metricValues(study: study.id, name: "loss", step: 2).isEmpty)

        let all = try store.trials(study: study.id)
        #expect(all.map(\.number) == [0, 1])
        #expect(all[1].hyperband == assignment)
        #expect(try store.trials(study: study.id, states: [.waiting]).map(\.number) == [1])
        #expect(try store.trial(study: study.id, number: 1)?.id == second.id)
        #expect(try store.trial(study: study.id, number: 7) == nil)
        #expect(throws: StoreError.trialNotFound(id: 999)) { try store.requireTrial(id: 999) }
    }

    @Test(arguments: Backend.allCases) func failedTrialKeepsReasonAndNaNScore(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        let running = try store.insertTrial(study: study.id, state: .running, worker: "w")
        let failed = try store.finishTrial(running.id, worker: "w", state: .failed, error: "loss became NaN at epoch 3")
        #expect(failed.state == .failed && failed.error == "loss became NaN at epoch 3" && failed.score == nil)

        let nanRun = try store.insertTrial(study: study.id, state: .running, worker: "w")
        let nanScored = try store.finishTrial(nanRun.id, worker: "w", state: .complete, score: .nan)
        #expect(nanScored.score?.isNaN == true)
        #expect(try store.requireTrial(id: nanRun.id).score?.isNaN == true)
    }

    @Test(arguments: Backend.allCases) func newTrialsAreWaitingOrRunningWithAWorker(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        #expect(throws: StoreError.self) { try store.insertTrial(study: study.id, state: .complete) }
        #expect(throws: StoreError.self) { try store.insertTrial(study: study.id, state: .running) }
        #expect(try store.trials(study: study.id).isEmpty)
    }

    @Test(arguments: Backend.allCases) func startTrialInsertsOrTakesAWaitingOne(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        let started = try store.startTrial(study: study.id, number: 0, worker: "w", hyperparameters: ["units": .int(8)],
                                           oracleState: whole(#"{"s":1}"#))
        #expect(started.state == .running && started.worker == "w" && started.number == 0)
        try store.insertTrial(study: study.id, number: 1, hyperparameters: ["units": .int(1)])
        let taken = try store.startTrial(study: study.id, number: 1, worker: "v", hyperparameters: ["units": .int(16)])
        #expect(taken.state == .running && taken.worker == "v" && taken.hyperparameters == ["units": .int(16)])
        #expect(throws: StoreError.self) {
            try store.startTrial(study: study.id, number: 1, worker: "x", hyperparameters: [:], oracleState: whole(#"{"s":2}"#))
        }
        #expect(text(try store.oracleState(study: study.id)) == #"{"s":1}"#)
    }

    @Test(arguments: Backend.allCases) func importedTrialsKeepEverything(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        let imported = ImportedTrial(number: 4, state: .failed, hyperparameters: ["units": .int(2)], score: .nan,
                                     error: "boom", worker: "old", hyperband: try hyperbandAssignment(bracket: 1, round: 0),
                                     retries: 2, workerDeaths: 1, createdAt: 5, startedAt: 6, endedAt: 9)
        let trial = try store.insertImportedTrial(study: study.id, imported)
        #expect(trial.number == 4 && trial.state == .failed && trial.error == "boom" && trial.worker == "old")
        #expect(trial.retries == 2 && trial.workerDeaths == 1 && trial.createdAt == 5 && trial.startedAt == 6 && trial.endedAt == 9)
        #expect(trial.hyperband == imported.hyperband)
        #expect(throws: StoreError.self) { try store.insertImportedTrial(study: study.id, imported) }
        var running = imported
        running.number = 5
        running.state = .running
        running.worker = nil
        #expect(throws: StoreError.self) { try store.insertImportedTrial(study: study.id, running) }
    }

    @Test(arguments: Backend.allCases) func oracleStateRollsBackWithTheTrialChange(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        try store.insertTrial(study: study.id, number: 0, oracleState: whole(#"{"n":1}"#))
        // A duplicate number fails the insert, and the oracle state saved with it must not stay either.
        #expect(throws: StoreError.self) { try store.insertTrial(study: study.id, number: 0, oracleState: whole(#"{"n":2}"#)) }
        #expect(text(try store.oracleState(study: study.id)) == #"{"n":1}"#)
        #expect(try store.trials(study: study.id).count == 1)
        // Saved first, then refused: a finish whose state is not JSON leaves the trial RUNNING.
        let running = try #require(try store.claimNextTrial(study: study.id, worker: "w"))
        #expect(throws: StoreError.self) {
            try store.finishTrial(running.id, worker: "w", state: .complete, score: 1, oracleState: whole("{"))
        }
        #expect(try store.requireTrial(id: running.id).state == .running)
        #expect(try store.oracleState(study: study.id)?.version == 1)
    }

    @Test(arguments: Backend.allCases) func claimReturnsNilWhenNothingWaits(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        #expect(try store.claimNextTrial(study: study.id, worker: "w") == nil)
    }

    @Test(arguments: Backend.allCases) func checkpointsReplaceAndReportOldPaths(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        let trial = try store.insertTrial(study: study.id)
        #expect(try store.saveCheckpoint(trial: trial.id, epoch: 3, path: "/a") == nil)
        #expect(try store.saveCheckpoint(trial: trial.id, epoch: 3, path: "/b") == "/a")
        #expect(try store.checkpoints(trial: trial.id).map(\.path) == ["/b"])
        #expect(throws: StoreError.self) { try store.saveCheckpoint(trial: trial.id, epoch: 4) }
        try store.saveCheckpoint(trial: trial.id, epoch: 5, weights: Data([9, 8]))
        #expect(try store.checkpoints(trial: trial.id).map(\.epoch) == [3, 5])
        #expect(try store.checkpoints(trial: trial.id).last?.weights == Data([9, 8]))
        #expect(try store.trialsWithCheckpoints(study: study.id).map(\.number) == [0])
        #expect(try store.deleteCheckpoints(trial: trial.id) == ["/b"])
        #expect(try store.checkpoints(trial: trial.id).isEmpty)
        #expect(try store.trialsWithCheckpoints(study: study.id).isEmpty)
    }
}

@Suite("Stale heartbeats")
struct StaleHeartbeatTests {
    /// Metrics recorded for a worker land only while the trial is that worker's: a worker whose trial
    /// was taken over writes nothing into the re-run's curve; without a worker (imports) they always land.
    @Test(arguments: Backend.allCases) func metricsOfAWorkerWhoseTrialWasTakenOverAreRefused(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        try store.insertTrial(study: study.id)
        let trial = try #require(try store.claimNextTrial(study: study.id, worker: "first", now: 100))
        try store.recordMetrics(trial: trial.id, worker: "first", step: 0, values: ["loss": 1])
        try store.failOrRequeueStale(study: study.id, olderThan: 60, policy: StalePolicy(maxRetries: 1), oracleState: nil, now: 200)
        #expect(throws: StoreError.trialNotRunning(id: trial.id, state: "WAITING")) {
            try store.recordMetrics(trial: trial.id, worker: "first", step: 1, values: ["loss": 0.5])
        }
        _ = try #require(try store.claimNextTrial(study: study.id, worker: "second", now: 300))
        try store.recordMetrics(trial: trial.id, worker: "second", step: 0, values: ["loss": 2])
        #expect(throws: StoreError.trialOwnedByAnotherWorker(id: trial.id, owner: "second", caller: "first")) {
            try store.recordMetrics(trial: trial.id, worker: "first", step: 1, values: ["loss": 0.5])
        }
        #expect(try store.metrics(trial: trial.id).curves["loss"]?.map(\.step) == [0])
        #expect(throws: StoreError.trialNotFound(id: trial.id + 1000)) {
            try store.recordMetrics(trial: trial.id + 1000, worker: "second", step: 0, values: ["loss": 1])
        }
        try store.finishTrial(trial.id, worker: "second", state: .complete, score: 1)
        #expect(throws: StoreError.trialNotRunning(id: trial.id, state: "COMPLETE")) {
            try store.recordMetrics(trial: trial.id, worker: "second", step: 1, values: ["loss": 0.5])
        }
        try store.recordMetrics(trial: trial.id, step: 1, values: ["loss": 0.25])
        #expect(try store.metrics(trial: trial.id).curves["loss"]?.map(\.value) == [2, 0.25])
    }

    /// A told final value becomes the curve's one point only when the trial has no point of that metric,
    /// the call returns the curves as stored after, and a trial that is not the worker's RUNNING one
    /// gets nothing written.
    @Test(arguments: Backend.allCases) func aFinalValueIsTheCurveOnlyOfATrialWithoutOne(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        try store.insertTrial(study: study.id)
        try store.insertTrial(study: study.id)
        let plain = try #require(try store.claimNextTrial(study: study.id, worker: "w", now: 100))
        let reported = try #require(try store.claimNextTrial(study: study.id, worker: "w", now: 100))

        // No curve yet: the value is the point at step 0, and the returned curves are the stored ones.
        try store.recordMetrics(trial: plain.id, worker: "w", step: 0, values: ["loss": 0.5])
        let recorded = try store.recordFinalValue(trial: plain.id, worker: "w", metric: "val_accuracy", value: 0.75, now: 110)
        #expect(recorded.curves["val_accuracy"] == [MetricPoint(step: 0, value: 0.75)])
        #expect(recorded.curves["loss"] == [MetricPoint(step: 0, value: 0.5)])
        #expect(try store.metrics(trial: plain.id) == recorded)

        // Reported steps stay the curve: the value is not written over them.
        for step in [2, 0, 1] {
            try store.recordMetrics(trial: reported.id, worker: "w", step: step, values: ["val_accuracy": Double(step) / 10])
        }
        let kept = try store.recordFinalValue(trial: reported.id, worker: "w", metric: "val_accuracy", value: 0.9, now: 110)
        #expect(kept.curves["val_accuracy"]?.map(\.step) == [0, 1, 2])
        #expect(kept.curves["val_accuracy"]?.map(\.value) == [0, 0.1, 0.2])
        #expect(try store.metrics(trial: reported.id) == kept)

        // Not this worker's RUNNING trial, or no trial: refused, nothing written.
        #expect(throws: StoreError.trialOwnedByAnotherWorker(id: plain.id, owner: "w", caller: "other")) {
            try store.recordFinalValue(trial: plain.id, worker: "other", metric: "f1", value: 1, now: 120)
        }
        try store.finishTrial(plain.id, worker: "w", state: .complete, score: 0.75)
        #expect(throws: StoreError.trialNotRunning(id: plain.id, state: "COMPLETE")) {
            try store.recordFinalValue(trial: plain.id, worker: "w", metric: "f1", value: 1, now: 120)
        }
        #expect(try store.metrics(trial: plain.id).curves["f1"] == nil)
        #expect(throws: StoreError.trialNotFound(id: plain.id + 1000)) {
            try store.recordFinalValue(trial: plain.id + 1000, worker: "w", metric: "f1", value: 1, now: 120)
        }
    }

    /// A stale trial a user asked to stop fails at once, retries left or not: it is not run again only to
    /// be stopped at its first step.
    @Test(arguments: Backend.allCases) func aStaleTrialAskedToStopFailsInsteadOfRunningAgain(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        try store.insertTrial(study: study.id)
        let trial = try #require(try store.claimNextTrial(study: study.id, worker: "dead", now: 100))
        try store.requestStop(trial: trial.id, now: 110)
        let settled = try store.failOrRequeueStale(study: study.id, olderThan: 60, policy: StalePolicy(maxRetries: 3),
                                                   oracleState: nil, now: 200)
        #expect(settled.map(\.state) == [.failed])
        #expect(settled.first?.error?.contains("a stop had been asked for it") == true)
    }

    @Test(arguments: Backend.allCases) func staleTrialIsRequeuedThenFailedAndTheDeadWorkerIsRefused(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        try store.insertTrial(study: study.id)
        try store.insertTrial(study: study.id)
        let dead = try #require(try store.claimNextTrial(study: study.id, worker: "dead", now: 100))
        let alive = try #require(try store.claimNextTrial(study: study.id, worker: "alive", now: 100))
        try store.heartbeat(trial: alive.id, worker: "alive", now: 190)

        #expect(try store.staleRunningTrials(study: study.id, olderThan: 60, now: 200).map(\.id) == [dead.id])
        let requeued = try store.failOrRequeueStale(study: study.id, olderThan: 60, policy: StalePolicy(maxRetries: 1),
                                                    oracleState: whole(#"{"requeued":1}"#), now: 200)
        #expect(requeued.map(\.state) == [.waiting])
        #expect(requeued.first?.retries == 1 && requeued.first?.worker == nil)
        #expect(text(try store.oracleState(study: study.id)) == #"{"requeued":1}"#)
        // The dead worker comes back too late: its result is refused, not written over the new run.
        #expect(throws: StoreError.self) { try store.finishTrial(dead.id, worker: "dead", state: .complete, score: 1) }

        let retry = try #require(try store.claimNextTrial(study: study.id, worker: "second", now: 300))
        #expect(retry.id == dead.id && retry.number == dead.number)
        let failed = try store.failOrRequeueStale(study: study.id, olderThan: 60, policy: StalePolicy(maxRetries: 1),
                                                  oracleState: nil, now: 400)
        // The retried trial is out of retries and fails; the now-silent "alive" one still has its retry.
        #expect(failed.map(\.id) == [dead.id, alive.id])
        #expect(failed.map(\.state) == [.failed, .waiting])
        #expect(failed[0].error?.contains("heartbeats") == true && failed[0].endedAt == 400)
        #expect(failed[1].retries == 1 && failed[1].error?.hasPrefix("re-queued") == true)
        #expect(throws: StoreError.trialNotRunning(id: dead.id, state: "FAILED")) {
            try store.heartbeat(trial: dead.id, worker: "second")
        }
        #expect(try store.failOrRequeueStale(study: study.id, olderThan: 60, policy: StalePolicy(maxRetries: 0),
                                         oracleState: nil, now: 500).isEmpty)
    }
}

@Suite("Study sources")
struct StudySourceTests {
    @Test(arguments: Backend.allCases) func aStudyKeepsTheFileItWasMadeFromUntilDeleted(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        #expect(try store.studySource(study: study.id) == nil)
        try store.saveStudySource(study: study.id, StudySource(path: "/studies/a.yaml", text: "name: a\n"))
        try store.saveStudySource(study: study.id, StudySource(path: "/studies/a.yaml", text: "name: b\n"))
        let source = try #require(try store.studySource(study: study.id))
        #expect(source == StudySource(path: "/studies/a.yaml", text: "name: b\n"))
        _ = try store.deleteStudy(named: study.name)
        #expect(try storage.rowCount("study_sources") == 0)
    }
}
