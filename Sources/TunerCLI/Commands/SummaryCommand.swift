import ArgumentParser
import Foundation
import TunerKit

/// `tuner summary NAME`: Keras Tuner's results summary.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary", abstract: "Print the results summary (the best trials), as Keras Tuner does.")

    @Argument(help: "The study's name.") var name: String
    @Option(parsing: .unconditional, help: "How many of the best trials.") var count: Int = 10
    @OptionGroup var storage: StorageOptions
    @OptionGroup var output: FormatOptions

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
    }

    func run() throws {
        try reportingFailures {
            let results = try StudySnapshot.load(storagePath: try storage.existingPath(), study: name)
            switch output.format {
            case .table:
                print(results.searchSpace.summary())
                print("")
                print(results.resultsSummary(count))
            case .json, .csv:
                var trimmed = TrialsCommand.table(results)
                let best = Set(results.bestTrials(count).map(\.number))
                trimmed.rows = trimmed.rows.filter { row in
                    if case .integer(let number) = row[0] { return best.contains(number) }
                    return false
                }
                print(try trimmed.render(output.format))
            }
        }
    }
}
