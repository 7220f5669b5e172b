import Foundation
import Testing
import StudyStore
import TestSupport

/// Issue 12, items 6 and 8 in the store: a worker's death is counted per trial; an interrupted trial
/// put back by its own worker counts neither a death nor a retry.
@Suite struct WorkerDeathTests {
    @Test(arguments: Backend.allCases)
    func deathsAreCountedAndAnInterruptedTrialIsRequeuedWithoutCountingOne(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        try store.insertTrial(study: study.id)
        let first = try #require(try store.claimNextTrial(study: study.id, worker: "a"))
        #expect(first.workerDeaths == 0)

        let interrupted = try store.requeueInterruptedTrial(first.id, worker: "a", reason: "interrupted by SIGINT")
        #expect(interrupted.state == .waiting && interrupted.worker == nil)
        #expect(interrupted.retries == 0 && interrupted.workerDeaths == 0)
        #expect(interrupted.error == "re-queued: interrupted by SIGINT")

        let second = try #require(try store.claimNextTrial(study: study.id, worker: "b"))
        // Only the worker running it may put it back.
        #expect(throws: StoreError.trialOwnedByAnotherWorker(id: second.id, owner: "b", caller: "a")) {
            try store.requeueInterruptedTrial(second.id, worker: "a", reason: "x")
        }
        let died = try store.settleAbandonedTrial(second.id, requeue: true, reason: "worker b exited")
        #expect(died.state == .waiting && died.retries == 1 && died.workerDeaths == 1)
        let third = try #require(try store.claimNextTrial(study: study.id, worker: "c"))
        let failed = try store.settleAbandonedTrial(third.id, requeue: false, reason: "worker died 2 times")
        #expect(failed.state == .failed && failed.workerDeaths == 2 && failed.error == "worker died 2 times")
        #expect(throws: StoreError.trialNotRunning(id: failed.id, state: "FAILED")) {
            try store.requeueInterruptedTrial(failed.id, worker: "c", reason: "x")
        }
    }
}
