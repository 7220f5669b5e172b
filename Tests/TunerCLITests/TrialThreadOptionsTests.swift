import Foundation
import StudyStore
import Testing
import TestSupport

/// `--parallel` and `--blas-threads` on `tuner search` and `tuner worker`: refused below 1 before anything
/// runs, and by default one trial per core.
struct TrialThreadOptionsTests {
    @Test func countsBelowOneAreRefusedBeforeAnythingRuns() throws {
        let directory = try TemporaryDirectory()
        let refusals: [(arguments: [String], message: String)] = [
            (["search", "study.yaml", "--parallel", "0"], "--parallel must be at least 1, got 0"),
            (["worker", "--study", "s", "--parallel", "-3"], "--parallel must be at least 1, got -3"),
            (["search", "study.yaml", "--blas-threads", "0"], "--blas-threads must be at least 1, got 0"),
            (["worker", "--study", "s", "--parallel", "two"], "--parallel"),
        ]
        for refusal in refusals {
            let result = try TunerBinary.run(refusal.arguments, in: directory.path)
            #expect(result.status == 64, "\(refusal.arguments): \(result.output)")
            #expect(result.stderr.contains(refusal.message), "\(refusal.arguments): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path("tuner.sqlite")))
    }

    @Test func theHelpSaysTheDefaultIsOneTrialPerCore() throws {
        let directory = try TemporaryDirectory()
        for command in ["search", "worker"] {
            let help = try TunerBinary.run([command, "--help"], in: directory.path)
            #expect(help.status == 0)
            let cores = ProcessInfo.processInfo.activeProcessorCount
            // The help wraps its lines.
            let words = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(words.contains("Trials to run at once in this process (default: one per core, \(cores) here)"), "\(help.stdout)")
        }
    }

    /// Each trial's command waits (up to 20 s) until as many trials as the machine has cores (at most 3)
    /// have started, so a search that ran one at a time would take the full wait per trial and show one
    /// worker; by default they start together, each on a worker thread of its own.
    @Test func aSearchRunsOneTrialPerCoreByDefault() throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let together = min(cores, 3)
        let directory = try TemporaryDirectory()
        try directory.write("trial.sh", """
            touch "started.$TUNER_TRIAL"
            for i in $(seq 200); do
              [ "$(ls started.* | wc -l)" -ge \(together) ] && break
              sleep 0.1
            done
            echo '{"loss": 1}'
            """)
        try directory.write("together.yaml", """
            name: together
            objective: { metric: loss, direction: min }
            oracle: { type: random, max_trials: \(together), seed: 1 }
            hyperparameters:
              x: { type: float, min: -1, max: 1 }
            command: { run: sh trial.sh, timeout: 60 }
            """)
        let search = try TunerBinary.run(["search", "together.yaml", "--quiet"], in: directory.path)
        #expect(search.status == 0, "\(search.output)")
        let store = try SQLiteStudyStorage(path: directory.path("tuner.sqlite"))
        let trials = try store.trials(study: try store.requireStudy(named: "together").id)
        #expect(trials.count == together)
        #expect(trials.allSatisfy { $0.state == .complete })
        #expect(Set(trials.compactMap(\.worker)).count == together, "workers: \(trials.map { $0.worker ?? "-" })")
    }
}
