import Foundation
import Reports
import StudyStore

/// libFuzzer target `study-import`: one input is a JSON document given to `tuner import`. It is
/// validated, imported into a fresh in-memory store (no file is touched), and, when accepted, read
/// back and rendered as every export format does: what a user does with a study someone sent them.
/// Any throw is a refusal (fine); a trap, a crash or a hang is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func studyImportFuzzTarget(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    guard let name = try? StudyImporter(store: FuzzStore.placeholder).validate(data),
          let store = try? SQLiteStudyStorage(path: ":memory:"),
          (try? StudyImporter(store: store).importStudy(from: data, replacing: false)) != nil,
          let report = try? StudyReport.load(from: store, study: name)
    else { return 0 }
    _ = try? JSONStudyExport(report).data()
    _ = MarkdownReport(report).render()
    _ = HTMLReport(report).render()
    let csv = CSVReport(report)
    _ = csv.trialsCSV()
    _ = csv.metricsCSV()
    return 0
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
