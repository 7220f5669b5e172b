import JSONValues
import ArgumentParser
import Foundation
import TunerKit

/// `tuner tell NAME --trial N --value V`: records how an asked trial ended.
struct TellCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tell",
        abstract: "Record the result of a trial started with `tuner ask`.",
        discussion: """
            --value V alone gives the final objective value. Intermediate values go as pairs: \
            --step 0 --value 0.9 --step 1 --value 0.7; one more --value after the pairs is the final value, \
            otherwise the last intermediate value is. --state failed (with --reason) or pruned ends it without a value.
            """)

    enum State: String, ExpressibleByArgument, CaseIterable {
        case complete
        case pruned
        case failed
    }

    @Argument(help: "The study's name.") var name: String
    // Numbers are taken as given even when they start with '-' (`--value -3.2`, a log-likelihood):
    // by default the parser would read a negative number as an unknown option.
    @Option(parsing: .unconditional, help: "The trial number `tuner ask` printed.") var trial: Int
    @Option(parsing: .unconditionalSingleValue, help: "An objective value (repeatable, see above).") var value: [Double] = []
    @Option(parsing: .unconditionalSingleValue, help: "The step of the --value at the same position (repeatable).") var step: [Int] = []
    @Option(help: "complete, pruned or failed.") var state: State = .complete
    @Option(parsing: .unconditional, help: "Why the trial failed (taken as given, even when it starts with -).") var reason: String?
    @OptionGroup var storage: StorageOptions

    func validate() throws {
        guard value.count == step.count || value.count == step.count + 1 else {
            throw ValidationError("give one --value per --step, plus at most one final --value (got \(step.count) steps, \(value.count) values)")
        }
        if state == .complete && value.isEmpty {
            throw ValidationError("a complete trial needs --value")
        }
    }

    func run() throws {
        try reportingFailures {
            var steps: [Int: Double] = [:]
            for (index, stepNumber) in step.enumerated() { steps[stepNumber] = value[index] }
            // The value after the pairs is the final one; without it, the last intermediate value is.
            let final = value.last
            let outcome = StudyAskTell.Outcome(rawValue: state.rawValue) ?? .complete
            let told: TrialSnapshot
            do {
                told = try StudyAskTell(storagePath: try storage.existingPath(), study: name)
                    .tell(trial: trial, value: state == .complete ? final : nil, steps: steps, outcome: outcome, reason: reason)
            } catch let error as TunerError {
                throw CommandFailure.usage(error.description)
            }
            print(JSONValue.object([
                "study": .string(name), "trial": .integer(told.number), "state": .string(told.state.rawValue),
                "score": .number(told.score),
            ]).prettyText)
        }
    }
}
