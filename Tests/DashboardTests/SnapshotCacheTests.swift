@testable import Dashboard
import Foundation
import StudyStore
import Testing
import TestSupport
import Tuning

/// A cached snapshot brought up to date with the changes since its cursor equals a snapshot read afresh,
/// on both storages.
@Suite("Snapshot cache")
struct SnapshotCacheTests {
    @Test(arguments: Backend.allCases)
    func anUpdatedSnapshotEqualsAFreshOne(_ backend: Backend) throws {
        let storage = try DashboardStorage(backend)
        let store = try storage.open()
        let study = try makeStudy(store)
        let cache = StudySnapshotCache(capacity: 2)
        let reader = try storage.open()
        func check(_ step: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let cached = try cache.snapshot(reader, study: "mnist")
            // Heartbeats are not changes (a study page does not show them): the one field that may lag.
            #expect(withoutHeartbeats(cached.snapshot) == withoutHeartbeats(try store.snapshot(study: "mnist")), "\(step)",
                    sourceLocation: sourceLocation)
        }
        try check("first read")
        try check("nothing changed")

        // New trials, a claim, epochs (one value replaced), a heartbeat, an end, a checkpoint, oracle state.
        let added = try store.insertTrial(study: study.id, number: 6, hyperparameters: ["lr": .float(0.002)])
        try check("a trial inserted")
        let claimed = try #require(try store.claimNextTrial(study: study.id, worker: "w7"))
        try store.recordMetrics(trial: claimed.id, step: 0, values: ["val_accuracy": 0.3, "loss": 3])
        try store.recordMetrics(trial: claimed.id, step: 1, values: ["val_accuracy": 0.4])
        try check("a claim and two epochs")
        try store.recordMetrics(trial: claimed.id, step: 0, values: ["val_accuracy": 0.35])
        try store.heartbeat(trial: claimed.id, worker: "w7")
        try store.saveCheckpoint(trial: claimed.id, epoch: 1, path: "/tmp/checkpoint-1")
        try store.saveOracleState(study: study.id, Data(#"{"seen":7}"#.utf8))
        try check("a value replaced, a heartbeat, a checkpoint, oracle state")
        try store.finishTrial(claimed.id, worker: "w7", state: .complete, score: 0.4)
        try store.updateStudy(study.id, searchSpace: try SearchSpace([.float("lr", min: 1e-5, max: 1, sampling: .log)]))
        let other = try store.createStudy(try sampleOtherStudy())
        try store.insertTrial(study: other.id, number: 0)
        try check("an end, a new search space, another study's trial")
        _ = added

        // The study replaced by another of its name: read afresh.
        try store.deleteStudy(named: "mnist")
        try makeStudy(store, completed: 1)
        try check("the study replaced")
        try store.deleteStudy(named: "mnist")
        #expect(throws: StoreError.studyNotFound(name: "mnist")) { try cache.snapshot(reader, study: "mnist") }
    }

    @Test func theLeastRecentlyShownStudyIsDropped() throws {
        let storage = try DashboardStorage()
        let store = try storage.open()
        for name in ["a", "b", "c"] { try makeStudy(store, name: name, completed: 1) }
        let cache = StudySnapshotCache(capacity: 2)
        for name in ["a", "b", "a", "c"] { _ = try cache.snapshot(store, study: name) }
        // "b" was dropped; "a" and "c" are kept and still current after a change.
        let a = try store.requireStudy(named: "a")
        try store.insertTrial(study: a.id, number: 9)
        #expect(try cache.snapshot(store, study: "a").snapshot == (try store.snapshot(study: "a")))
        #expect(try cache.snapshot(store, study: "b").snapshot == (try store.snapshot(study: "b")))
    }
}

/// A snapshot with every trial's last heartbeat removed.
private func withoutHeartbeats(_ snapshot: StudySnapshot) -> StudySnapshot {
    var copy = snapshot
    copy.trials = snapshot.trials.map { trial in
        var trial = trial
        trial.trial.heartbeatAt = nil
        return trial
    }
    return copy
}

/// A second study for tests that need two.
private func sampleOtherStudy() throws -> NewStudy {
    NewStudy(name: "other", objective: .minimize("loss"), oracleKind: "random", oracleConfiguration: .object([:]),
             searchSpace: try SearchSpace([.int("n", min: 0, max: 3)]))
}
