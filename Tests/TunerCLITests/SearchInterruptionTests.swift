import Foundation
import StudyStore
import Testing
import TestSupport

/// Issue 12, items 6 and 8, through the built binary: Ctrl-C and SIGTERM stop a search cleanly (no
/// orphan command, the interrupted trial re-queued for a resume), and a trial that kills its worker
/// is not run again forever.
@Suite struct SearchInterruptionTests {
    /// A command study whose command records its shell's and its background child's PIDs in
    /// `pids.txt`, reports a step, then waits on a child that ignores SIGINT (as background jobs of
    /// a non-interactive shell do) — unless the file `fast` exists.
    static func writeSlowStudy(in directory: TemporaryDirectory) throws {
        try directory.write("slow.sh", """
            #!/bin/sh
            if [ -f fast ]; then echo "{\\"loss\\": $1}"; exit 0; fi
            echo $$ >> pids.txt
            sleep 60 &
            echo $! >> pids.txt
            echo '{"step": 0, "loss": 1}'
            wait
            echo "{\\"loss\\": $1}"
            """)
        try directory.write("slow.yaml", """
            name: slow
            objective: { metric: loss, direction: min }
            oracle: { type: random, max_trials: 3, seed: 2 }
            hyperparameters:
              x: { type: float, min: 0, max: 1 }
            command: { run: "sh slow.sh {x}", timeout: 120 }
            """)
    }

    /// The PIDs the command wrote, once it wrote both.
    static func waitForCommandPIDs(in directory: TemporaryDirectory) -> [Int32] {
        for _ in 0..<400 {
            let text = (try? String(contentsOfFile: directory.path + "/pids.txt", encoding: .utf8)) ?? ""
            let pids = text.split(separator: "\n").compactMap { Int32($0) }
            if pids.count >= 2 { return pids }
            usleep(50_000)
        }
        return []
    }

    /// Starts `tuner search` on the slow study in `directory` and returns it once its command has
    /// written both of its PIDs (the shell's and its background child's) and run a moment.
    static func startSlowSearch(in directory: TemporaryDirectory) throws -> (search: Process, pids: [Int32]) {
        try writeSlowStudy(in: directory)
        let search = try TunerBinary.start(
            // One trial at a time: the test follows the one trial it interrupts.
            ["search", "slow.yaml", "--parallel", "1"], in: directory.path, stdout: directory.path + "/out.txt", stderr: directory.path + "/err.txt")
        let pids = waitForCommandPIDs(in: directory)
        #expect(pids.count == 2)
        usleep(300_000)
        return (search, pids)
    }

    /// Whether a process is gone (or a zombie waiting to be reaped by init).
    static func isGone(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        return stat.split(separator: ")").last?.split(separator: " ").first == "Z"
    }

