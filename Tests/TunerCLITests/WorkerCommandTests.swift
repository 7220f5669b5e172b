import Foundation
import StudyStore
import Testing
import TestSupport

/// `tuner search` killed and resumed; two `tuner worker` processes sharing one study.
@Suite(.serialized) struct WorkerCommandTests {
    func states(_ path: String, study: String) throws -> [String] {
        let store = try SQLiteStudyStorage(path: path)
        guard let record = try store.study(named: study) else { return [] }
        return try store.trials(study: record.id).map(\.state.rawValue)
    }

    @Test func aKilledSearchIsResumedByRunningItAgain() throws {
        let directory = try TemporaryDirectory()
        // 2,000 rows a batch at a time: a trial lasts long enough (about a second) for the polling below to
        // see it running beside a finished one on a loaded machine.
        try directory.write("data.csv", regressionCSV(rows: 2000))
        try directory.write("slow.yaml", modelStudy(name: "slow", trials: 4, epochs: 3, slow: true, retries: 1))
        let search = try TunerBinary.start(["search", "slow.yaml", "--quiet"], in: directory.path,
                                          stdout: directory.path + "/s.out", stderr: directory.path + "/s.err")
        let storage = directory.path + "/tuner.sqlite"
        var killed = false
        var seen: [String] = []
        for _ in 0..<1200 where !killed && search.isRunning {
            usleep(50_000)
            seen = (try? states(storage, study: "slow")) ?? seen
            if seen.filter({ $0 == "COMPLETE" }).count >= 1 && seen.contains("RUNNING") {
                kill(search.processIdentifier, SIGKILL)
                killed = true
            }
        }
        search.waitUntilExit()
        let log = (try? String(contentsOfFile: directory.path + "/s.err", encoding: .utf8)) ?? ""
        try #require(killed, "never saw a COMPLETE trial beside a RUNNING one; last states \(seen), search exit \(search.terminationStatus): \(log)")
        let before = try SQLiteStudyStorage(path: storage)
        let study = try #require(try before.study(named: "slow"))
        let finished = try before.trials(study: study.id, states: [.complete])

        let resumed = try TunerBinary.run(["search", "slow.yaml", "--quiet"], in: directory.path)
        #expect(resumed.status == 0, "\(resumed.output)")
        let after = try SQLiteStudyStorage(path: storage).trials(study: study.id)
        #expect(after.count == 4)
        #expect(Set(after.map(\.number)) == [1, 2, 3, 4])
        // The interrupted trial was re-queued (one retry allowed) and run again.
        #expect(after.allSatisfy { $0.state == .complete }, "\(after.map { "\($0.number) \($0.state) \($0.error ?? "")" })")
        for trial in finished { #expect(after.first { $0.number == trial.number } == trial) }
    }

    @Test func twoWorkersShareAStudy() throws {
        let directory = try TemporaryDirectory()
        // A command study whose trials take 0.3 s each, so both workers get some.
        try directory.write("shared.yaml", """
            name: shared
            objective: { metric: loss, direction: min }
            oracle: { type: random, max_trials: 8, seed: 2 }
            hyperparameters:
              x: { type: float, min: -1, max: 1 }
            command: { run: "sleep 0.3; echo '{\\"loss\\": 1}'", timeout: 30 }
            """)
        // Create the study with a budget of 0 more trials: run it once with one trial, then let workers extend it.
        let first = try TunerBinary.run(["search", "shared.yaml", "--max-trials", "1", "--quiet"], in: directory.path)
        #expect(first.status == 0, "\(first.output)")
        // Workers use the stored study file, whose budget is 8.
        let workers = try (0..<2).map { index in
            try TunerBinary.start(["worker", "--study", "shared", "--quiet"], in: directory.path,
                                  stdout: directory.path + "/w\(index).out", stderr: directory.path + "/w\(index).err")
        }
        for (index, worker) in workers.enumerated() {
            worker.waitUntilExit()
            let log = (try? String(contentsOfFile: directory.path + "/w\(index).err", encoding: .utf8)) ?? ""
            #expect(worker.terminationStatus == 0, "worker \(index): \(log)")
        }
        let store = try SQLiteStudyStorage(path: directory.path + "/tuner.sqlite")
        let study = try #require(try store.study(named: "shared"))
        let trials = try store.trials(study: study.id)
        #expect(trials.count == 8)
        #expect(Set(trials.map(\.number)) == Set(1...8))
        #expect(trials.allSatisfy { $0.state == .complete })
        let workerNames = Set(trials.dropFirst().compactMap(\.worker).map { $0.split(separator: ":").dropLast().joined(separator: ":") })
        #expect(workerNames.count == 2, "workers: \(trials.map { $0.worker ?? "-" })")
        let missing = try TunerBinary.run(["worker", "--study", "nope"], in: directory.path)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("nope"))
    }
}
