import ArgumentParser
import Foundation
import Reports
import StudyStore

/// `tuner export NAME --format html|md|csv|json --output PATH`: a report of a study.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a study's report: html (one self-contained file), md (a folder with SVG charts), csv, json.",
        discussion: "csv writes the trials to PATH and the per-epoch metrics beside it (NAME-metrics.csv). json is readable back by `tuner import`.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case html, md, csv, json
    }

    @Argument(help: "The study's name.") var name: String
    @Option(help: "html, md, csv or json.") var format: Format = .html
    @Option(help: "Where to write (a file; a folder for md).") var output: String
    @OptionGroup var storage: StorageOptions

    func run() throws {
        try reportingFailures {
            let store = try StudyStore(path: try storage.existingPath())
            let report = try StudyReport.load(from: store, study: name)
            let url = URL(fileURLWithPath: output)
            switch format {
            case .html:
                try Data(HTMLReport(report).render().utf8).write(to: url, options: .atomic)
            case .md:
                _ = try MarkdownReport(report).write(to: url)
            case .csv:
                let csv = CSVReport(report)
                try Data(csv.trialsCSV().utf8).write(to: url, options: .atomic)
                let metricsURL = url.deletingPathExtension().appendingPathExtension("metrics.csv")
                try Data(csv.metricsCSV().utf8).write(to: metricsURL, options: .atomic)
            case .json:
                try JSONStudyExport(report).data().write(to: url, options: .atomic)
            }
            print("Wrote \(format.rawValue) report of \"\(name)\" to \(output)")
        }
    }
}
