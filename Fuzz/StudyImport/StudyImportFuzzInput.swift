import Foundation
import Reports
import StudyStore

/// What the `study-import` fuzz target does with one input, a JSON document given to `tuner import`: it
/// is validated, imported into a fresh in-memory store (no file is touched), and, when accepted, read
/// back and rendered as every export format does: what a user does with a study someone sent them. Any
/// throw is a refusal (fine); a trap, a crash or a hang is a bug. `make test` replays the committed
/// seeds through this same function (`FuzzReplayTests`), `make fuzz` through libFuzzer.
enum StudyImportFuzzInput {
    static func run(_ data: Data) {
        guard let name = try? StudyImporter(store: FuzzStore.placeholder).validate(data),
              let store = try? SQLiteStudyStorage(path: ":memory:"),
              (try? StudyImporter(store: store).importStudy(from: data, replacing: false)) != nil,
              let report = try? StudyReport.load(from: store, study: name)
        else { return }
        _ = try? JSONStudyExport(report).data()
        _ = MarkdownReport(report).render()
        _ = HTMLReport(report).render()
        let csv = CSVReport(report)
        _ = csv.trialsCSV()
        _ = csv.metricsCSV()
    }
}

/// `validate` needs an importer but never touches its store; one in-memory store serves every input.
enum FuzzStore {
    nonisolated(unsafe) static let placeholder: SQLiteStudyStorage = {
        do {
            return try SQLiteStudyStorage(path: ":memory:")
        } catch {
            FileHandle.standardError.write(Data("study-import fuzz target: cannot open an in-memory store: \(error)\n".utf8))
            exit(2)
        }
    }()
}
