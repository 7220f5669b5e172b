import Tuning

extension StudyFileParser {
    static let hyperParameterKeys: [String: [String]] = [
        "int": ["type", "min", "max", "step", "sampling", "default", "when"],
        "float": ["type", "min", "max", "step", "sampling", "default", "when"],
        "choice": ["type", "values", "ordered", "default", "when"],
        "boolean": ["type", "default", "when"],
        "fixed": ["type", "value", "when"],
    ]

    /// The `hyperparameters` mapping: name → definition, in file order.
    func parseHyperParameters(_ section: YAMLValue) -> [HyperParameterSpec] {
        if section.isNull { return [] }
        guard let entries = section.entries else {
            reader.fail(section, "hyperparameters", "expected a mapping from hyperparameter names to definitions, found \(section.summary)")
            return []
        }
        var result: [HyperParameterSpec] = []
        var space = SearchSpace()
        for entry in entries {
            let path = "hyperparameters.\(entry.key)"
            guard let spec = parseHyperParameter(name: entry.key, entry.value, at: path) else {
                // Keep the name known so references to it do not add noise.
                names.append(entry.key)
                continue
            }
            do {
                try space.add(spec)
            } catch {
                reader.fail(entry.value, path, error.description)
                continue
            }
            specs[entry.key] = spec
            names.append(entry.key)
            result.append(spec)
        }
        // Commands and `tuner ask --format env` get each value as TUNER_HP_<NAME>: two names giving the
        // same variable would hand a program one value for both.
        for collision in EnvironmentVariableNames.collisions(in: result.map(\.name)) {
            let entry = entries.first { $0.key == collision.second }
            reader.fail(entry?.value, "hyperparameters.\(collision.second)", collision.description)
        }
        return result
    }

    private func parseHyperParameter(name: String, _ value: YAMLValue, at path: String) -> HyperParameterSpec? {
        let typeNames = ["int", "float", "choice", "boolean", "fixed"]
        guard let entries = value.entries else {
            reader.fail(value, path, "expected a mapping such as { type: int, min: 0, max: 8 }, found \(value.summary)")
            return nil
        }
        guard let typeEntry = entries.first(where: { $0.key == "type" }) else {
            reader.fail(value, path, "missing required key \"type\" (one of \(typeNames.joined(separator: ", ")))")
            return nil
        }
        guard let type = reader.keyword(typeEntry.value, at: "\(path).type", options: typeNames),
              let allowed = Self.hyperParameterKeys[type],
              let fields = reader.mapping(value, at: path, allowed: allowed) else { return nil }
        let issuesBefore = reader.issues.count
        let conditions = fields["when"].map { parseConditions($0, at: "\(path).when") } ?? []
        let sampling = parseSampling(fields["sampling"], at: "\(path).sampling")
        func required(_ key: String) -> YAMLValue? {
            if let found = fields[key] { return found }
            reader.fail(value, "\(path).\(key)", "missing required key \"\(key)\" for a \(type) hyperparameter")
            return nil
        }
        do {
            switch type {
            case "int":
                let minimum = required("min").flatMap { reader.int($0, at: "\(path).min") }
                let maximum = required("max").flatMap { reader.int($0, at: "\(path).max") }
                let step = reader.int(fields["step"], at: "\(path).step")
                let defaultValue = reader.int(fields["default"], at: "\(path).default")
                guard let minimum, let maximum, reader.issues.count == issuesBefore else { return nil }
                return try HyperParameterSpec.int(
                    name, min: minimum, max: maximum, step: step ?? 1, sampling: sampling ?? .linear, default: defaultValue,
                    conditions: conditions)
            case "float":
                let minimum = required("min").flatMap { reader.double($0, at: "\(path).min") }
                let maximum = required("max").flatMap { reader.double($0, at: "\(path).max") }
                let step = reader.double(fields["step"], at: "\(path).step")
                let defaultValue = reader.double(fields["default"], at: "\(path).default")
                guard let minimum, let maximum, reader.issues.count == issuesBefore else { return nil }
                return try HyperParameterSpec.float(
                    name, min: minimum, max: maximum, step: step, sampling: sampling ?? .linear, default: defaultValue,
                    conditions: conditions)
            case "choice":
                guard let list = required("values").flatMap({ reader.sequence($0, at: "\(path).values") }) else { return nil }
                let values = list.enumerated().compactMap { index, element in
                    scalarValue(element, at: "\(path).values[\(index)]")
                }
                let ordered = reader.bool(fields["ordered"], at: "\(path).ordered")
                let defaultValue = fields["default"].flatMap { scalarValue($0, at: "\(path).default") }
                guard reader.issues.count == issuesBefore else { return nil }
                // Integers among floats are floats (YAML writes 1 for 1.0).
                let hasFloat = values.contains { if case .float = $0 { true } else { false } }
                func widen(_ value: HyperParameterValue) -> HyperParameterValue {
                    if hasFloat, case .int(let number) = value { return .float(Double(number)) }
                    return value
                }
                return try HyperParameterSpec.choice(
                    name, values: values.map(widen), ordered: ordered, default: defaultValue.map(widen), conditions: conditions)
            case "boolean":
                let defaultValue = reader.bool(fields["default"], at: "\(path).default")
                guard reader.issues.count == issuesBefore else { return nil }
                return try HyperParameterSpec.boolean(name, default: defaultValue ?? false, conditions: conditions)
            default:
                guard let fixed = required("value").flatMap({ scalarValue($0, at: "\(path).value") }),
                      reader.issues.count == issuesBefore else { return nil }
                return try HyperParameterSpec.fixed(name, value: fixed, conditions: conditions)
            }
        } catch {
            let key = Self.key(for: error)
            reader.fail(key.flatMap { fields[$0] } ?? value, key.map { "\(path).\($0)" } ?? path, error.description)
            return nil
        }
    }

