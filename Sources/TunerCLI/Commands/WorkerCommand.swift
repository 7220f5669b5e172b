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
    @OptionGroup var threads: TrialThreadOptions
    @Flag(help: "Print nothing but errors.") var quiet = false
    @OptionGroup var heartbeat: HeartbeatOptions
    @Option(name: .customLong("tensorboard"),
            help: ArgumentHelp("A TensorBoard log folder for the trials this worker runs (trial_<n>); wins over the study file's tensorboard key.", valueName: "folder"))
    var tensorBoard: String?

    func validate() throws {
        if let tensorBoard, tensorBoard.isEmpty { throw ValidationError("--tensorboard needs a folder path") }
    }

    func run() throws {
        try reportingFailures {
            let path = try storage.existingPath()
            guard let source = try StudySource.stored(study: study, storagePath: path) else {
                throw CommandFailure.usage(
                    "study \"\(study)\" was not made from a study file (tuner create / the library), so a worker cannot run its trials; use tuner ask / tell")
            }
            let file = try StudyExecution.parse(source)
            var options = SearchOptions(verbosity: quiet ? .silent : .trials)
            threads.apply(to: &options)
            heartbeat.apply(to: &options)
            options.tensorBoard = tensorBoard
            try StudyExecution(file: file, source: source, storagePath: path, options: options).run(overwrite: false, maxTrials: nil)
        }
    }
}
