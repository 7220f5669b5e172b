import Foundation
import Tuning
import TunerKit

/// Runs a command study's program for a trial: fills `{name}` placeholders (shell-quoted), sets
/// `TUNER_HP_<NAME>` environment variables, runs `/bin/sh -c` in the working folder with a timeout,
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

    /// The shell command line for `values`: a `cd` to the working folder, then `run` with its
    /// placeholders filled.
    public func commandLine(values: [String: HyperParameterValue]) -> String {
        "cd \(CommandTemplate.shellQuoted(command.workdir)) || exit 126\n" + CommandTemplate.fill(command.run, values: values)
    }

    /// Runs the command for the trial's `hp`, reporting steps to `reporter`.
    ///
    /// - Returns: The final metrics, including the objective metric.
    /// - Throws: `CommandTrialError` for a non-zero exit, a signal, a timeout, a missing metric or a
    ///   failed start (with the last lines of stderr); what `reporter.report` throws (`TrialStop`),
    ///   after killing the command.
    public func run(_ hp: HyperParameters, reporter: any TrialReporter) throws -> [String: Double] {
        let values = hp.values
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in command.environment { environment[key] = value }
        for (name, value) in values { environment[Self.environmentName(for: name)] = value.description }
        environment["TUNER_TRIAL"] = String(reporter.trialNumber)
        let line = commandLine(values: values)
        let shown = CommandTemplate.fill(command.run, values: values)
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
        guard metrics[metric] != nil else {
            throw CommandTrialError(reason: .missingMetric(metric), command: shown, stderrTail: outcome.stderrLines)
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
