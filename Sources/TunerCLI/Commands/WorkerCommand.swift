import ArgumentParser
import Foundation
import Neural
import TunerKit

/// `tuner worker --study NAME`: joins a stored study from another process or terminal.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Work on a stored study (made by `tuner search`) until its search is over.",
        discussion: "Several workers, in several terminals or on the same storage file, share the study's trials.")

    @Option(help: "The study's name.") var study: String
    @OptionGroup var storage: StorageOptions
    @Option(parsing: .unconditional, help: "Trials to run at once in this process.") var parallel: Int = 1
    @Flag(help: "Print nothing but errors.") var quiet = false
    @Option(name: .customLong("blas-threads"), parsing: .unconditional, help: "OpenBLAS threads per trial (1 is fastest for these models on small batches).")
    var blasThreads: Int = 1
    @OptionGroup var heartbeat: HeartbeatOptions

    func validate() throws {
        guard parallel >= 1 else { throw ValidationError("--parallel must be at least 1") }
        guard blasThreads >= 1 else { throw ValidationError("--blas-threads must be at least 1") }
    }

    func run() throws {
        try reportingFailures {
            BLAS.setThreadCount(blasThreads)
            let path = try storage.existingPath()
            guard let source = try StudySource.stored(study: study, storagePath: path) else {
                throw CommandFailure.usage(
                    "study \"\(study)\" was not made from a study file (tuner create / the library), so a worker cannot run its trials; use tuner ask / tell")
            }
            let file = try StudyExecution.parse(source)
            var options = SearchOptions(parallelTrials: parallel, verbosity: quiet ? .silent : .trials)
            heartbeat.apply(to: &options)
            try StudyExecution(file: file, source: source, storagePath: path, options: options).run(overwrite: false, maxTrials: nil)
        }
    }
}
