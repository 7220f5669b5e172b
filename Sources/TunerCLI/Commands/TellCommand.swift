import JSONValues
import ArgumentParser
import Foundation
import TunerKit

/// `tuner tell NAME --trial N --value V`: records how an asked trial ended; with only `--step S --value V`
/// pairs, records them and answers whether the study's pruner would stop the trial.
struct TellCommand: ParsableCommand {
    /// The exit status of a report the study's pruner answers with "stop this trial".
    static let shouldPruneExitCode: Int32 = 3

    static let configuration = CommandConfiguration(
        commandName: "tell",
        abstract: "Record the result of a trial started with `tuner ask`, or report a step and ask whether to prune.",
        discussion: """
            --value V alone gives the final objective value and ends the trial. Intermediate values go as \
            pairs: --step 0 --value 0.9 --step 1 --value 0.7. With pairs only (and no --state), the trial keeps \
            RUNNING: the values are recorded and the study's pruner (tuner create --pruner, a study file's \
            pruner:) is asked about the last one, as Optuna's trial.report and trial.should_prune; it prints \
            {"should_prune": true|false, ...} and exits with status 0 when the trial should go on and \
            \(TellCommand.shouldPruneExitCode) when it should stop (end it with --state pruned). A study without \
            a pruner always answers false. One more --value after the pairs is the final value and ends the \
            trial; --state complete with pairs only ends it with the last intermediate value. --state failed \
            (with --reason) or pruned ends it without a value.

            A study with several objectives (tuner create --metric NAME:max --metric NAME:min) is told \
            one final value per objective, in the study's order: --values 0.91 125000 (a negative value as \
            --values=-3.2, or --values repeated). --constraint C (repeatable) gives a constraint value; the \
            trial is feasible when every one is <= 0, as Optuna defines constraints, and an infeasible \
            trial is kept and shown but never best. Intermediate --step/--value pairs are the first \
            objective's; --step S --values V1 V2 ... reports every objective at step S, which the asha \
            pruner needs to judge a study on several objectives (it ranks each rung by non-dominated sorting).
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
    @Option(parsing: .upToNextOption, help: "The final value of each objective, in the study's order.") var values: [Double] = []
    @Option(parsing: .unconditionalSingleValue, help: "A constraint value, <= 0 when satisfied (repeatable).") var constraint: [Double] = []
    @Option(help: "complete, pruned or failed (default: complete when a final value is given).") var state: State?
    @Option(parsing: .unconditional, help: "Why the trial failed (taken as given, even when it starts with -).") var reason: String?
    @OptionGroup var storage: StorageOptions

    func validate() throws {
        if isStepOfEveryObjective { return }
        if !values.isEmpty {
            guard value.count == step.count else {
                throw ValidationError("--values gives every final value; --value then only goes with --step (got \(step.count) steps, \(value.count) values)")
            }
            if let state, state != .complete { throw ValidationError("--values is for a complete trial, not a \(state.rawValue) one") }
            return
        }
        if !constraint.isEmpty && state != nil && state != .complete {
            throw ValidationError("--constraint is for a complete trial, not a \(state?.rawValue ?? "") one")
        }
        guard value.count == step.count || value.count == step.count + 1 else {
            throw ValidationError("give one --value per --step, plus at most one final --value (got \(step.count) steps, \(value.count) values)")
        }
        if state == .complete && value.isEmpty {
            throw ValidationError("a complete trial needs --value")
        }
        if state == nil && value.isEmpty {
            throw ValidationError("give the final --value, --step/--value pairs to report, or --state pruned|failed")
        }
    }

    /// Pairs only and no state: a report, not an end.
    private var isReport: Bool {
        isStepOfEveryObjective || (state == nil && value.count == step.count && values.isEmpty && constraint.isEmpty)
    }

    /// `--step S --values V1 V2 ...` and nothing else: every objective's value at one step.
    private var isStepOfEveryObjective: Bool {
        step.count == 1 && value.isEmpty && !values.isEmpty && state == nil && constraint.isEmpty
    }

    func run() throws {
        if isReport { return try report() }
        try reportingFailures {
            var steps: [Int: Double] = [:]
            for (index, stepNumber) in step.enumerated() { steps[stepNumber] = value[index] }
            // --values, or the value after the pairs, is final; without either, the last intermediate value is.
            let finalValues = values.isEmpty ? value.last.map { [$0] } ?? [] : values
            let outcome = StudyAskTell.Outcome(rawValue: (state ?? .complete).rawValue) ?? .complete
            let told: TrialSnapshot
            do {
                told = try StudyAskTell(storagePath: try storage.existingPath(), study: name)
                    .tell(trial: trial, values: outcome == .complete ? finalValues : [], constraints: constraint, steps: steps,
                          outcome: outcome, reason: reason)
            } catch let error as TunerError {
                throw CommandFailure.usage(error.description)
            }
            var printed: [String: JSONValue] = [
                "study": .string(name), "trial": .integer(told.number), "state": .string(told.state.rawValue),
                "score": .number(told.score),
            ]
            if let told = told.values {
                printed["values"] = .array(told.objectives.map { .number($0) })
                if !told.constraints.isEmpty {
                    printed["constraints"] = .array(told.constraints.map { .number($0) })
                    printed["feasible"] = .bool(told.isFeasible)
                }
            }
            print(JSONValue.object(printed).prettyText)
        }
    }

    /// Records the pairs in order and asks the study's pruner about the last one; exits with
    /// `shouldPruneExitCode` when it says stop.
    private func report() throws {
        var shouldPrune = false
        try reportingFailures {
            do {
                let askTell = StudyAskTell(storagePath: try storage.existingPath(), study: name)
                let pruner = try askTell.studyPruner()
                if isStepOfEveryObjective {
                    shouldPrune = try askTell.report(trial: trial, step: step[0], values: values, pruner: pruner)
                } else {
                    for (index, stepNumber) in step.enumerated() {
                        let isLast = index == step.count - 1
                        shouldPrune = try askTell.report(trial: trial, step: stepNumber, value: value[index], pruner: isLast ? pruner : nil)
                    }
                }
            } catch let error as TunerError {
                throw CommandFailure.usage(error.description)
            }
            print(JSONValue.object([
                "study": .string(name), "trial": .integer(trial), "state": "RUNNING", "step": .integer(step.last ?? 0),
                "should_prune": .bool(shouldPrune),
            ]).prettyText)
        }
        if shouldPrune { throw ExitCode(Self.shouldPruneExitCode) }
    }
}
