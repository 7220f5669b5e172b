extension SearchSpace {
    /// The number of distinct configurations (only active parameters counted), or `nil` when a float
    /// has no step (the space is infinite) or the count exceeds `Int.max`.
    public var combinationCount: Int? {
        guard specs.allSatisfy({ $0.valueCount != nil }) else { return nil }
        let parents = Set(specs.flatMap { $0.conditions.map(\.parent) })
        return countCombinations(from: 0, assignment: [:], parents: parents)
    }

    /// Counts by branching only on parents (whose value changes what is active further on) and
    /// multiplying by the number of values of every other active parameter.
    private func countCombinations(from index: Int, assignment: [String: HyperParameterValue], parents: Set<String>) -> Int? {
        guard index < specs.count else { return 1 }
        let spec = specs[index]
        guard spec.isActive(given: assignment) else {
            return countCombinations(from: index + 1, assignment: assignment, parents: parents)
        }
        guard let valueCount = spec.valueCount else { return nil }
        if parents.contains(spec.name) {
            var total = 0
            for valueIndex in 0..<valueCount {
                var branch = assignment
                branch[spec.name] = spec.value(atIndex: valueIndex)
                guard let rest = countCombinations(from: index + 1, assignment: branch, parents: parents) else { return nil }
                let (sum, overflow) = total.addingReportingOverflow(rest)
                if overflow { return nil }
                total = sum
            }
            return total
        }
        var branch = assignment
        branch[spec.name] = spec.defaultValue
        guard let rest = countCombinations(from: index + 1, assignment: branch, parents: parents) else { return nil }
        let (product, overflow) = rest.multipliedReportingOverflow(by: valueCount)
        return overflow ? nil : product
    }

    /// The first configuration in grid order: every active parameter at its default.
    ///
    /// Grid order is Keras Tuner's: the first-defined parameter changes slowest, the last fastest;
    /// each parameter runs through its default first, then its other values in order.
    func firstCombination() -> [String: HyperParameterValue] {
        defaultValues
    }

    /// The configuration after `values` in grid order, or `nil` after the last one. Every parameter
    /// must be discrete (`valueCount != nil`).
    func combination(after values: [String: HyperParameterValue]) -> [String: HyperParameterValue]? {
        var assignment = values
        // Walking backwards bumps the fastest-changing parameter first, and the ones inside a
        // conditional scope before the parent that opens it.
        for spec in specs.reversed() {
            if spec.isActive(given: assignment), let current = assignment[spec.name],
               let position = spec.gridPosition(of: current), let valueCount = spec.valueCount,
               position + 1 < valueCount
            {
                assignment[spec.name] = spec.gridValue(at: position + 1)
                return completed(assignment)
            }
            assignment[spec.name] = spec.gridValue(at: 0)
        }
        return nil
    }
}
