import Foundation
import Neural
import StudyStore
import Testing
import TunerKit
import Tuning
import TestSupport

/// Searches across processes. The parent test re-launches this test binary with a filter selecting
/// `childProcessEntry` and environment variables saying what to do; in a normal run (variables unset)
/// `childProcessEntry` does nothing.
@Suite("Search worker processes")
struct WorkerProcessTests {
    static let modeVariable = "TUNERKIT_CHILD_MODE"
    static let storageVariable = "TUNERKIT_CHILD_STORAGE"

    static var isChild: Bool { ProcessInfo.processInfo.environment[modeVariable] != nil }

    static var sharedDefinition: StudyDefinition {
        let hp = HyperParameters()
        _ = try? hp.float("x", min: 0, max: 1)
        return StudyDefinition(name: "shared", objective: .minimize("loss"), oracle: .randomSearch(maxTrials: 200), seed: 8,
                               searchSpace: hp.space)
    }

    /// A quick objective with one intermediate step.
    static let quickObjective: TrialObjective = { hp, reporter in
        let x = try hp.float("x", min: 0, max: 1)
        try reporter.report(step: 0, metrics: ["loss": x + 1])
        usleep(1_000)
        return ["loss": x]
    }

    /// The search the kill test runs: slowed down so the parent can kill it mid-trial.
    static func slowTuner(storage: String, slow: Bool, retries: Int = 1) throws -> (Tuner, BlobData) {
        let tuner = try Tuner(oracle: .randomSearch(maxTrials: 5), objective: "val_accuracy", study: "killed", storage: storage,
                              // One trial at a time: the kill tests follow the one trial they interrupt.
                              seed: 21, options: SearchOptions(parallelTrials: 1, maxRetriesPerTrial: retries, verbosity: .silent),
                              build: buildBlobModel)
        return (tuner, BlobData())
    }

    static func slowCallbacks(_ slow: Bool) -> @Sendable () -> [Callback] {
        { slow ? [LambdaCallback(onEpochEnd: { _, _ in usleep(150_000) })] : [] }
    }

