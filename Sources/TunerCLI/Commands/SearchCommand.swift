import ArgumentParser
import Foundation
import Neural
import TunerKit

/// `tuner search STUDY.yaml`: runs a study file; running it again resumes it.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Run a study file (running it again resumes the stored study).",
        discussion: "The file is validated before anything runs; every problem is reported with its file, line and key.")

    @Argument(help: "The study file (YAML).") var studyFile: String
    @OptionGroup var storage: StorageOptions
    @Flag(help: "Delete the stored study of the same name first and start again.") var overwrite = false
    @Option(name: .customLong("max-trials"), parsing: .unconditional, help: "A new trial budget, to extend a finished study.") var maxTrials: Int?
    @Option(parsing: .unconditional, help: "Trials to run at once in this process.") var parallel: Int = 1
    @Flag(help: "Print nothing but errors.") var quiet = false
    @Option(name: .customLong("blas-threads"), parsing: .unconditional, help: "OpenBLAS threads per trial (1 is fastest for these models on small batches).")
    var blasThreads: Int = 1
    @Flag(help: "Print a line per epoch.") var epochs = false
    @OptionGroup var heartbeat: HeartbeatOptions

    func validate() throws {
        guard parallel >= 1 else { throw ValidationError("--parallel must be at least 1") }
        guard blasThreads >= 1 else { throw ValidationError("--blas-threads must be at least 1") }
        if let maxTrials, maxTrials < 1 { throw ValidationError("--max-trials must be at least 1") }
    }

    func run() throws {
        try reportingFailures {
            BLAS.setThreadCount(blasThreads)
            let (file, source) = try StudyExecution.load(path: studyFile)
            var options = SearchOptions(parallelTrials: parallel, verbosity: quiet ? .silent : (epochs ? .epochs : .trials))
            heartbeat.apply(to: &options)
            try StudyExecution(file: file, source: source, storagePath: storage.path, options: options)
                .run(overwrite: overwrite, maxTrials: maxTrials)
            if !quiet { print("\nStudy \"\(file.name)\" is stored in \(displayedStorageLocation(storage.path)); `tuner summary \(file.name)` shows the best trials.") }
        }
    }
}
