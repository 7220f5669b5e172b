import ArgumentParser
import StudyStore
import TunerKit

/// `tuner studies`: every study in the storage with its trials by state and best score.
struct StudiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "studies", abstract: "List the stored studies.")

    @OptionGroup var storage: StorageOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
        try reportingFailures {
            let store = try StudyStore(path: try storage.existingPath())
            var table = Table(
                columns: ["name", "objective", "direction", "oracle", "trials", "complete", "running", "failed", "pruned", "best"],
                rows: [])
            for study in try store.studies() {
                let results = try StudyOracle.load(store: store, study: study.name)
                let counts = results.countsByState
                table.rows.append([
                    .text(study.name), .text(study.study.objectiveName), .text(study.study.direction.rawValue),
                    .text(study.study.oracleKind), .integer(results.trials.count), .integer(counts[.complete] ?? 0),
                    .integer(counts[.running] ?? 0), .integer(counts[.failed] ?? 0), .integer(counts[.pruned] ?? 0),
                    results.bestTrial?.score.map { .number($0) } ?? .empty,
                ])
            }
            print(try table.render(output.format))
        }
    }
}
