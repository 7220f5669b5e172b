extension SearchSpace {
    /// A text like Keras Tuner's `search_space_summary()`: the number of parameters, then each one's
    /// name and type followed by its definition.
    ///
    /// ```
    /// Search space summary
    /// Default search space size: 4
    /// n_hidden (Int)
    /// {default: 2, conditions: [], min: 0, max: 8, step: 1, sampling: linear}
    /// ```
    public func summary() -> String {
        var lines = ["Search space summary", "Default search space size: \(count)"]
        for spec in specs {
            lines.append("\(spec.name) (\(spec.typeName))")
            var fields = ["default: \(spec.defaultValue)"]
            fields.append("conditions: [\(spec.conditions.map(\.description).joined(separator: ", "))]")
            switch spec.kind {
            case .int(let domain):
                fields += ["min: \(domain.min)", "max: \(domain.max)", "step: \(domain.step)", "sampling: \(domain.sampling.rawValue)"]
            case .float(let domain):
                fields += ["min: \(domain.min)", "max: \(domain.max)", "step: \(domain.step.map { String($0) } ?? "none")",
                           "sampling: \(domain.sampling.rawValue)"]
            case .choice(let domain):
                fields += ["values: [\(domain.values.map(\.description).joined(separator: ", "))]", "ordered: \(domain.ordered)"]
            case .boolean:
                break
            case .fixed(let value):
                fields += ["value: \(value)"]
            }
            lines.append("{" + fields.joined(separator: ", ") + "}")
        }
        return lines.joined(separator: "\n")
    }
}
