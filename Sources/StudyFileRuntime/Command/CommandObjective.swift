import Foundation
import StudyFiles
import TunerKit
import Tuning

/// Runs a command study's program for a trial: sets `TUNER_HP_<NAME>` environment variables, replaces
/// `{name}` placeholders by references to them (so no value is ever parsed as shell code; see
/// `CommandTemplate`), runs `/bin/sh -c` in its own process group in the working folder with a timeout,
/// reports each JSON line with a `step` key as an intermediate result, and returns the final metrics
/// (the last JSON line's numbers, or the `metric_pattern` capture as the objective metric).
///
/// ```swift
/// let objective = CommandObjective(command: study.commandStudy!, metric: study.objective.name).trialObjective
/// ```
public struct CommandObjective: Sendable {
    /// The command settings.
    public var command: CommandStudy
    /// The objective metric's name, which the final metrics must contain.
    public var metric: String

    /// An objective running `command` and reading `metric`.
    public init(command: CommandStudy, metric: String) {
        self.command = command
        self.metric = metric
    }

    /// This objective as a `TrialObjective` for the tuner.
    public var trialObjective: TrialObjective {
        let objective = self
        return { hp, reporter in try objective.run(hp, reporter: reporter) }
    }

    /// The environment variable for a hyperparameter, by the rule shared with `tuner ask --format env`
    /// (`EnvironmentVariableNames`: `learning_rate` → `TUNER_HP_LEARNING_RATE`).
    public static func environmentName(for name: String) -> String {
        EnvironmentVariableNames.variable(for: name)
    }

    /// The shell command line for `values` and the environment variables its placeholders refer to:
    /// a `cd` to the working folder, then `run` with each `{name}` replaced by a reference to the
    /// variable holding its value (`TUNER_HP_<NAME>`; `TUNER_PLACEHOLDER_<n>` for a name whose
    /// variable another hyperparameter shares).
    ///
    /// - Throws: `CommandTemplate.UnsafeValue` for a value that cannot stand in a quoted here-document.
    public func commandLine(
        values: [String: HyperParameterValue]
    ) throws(CommandTemplate.UnsafeValue) -> (line: String, variables: [String: String]) {
        let names = Set(values.keys).union(CommandTemplate.placeholders(in: command.run)).sorted()
        var owners: [String: Int] = [:]
        for name in names { owners[Self.environmentName(for: name), default: 0] += 1 }
        var variableOf: [String: String] = [:]
        var variables: [String: String] = [:]
        for (offset, name) in names.enumerated() {
            let shared = Self.environmentName(for: name)
            let variable = owners[shared] == 1 ? shared : "TUNER_PLACEHOLDER_\(offset)"
            variableOf[name] = variable
            // A placeholder without a value gets an empty variable, never one inherited from the tuner's environment.
            variables[variable] = values[name]?.description ?? ""
        }
        let run = try CommandTemplate.referencing(command.run, values: values) { variableOf[$0] ?? Self.environmentName(for: $0) }
        return ("cd \(ShellQuoting.word(command.workdir)) || exit 126\n" + run, variables)
    }

    /// Runs the command for the trial's `hp`, reporting steps to `reporter`.
    ///
    /// - Returns: The final metrics, including the objective metric.
    /// - Throws: `CommandTrialError` for a non-zero exit, a signal, a timeout, a missing metric or a
    ///   failed start, a value that is not finite (with the last lines of stderr); what
    ///   `reporter.report` throws (`TrialStop`), after killing the command; `TrialStop.interrupted`
    ///   when the search is interrupted (after its process group has ended).
    public func run(_ hp: HyperParameters, reporter: any TrialReporter) throws -> [String: Double] {
        let values = hp.values
        let shown = CommandTemplate.fill(command.run, values: values)
        let line: String
        let variables: [String: String]
        do {
            (line, variables) = try commandLine(values: values)
        } catch {
            throw CommandTrialError(reason: .unsafeValue(error.description), command: shown, stderrTail: [])
        }
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in command.environment { environment[key] = value }
        for (key, value) in variables { environment[key] = value }
        environment["TUNER_TRIAL"] = String(reporter.trialNumber)
        let process = ShellProcess(command: line, environment: environment, timeout: command.timeout)
        var lastJSON: [String: Double]?
        let outcome: ShellProcess.Outcome
        do {
            outcome = try process.run { text in
                guard var object = CommandOutput.jsonObject(text) else { return }
                lastJSON = object
                if let step = object.removeValue(forKey: "step"), step.isFinite, step >= 0, !object.isEmpty {
                    try reporter.report(step: Int(step), metrics: object)
                }
            }
        } catch var error as CommandTrialError {
            error.command = shown
            throw error
        }
        switch outcome.termination {
        case .exited(0): break
        case .exited(let status):
            throw CommandTrialError(reason: .exitStatus(status), command: shown, stderrTail: outcome.stderrLines)
        case .signaled(let signal):
            throw CommandTrialError(reason: .signal(signal), command: shown, stderrTail: outcome.stderrLines)
        case .timedOut:
            throw CommandTrialError(reason: .timeout(command.timeout ?? 0), command: shown, stderrTail: outcome.stderrLines)
        }
        var metrics = lastJSON ?? [:]
        metrics.removeValue(forKey: "step")
        if let pattern = command.metricPattern {
            if let value = CommandOutput.lastCapturedNumber(pattern: pattern, in: outcome.stdout) {
                metrics[metric] = value
            } else {
                metrics.removeValue(forKey: metric)
            }
        }
        guard let value = metrics[metric] else {
            throw CommandTrialError(reason: .missingMetric(metric), command: shown, stderrTail: outcome.stderrLines)
        }
        guard value.isFinite else {
            throw CommandTrialError(reason: .nonFiniteMetric(metric, value), command: shown, stderrTail: outcome.stderrLines)
        }
        return metrics
    }
}

extension StudyFile {
    /// The trial objective of a command study, or `nil` for a model study.
    public var commandObjective: CommandObjective? {
        commandStudy.map { CommandObjective(command: $0, metric: objective.name) }
    }
}
