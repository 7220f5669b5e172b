import ArgumentParser
import Foundation
import Reports
import StudyStore
import TunerKit

/// `tuner export NAME --format html|md|csv|json --output PATH`: a report of a study.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a study's report: html (one self-contained file), md (a folder with SVG charts), csv, json, tensorboard.",
        discussion: """
            csv writes the trials to PATH and the per-epoch metrics beside it (trials.csv: trials.metrics.csv). json is readable back by \
            `tuner import`. tensorboard writes a TensorBoard log folder (a new or empty one): each trial a run trial_<n> with its \
            hyperparameters, curves and score for the HParams tab (`tensorboard --logdir PATH`). Reports are written to a temporary file then renamed into place. A symbolic link to a \
            regular file is followed (the file it points to is replaced); folders, FIFOs, devices and the study \
            database itself are refused.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case html, md, csv, json, tensorboard
    }

    @Argument(help: "The study's name.") var name: String
    @Option(help: "html, md, csv, json or tensorboard.") var format: Format = .html
    @Option(help: "Where to write (a file; a folder for md and tensorboard).") var output: String
    @OptionGroup var storage: StorageOptions

    func run() throws {
        try reportingFailures {
            let storagePath = try storage.existingPath()
            if format == .tensorboard {
                try writeTensorBoard(storagePath: storagePath)
                return
            }
            let store = try openStudyStorage(storagePath)
            let report = try StudyReport.load(from: store, study: name)
            // Every destination is checked before any is written, so a refused second file (the csv's
            // metrics) leaves nothing half done.
            switch format {
            case .html:
                try OutputFile(checking: output, storagePath: storagePath).write(Data(HTMLReport(report).render().utf8))
            case .md:
                try writeMarkdown(report, storagePath: storagePath)
            case .csv:
                let csv = CSVReport(report)
                let metricsPath = URL(fileURLWithPath: output).deletingPathExtension().appendingPathExtension("metrics.csv").path
                let trialsFile = try OutputFile(checking: output, storagePath: storagePath)
                let metricsFile = try OutputFile(checking: metricsPath, storagePath: storagePath)
                try trialsFile.write(Data(csv.trialsCSV().utf8))
                try metricsFile.write(Data(csv.metricsCSV().utf8))
            case .json:
                try OutputFile(checking: output, storagePath: storagePath).write(try JSONStudyExport(report).data())
            case .tensorboard:
                break  // Written above, from the stored study rather than a report.
            }
            print("Wrote \(format.rawValue) report of \"\(name)\" to \(output)")
        }
    }

    /// The study as a TensorBoard log folder at `output`: a new folder (its parent must exist) or an empty
    /// one, so that no run gets a second event file with doubled curves.
    private func writeTensorBoard(storagePath: String) throws {
        let snapshot = try StudySnapshot.load(storagePath: storagePath, study: name)
        var info = stat()
        if stat(output, &info) != 0 {
            let parent = (output as NSString).deletingLastPathComponent
            try OutputFile.requireFolder(parent.isEmpty ? "." : parent, for: output)
        } else if info.st_mode & S_IFMT != S_IFDIR {
            throw CommandFailure.usage("cannot write the TensorBoard logs into \(output): it is not a folder; give a new or empty folder for --output")
        } else if let entries = try? FileManager.default.contentsOfDirectory(atPath: output), !entries.isEmpty {
            throw CommandFailure.usage(
                "\(output) is not empty: exporting into it would add a second event file to its runs (TensorBoard would show doubled curves); give a new or empty folder")
        }
        let runs: Int
        do {
            runs = try snapshot.writeTensorBoard(to: output)
        } catch {
            throw CommandFailure.failed("\(error)")
        }
        print("Wrote \(runs) TensorBoard run\(runs == 1 ? "" : "s") of \"\(name)\" to \(output) (tensorboard --logdir \(output))")
    }

    /// `report.md` and its charts in the folder `output` (created when its parent exists), each file
    /// checked and written as `OutputFile` does.
    private func writeMarkdown(_ report: StudyReport, storagePath: String) throws {
        var info = stat()
        if stat(output, &info) != 0 {
            let parent = (output as NSString).deletingLastPathComponent
            try OutputFile.requireFolder(parent.isEmpty ? "." : parent, for: output)
            guard mkdir(output, 0o777) == 0 else {
                throw CommandFailure.failed("could not create the folder \(output): \(String(cString: strerror(errno)))")
            }
        } else if info.st_mode & S_IFMT != S_IFDIR {
            throw CommandFailure.usage("cannot write the md report into \(output): it is not a folder; give a folder path for --output")
        }
        let (markdown, charts) = MarkdownReport(report).render()
        let files = [("report.md", markdown)] + charts.sorted { $0.key < $1.key }
        let checked = try files.map { name, text in
            (try OutputFile(checking: (output as NSString).appendingPathComponent(name), storagePath: storagePath), text)
        }
        for (file, text) in checked { try file.write(Data(text.utf8)) }
    }
}
