import JSONValues
import ArgumentParser
import Foundation
import TunerKit

/// `tuner delete NAME`: removes a study, its trials, metrics and checkpoint files.
struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a study and its checkpoints.")

    @Argument(help: "The study's name.") var name: String
    @OptionGroup var storage: StorageOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
        try reportingFailures {
            let removed = try StudyDeletion.delete(study: name, storagePath: try storage.existingPath())
            switch output.format {
            case .json: print(JSONValue.object(["deleted": .string(name), "checkpoints_removed": .integer(removed)]).prettyText)
            case .table, .csv: print("Deleted study \"\(name)\" (\(removed) checkpoint file\(removed == 1 ? "" : "s") removed).")
            }
        }
    }
}
