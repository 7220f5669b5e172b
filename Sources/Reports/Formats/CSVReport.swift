import Foundation

/// A study as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted when needed), which
/// `pandas.read_csv` reads as is.
///
/// `trialsCSV()` has one row per trial: `number, state`, one column per hyperparameter (empty when
/// inactive), `score`, one column per metric with its value at the last recorded epoch, then
/// `epochs, duration_s, started_at, ended_at, error`. A metric or parameter name that repeats a
/// column already taken gets a `param:` or `metric:` prefix. `metricsCSV()` has the learning curves in
/// long form: `trial, metric, step, value`. NaN is written `NaN`; missing values are empty.
public struct CSVReport: Sendable {
    /// The study exported.
    public let report: StudyReport

    /// A CSV exporter for `report`.
    public init(_ report: StudyReport) {
        self.report = report
    }

    /// The column names of `trialsCSV()`, in order.
    public var trialColumns: [String] {
        columns().map(\.title)
    }

    private func columns() -> [(title: String, kind: Column)] {
        var taken: Set<String> = ["number", "state", "score", "epochs", "duration_s", "started_at", "ended_at", "error"]
        func unique(_ name: String, prefix: String) -> String {
            var title = taken.contains(name) ? prefix + name : name
            while taken.contains(title) { title = prefix + title }
            taken.insert(title)
            return title
        }
        var result: [(String, Column)] = [("number", .number), ("state", .state)]
        result += report.parameterNames.map { (unique($0, prefix: "param:"), .parameter($0)) }
        result.append(("score", .score))
        result += report.metricNames.map { (unique($0, prefix: "metric:"), .metric($0)) }
        result += [("epochs", .epochs), ("duration_s", .duration), ("started_at", .started), ("ended_at", .ended), ("error", .error)]
        return result
    }

    private enum Column {
        case number, state, parameter(String), score, metric(String), epochs, duration, started, ended, error
    }

    private static func number(_ value: Double?) -> String {
        guard let value else { return "" }
        return NumberFormat.plain(value)
    }

    /// One row per trial (see the type's documentation for the columns).
    public func trialsCSV() -> String {
        let columns = columns()
        var csv = columns.map { Escape.csv($0.title) }.joined(separator: ",") + "\r\n"
        for trial in report.trials {
            let finals = trial.metrics.lastValues
            let fields: [String] = columns.map { column in
                switch column.kind {
                case .number: return String(trial.number)
                case .state: return trial.state.rawValue
                case .parameter(let name): return trial.hyperparameters[name].map { Escape.csv($0.description) } ?? ""
                case .score: return Self.number(trial.score)
                case .metric(let name): return Self.number(finals[name])
                case .epochs: return String(trial.epochs)
                case .duration: return Self.number(trial.duration)
                case .started: return Self.number(trial.startedAt)
                case .ended: return Self.number(trial.endedAt)
                case .error: return Escape.csv(trial.error ?? "")
                }
            }
            csv += fields.joined(separator: ",") + "\r\n"
        }
        return csv
    }

    /// Per-epoch metrics in long form: `trial,metric,step,value`, by trial, metric, step.
    public func metricsCSV() -> String {
        var csv = "trial,metric,step,value\r\n"
        for trial in report.trials {
            for name in trial.metrics.names {
                let escaped = Escape.csv(name)
                for point in trial.metrics[name] ?? [] {
                    csv += "\(trial.number),\(escaped),\(point.step),\(NumberFormat.plain(point.value))\r\n"
                }
            }
        }
        return csv
    }
}
