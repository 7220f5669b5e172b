/// Gathers per-metric rows of `trial_metrics` into one row of values per trial, for
/// `StudyStorage.metricValues(study:names:step:states:)` on both backends.
enum MetricVectors {
    /// One row per trial (in the order trials first appear in `entries`) holding every metric of `names`
    /// in that order; trials missing one, or with a NULL or NaN value, are left out.
    static func rows(names: [String], entries: [(trial: Int64, name: String, value: Double?)]) -> [[Double]] {
        let position = Dictionary(names.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        var order: [Int64] = []
        var rows: [Int64: [Double?]] = [:]
        for entry in entries {
            guard let slot = position[entry.name] else { continue }
            if rows[entry.trial] == nil {
                order.append(entry.trial)
                rows[entry.trial] = [Double?](repeating: nil, count: names.count)
            }
            rows[entry.trial]?[slot] = entry.value
        }
        return order.compactMap { trial in
            guard let row = rows[trial] else { return nil }
            let values = row.compactMap { $0 }
            return values.count == names.count && !values.contains(where: \.isNaN) ? values : nil
        }
    }
}
