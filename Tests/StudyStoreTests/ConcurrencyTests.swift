import Foundation
import Testing
import Tuning
import StudyStore
import TestSupport

@Suite("Concurrent workers")
struct ConcurrencyTests {
    /// Four threads, each with its own connection, claim and finish 200 trials of one study:
    /// every trial is run exactly once and every metric is kept.
    @Test func threadsWithOwnConnectionsClaimDistinctTrials() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("shared.sqlite")
        let threads = 4
        let perThread = 50
        let studyID: Int64
        do {
            let store = try StudyStore(path: path)
            let study = try store.createStudy(sampleStudy())
            studyID = study.id
            try store.write { store in
                for index in 0..<(threads * perThread) {
                    try store.insertTrial(study: study.id, hyperparameters: #"{"i":\#(index)}"#)
                }
            }
        }

        let claims = Locked<[Int64: String]>([:])
        let duplicates = Locked<[Int64]>([])
        let errors = Locked<[String]>([])
        runOnThreads(threads) { index in
            let worker = "thread-\(index)"
            do {
                let store = try StudyStore(path: path, busyTimeout: 30)
                while let trial = try store.claimNextTrial(study: studyID, worker: worker) {
                    let isNew = claims.withLock { $0.updateValue(worker, forKey: trial.id) == nil }
                    if !isNew { duplicates.withLock { $0.append(trial.id) } }
                    // A trial takes time outside the transaction, as training does; without it one thread
                    // could drain the queue before SQLite's busy handler wakes the others.
                    usleep(2_000)
                    try store.recordMetrics(trial: trial.id, step: 0, values: ["loss": Double(trial.number)])
                    try store.finishTrial(trial.id, worker: worker, state: .complete, score: Double(trial.number),
                                          oracleState: #"{"last":\#(trial.number)}"#)
                }
            } catch {
                errors.withLock { $0.append("\(worker): \(error)") }
            }
        }

        #expect(errors.withLock { $0 } == [])
        #expect(duplicates.withLock { $0 } == [])
        #expect(claims.withLock { $0.count } == threads * perThread)
        let store = try StudyStore(path: path)
        let trials = try store.trialsWithMetrics(study: studyID)
        #expect(trials.count == threads * perThread)
        #expect(trials.allSatisfy { $0.trial.state == .complete && $0.trial.score == Double($0.trial.number) })
        #expect(trials.allSatisfy { $0.metrics == [MetricRecord(name: "loss", step: 0, value: Double($0.trial.number))] })
        let owners = claims.withLock { $0 }
        #expect(trials.allSatisfy { owners[$0.trial.id] == $0.trial.worker })
        #expect(try store.loadOracleState(study: studyID)?.version == threads * perThread)
        // The work was actually shared (the point of the test), not drained by one thread.
        #expect(Set(claims.withLock { $0.values }).count >= 2)
    }

    /// Several connections opening a fresh file at once migrate it exactly once.
    @Test func concurrentFirstOpensMigrateOnce() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("fresh.sqlite")
        let errors = Locked<[String]>([])
        runOnThreads(4) { _ in
            do { _ = try StudyStore(path: path, busyTimeout: 30) } catch { errors.withLock { $0.append("\(error)") } }
        }
        #expect(errors.withLock { $0 } == [])
        #expect(try StudyStore(path: path).database.query("SELECT * FROM schema_migrations").count == 3)
    }
}
