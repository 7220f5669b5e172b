import Foundation
import StudyStore

/// A study report in Markdown: the summary, the best trials and the trials table in `report.md`, with
/// the charts as SVG files beside it (`history.svg`, `learning-curves.svg`, `parallel-coordinates.svg`,
/// `importance.svg`, `slice-N.svg`, `surrogate.svg`), linked as images. File names never come from
/// user strings; names in the text are Markdown-escaped (pipes, brackets, `<`).
public struct MarkdownReport: Sendable {
    /// The study shown.
    public let report: StudyReport
    /// How many of the best trials get their own table.
    public var bestTrialCount = 5

    /// A Markdown renderer for `report`.
    public init(_ report: StudyReport) {
        self.report = report
    }

    /// The Markdown text and the SVG files it links to (file name → SVG), without writing anything.
    public func render() -> (markdown: String, files: [String: String]) {
        let charts = ReportCharts(report: report)
        let summary = ReportSummary(report: report)
        var files: [String: String] = [:]
        var md = "# Study “\(Escape.markdown(report.name))”\n\n"
        md += "## At a glance\n\n"
        md += "| | |\n| --- | --- |\n"
        md += "| Objective | \(Escape.markdown(summary.objective)) |\n"
        md += "| Oracle | \(Escape.markdown(report.study.oracleKind)) |\n"
        for (key, value) in summary.oracleSettings { md += "| · \(Escape.markdown(key)) | \(Escape.markdown(value)) |\n" }
        md += "| Trials | \(Escape.markdown(summary.stateLine)) |\n"
        md += "| Best score | \(Escape.markdown(summary.bestLine)) |\n"
        for (key, value) in summary.timeFacts { md += "| Time: \(Escape.markdown(key)) | \(Escape.markdown(value)) |\n" }
        md += "\n"
        if !summary.bestParameters.isEmpty {
            md += "Best hyperparameters:\n\n"
            for (name, value) in summary.bestParameters { md += "- \(Escape.markdown(name)): \(Escape.markdown(value))\n" }
            md += "\n"
        }
        for chart in charts.main {
            files[chart.id + ".svg"] = chart.svg
            md += "## \(Escape.markdown(chart.title))\n\n![\(Escape.markdown(chart.title))](\(chart.id).svg)\n\n\(Escape.markdown(chart.caption))\n\n"
        }
        if !charts.importance.entries.isEmpty {
            md += "| parameter | η² | share |\n| --- | ---: | ---: |\n"
            for entry in charts.importance.entries {
                md += "| \(Escape.markdown(entry.name)) | \(NumberFormat.short(entry.effect, digits: 3)) | \(Int((entry.share * 100).rounded())) % |\n"
            }
            md += "\n"
        }
        if !charts.slices.isEmpty {
            md += "## Slice plots\n\n"
            for chart in charts.slices {
                files[chart.id + ".svg"] = chart.svg
                md += "![\(Escape.markdown(chart.title))](\(chart.id).svg)\n"
            }
            md += "\n"
        }
        if let surrogate = charts.surrogate {
            files[surrogate.id + ".svg"] = surrogate.svg
            md += "## \(surrogate.title)\n\n![\(surrogate.title)](\(surrogate.id).svg)\n\n\(Escape.markdown(surrogate.caption))\n\n"
        }
        if let rounds = charts.hyperband {
            md += "## Hyperband brackets\n\n| iteration | bracket | round | epochs | planned | started | complete | promoted | best |\n"
            md += "| ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |\n"
            for row in rounds.rows {
                md += "| \(row.iteration) | \(row.bracket) | \(row.round) | \(row.initialEpoch)→\(row.epochs) | \(row.planned.map(String.init) ?? "–") | \(row.started) | \(row.completed) | \(row.promoted) | \(row.best.map { NumberFormat.short($0, digits: 6) } ?? "–") |\n"
            }
            md += "\n"
        }
        let ranked = Array(report.rankedTrials.prefix(bestTrialCount))
        if !ranked.isEmpty {
            md += "## Best trials\n\n" + table(ranked) + "\n"
        }
        md += "## Trials\n\n"
        md += report.trials.isEmpty ? "This study has no trials yet.\n" : table(report.trials)
        return (md, files)
    }

    private func table(_ trials: [TrialSnapshot]) -> String {
        let parameters = report.parameterNames
        var md = "| # | state | " + parameters.map { Escape.markdown($0) + " | " }.joined()
        md += "\(Escape.markdown(report.objective.name)) | epochs | duration | error |\n"
        md += "| ---: | --- | " + parameters.map { _ in "--- | " }.joined() + "---: | ---: | ---: | --- |\n"
        for trial in trials {
            md += "| \(trial.number) | \(trial.state.rawValue) | "
            md += parameters.map { name in (trial.hyperparameters[name].map { Escape.markdown(NumberFormat.value($0)) } ?? "–") + " | " }.joined()
            md += "\(trial.score.map { NumberFormat.short($0, digits: 6) } ?? "") | \(trial.epochs) | "
            md += "\(trial.duration.map(NumberFormat.duration) ?? "") | \(Escape.markdown(trial.error ?? "")) |\n"
        }
        return md
    }

    /// Writes `report.md` and the chart SVGs into `directory` (created if needed) and returns the
    /// files written, `report.md` first.
    ///
    /// - Throws: `ReportError.writeFailed` naming the file that could not be written.
    @discardableResult
    public func write(to directory: URL) throws(ReportError) -> [URL] {
        let (markdown, files) = render()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .writeFailed(path: directory.path, detail: error.localizedDescription)
        }
        var written: [URL] = []
        for (name, text) in [("report.md", markdown)] + files.sorted(by: { $0.key < $1.key }) {
            let url = directory.appendingPathComponent(name)
            do {
                try Data(text.utf8).write(to: url, options: .atomic)
            } catch {
                throw .writeFailed(path: url.path, detail: error.localizedDescription)
            }
            written.append(url)
        }
        return written
    }
}
