import ArgumentParser
import Foundation
import TunerKit
import Tuning

/// `tuner trials NAME`: every trial of a study with its hyperparameters, score, time and error.
struct TrialsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "trials", abstract: "List a study's trials.")

    @Argument(help: "The study's name.") var name: String
    @OptionGroup var storage: StorageOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
        try reportingFailures {
            let results = try StudySnapshot.load(storagePath: try storage.existingPath(), study: name)
            print(try Self.table(results).render(output.format))
        }
    }

    static func table(_ results: StudySnapshot) -> Table {
        let names = results.searchSpace.names + Set(results.trials.flatMap(\.hyperparameters.keys)).subtracting(results.searchSpace.names).sorted()
        // A study with several objectives shows each one's value; a constrained study whether each trial
        // is feasible (a trial told constraint values in a study that declares none counts too).
        let objectives = results.study.objectives
        let valueColumns = objectives.count > 1 ? objectives.map(\.name) : ["score"]
        let showsFeasibility = !results.study.constraints.isEmpty || results.trials.contains { !($0.values?.constraints.isEmpty ?? true) }
        var table = Table(columns: ["trial", "state"] + names + valueColumns + (showsFeasibility ? ["feasible"] : [])
                          + ["epochs", "seconds", "error"], rows: [])
        for trial in results.trials {
            var row: [Table.Cell] = [.integer(trial.number), .text(trial.state.rawValue)]
            row += names.map { trial.hyperparameters[$0]?.cell ?? .empty }
            if objectives.count > 1 {
                let values = trial.values?.objectives ?? []
                row += objectives.indices.map { $0 < values.count ? .number(values[$0]) : .empty }
            } else {
                row.append(trial.score.map { .number($0) } ?? .empty)
            }
            if showsFeasibility {
                row.append(trial.state == .complete ? .text(trial.isFeasible ? "yes" : "no") : .empty)
            }
            row.append(.integer(trial.metrics.values(results.objective.name).count))
            row.append(trial.duration.map { .number(($0 * 10).rounded() / 10) } ?? .empty)
            row.append(trial.failureReason.map { .text($0) } ?? .empty)
            table.rows.append(row)
        }
        return table
    }
}
