import Foundation
import StudyStore
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `--heartbeat-interval` and `--stale-after` on `tuner worker` and `tuner search`: refused out of range
/// before anything runs, and in force when given (a stopped worker's trial is settled after the
/// given limit, not the default 60 s).
@Suite(.serialized) struct HeartbeatOptionsTests {
    @Test func outOfRangeValuesAreRefusedBeforeAnythingRuns() throws {
        let directory = try TemporaryDirectory()
        let refusals: [(arguments: [String], message: String)] = [
            (["worker", "--study", "s", "--heartbeat-interval", "0"],
             "--heartbeat-interval must be a number of seconds from 0.1 to 604800, got 0"),
            (["worker", "--study", "s", "--heartbeat-interval", "-2"],
             "--heartbeat-interval must be a number of seconds from 0.1 to 604800, got -2"),
            (["worker", "--study", "s", "--heartbeat-interval", "inf"],
             "--heartbeat-interval must be a number of seconds from 0.1 to 604800, got inf"),
            (["worker", "--study", "s", "--stale-after", "-1"],
             "--stale-after must be a positive number of seconds up to 604800, got -1"),
            (["worker", "--study", "s", "--stale-after", "nan"],
             "--stale-after must be a positive number of seconds up to 604800, got nan"),
            (["worker", "--study", "s", "--heartbeat-interval", "2", "--stale-after", "2"],
             "--stale-after (2 s) must be more than --heartbeat-interval (2 s)"),
            (["worker", "--study", "s", "--heartbeat-interval", "1.5", "--stale-after", "0.5"],
             "--stale-after (0.5 s) must be more than --heartbeat-interval (1.5 s)"),
            (["worker", "--study", "s", "--heartbeat-interval", "90"],
             "the default --stale-after (60 s) must be more than --heartbeat-interval (90 s)"),
            (["search", "study.yaml", "--stale-after", "3"],
             "--stale-after (3 s) must be more than the default --heartbeat-interval (5 s)"),
            (["search", "study.yaml", "--stale-after", "soon"], "--stale-after"),
        ]
        for refusal in refusals {
            let result = try TunerBinary.run(refusal.arguments, in: directory.path)
            #expect(result.status == 64, "\(refusal.arguments): \(result.output)")
            #expect(result.stderr.contains(refusal.message), "\(refusal.arguments): \(result.stderr)")
        }
        // Refused before any storage was opened or made.
        #expect(!FileManager.default.fileExists(atPath: directory.path("tuner.sqlite")))
    }

    @Test func aStoppedWorkersTrialIsSettledAfterTheGivenStaleLimit() throws {
        let directory = try TemporaryDirectory()
        // Trial 1 runs for a long time; trial 2 at once.
        try directory.write("trial.sh", """
            if [ "$TUNER_TRIAL" = 1 ]; then sleep 30; fi
            echo '{"loss": 1}'
            """)
        try directory.write("stale.yaml", """
            name: stale
            objective: { metric: loss, direction: min }
            oracle: { type: random, max_trials: 2, seed: 1 }
            hyperparameters:
              x: { type: float, min: -1, max: 1 }
            command: { run: sh trial.sh, timeout: 60 }
            """)
        let storage = directory.path("tuner.sqlite")
        // The first process starts trial 1 with the default heartbeats (every 5 s), then is stopped:
        // alive on this host (so not "exited"), but silent.
        // One trial at a time: with one per core it would also start trial 2, which a loaded machine may
        // not finish before the stop, leaving it too for the second worker to settle as failed.
        let first = try TunerBinary.start(["search", "stale.yaml", "--quiet", "--parallel", "1"], in: directory.path,
                                          stdout: directory.path("first.out"), stderr: directory.path("first.err"))
        // However the test ends: SIGTERM ends the trial's command too, SIGCONT lets the process see it.
        defer { end(first) }
        var running = false
        for _ in 0..<600 where !running {
            usleep(50_000)
            running = (try? trialStates(storage, study: "stale"))?[1] == "RUNNING"
        }
        try #require(running, "trial 1 never started: \((try? String(contentsOfFile: directory.path("first.err"), encoding: .utf8)) ?? "")")
        // Well inside the command and before its first heartbeat, so it holds no lock.
        usleep(500_000)
        kill(first.processIdentifier, SIGSTOP)

        // A second worker with a 1 s limit settles trial 1 and runs trial 2; with the default 60 s it
        // would still be waiting when this test gives up.
        let start = Date()
        let second = try TunerBinary.start(["worker", "--study", "stale", "--quiet", "--heartbeat-interval", "0.2", "--stale-after", "1"],
                                           in: directory.path, stdout: directory.path("second.out"), stderr: directory.path("second.err"))
        while second.isRunning && Date().timeIntervalSince(start) < 40 { usleep(50_000) }
        if second.isRunning {
            kill(second.processIdentifier, SIGKILL)
            second.waitUntilExit()
            Issue.record("the worker with --stale-after 1 did not settle the stopped worker's trial within 40 s")
            return
        }
        let errors = (try? String(contentsOfFile: directory.path("second.err"), encoding: .utf8)) ?? ""
        #expect(second.terminationStatus == 0, "\(errors)")

        let store = try SQLiteStudyStorage(path: storage)
        let study = try #require(try store.study(named: "stale"))
        let trials = try store.trials(study: study.id)
        let abandoned = try #require(trials.first { $0.number == 1 })
        #expect(abandoned.state == .failed)
        #expect(abandoned.error?.contains("worker died 1 time while running this trial") == true, "\(abandoned.error ?? "")")
        #expect(abandoned.error?.contains("(limit 1 s)") == true, "\(abandoned.error ?? "")")
        #expect(trials.first { $0.number == 2 }?.state == .complete, "\(trials.map { "\($0.number) \($0.state)" })")

        // The stopped worker, woken and stopped, leaves the settled trial as it is.
        end(first)
        let after = try #require(try store.trials(study: study.id).first { $0.number == 1 })
        #expect(after == abandoned)
    }

    /// Ends a `tuner` process that may be stopped: SIGTERM and SIGCONT, SIGKILL if it is still there 10 s later.
    private func end(_ process: Process) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        kill(process.processIdentifier, SIGCONT)
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Each trial's state by number.
    private func trialStates(_ path: String, study: String) throws -> [Int: String] {
        let store = try SQLiteStudyStorage(path: path)
        guard let record = try store.study(named: study) else { return [:] }
        return Dictionary(uniqueKeysWithValues: try store.trials(study: record.id).map { ($0.number, $0.state.rawValue) })
    }
}
