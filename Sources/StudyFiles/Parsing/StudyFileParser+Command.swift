import Foundation
import Tuning

extension StudyFileParser {
    /// The `command` section of a command study.
    func parseCommand(_ value: YAMLValue, objective: Objective?) -> CommandStudy? {
        if value.string != nil {
            return parseCommand(YAMLValue(kind: .mapping([.init(key: "run", keyLine: value.line, keyColumn: value.column, value: value)]), line: value.line, column: value.column), objective: objective)
        }
        guard let fields = reader.mapping(
            value, at: "command", allowed: ["run", "metric", "workdir", "timeout", "metric_pattern", "env"], required: ["run"]) else { return nil }
        let before = reader.issues.count
        // `metric` (as in the design sketch) restates the objective's metric; it must agree.
        if let metric = reader.string(fields["metric"], at: "command.metric"), let objective, metric != objective.name {
            reader.fail(fields["metric"], "command.metric", "\"\(metric)\" differs from objective.metric \"\(objective.name)\"; name the metric once, in objective")
        }
        let run = reader.string(fields["run"], at: "command.run")
        if let run, let runValue = fields["run"] {
            for name in CommandTemplate.placeholders(in: run) where !names.contains(name) {
                reader.fail(runValue, "command.run", "unknown hyperparameter \"\(name)\" in placeholder {\(name)} (write {{\(name)}} for a literal {\(name)})",
                            suggestion: NameSuggestion.closest(to: name, among: names))
            }
        }
        var workdir = directory
        if let relative = reader.string(fields["workdir"], at: "command.workdir") {
            workdir = resolve(relative)
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: workdir, isDirectory: &isDirectory) || !isDirectory.boolValue {
                reader.fail(fields["workdir"], "command.workdir", "the folder \"\(workdir)\" does not exist")
            }
        }
        let timeout = reader.double(fields["timeout"], at: "command.timeout", minimum: 0, exclusiveMinimum: true)
        var pattern: String?
        if let patternValue = fields["metric_pattern"], let text = reader.string(patternValue, at: "command.metric_pattern") {
            do {
                _ = try Regex(text)
                let count = CommandMetricPattern.captureGroupCount(in: text)
                if count != 1 {
                    reader.fail(patternValue, "command.metric_pattern", "the pattern needs exactly one capture group (the number), found \(count)")
                } else {
                    pattern = text
                }
            } catch {
                reader.fail(patternValue, "command.metric_pattern", "not a valid regular expression: \(error)")
            }
        }
        var environment: [String: String] = [:]
        if let envValue = fields["env"] {
            if let entries = envValue.entries {
                for entry in entries {
                    switch entry.value.kind {
                    case .string(let text): environment[entry.key] = text
                    case .int(let number): environment[entry.key] = String(number)
                    case .double(let number): environment[entry.key] = String(number)
                    case .bool(let flag): environment[entry.key] = String(flag)
                    default: reader.fail(entry.value, "command.env.\(entry.key)", "expected a string or a number, found \(entry.value.summary)")
                    }
                }
            } else {
                reader.fail(envValue, "command.env", "expected a mapping of environment variables, found \(envValue.summary)")
            }
        }
        guard let run, reader.issues.count == before else { return nil }
        return CommandStudy(run: run, workdir: workdir, timeout: timeout, metricPattern: pattern, environment: environment)
    }
}
