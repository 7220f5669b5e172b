import Foundation
import GRDB
import Testing
import Tuning
@testable import StudyStore
import TestSupport

/// `StudyChangeReading`: what changed in a study since a cursor, on both backends.
@Suite("Changes since a cursor")
struct ChangeTests {
    /// Inserting, starting, recording an epoch, replacing a value and finishing each show up once, in the
    /// read after them, as the trial is now; a heartbeat alone and another study's changes do not.
    @Test(arguments: Backend.allCases)
    func eachKindOfChangeShowsUpOnceAfterTheCursor(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        let other = try store.createStudy(try sampleStudy("other"))
        let old = try store.insertTrial(study: study.id, hyperparameters: ["n_hidden": .int(1)])

        var cursor = try store.changeCursor()
        #expect(try store.changes(study: study.id, since: cursor).isEmpty)

        // A new trial.
        let new = try store.insertTrial(study: study.id, hyperparameters: ["n_hidden": .int(2)])
        try store.insertTrial(study: other.id)
        var changes = try store.changes(study: study.id, since: cursor)
        #expect(changes.trials == [new])
        #expect(changes.metrics == [])
        cursor = changes.cursor
        #expect(try store.changes(study: study.id, since: cursor).isEmpty)

        // A state change (claimed), then only heartbeats: the claim shows, the heartbeat does not.
        let claimed = try #require(try store.claimNextTrial(study: study.id, worker: "w1"))
        #expect(claimed.id == old.id)
        changes = try store.changes(study: study.id, since: cursor)
        #expect(changes.trials.map(\.number) == [old.number])
        #expect(changes.trials.first?.state == .running && changes.trials.first?.worker == "w1")
        cursor = changes.cursor
        try store.heartbeat(trial: old.id, worker: "w1")
        #expect(try store.changes(study: study.id, since: cursor).isEmpty)

        // New epochs: only the values recorded after the cursor; a value recorded again comes again.
        try store.recordMetrics(trial: old.id, step: 0, values: ["loss": 0.9, "val_accuracy": 0.5])
        changes = try store.changes(study: study.id, since: cursor)
        #expect(changes.trials == [])
        #expect(changes.metrics == [
            MetricChange(trialID: old.id, trialNumber: old.number, name: "loss", point: MetricPoint(step: 0, value: 0.9)),
            MetricChange(trialID: old.id, trialNumber: old.number, name: "val_accuracy", point: MetricPoint(step: 0, value: 0.5)),
        ])
        cursor = changes.cursor
        try store.recordMetrics(trial: old.id, step: 1, values: ["loss": .nan])
        try store.recordMetrics(trial: old.id, step: 0, values: ["val_accuracy": 0.55])
        changes = try store.changes(study: study.id, since: cursor)
        #expect(changes.metrics.count == 2)
        #expect(changes.metrics[0].name == "loss" && changes.metrics[0].point.step == 1 && changes.metrics[0].point.value.isNaN)
        #expect(changes.metrics[1] == MetricChange(trialID: old.id, trialNumber: old.number, name: "val_accuracy",
                                                   point: MetricPoint(step: 0, value: 0.55)))
        cursor = changes.cursor

        // The end of the trial, with its score.
        try store.finishTrial(old.id, worker: "w1", state: .complete, score: 0.55)
        changes = try store.changes(study: study.id, since: cursor)
        #expect(changes.trials.map(\.number) == [old.number])
        #expect(changes.trials.first?.state == .complete && changes.trials.first?.score == 0.55)
        #expect(try store.changes(study: study.id, since: changes.cursor).isEmpty)

        // From the first cursor, everything since is there at once, each trial as it is now.
        let all = try store.changes(study: study.id, since: try .oldest(backend))
        #expect(Set(all.trials.map(\.number)) == [old.number, new.number])
    }

    /// A cursor read in the same `read { }` as a snapshot agrees with it: the changes after it are exactly
    /// what the snapshot does not hold yet.
    @Test(arguments: Backend.allCases)
    func aCursorReadWithASnapshotStartsWhereTheSnapshotEnds(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        let first = try store.insertTrial(study: study.id)
        try store.recordMetrics(trial: first.id, step: 0, values: ["loss": 1])
        let (snapshot, cursor) = try store.read { store in
            (try store.snapshot(study: "mnist"), try store.changeCursor())
        }
        #expect(snapshot.trials.map(\.id) == [first.id])
        let second = try store.insertTrial(study: study.id)
        try store.recordMetrics(trial: first.id, step: 1, values: ["loss": 0.5])
        let changes = try store.changes(study: study.id, since: cursor)
        #expect(changes.trials.map(\.id) == [second.id])
        #expect(changes.metrics.map(\.point) == [MetricPoint(step: 1, value: 0.5)])
    }

    /// A change still uncommitted when the cursor is read is not lost: it comes in the first read after
    /// its commit.
    @Test(arguments: Backend.allCases)
    func aChangeCommittedAfterTheCursorWasReadIsNotMissed(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let reader = try storage.open()
        let study = try reader.createStudy(try sampleStudy())
        let connectionString = storage.connectionString
        let inserted = DispatchSemaphore(value: 0)
        let commit = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        let failure = Locked<String?>(nil)
        Thread {
            do {
                let writer = try openStudyStorage(connectionString)
                try writer.write { store in
                    try store.insertTrial(study: study.id, number: 7)
                    inserted.signal()
                    commit.wait()
                }
            } catch {
                failure.withLock { $0 = "\(error)" }
                inserted.signal()
            }
            done.signal()
        }.start()
        inserted.wait()
        let cursor = try reader.changeCursor()
        let during = try reader.changes(study: study.id, since: cursor)
        commit.signal()
        done.wait()
        #expect(failure.withLock { $0 } == nil)
        #expect(during.trials == [])
        #expect(try reader.changes(study: study.id, since: during.cursor).trials.map(\.number) == [7])
    }

    /// PostgreSQL lets two workers write at once: a transaction that began first and commits last is
    /// still seen after a cursor taken between the two commits (a plain counter would skip it).
    @Test func postgresTransactionsCommittingOutOfOrderAreBothSeen() throws {
        let storage = try TestStorage(.postgres)
        let reader = try storage.open()
        let study = try reader.createStudy(try sampleStudy())
        let early = try reader.insertTrial(study: study.id, number: 0)
        let late = try reader.insertTrial(study: study.id, number: 1)
        let start = try reader.changeCursor()
        let connectionString = storage.connectionString
        let wrote = DispatchSemaphore(value: 0)
        let commit = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        let failure = Locked<String?>(nil)
        // The first writer records a metric of trial 0 and waits before committing.
        Thread {
            do {
                let writer = try openStudyStorage(connectionString)
                try writer.write { store in
                    try store.recordMetrics(trial: early.id, step: 0, values: ["loss": 1])
                    wrote.signal()
                    commit.wait()
                }
            } catch {
                failure.withLock { $0 = "\(error)" }
                wrote.signal()
            }
            done.signal()
        }.start()
        wrote.wait()
        // The second writer starts later and commits first.
        let second = try storage.open()
        try second.recordMetrics(trial: late.id, step: 0, values: ["loss": 2])
        let middle = try reader.changes(study: study.id, since: start)
        #expect(middle.metrics.map(\.trialNumber) == [1])
        commit.signal()
        done.wait()
        #expect(failure.withLock { $0 } == nil)
        let after = try reader.changes(study: study.id, since: middle.cursor)
        #expect(after.metrics.map(\.trialNumber) == [0])
    }

    /// A cursor the storage did not make is refused with a sentence, not a database error; text that
    /// cannot be a cursor at all is not one.
    @Test(arguments: Backend.allCases)
    func aCursorOfAnotherKindIsRefused(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        #expect(StudyChangeCursor(token: "") == nil)
        #expect(StudyChangeCursor(token: "1; DROP TABLE trials") == nil)
        #expect(StudyChangeCursor(token: "-1") == nil)
        #expect(StudyChangeCursor(token: String(repeating: "1", count: StudyChangeCursor.maximumTokenLength + 1)) == nil)
        let foreign = try #require(StudyChangeCursor(token: backend == .sqlite ? "10:20:" : "12"))
        let reversed = try #require(StudyChangeCursor(token: backend == .sqlite ? "99999999999999999999" : "20:10:"))
        for cursor in [foreign, reversed] {
            do {
                _ = try store.changes(study: study.id, since: cursor)
                Issue.record("\(cursor) was accepted")
            } catch let error as StoreError {
                guard case .invalidArgument(let message) = error else { Issue.record("got \(error)"); continue }
                #expect(message.contains("not a change cursor") && message.contains("changeCursor()"))
            }
        }
    }

    /// Opening a file from before change tracking applies `v4-change-tracking`; its old rows count as
    /// seen, and changes after it are tracked.
    @Test func anOldFileGetsChangeTrackingAndItsOldRowsCountAsSeen() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("old.sqlite")
        try LegacyFile.create(at: path)
        let store = try SQLiteStudyStorage(path: path)
        #expect(try store.appliedMigrations() == currentMigrations)
        let study = try store.requireStudy(named: "legacy")
        let zero = try #require(StudyChangeCursor(token: "0"))
        #expect(try store.changes(study: study.id, since: zero).isEmpty)
        let claimed = try #require(try store.claimNextTrial(study: study.id, worker: "w"))
        #expect(try store.changes(study: study.id, since: zero).trials.map(\.number) == [claimed.number])
    }

    /// The change reads are index range reads: SQLite's plans use the change indexes (the metrics one
    /// first, so a study's metrics are never all read).
    @Test func sqliteChangeReadsUseTheChangeIndexes() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("plan.sqlite")
        _ = try SQLiteStudyStorage(path: path)
        func plan(_ sql: String) throws -> [String] {
            try rawConnection(path).read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { row in row["detail"] as String? ?? "" }
            }
        }
        let trials = try plan(SQLiteStudyStorage.changedTrialsSQL.replacingOccurrences(of: "?", with: "1"))
        #expect(trials.contains { $0.contains("USING INDEX trials_by_change (study_id=? AND change_seq>?)") }, "\(trials)")
        let metrics = try plan(SQLiteStudyStorage.changedMetricsSQL.replacingOccurrences(of: "?", with: "1"))
        #expect(metrics.first?.contains("USING INDEX trial_metrics_by_change (change_seq>?)") == true, "\(metrics)")
    }
}

extension StudyChangeCursor {
    /// The oldest cursor of a backend: 0 for SQLite, the snapshot that sees no transaction for PostgreSQL
    /// (every stamped row is after it).
    static func oldest(_ backend: Backend) throws -> StudyChangeCursor {
        try #require(StudyChangeCursor(token: backend == .sqlite ? "0" : "1:1:"))
    }
}