    /// The definition key a `HyperParameterError` is about, to point at it.
    private static func key(for error: HyperParameterError) -> String? {
        switch error {
        case .minAboveMax, .nonPositiveLogBound: return "min"
        case .stepNotPositive, .logStepNotAboveOne, .stepTooSmall: return "step"
        case .reverseLogForInt: return "sampling"
        case .defaultOutOfRange, .defaultNotOnStep, .defaultNotAChoice: return "default"
        case .emptyChoice, .mixedChoiceTypes, .duplicateChoice: return "values"
        case .orderedNonNumericChoice: return "ordered"
        case .nonFiniteNumber(_, let argument, _): return ["min", "max", "step", "default"].contains(argument) ? argument : nil
        default: return nil
        }
    }

    private func parseSampling(_ value: YAMLValue?, at path: String) -> Sampling? {
        guard let value else { return nil }
        guard let name = reader.keyword(value, at: path, options: Sampling.allCases.map(\.rawValue)) else { return nil }
        return Sampling(rawValue: name)
    }

    /// A scalar as a hyperparameter value (int, float, string or bool).
    func scalarValue(_ value: YAMLValue, at path: String) -> HyperParameterValue? {
        switch value.kind {
        case .int(let number): return .int(number)
        case .double(let number): return .float(number)
        case .string(let text): return .string(text)
        case .bool(let flag): return .bool(flag)
        default:
            reader.fail(value, path, "expected a number, a string or a boolean, found \(value.summary)")
            return nil
        }
    }

    /// `when: { parent: [values], other: value }` → conditions on hyperparameters defined earlier,
    /// with the values in the parent's own type.
    func parseConditions(_ value: YAMLValue, at path: String) -> [Condition] {
        guard let entries = value.entries, !entries.isEmpty else {
            reader.fail(value, path, "expected a mapping such as { optimizer: [adam] } (parent hyperparameter → the values that activate this), found \(value.summary)")
            return []
        }
        var conditions: [Condition] = []
        for entry in entries {
            let entryPath = "\(path).\(entry.key)"
            guard let parent = specs[entry.key] else {
                if names.contains(entry.key) { continue }  // Defined but invalid: already reported.
                reader.fail(line: entry.keyLine, column: entry.keyColumn, entryPath,
                            "unknown hyperparameter \"\(entry.key)\"; a condition's parent must be defined above it",
                            suggestion: NameSuggestion.closest(to: entry.key, among: names))
                continue
            }
            let list = entry.value.elements ?? [entry.value]
            if list.isEmpty {
                reader.fail(entry.value, entryPath, "give at least one value of \"\(entry.key)\" that activates this")
                continue
            }
            var values: [HyperParameterValue] = []
            for (index, element) in list.enumerated() {
                let elementPath = entry.value.elements == nil ? entryPath : "\(entryPath)[\(index)]"
                guard let raw = scalarValue(element, at: elementPath) else { continue }
                guard let normalized = parent.normalized(raw) else {
                    reader.fail(element, elementPath, "\"\(entry.key)\" can never be \(raw): it is \(parent.description)")
                    continue
                }
                values.append(normalized)
            }
            if !values.isEmpty { conditions.append(Condition(parent: entry.key, values: values)) }
        }
        return conditions
    }
}
