import JSONValues
import ArgumentParser
import Foundation
import TunerKit
import Tuning

/// `tuner ask NAME`: hands the next trial to an outside program.
struct AskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Start the next trial of a study and print its hyperparameters.",
        discussion: """
            Prints {"study": NAME, "trial": N, "hyperparameters": {...}}; when nothing can start it prints \
            {"study": NAME, "status": "wait"} (Hyperband between rounds) or {"study": NAME, "status": \
            "search_is_over"}. With --format env it prints shell assignments instead: TUNER_STATUS, \
            TUNER_TRIAL and TUNER_HP_<NAME> for each value (the name upper-cased, other ASCII characters as _, \
            other characters as _U<code point>, as in command studies). End the trial with `tuner tell`.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json
        case env
    }

    @Argument(help: "The study's name.") var name: String
    @OptionGroup var storage: StorageOptions
    @Option(help: "json (default) or env.") var format: Format = .json

    func run() throws {
        try reportingFailures {
            if format == .env { try checkVariableNames() }
            let result = try StudyAskTell(storagePath: try storage.existingPath(), study: name).ask()
            switch (result, format) {
            case (.trial(let asked), .json):
                var object: [String: JSONValue] = [
                    "study": .string(name), "trial": .integer(asked.trial),
                    "hyperparameters": .object(asked.hyperparameters.mapValues(\.plainJSON)),
                ]
                if let hyperband = asked.hyperband {
                    object["hyperband"] = [
                        "epochs": .integer(hyperband.epochs), "initial_epoch": .integer(hyperband.initialEpoch),
                        "parent_trial": hyperband.parentTrialID.map(JSONValue.integer) ?? .null,
                    ]
                }
                print(JSONValue.object(object).prettyText)
            case (.trial(let asked), .env):
                print("TUNER_STATUS=run")
                print("TUNER_TRIAL=\(asked.trial)")
                for (key, value) in asked.hyperparameters.sorted(by: { $0.key < $1.key }) {
                    print("\(EnvironmentVariableNames.variable(for: key))=\(ShellQuoting.word("\(value)"))")
                }
            case (.waitForRunningTrials, .json): print(JSONValue.object(["study": .string(name), "status": "wait"]).prettyText)
            case (.searchIsOver, .json): print(JSONValue.object(["study": .string(name), "status": "search_is_over"]).prettyText)
            case (.waitForRunningTrials, .env): print("TUNER_STATUS=wait")
            case (.searchIsOver, .env): print("TUNER_STATUS=search_is_over")
            }
        }
    }

    /// Refuses, before a trial is started, a study whose hyperparameter names give the same variable
    /// (stored before such spaces were refused at creation): the program would read one value for both.
    private func checkVariableNames() throws {
        let space = try StudyAskTell(storagePath: try storage.existingPath(), study: name).searchSpace()
        if let collision = EnvironmentVariableNames.collisions(in: space.names).first {
            throw CommandFailure.usage("study \"\(name)\" cannot be asked with --format env: \(collision.description) "
                + "(or use --format json, which keeps the names as they are)")
        }
    }
}
