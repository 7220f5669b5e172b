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
    @OptionGroup var threads: TrialThreadOptions
    @Flag(help: "Print nothing but errors.") var quiet = false
    @Flag(help: "Print a line per epoch.") var epochs = false
    @OptionGroup var heartbeat: HeartbeatOptions
    @Option(name: .customLong("tensorboard"),
            help: ArgumentHelp("A TensorBoard log folder: each trial becomes a run there (trial_<n>) with its hyperparameters, curves and score for the HParams tab; wins over the study file's tensorboard key.", valueName: "folder"))
    var tensorBoard: String?

    func validate() throws {
        if let tensorBoard, tensorBoard.isEmpty { throw ValidationError("--tensorboard needs a folder path") }
        if let maxTrials, maxTrials < 1 { throw ValidationError("--max-trials must be at least 1") }
    }

    func run() throws {
        try reportingFailures {
            let (file, source) = try StudyExecution.load(path: studyFile)
            var options = SearchOptions(verbosity: quiet ? .silent : (epochs ? .epochs : .trials))
            threads.apply(to: &options)
            heartbeat.apply(to: &options)
            options.tensorBoard = tensorBoard
            try StudyExecution(file: file, source: source, storagePath: storage.path, options: options)
                .run(overwrite: overwrite, maxTrials: maxTrials)
            if !quiet { print("\nStudy \"\(file.name)\" is stored in \(displayedStorageLocation(storage.path)); `tuner \(file.objectives.count > 1 ? "best" : "summary") \(file.name)` shows \(file.objectives.count > 1 ? "its Pareto front" : "the best trials").") }
        }
    }
}
