import JSONValues
import ArgumentParser
import Foundation
import TunerKit
import Tuning

/// `tuner best NAME`: the best trial's hyperparameters and score.
struct BestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "best", abstract: "Show the best trials' hyperparameters and scores.")

    @Argument(help: "The study's name.") var name: String
    @Option(parsing: .unconditional, help: "How many of the best trials.") var count: Int = 1
    @OptionGroup var storage: StorageOptions
    @OptionGroup var output: FormatOptions

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
    }

    func run() throws {
        try reportingFailures {
            let results = try StudySnapshot.load(storagePath: try storage.existingPath(), study: name)
            let best = results.bestTrials(count)
            guard !best.isEmpty else { throw CommandFailure.failed("study \"\(name)\" has no completed trial yet") }
            switch output.format {
            case .json:
                let objects: [JSONValue] = best.map { trial in
                    ["study": .string(name), "trial": .integer(trial.number), "score": .number(trial.score),
                     "objective": .string(results.objective.name),
                     "hyperparameters": .object(trial.hyperparameters.mapValues(\.plainJSON))]
                }
                print((count == 1 ? objects[0] : .array(objects)).prettyText)
            case .table, .csv:
                var table = Table(columns: ["trial", results.objective.name] + results.searchSpace.names, rows: [])
                for trial in best {
                    table.rows.append([.integer(trial.number), trial.score.map { .number($0) } ?? .empty]
                        + results.searchSpace.names.map { trial.hyperparameters[$0]?.cell ?? .empty })
                }
                print(try table.render(output.format))
            }
        }
    }
}
