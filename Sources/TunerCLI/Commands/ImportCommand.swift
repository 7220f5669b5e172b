import ArgumentParser
import Foundation
import Reports
import StudyStore

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
                throw CommandFailure.usage("cannot read \(file)")
            }
            let store = try StudyStore(path: storage.path)
            let result: StudyImporter.Result
            do {
                result = try StudyImporter(store: store).importStudy(from: data, replacing: replace)
            } catch {
                throw CommandFailure.usage("\(file): \(error)")
            }
            print("Imported \(result)")
        }
    }
}