    /// In a child process: runs what `TUNERKIT_CHILD_MODE` says. Elsewhere: nothing.
    @Test func childProcessEntry() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let mode = environment[Self.modeVariable], let storage = environment[Self.storageVariable] else { return }
        switch mode {
        case "worker":
            try StudyRunner(definition: Self.sharedDefinition, storage: storage, options: SearchOptions(verbosity: .silent))
                .join(Self.quickObjective)
        case "slow-search", "slow-search-no-retry":
            let (tuner, data) = try Self.slowTuner(storage: storage, slow: true, retries: mode == "slow-search" ? 1 : 0)
            try tuner.search(data.x, data.y, epochs: 3, validationData: (data.xValid, data.yValid), callbacks: Self.slowCallbacks(true))
        default:
            Issue.record("unknown child mode \(mode)")
        }
    }

    static func launchChild(mode: String, storage: String, log: String) throws -> Process {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--testing-library", "swift-testing", "--filter", "TunerKitTests.WorkerProcessTests/childProcessEntry"]
        var environment = ProcessInfo.processInfo.environment
        environment[modeVariable] = mode
        environment[storageVariable] = storage
        process.environment = environment
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// Four worker processes share one study of 200 quick trials: exactly 200 distinct completed trials,
    /// each with its metrics, none run twice.
    @Test(.enabled(if: !WorkerProcessTests.isChild))
    func fourWorkerProcessesShareOneStudy() throws {
        let directory = try TemporaryDirectory()
        let storage = directory.path("shared.sqlite")
        // The parent creates the study, the children join it.
        try StudyRunner(definition: Self.sharedDefinition, storage: storage).createOrResume()
        let processes = try (0..<4).map { index in
            try Self.launchChild(mode: "worker", storage: storage, log: directory.path("worker-\(index).log"))
        }
        for (index, process) in processes.enumerated() {
            process.waitUntilExit()
            let log = (try? String(contentsOfFile: directory.path("worker-\(index).log"), encoding: .utf8)) ?? ""
            #expect(process.terminationStatus == 0, "worker \(index) failed:\n\(log.suffix(3000))")
        }
        let store = try SQLiteStudyStorage(path: storage)
        let study = try store.requireStudy(named: "shared")
        let trials = try store.snapshot(study: study.name).trials
        #expect(trials.count == 200)
        #expect(Set(trials.map(\.trial.number)) == Set(1...200))
        #expect(trials.allSatisfy { $0.trial.state == .complete })
        #expect(trials.allSatisfy { $0.metrics.curves.count == 1 && $0.metrics.curves.values.first?.map(\.step) == [0] })
        #expect(Set(trials.map(\.trial.hyperparameters)).count == 200)
        #expect(Set(trials.compactMap(\.trial.worker)).count >= 3)
        let oracle = try store.snapshot(study: "shared")
        #expect(oracle.trials.allSatisfy { $0.score == $0.hyperparameters["x"]?.doubleValue })
    }

    /// Starts a slow search in a child process and kills it with SIGKILL once `completed` trials are
    /// done and another one has reported an epoch. Returns the trials stored at the kill.
    func killMidTrial(mode: String, storage: String, log: String, completed: Int) throws -> [TrialSnapshot] {
        let child = try Self.launchChild(mode: mode, storage: storage, log: log)
        var killed = false
        for _ in 0..<600 where !killed {
            usleep(50_000)
            guard let results = try? StudySnapshot.load(storagePath: storage, study: "killed") else { continue }
            let complete = results.trials.filter { $0.state == .complete }
            if complete.count >= completed, let trial = results.trials.first(where: { $0.state == .running }),
               !trial.metrics.values("loss").isEmpty {
                kill(child.processIdentifier, SIGKILL)
                killed = true
            }
        }
        child.waitUntilExit()
        #expect(killed)
        #expect(child.terminationReason == .uncaughtSignal)
        return try StudySnapshot.load(storagePath: storage, study: "killed").trials
    }

    /// Without retries, the trial a killed worker was running ends FAILED with the reason, and the
    /// search goes on to spend the rest of its budget.
    @Test(.enabled(if: !WorkerProcessTests.isChild))
    func aKilledWorkersTrialFailsWhenNoRetryIsLeft() throws {
        let directory = try TemporaryDirectory()
        let storage = directory.path("killed.sqlite")
        let before = try killMidTrial(mode: "slow-search-no-retry", storage: storage, log: directory.path("s.log"), completed: 1)
        let interrupted = try #require(before.first { $0.state == .running })

        let (tuner, data) = try Self.slowTuner(storage: storage, slow: false, retries: 0)
        try tuner.search(data.x, data.y, epochs: 3, validationData: (data.xValid, data.yValid))
        let after = try tuner.oracle.trials
        #expect(after.count == 5)
        let failed = try #require(after.first { $0.number == interrupted.number })
        #expect(failed.state == .failed)
        #expect(failed.failureReason?.contains("exited while running it") == true)
        #expect(after.filter { $0.state == .complete }.count == 4)
    }

    /// A killed worker's trial that a user asked to stop (from the dashboard) is not run again on resume,
    /// retries left or not: it ends FAILED saying so, and the search spends the rest of its budget.
    @Test(.enabled(if: !WorkerProcessTests.isChild))
    func aKilledWorkersTrialAskedToStopIsNotRunAgain() throws {
        let directory = try TemporaryDirectory()
        let storage = directory.path("killed.sqlite")
        let before = try killMidTrial(mode: "slow-search", storage: storage, log: directory.path("s.log"), completed: 1)
        let interrupted = try #require(before.first { $0.state == .running })
        try openStudyStorage(storage).requestStop(trial: interrupted.trial.id)

        let (tuner, data) = try Self.slowTuner(storage: storage, slow: false, retries: 1)
        try tuner.search(data.x, data.y, epochs: 3, validationData: (data.xValid, data.yValid))
        let after = try tuner.oracle.trials
        #expect(after.count == 5)
        let stopped = try #require(after.first { $0.number == interrupted.number })
        #expect(stopped.state == .failed)
        #expect(stopped.failureReason?.contains("a stop had been asked for it") == true, "\(stopped.failureReason ?? "")")
        #expect(after.filter { $0.state == .complete }.count == 4)
    }

    /// A search killed with SIGKILL in the middle of a trial, then run again: every trial finished
    /// before the kill is kept as it was, the interrupted one is run again, nothing is duplicated.
    @Test(.enabled(if: !WorkerProcessTests.isChild))
    func aKilledSearchResumesWithoutLosingOrDuplicatingTrials() throws {
        let directory = try TemporaryDirectory()
        let storage = directory.path("killed.sqlite")
        let before = try killMidTrial(mode: "slow-search", storage: storage, log: directory.path("search.log"), completed: 2)
        let interrupted = before.filter { $0.state == .running }
        #expect(interrupted.count == 1)

        let (tuner, data) = try Self.slowTuner(storage: storage, slow: false)
        try tuner.search(data.x, data.y, epochs: 3, validationData: (data.xValid, data.yValid))
        let after = try tuner.oracle.trials
        #expect(after.count == 5)
        #expect(Set(after.map(\.number)) == Set(1...5))
        #expect(after.allSatisfy { $0.state == .complete })
        for trial in before where trial.state == .complete {
            #expect(after.first { $0.number == trial.number } == trial)
        }
        // The interrupted trial ran again from its start: one value per epoch, no duplicates.
        for trial in after {
            #expect(trial.metrics.curves["loss"]?.map(\.step) == [0, 1, 2])
        }
        #expect(try tuner.bestModels(1).count == 1)
    }
}
