import Foundation
import GRDB
import Reports
import StudyStore
import Testing
import Tuning
import TestSupport

@Suite("StudyReport loading")
struct StudyReportTests {
    @Test func loadsTrialsMetricsAndOracleStateOfARandomStudy() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStudyStorage(path: directory.path("s.sqlite"))
        var maker = StudyMaker(store: store)
        try maker.randomStudy(trials: 12)
        let report = try StudyReport.load(from: store, study: "random-mixed")
        #expect(report.trials.count == 12)
        #expect(report.trials.map(\.number) == Array(1...12))
        #expect(report.study.oracleKind == "random")
        #expect(report.study.searchSpace.names == SyntheticProblem.mixed.space.names)
        let counts = report.countsByState
        #expect(counts[.failed] == 3)
        #expect(counts[.complete] == 9)
        let failed = try #require(report.trials.first { $0.state == .failed })
        #expect(failed.error == StudyMaker.oddError)
        #expect(failed.metrics.stepCount == 2)
        let complete = try #require(report.trials.first { $0.state == .complete })
        #expect(complete.metrics.stepCount == 6)
        #expect(complete.metrics["val_loss"]?.map(\.step) == Array(0..<6))
        #expect(complete.metrics.lastValue("val_loss") == complete.score)
        #expect(complete.duration == 6.5)
        let best = try #require(report.bestTrial)
        let scores = report.trials.compactMap(\.finiteScore)
        #expect(best.finiteScore == scores.min())
        #expect(report.metricNames == ["val_loss", "accuracy", "loss"])
        #expect(report.oracleStateJSON?.objectValue?["kind"] == .string("random"))
    }

    @Test func unknownStudyIsATypedError() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStudyStorage(path: directory.path("s.sqlite"))
        #expect(throws: ReportError.studyNotFound(name: "nope", path: store.path)) {
            try StudyReport.load(from: store, study: "nope")
        }
    }

    @Test func hyperparametersThatAreNotTaggedValuesNameTheTrial() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStudyStorage(path: directory.path("s.sqlite"))
        let study = try store.createStudy(NewStudy(name: "bad", objective: .minimize("loss"), oracleKind: "random"))
        try store.insertTrial(study: study.id, number: 4, hyperparameters: ["units": .int(64)])
        // The tuner never writes an untagged value; a damaged file or another program might.
        try DatabaseQueue(path: directory.path("s.sqlite")).write { db in
            try db.execute(sql: #"UPDATE trials SET hyperparameters = '{"units": 64}' WHERE number = 4"#)
        }
        let error = try #require(Self.loadError(store, "bad"))
        guard case .damagedData(let name, let trial, let field, _) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(name == "bad")
        #expect(field == "hyperparameters")
        #expect(trial == 4)
        #expect(error.description.contains("trial 4"))
        #expect(error.description.contains("\"bad\""))
        #expect(error.description.contains("hyperparameters"))
    }

    static func loadError(_ store: any StudyStorage, _ name: String) -> ReportError? {
        do {
            _ = try StudyReport.load(from: store, study: name)
            return nil
        } catch {
            return error
        }
    }

    @Test func emptyStudyLoadsWithNoTrials() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStudyStorage(path: directory.path("s.sqlite"))
        try store.createStudy(NewStudy(name: "empty", objective: .maximize("val_accuracy"), oracleKind: "grid"))
        let report = try StudyReport.load(from: store, study: "empty")
        #expect(report.trials.isEmpty)
        #expect(report.bestTrial == nil)
        #expect(report.study.searchSpace.isEmpty)
        #expect(report.wallClockDuration == nil)
    }
}
