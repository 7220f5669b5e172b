import Foundation
import Reports
import StudyStore
import Testing
import TestSupport
import Tuning

/// Inputs `make fuzz` found that crashed the import or a report, each kept as a seed in
/// `Fuzz/Corpus/study-import/` and checked here in the ordinary suite.
struct FuzzRegressionTests {
    /// The package's root (this file is `Tests/ReportsTests/FuzzRegressionTests.swift`).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A trial ending 1.8e28 s after 1970 made its duration overflow `Int` in `NumberFormat.duration`
    /// (a trap that killed `tuner export --format md` and `html`).
    @Test func aDurationPastIntMaxRendersInEveryFormat() throws {
        let data = try Data(contentsOf: Self.root.appendingPathComponent("Fuzz/Corpus/study-import/regression-duration-past-int-max.json"))
        let store = try SQLiteStudyStorage(path: ":memory:")
        let result = try StudyImporter(store: store).importStudy(from: data, replacing: false)
        let report = try StudyReport.load(from: store, study: result.study.name)
        let markdown = MarkdownReport(report).render().markdown
        #expect(markdown.contains(" h"), "the long duration is shown in hours")
        #expect(!HTMLReport(report).render().isEmpty)
        #expect(!CSVReport(report).trialsCSV().isEmpty)
    }

    /// A metric step of 1e300 passed the "whole number >= 0" check and then trapped converting to Int;
    /// infinity did the same. Both are refused with the reason now.
    @Test func stepsBeyondIntAreRefused() throws {
        let store = try SQLiteStudyStorage(path: ":memory:")
        let source = try SQLiteStudyStorage(path: ":memory:")
        let study = try source.createStudy(NewStudy(name: "s", objective: .minimize("loss"), oracleKind: "random"))
        let trial = try source.insertTrial(study: study.id, number: 1, state: .running, worker: "w")
        try source.recordMetrics(trial: trial.id, step: 0, values: ["loss": 0.5])
        _ = try source.finishTrial(trial.id, worker: "w", state: .complete, score: 0.5)
        let exported = try JSONStudyExport(try StudyReport.load(from: source, study: "s")).data()
        let text = String(decoding: exported, as: UTF8.self)
        for step in ["1e300", "1e19"] {
            let hostile = text.replacingOccurrences(of: #""loss":[[0,"#, with: #""loss":[["# + step + ",")
            #expect(hostile != text, "the export's metric layout changed; update this test")
            #expect(throws: ReportError.self) {
                try StudyImporter(store: store).importStudy(from: Data(hostile.utf8), replacing: false)
            }
        }
    }
}
