import ArgumentParser
import Foundation
import Reports
import StudyStore
import TunerKit

/// `tuner import FILE.json`: restores a study exported with `tuner export --format json`.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Restore a study from its JSON export into the storage.")

    @Argument(help: "The JSON file written by `tuner export --format json`.") var file: String
    @Flag(help: "Replace a stored study of the same name.") var replace = false
    @OptionGroup var storage: StorageOptions

    func run() throws {
        try reportingFailures {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandFailure.usage("cannot read \(file): "
                    + (FileManager.default.fileExists(atPath: file) ? "it is not a readable file" : "no such file"))
            }
            let store = try openStudyStorage(storage.path)
            let existed = (try? StudyImporter(store: store).validate(data)).flatMap { try? store.study(named: $0) } != nil
            let result: StudyImporter.Result
            do {
                result = try StudyImporter(store: store).importStudy(from: data, replacing: replace)
            } catch {
                throw CommandFailure.usage("\(file): \(error)")
            }
            let removed = StudyDeletion.removeCheckpointFiles(
                result.replacedCheckpointPaths, study: result.study.name, storagePath: storage.path)
            let trials = "\(result.trialCount) trial\(result.trialCount == 1 ? "" : "s")"
            let files = "\(removed) checkpoint file\(removed == 1 ? "" : "s")"
            let replaced = existed ? " (replacing the stored study; \(files) removed)" : ""
            print("Imported study \"\(result.study.name)\" with \(trials) into \(displayedStorageLocation(storage.path))\(replaced).")
        }
    }
}
