import Foundation
import GRDB
import Testing
import Tuning
import StudyStore
import TestSupport

@Suite("Concurrent workers")
struct ConcurrencyTests {
    /// Runs `body` on `count` threads, each with its own connection to `connectionString` (a worker), and
    /// returns what each thread threw, as "worker N: error".
    func workerErrors(_ count: Int, connectionString: String,
                      _ body: @escaping @Sendable (_ index: Int, _ store: any StudyStorage) throws -> Void) -> [String] {
        let errors = Locked<[String]>([])
        runOnThreads(count) { index in
            do {
                try body(index, try openStudyStorage(connectionString, busyTimeout: 30))
            } catch {
                errors.withLock { $0.append("worker \(index): \(error)") }
            }
        }
        return errors.withLock { $0 }
    }

    /// Four threads, each with its own connection, claim and finish 200 trials of one study:
    /// every trial is run exactly once and every metric is kept.
    @Test(arguments: Backend.allCases) func threadsWithOwnConnectionsClaimDistinctTrials(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let threads = 4
        let perThread = 50
        let studyID: Int64
        do {
            let store = try storage.open()
            let study = try store.createStudy(try sampleStudy())
            studyID = study.id
            try store.write { store in
                for index in 0..<(threads * perThread) {
                    try store.insertTrial(study: study.id, hyperparameters: ["i": .int(index)])
                }
            }
        }

        let connectionString = storage.connectionString
        let claims = Locked<[Int64: String]>([:])
        let duplicates = Locked<[Int64]>([])
        let errors = workerErrors(threads, connectionString: connectionString) { index, store in
            let worker = "thread-\(index)"
            while let trial = try store.claimNextTrial(study: studyID, worker: worker) {
                let isNew = claims.withLock { $0.updateValue(worker, forKey: trial.id) == nil }
                if !isNew { duplicates.withLock { $0.append(trial.id) } }
                // A trial takes time outside the transaction, as training does; without it one thread
                // could drain the queue before SQLite's busy handler wakes the others.
                usleep(2_000)
                try store.recordMetrics(trial: trial.id, step: 0, values: ["loss": Double(trial.number)])
                try store.finishTrial(trial.id, worker: worker, state: .complete, score: Double(trial.number),
                                      oracleState: whole(#"{"last":\#(trial.number)}"#))
            }
        }

        #expect(errors == [])
        #expect(duplicates.withLock { $0 } == [])
        #expect(claims.withLock { $0.count } == threads * perThread)
        let store = try storage.open()
        let trials = try store.snapshot(study: "mnist").trials
        #expect(trials.count == threads * perThread)
        #expect(trials.allSatisfy { $0.state == .complete && $0.score == Double($0.number) })
        #expect(trials.allSatisfy { $0.metrics == MetricsHistory(curves: ["loss": [MetricPoint(step: 0, value: Double($0.number))]]) })
        let owners = claims.withLock { $0 }
        #expect(trials.allSatisfy { owners[$0.id] == $0.worker })
        #expect(try store.oracleState(study: studyID)?.version == threads * perThread)
        // The work was actually shared (the point of the test), not drained by one thread.
        #expect(Set(claims.withLock { $0.values }).count >= 2)
    }

    /// Workers that each read the oracle state inside `write { }`, pick the next trial number from it, start
    /// that trial and save the next state (as `StudyCoordinator.transact` does) never start the same number
    /// and never lose one another's saves: the state read in a write transaction stays current until its
    /// commit, so it never goes backwards.
    @Test(arguments: Backend.allCases) func oracleDecisionsInWriteTransactionsNeverCollide(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        try store.saveOracleState(study: study.id, json(#"{"next":0}"#))
        let connectionString = storage.connectionString
        let studyID = study.id
        let threads = 4
        let rounds = 20
        let errors = workerErrors(threads, connectionString: connectionString) { index, worker in
            for _ in 0..<rounds {
                try worker.write { worker in
                    _ = try worker.oracleStateVersion(study: studyID)
                    guard let saved = try worker.oracleState(study: studyID),
                          let next = try JSONDecoder().decode([String: Int].self, from: saved.core)["next"]
                    else { throw StoreError.invalidArgument("no oracle state") }
                    usleep(500)
                    try worker.startTrial(study: studyID, number: next, worker: "w\(index)", hyperparameters: [:],
                                          oracleState: whole(#"{"next":\#(next + 1)}"#))
                }
            }
        }
        #expect(errors == [])
        let trials = try store.trials(study: study.id)
        #expect(trials.map(\.number) == Array(0..<(threads * rounds)))
        #expect(text(try store.oracleState(study: study.id)) == #"{"next":\#(threads * rounds)}"#)
        #expect(try store.oracleStateVersion(study: study.id) == threads * rounds + 1)
    }

    /// The same with the state kept in parts and caught up with as `StudyCoordinator` does: each worker
    /// keeps the trials it knows and their version, and inside `write { }` reads only the trials saved
    /// after it (on PostgreSQL, usually answered by the lock statement itself, `tuner_lock_study(study,
    /// since)`), picks the next number from them and saves the core and that trial. No number is taken
    /// twice, no worker ever sees the version go backwards or a trial missing, and a worker that read the
    /// state caught up knows exactly the trials a fresh read gives.
    @Test(arguments: Backend.allCases) func caughtUpOracleStatesNeverCollideOrGoBackwards(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        try store.saveOracleState(study: study.id, OracleStateChanges(core: json(#"{"kind":"test"}"#), trials: [:]))
        let connectionString = storage.connectionString
        let studyID = study.id
        let threads = 6
        let rounds = 25
        let errors = workerErrors(threads, connectionString: connectionString) { index, worker in
            var known: [Int: Data] = [:]
            var version = 0
            for round in 0..<rounds {
                try worker.write { worker in
                    guard let current = try worker.oracleStateVersion(study: studyID), current >= version else {
                        throw StoreError.invalidArgument("the version went back from \(version)")
                    }
                    if current != version {
                        guard let saved = try worker.oracleState(study: studyID, trialsSavedAfter: version),
                              saved.version == current
                        else { throw StoreError.invalidArgument("the catch-up disagrees with version \(current)") }
                        known.merge(saved.trials) { $1 }
                        version = saved.version
                    }
                    // Numbers are dense: the next one is the count of those known.
                    let next = known.count
                    guard Set(known.keys) == Set(0..<next) else {
                        throw StoreError.invalidArgument("worker \(index) misses a trial: knows \(known.keys.sorted())")
                    }
                    // Every few rounds, check the caught-up parts against a whole read in this transaction.
                    if round % 5 == 0, try worker.oracleState(study: studyID)?.trials != known {
                        throw StoreError.invalidArgument("the caught-up trials differ from a whole read")
                    }
                    let part = json(#"{"number":\#(next),"worker":\#(index)}"#)
                    try worker.startTrial(study: studyID, number: next, worker: "w\(index)", hyperparameters: [:],
                                          oracleState: OracleStateChanges(core: json(#"{"kind":"test"}"#), trials: [next: part]))
                    known[next] = part
                    version = try worker.oracleStateVersion(study: studyID) ?? 0
                }
            }
        }
        #expect(errors == [])
        let total = threads * rounds
        #expect(try store.trials(study: study.id).map(\.number) == Array(0..<total))
        let saved = try store.oracleState(study: study.id)
        #expect(saved?.version == total + 1)
        #expect(saved?.trials.keys.sorted() == Array(0..<total))
        // Each trial's part names the worker that started it, as the trials table does.
        let starters = Dictionary(uniqueKeysWithValues: try store.trials(study: study.id).map { ($0.number, $0.worker) })
        for (number, part) in saved?.trials ?? [:] {
            let owner = try JSONDecoder().decode([String: Int].self, from: part)["worker"]
            #expect(starters[number] == owner.map { "w\($0)" })
        }
    }

    /// Several connections opening a fresh file (or database) at once migrate it exactly once.
    @Test(arguments: Backend.allCases) func concurrentFirstOpensMigrateOnce(_ backend: Backend) throws {
        for round in 0..<5 {
            let storage = try TestStorage(backend)
            let connectionString = storage.connectionString
            let errors = Locked<[String]>([])
            runOnThreads(4) { _ in
                do { _ = try openStudyStorage(connectionString, busyTimeout: 30) } catch { errors.withLock { $0.append("\(error)") } }
            }
            #expect(errors.withLock { $0 } == [], "round \(round)")
            #expect(try storage.rowCount(backend == .sqlite ? "grdb_migrations" : "tuner_migrations") == currentMigrations.count)
            #expect(try storage.open().appliedMigrations() == currentMigrations)
        }
    }

    /// Opening an old file from several workers at once adopts its migrations exactly once.
    @Test func concurrentOpensOfALegacyFileAdoptItOnce() throws {
        for round in 0..<5 {
            let directory = try TemporaryDirectory()
            let path = directory.path("legacy.sqlite")
            try LegacyFile.create(at: path)
            let errors = Locked<[String]>([])
            runOnThreads(4) { _ in
                do { _ = try SQLiteStudyStorage(path: path, busyTimeout: 30) } catch { errors.withLock { $0.append("\(error)") } }
            }
            #expect(errors.withLock { $0 } == [], "round \(round)")
            #expect(try rowCount(path, "grdb_migrations") == currentMigrations.count)
        }
    }
}
