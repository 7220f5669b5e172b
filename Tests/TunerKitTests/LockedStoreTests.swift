import GRDB
import Foundation
import StudyStore
import Synchronization
import Testing
import TunerKit
import Tuning
import TestSupport

/// Issue 12, item 4: a result already computed is never lost because another process holds the
/// database longer than the busy timeout; it is kept in memory and stored once the lock is released.
@Suite struct LockedStoreTests {
    /// Takes `BEGIN EXCLUSIVE` on `path` from a connection of its own thread, returns once the lock is
    /// held, and releases it `seconds` later.
    static func holdExclusiveLock(on path: String, for seconds: Double) {
        let held = DispatchSemaphore(value: 0)
        let thread = Thread {
            do {
                var configuration = Configuration()
                configuration.busyMode = .timeout(10)
                try DatabaseQueue(path: path, configuration: configuration).writeWithoutTransaction { db in
                    try db.execute(sql: "BEGIN EXCLUSIVE TRANSACTION")
                    held.signal()
                    Thread.sleep(forTimeInterval: seconds)
                    try db.execute(sql: "COMMIT TRANSACTION")
                }
            } catch {
                Issue.record("could not hold the lock: \(error)")
                held.signal()
            }
        }
        thread.start()
        held.wait()
    }

    /// With one worker thread, and with two (whose other thread must neither end the search on the
    /// lock nor take the trial as abandoned although its heartbeats went stale during the lock).
    @Test(arguments: [1, 2])
    func aFinishedTrialIsStoredOnceALongLockIsReleased(parallelTrials: Int) throws {
        let directory = try TemporaryDirectory()
        let storage = directory.path("locked.sqlite")
        let lines = Mutex<[String]>([])
        let locked = Atomic<Bool>(false)
        let runner = StudyRunner(
            definition: StudyDefinition(name: "locked", objective: .minimize("loss"), oracle: .randomSearch(maxTrials: 4), seed: 1),
            storage: storage,
            options: SearchOptions(
                parallelTrials: parallelTrials, heartbeatInterval: 0.1, staleAfter: 0.5, busyTimeout: 0.2, verbosity: .silent,
                output: { line in lines.withLock { $0.append(line) } }))
        try runner.optimize { hp, _ in
            let x = try hp.float("x", min: 0, max: 1)
            // The first trial ends while another process holds the database for 8 busy timeouts.
            if !locked.exchange(true, ordering: .relaxed) { Self.holdExclusiveLock(on: storage, for: 1.6) }
            return ["loss": x]
        }
        let trials = try runner.oracle.trials
        #expect(trials.count == 4)
        #expect(trials.allSatisfy { $0.state == .complete }, "\(trials.map(\.state))")
        for trial in trials { #expect(trial.score == trial.hyperparameters["x"]?.doubleValue) }
        let store = try SQLiteStudyStorage(path: storage)
        let records = try store.trials(study: try store.requireStudy(named: "locked").id)
        #expect(records.allSatisfy { $0.retries == 0 && $0.workerDeaths == 0 }, "\(records.map { ($0.retries, $0.workerDeaths, $0.error) })")
        let warnings = lines.withLock { $0 }.filter { $0.contains("locked") }
        #expect(!warnings.isEmpty, "no line said the database was locked")
        #expect(warnings.first?.contains("trying again") == true, "\(warnings)")
    }
}
