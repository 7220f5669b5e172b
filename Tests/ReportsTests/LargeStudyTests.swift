import Foundation
import Reports
import StudyStore
import Testing
import Tuning
import TestSupport

@Suite("Large studies")
struct LargeStudyTests {
    /// 2,000 random-search trials on the mixed problem with 10 epochs of 3 metrics each: loading and
    /// every format take seconds, not minutes, and the HTML stays a reasonable size.
    @Test func twoThousandTrialsRenderInSeconds() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStudyStorage(path: directory.path("large.sqlite"))
        let problem = SyntheticProblem.mixed
        let oracle = try RandomSearchOracle(objective: .minimize("val_loss"), searchSpace: problem.space, maxTrials: 2000, seed: 11)
        try store.write { store in
            let study = try store.createStudy(NewStudy(name: "large", objective: .minimize("val_loss"),
                                                       oracleKind: "random", oracleConfiguration: try jsonValue(#"{"max_trials": 2000}"#),
                                                       searchSpace: problem.space), now: 0)
            var clock = 1.0
            while case .run(let trial) = oracle.createTrial(workerID: "w") {
                let score = problem.score(trial.values)
                let record = try store.insertTrial(study: study.id, number: trial.id, state: .running,
                                                   hyperparameters: trial.values, worker: "w", hyperband: nil,
                                                   oracleState: nil, now: clock)
                for step in 0..<10 {
                    let value = score + 1 / Double(step + 1)
                    try store.recordMetrics(trial: record.id, step: step,
                                            values: ["val_loss": value, "loss": value * 0.9, "accuracy": 1 / (1 + value)], now: clock)
                }
                clock += 10
                if trial.id % 50 == 0 {
                    try store.finishTrial(record.id, worker: "w", state: .failed, score: nil, values: nil, error: "diverged",
                                          oracleState: nil, now: clock)
                    try oracle.endTrial(trialID: trial.id, outcome: .failed("diverged"))
                } else {
                    try store.finishTrial(record.id, worker: "w", state: .complete, score: score + 0.1, values: nil, error: nil,
                                          oracleState: nil, now: clock)
                    try oracle.endTrial(trialID: trial.id, outcome: .complete(score + 0.1))
                }
            }
        }
        let clock = ContinuousClock()
        var report: StudyReport?
        let load = try clock.measure { report = try StudyReport.load(from: store, study: "large") }
        let loaded = try #require(report)
        #expect(loaded.trials.count == 2000)
        var html = ""
        let htmlTime = clock.measure { html = HTMLReport(loaded).render() }
        var markdown = ""
        let markdownTime = clock.measure { markdown = MarkdownReport(loaded).render().markdown }
        var csv = ""
        let csvTime = clock.measure { csv = CSVReport(loaded).trialsCSV() + CSVReport(loaded).metricsCSV() }
        var json = Data()
        let jsonTime = try clock.measure { json = try JSONStudyExport(loaded).data() }
        func seconds(_ duration: Duration) -> String {
            String(format: "%.2f s", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
        }
        print("REPORTS large study (2000 trials x 10 epochs x 3 metrics): load \(seconds(load)), HTML \(seconds(htmlTime)) "
              + "(\(html.utf8.count / 1024) KiB), Markdown \(seconds(markdownTime)) (\(markdown.utf8.count / 1024) KiB), "
              + "CSV \(seconds(csvTime)) (\(csv.utf8.count / 1024) KiB), JSON \(seconds(jsonTime)) (\(json.count / 1024) KiB)")
        if let path = ProcessInfo.processInfo.environment["REPORTS_SCREENSHOT_DIR"], !path.isEmpty {
            try html.write(toFile: path + "/large.html", atomically: true, encoding: .utf8)
        }
        #expect(load + htmlTime + markdownTime + csvTime + jsonTime < .seconds(30))
        #expect(html.utf8.count < 12 * 1024 * 1024)
        #expect(html.contains("2000 trials: 1960 complete, 40 failed"))
    }
}
