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
            case .json: print(try jsonText(["deleted": name, "checkpoints_removed": removed]))
            case .table, .csv: print("Deleted study \"\(name)\" (\(removed) checkpoint file\(removed == 1 ? "" : "s") removed).")
            }
        }
    }
}

/// Pretty, key-sorted JSON text of a JSON object.
func jsonText(_ object: Any) throws -> String {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    return String(decoding: data, as: UTF8.self)
}
