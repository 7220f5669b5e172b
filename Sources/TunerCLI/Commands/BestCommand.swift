import JSONValues
import ArgumentParser
import Foundation
import TunerKit
import Tuning

/// `tuner best NAME`: the best trial's hyperparameters and score; for a study with several objectives, the
/// Pareto front.
struct BestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "best", abstract: "Show the best trials' hyperparameters and scores.",
        discussion: """
            For a study with several objectives, every trial of the Pareto front: the complete, feasible \
            trials that no other is at least as good as on every objective and better on one (--count \
            does not apply). Infeasible trials are never shown as best.
            """)

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
            if results.study.definition.isMultiObjective { return try printParetoFront(results) }
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

    /// Prints the Pareto front of a study with several objectives, one row (or object) per trial.
    private func printParetoFront(_ results: StudySnapshot) throws {
        let front = results.paretoFront
        guard !front.isEmpty else { throw CommandFailure.failed("study \"\(name)\" has no completed feasible trial yet") }
        let objectives = results.study.objectives
        switch output.format {
        case .json:
            let objects: [JSONValue] = front.map { trial in
                let values = trial.values?.objectives ?? []
                var named: [String: JSONValue] = [:]
                for (index, objective) in objectives.enumerated() where index < values.count { named[objective.name] = .number(values[index]) }
                return ["study": .string(name), "trial": .integer(trial.number), "values": .object(named),
                        "hyperparameters": .object(trial.hyperparameters.mapValues(\.plainJSON))]
            }
            print(JSONValue.array(objects).prettyText)
        case .table, .csv:
            var table = Table(columns: ["trial"] + objectives.map(\.description) + results.searchSpace.names, rows: [])
            for trial in front {
                let values = trial.values?.objectives ?? []
                table.rows.append([.integer(trial.number)] + objectives.indices.map { $0 < values.count ? .number(values[$0]) : .empty }
                    + results.searchSpace.names.map { trial.hyperparameters[$0]?.cell ?? .empty })
            }
            print(try table.render(output.format))
        }
    }
}
