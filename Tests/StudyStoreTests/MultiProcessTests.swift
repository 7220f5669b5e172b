import Foundation
import Testing
import Tuning
import StudyStore
import TestSupport

/// Several worker processes on one study file. The parent test re-launches this test binary with a
/// filter selecting `workerProcessEntry` and environment variables naming the file, the study and the
/// worker; in a normal run (variables unset) `workerProcessEntry` does nothing.
@Suite("Worker processes")
struct MultiProcessTests {
    static let databaseVariable = "STUDYSTORE_WORKER_DB"
    static let studyVariable = "STUDYSTORE_WORKER_STUDY"
    static let workerVariable = "STUDYSTORE_WORKER_NAME"

    static var isWorker: Bool { ProcessInfo.processInfo.environment[databaseVariable] != nil }

    /// In a child process: claims, "trains" and finishes trials until none waits. Elsewhere: nothing.
    @Test func workerProcessEntry() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let path = environment[Self.databaseVariable] else { return }
        let study = try #require(environment[Self.studyVariable].flatMap { Int64($0) })
        let worker = environment[Self.workerVariable] ?? "process-\(getpid())"
        let store = try openStudyStorage(path, busyTimeout: 30)
        while let trial = try store.claimNextTrial(study: study, worker: worker) {
            usleep(2_000)
            try store.recordMetrics(trial: trial.id, step: 0, values: ["loss": Double(trial.number)])
            try store.finishTrial(trial.id, worker: worker, state: .complete, score: Double(trial.number))
        }
    }

    /// Four processes, each its own connection (to one file, or one database), run 200 quick trials: exactly 200 distinct completed
    /// trials, each by one worker, with its metric.
    @Test(.enabled(if: !MultiProcessTests.isWorker), arguments: Backend.allCases)
    func processesClaimDistinctTrials(_ backend: Backend) throws {
        let directory = try TemporaryDirectory()
        let storage = try TestStorage(backend)
        let path = storage.connectionString
        let total = 200
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        try store.write { store in
            for _ in 0..<total { try store.insertTrial(study: study.id) }
        }

        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var processes: [Process] = []
        for index in 0..<4 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["--testing-library", "swift-testing",
                                 "--filter", "StudyStoreTests.MultiProcessTests/workerProcessEntry"]
            var environment = ProcessInfo.processInfo.environment
            environment[Self.databaseVariable] = path
            environment[Self.studyVariable] = String(study.id)
            environment[Self.workerVariable] = "process-\(index)"
            process.environment = environment
            let log = directory.path("worker-\(index).log")
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            processes.append(process)
        }
        for (index, process) in processes.enumerated() {
            process.waitUntilExit()
            let log = (try? String(contentsOfFile: directory.path("worker-\(index).log"), encoding: .utf8)) ?? ""
            #expect(process.terminationStatus == 0, "worker \(index) failed:\n\(log.suffix(2000))")
        }

        let trials = try store.snapshot(study: study.name).trials
        #expect(trials.count == total)
        #expect(Set(trials.map(\.number)).count == total)
        #expect(trials.allSatisfy { $0.state == .complete && $0.score == Double($0.number) })
        #expect(trials.allSatisfy { $0.metrics == MetricsHistory(curves: ["loss": [MetricPoint(step: 0, value: Double($0.number))]]) })
        #expect(Set(trials.compactMap(\.worker)).count >= 2)
    }
}