    /// Waits up to `seconds` for `process` to end; kills it and returns false when it does not.
    static func waitForExit(_ process: Process, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return false
        }
        return true
    }

    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func aSignalStopsTheSearchRequeuesTheTrialAndAResumeFinishesIt(signal: Int32, status: Int32) throws {
        let directory = try TemporaryDirectory()
        let (search, pids) = try Self.startSlowSearch(in: directory)
        kill(search.processIdentifier, signal)
        #expect(Self.waitForExit(search, seconds: 20), "tuner search did not stop")
        let stderr = (try? String(contentsOfFile: directory.path + "/err.txt", encoding: .utf8)) ?? ""
        #expect(search.terminationReason == .exit)
        #expect(search.terminationStatus == status, "\(stderr)")
        #expect(stderr.contains("resume"), "\(stderr)")
        usleep(200_000)
        for pid in pids { #expect(Self.isGone(pid), "process \(pid) of the command outlived the search") }

        let store = try SQLiteStudyStorage(path: directory.path + "/tuner.sqlite")
        let study = try store.requireStudy(named: "slow")
        let trials = try store.trials(study: study.id)
        #expect(trials.count == 1)
        let trial = try #require(trials.first)
        #expect(trial.state == .waiting)
        #expect(trial.retries == 0)
        #expect(trial.workerDeaths == 0)

        try directory.write("fast", "")
        let resume = try TunerBinary.run(["search", "slow.yaml", "--quiet"], in: directory.path)
        #expect(resume.status == 0, "\(resume.output)")
        let after = try store.trials(study: study.id)
        #expect(after.count == 3)
        #expect(after.allSatisfy { $0.state == .complete }, "\(after.map(\.state))")
        #expect(after.first { $0.number == trial.number }?.score != nil)
    }

    /// A trial a stop was asked for (from the dashboard) while its command waits is not re-queued by
    /// Ctrl-C, only to be stopped at its first step on resume: it ends PRUNED with its reported step.
    @Test func anInterruptedTrialAskedToStopEndsPruned() throws {
        let directory = try TemporaryDirectory()
        let (search, pids) = try Self.startSlowSearch(in: directory)
        let store = try SQLiteStudyStorage(path: directory.path + "/tuner.sqlite")
        let study = try store.requireStudy(named: "slow")
        let running = try #require(try store.runningTrials(study: study.id).first)
        try store.requestStop(trial: running.id, now: Date().timeIntervalSince1970)
        kill(search.processIdentifier, SIGINT)
        #expect(Self.waitForExit(search, seconds: 20), "tuner search did not stop")
        #expect(search.terminationStatus == 130)
        usleep(200_000)
        for pid in pids { #expect(Self.isGone(pid), "process \(pid) of the command outlived the search") }
        let trial = try store.requireTrial(id: running.id)
        #expect(trial.state == .pruned, "\(trial.state)")
        #expect(try store.metrics(trial: running.id).curves["loss"]?.count == 1)
        #expect(try store.trials(study: study.id, states: [.waiting]).isEmpty)
    }

    @Test func aSecondInterruptExitsAtOnce() throws {
        let directory = try TemporaryDirectory()
        let (search, pids) = try Self.startSlowSearch(in: directory)
        kill(search.processIdentifier, SIGINT)
        usleep(200_000)
        let second = Date()
        kill(search.processIdentifier, SIGINT)
        #expect(Self.waitForExit(search, seconds: 20))
        #expect(Date().timeIntervalSince(second) < 1.5)
        #expect(search.terminationStatus == 130)
        usleep(200_000)
        for pid in pids { #expect(Self.isGone(pid), "process \(pid) of the command outlived the search") }
    }

    /// Item 8 for model trials and for `tuner worker`: a model trial stops at the next batch, and an
    /// interrupted worker puts its trial back like a search does.
    @Test func aModelTrialIsInterruptedInSearchAndInWorker() throws {
        let directory = try TemporaryDirectory()
        try directory.write("data.csv", regressionCSV(rows: 400))
        // An epoch of 300 one-sample batches takes milliseconds in a release build: 300 epochs keep a
        // trial running for seconds, so the signal always lands in the middle of one.
        try directory.write("slow.yaml", modelStudy(name: "slow", trials: 3, epochs: 300, slow: true))
        let storage = directory.path + "/tuner.sqlite"
        func runningTrialWithAnEpoch() -> StoredTrial? {
            guard let store = try? SQLiteStudyStorage(path: storage), let study = try? store.study(named: "slow"),
                  let running = try? store.runningTrials(study: study.id).first,
                  let metrics = try? store.metrics(trial: running.id), !metrics.isEmpty else { return nil }
            return running
        }
        for (arguments, signal, status) in [(["search", "slow.yaml"], SIGINT, Int32(130)),
                                            (["worker", "--study", "slow"], SIGTERM, Int32(143))] {
            let process = try TunerBinary.start(
                arguments, in: directory.path, stdout: directory.path + "/out.txt", stderr: directory.path + "/err.txt")
            var running: StoredTrial?
            for _ in 0..<1200 where running == nil && process.isRunning {
                usleep(50_000)
                running = runningTrialWithAnEpoch()
            }
            let trial = try #require(running, "no trial reached an epoch")
            let sent = Date()
            kill(process.processIdentifier, signal)
            #expect(Self.waitForExit(process, seconds: 30))
            // A batch is a few milliseconds: the trial stops long before its epoch would end.
            #expect(Date().timeIntervalSince(sent) < 10)
            let stderr = (try? String(contentsOfFile: directory.path + "/err.txt", encoding: .utf8)) ?? ""
            #expect(process.terminationStatus == status, "\(arguments): \(stderr)")
            let store = try SQLiteStudyStorage(path: storage)
            let after = try #require(try store.requireTrial(id: trial.id) as StoredTrial?)
            #expect(after.state == .waiting, "\(arguments): \(after.state) \(after.error ?? "")")
            #expect(after.retries == 0 && after.workerDeaths == 0)
            #expect(after.error?.contains("interrupted") == true)
        }
    }

    /// Item 6: a trial whose command kills the worker process is run again while it has retries
    /// left, then FAILED with the number of deaths; the other trials complete.
    @Test func aTrialThatKeepsKillingItsWorkerFailsAfterTheLimit() throws {
        let directory = try TemporaryDirectory()
        try directory.write("deadly.yaml", """
            name: deadly
            objective: { metric: loss, direction: min }
            oracle: { type: random, max_trials: 3, seed: 2, max_retries_per_trial: 1 }
            hyperparameters:
              x: { type: float, min: 0, max: 1 }
            command: { run: 'if [ "$TUNER_TRIAL" = 1 ]; then echo $$ >> killers.txt; kill -KILL $PPID; fi; echo "{\\"loss\\": {x}}"', timeout: 30 }
            """)
        var statuses: [String] = []
        for _ in 0..<2 {
            // One trial at a time: a trial run beside trial 1 would die with the process too.
            let killed = try TunerBinary.run(["search", "deadly.yaml", "--quiet", "--parallel", "1"], in: directory.path)
            statuses.append("\(killed.status)")
        }
        // Each run died with trial 1 (killed by SIGKILL: the status Foundation reports is the signal).
        #expect(statuses == ["9", "9"], "\(statuses)")
        let last = try TunerBinary.run(["search", "deadly.yaml", "--quiet", "--parallel", "1"], in: directory.path)
        #expect(last.status == 0, "\(last.output)")
        let store = try SQLiteStudyStorage(path: directory.path + "/tuner.sqlite")
        let study = try store.requireStudy(named: "deadly")
        let trials = try store.trials(study: study.id)
        #expect(trials.count == 3)
        let deadly = try #require(trials.first { $0.number == 1 })
        #expect(deadly.state == .failed)
        #expect(deadly.workerDeaths == 2)
        #expect(deadly.error?.contains("worker died 2 times while running this trial") == true, "\(deadly.error ?? "")")
        #expect(trials.filter { $0.state == .complete }.count == 2)
        let killers = (try? String(contentsOfFile: directory.path + "/killers.txt", encoding: .utf8)) ?? ""
        #expect(killers.split(separator: "\n").count == 2)
    }
}
