import ArgumentParser
import Foundation

/// Where the studies are: `--storage`, else `$TUNER_STORAGE`, else `tuner.sqlite` here.
struct StorageOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite file holding the studies (default: $TUNER_STORAGE, else tuner.sqlite).")
    var storage: String?

    /// The resolved path.
    var path: String {
        storage ?? ProcessInfo.processInfo.environment["TUNER_STORAGE"] ?? "tuner.sqlite"
    }

    /// The path, checked to exist: commands that read studies must not create an empty file by accident.
    func existingPath() throws -> String {
        let path = self.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandFailure.usage("no study storage at \(path); give --storage PATH or set TUNER_STORAGE")
        }
        return path
    }
}

/// How listing commands print.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
    case csv
}

/// `--format table|json|csv`.
struct FormatOptions: ParsableArguments {
    @Option(help: "Output format: table, json or csv.")
    var format: OutputFormat = .table
}
