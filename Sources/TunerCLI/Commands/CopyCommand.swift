import ArgumentParser
import Foundation
import TunerKit

/// `tuner copy SOURCE DESTINATION [--study NAME]...`: copies studies between two storages, with their
/// trials, curves, oracle state, study file and checkpoints, so a search continues in the destination.
struct CopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy studies from one storage to another (trials, curves, oracle state, checkpoints).")

    @Argument(help: "The storage to copy from (an existing study file, or postgresql://...).") var source: String
    @Argument(help: "The storage to copy into (a file, created when missing, or postgresql://...).") var destination: String
    @Option(name: .customLong("study"), help: "A study to copy (repeat for several; default: every study).")
    var studies: [String] = []
    @Flag(help: "Replace studies of the same name in the destination.") var replace = false

    func run() throws {
        try reportingFailures {
            guard PostgresLocation.isConnectionString(source) || FileManager.default.fileExists(atPath: source) else {
                throw CommandFailure.usage("no study storage at \(displayedStorageLocation(source)); give the path of an existing study file "
                    + "or a postgresql:// connection string")
            }
            let result: StudyCopy.Result
            do {
                result = try StudyCopy.copy(from: source, to: destination, studies: studies.isEmpty ? nil : studies,
                                            replacing: replace)
            } catch let error as TunerError {
                throw CommandFailure.usage(error.description)
            } catch StoreError.studyExists(let name) {
                throw CommandFailure.usage("\(displayedStorageLocation(destination)) already has a study named \"\(name)\"; "
                    + "pass --replace to replace it, or copy other studies with --study NAME")
            }
            let names = result.studies.map { "\"\($0)\"" }.joined(separator: ", ")
            print("Copied \(result.studies.count) stud\(result.studies.count == 1 ? "y" : "ies") (\(names)) with "
                + "\(result.trials) trials, \(result.metricValues) metric values and \(result.checkpoints) checkpoints "
                + "to \(displayedStorageLocation(destination)).")
        }
    }
}
