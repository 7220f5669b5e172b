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
            let store = try openStudyStorage(try storage.existingPath())
            var table = Table(
                columns: ["name", "objective", "direction", "oracle", "trials", "complete", "running", "failed", "pruned", "best"],
                rows: [])
            // Each study is read on its own, so one damaged study is reported without hiding the others.
            var damaged: [String] = []
            for name in try store.studyNames() {
                let results: StudySnapshot
                do {
                    results = try store.snapshot(study: name)
                } catch let error as StoreError {
                    damaged.append(error.description)
                    table.rows.append([.text(name)] + Array(repeating: .empty, count: table.columns.count - 1))
                    continue
                }
                let study = results.study, counts = results.countsByState
                // A study with several objectives lists them all and has no one best score (`tuner best`
                // prints its front).
                let objectives = study.objectives
                table.rows.append([
                    .text(study.name), .text(objectives.map(\.name).joined(separator: ", ")),
                    .text(objectives.map { $0.direction == .maximize ? "max" : "min" }.joined(separator: ", ")),
                    .text(study.oracleKind), .integer(results.trials.count), .integer(counts[.complete] ?? 0),
                    .integer(counts[.running] ?? 0), .integer(counts[.failed] ?? 0), .integer(counts[.pruned] ?? 0),
                    objectives.count > 1 ? .empty : results.bestTrial?.score.map { .number($0) } ?? .empty,
                ])
            }
            print(try table.render(output.format))
            if !damaged.isEmpty { throw CommandFailure.failed(damaged.joined(separator: "\n")) }
        }
    }
}
