import ArgumentParser
import Foundation
import StudyStore

/// Where the studies are: `--storage`, else `$TUNER_STORAGE`, else `tuner.sqlite` here.
struct StorageOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite file holding the studies, or a PostgreSQL connection string postgresql://USER:PASSWORD@HOST:PORT/DATABASE (default: $TUNER_STORAGE, else tuner.sqlite).")
    var storage: String?

    /// An empty path would make SQLite open a private temporary database: a study "created" there is
    /// gone when the command ends, so an empty `--storage` or `TUNER_STORAGE` is refused.
    func validate() throws {
        if let storage, storage.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--storage is empty; give the path of the study database, e.g. --storage tuner.sqlite")
        }
        if storage == nil, let variable = ProcessInfo.processInfo.environment["TUNER_STORAGE"],
           variable.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("TUNER_STORAGE is set but empty; set it to the path of the study database "
                + "(e.g. TUNER_STORAGE=tuner.sqlite), unset it to use tuner.sqlite here, or pass --storage PATH")
        }
    }

    /// The resolved path.
    var path: String {
        storage ?? ProcessInfo.processInfo.environment["TUNER_STORAGE"] ?? "tuner.sqlite"
    }

    /// The path, checked to exist: commands that read studies must not create an empty file by accident.
    /// A PostgreSQL connection string passes unchanged (the server says whether the database exists).
    func existingPath() throws -> String {
        let path = self.path
        guard PostgresLocation.isConnectionString(path) || FileManager.default.fileExists(atPath: path) else {
            throw CommandFailure.usage("no study storage at \(displayedStorageLocation(path)); give --storage PATH or set TUNER_STORAGE")
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
