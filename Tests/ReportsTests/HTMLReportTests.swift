import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Reports
import StudyStore
import Testing
import Tuning
import TestSupport

/// The `<svg>...</svg>` elements of a document.
func svgElements(_ text: String) -> [String] {
    var result: [String] = []
    var rest = text[...]
    while let start = rest.range(of: "<svg "), let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex) {
        result.append(String(rest[start.lowerBound..<end.upperBound]))
        rest = rest[end.upperBound...]
    }
    return result
}

/// Whether `xml` parses as well-formed XML.
func isWellFormedXML(_ xml: String) -> Bool {
    XMLParser(data: Data(xml.utf8)).parse()
}

@Suite("HTML report")
struct HTMLReportTests {
    @Test func randomStudyHasEverySectionAndNoScriptsOrExternalResources() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStudyStorage(path: directory.path("s.sqlite"))
        var maker = StudyMaker(store: store)
        try maker.randomStudy()
        let html = HTMLReport(try StudyReport.load(from: store, study: "random-mixed")).render()
        for id in ["summary", "history", "learning-curves", "parallel-coordinates", "importance", "slices", "trials"] {
            #expect(html.contains("<section id=\"\(id)\""), "missing section \(id)")
        }
        #expect(!html.contains("id=\"surrogate\""))
        #expect(!html.contains("id=\"brackets\""))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("src="))
        #expect(!html.contains("@import"))
        #expect(!html.contains("url("))
        // The only URL is the SVG namespace.
        #expect(html.components(separatedBy: "http").count - 1 == html.components(separatedBy: "http://www.w3.org/2000/svg").count - 1)
        let svgs = svgElements(html)
        #expect(svgs.count >= 4 + 6)
        for svg in svgs { #expect(isWellFormedXML(svg)) }
        // Summary facts.
        #expect(html.contains("val_loss (minimize)"))
        #expect(html.contains("24 trials: 18 complete, 6 failed"))
        #expect(html.contains(HTMLReportTests.escapedOddError))
        // Importance names its method.
        #expect(html.contains("variance of marginal means"))
        // Log parameters get log axes: a decade label on the learning_rate axis.
        #expect(html.contains(">1e-5<"))
    }

    /// The trials table sorts without scripts: a radio per key, each row's rank per key as a CSS
    /// variable, and a rule that turns the checked key's rank into the cells' grid order.
    @Test func trialsTableCarriesSortRanksForEveryKey() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStudyStorage(path: directory.path("s.sqlite"))
        var maker = StudyMaker(store: store)
        try maker.randomStudy(trials: 8)
        let report = try StudyReport.load(from: store, study: "random-mixed")
        let html = HTMLReport(report).render()
        let best = try #require(report.bestTrial)
        let worst = try #require(report.rankedTrials.last)
        // Key 0 is the score, best first; failed trials come after every complete one.
        #expect(html.contains("<tr class=\"best\" style=\"--k0:0;"))
        let rows = html.components(separatedBy: "<tr").filter { $0.contains("--k0:") }
        #expect(rows.count == 8)
        func rank(_ number: Int) -> Int? {
            guard let row = rows.first(where: { $0.contains("\"><td class=\"num\">\(number)</td><td><span class=\"state") }),
                  let range = row.range(of: "--k0:") else { return nil }
            return Int(row[range.upperBound...].prefix { $0.isNumber })
        }
        #expect(rank(best.number) == 0)
        #expect(rank(worst.number) == report.rankedTrials.count - 1)
        #expect(rank(4) ?? 0 >= report.rankedTrials.count)   // trial 4 failed
        #expect(html.contains("#sort-0:checked~table.trials td{order:var(--k0)}"))
        #expect(html.contains("<input class=\"sort\" type=\"radio\" name=\"sort\" id=\"sort-number\" checked>"))
        #expect(html.contains("<label for=\"sort-0\">score</label>"))
    }

    static let escapedOddError = "ValueError: loss is NaN, &quot;exploded&quot; &lt;at&gt; epoch 3 &amp; &#39;more&#39;"

    @Test func oddNamesAreEscapedEverywhere() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStudyStorage(path: directory.path("s.sqlite"))
        var maker = StudyMaker(store: store)
        let study = try maker.oddStudy()
        let html = HTMLReport(try StudyReport.load(from: store, study: study.name)).render()
        #expect(!html.contains("<b>"))
        #expect(!html.contains("<i>"))
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("<study>"))
        #expect(html.contains("&lt;b&gt;&amp;&quot;&#39;"))
        #expect(html.contains("odd &lt;study&gt; &amp; &quot;co&quot; &#39;x&#39; | y"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains(HTMLReportTests.escapedOddError))
        for svg in svgElements(html) { #expect(isWellFormedXML(svg)) }
        // One RUNNING trial is listed without a score.
        #expect(html.contains("<span class=\"state running\">RUNNING</span>"))
    }

    @Test func emptyStudyRendersASummaryAndSaysSo() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStudyStorage(path: directory.path("s.sqlite"))
        try store.createStudy(NewStudy(name: "empty", objective: .maximize("val_accuracy"), oracleKind: "random",
                                       oracleConfiguration: try jsonValue(#"{"max_trials": 5}"#)))
        let html = HTMLReport(try StudyReport.load(from: store, study: "empty")).render()
        #expect(html.contains("This study has no trials yet."))
        #expect(html.contains("no COMPLETE trial yet"))
        #expect(html.contains("<dt>max_trials</dt><dd>5</dd>"))
        #expect(svgElements(html).isEmpty)
        #expect(html.hasSuffix("</html>\n"))
    }

    @Test func hyperbandStudyShowsTheBracketTableAndRoundMarkers() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStudyStorage(path: directory.path("s.sqlite"))
        var maker = StudyMaker(store: store)
        try maker.hyperbandStudy()
        let report = try StudyReport.load(from: store, study: "hyperband-mixed")
        let html = HTMLReport(report).render()
        #expect(html.contains("<section id=\"brackets\""))
        // max_epochs 9, factor 3: bracket 2 starts 9 trials at 1 epoch, promotes 3 to 3 epochs, then 1 to 9.
        #expect(html.contains("<tr><td>0</td><td>2</td><td>0</td><td>0→1</td><td>9</td><td>9</td><td>9</td><td>3</td>"))
        #expect(html.contains("<tr><td>0</td><td>2</td><td>1</td><td>1→3</td><td>3</td><td>3</td><td>3</td><td>1</td>"))
        #expect(html.contains("round → 3"))
        // Scores after 1, 3 and 9 epochs are not compared with each other.
        #expect(html.contains("η² of score ranks, 6 trials trained to 9 epochs"))
        #expect(html.contains("9 epochs</text>"))
        #expect(report.trials.contains { $0.hyperband?.parentTrialID != nil })
    }

    /// A study with an ASHA pruner: its rungs on the learning curves, and pruned trials marked where they
    /// stopped on both the curves and the history (at their last value, outside the best-so-far line).
    @Test func prunedTrialsAndASHARungsAreMarked() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStudyStorage(path: directory.path("s.sqlite"))
        let space = try SearchSpace([try .float("x", min: 0, max: 1)])
        let study = try store.createStudy(NewStudy(
            name: "asha", objective: .minimize("val_loss"), oracleKind: "random",
            oracleConfiguration: try jsonValue(#"{"max_trials": 5, "tuner_pruner": {"type": "asha", "min_epochs": 1, "factor": 3}}"#),
            searchSpace: space))
        // Trials 1-3 run 9 epochs; trial 4 is pruned after epoch 2 (step 1), trial 5 after epoch 4 (step 3).
        for (number, lastStep, state) in [(1, 8, TrialState.complete), (2, 8, .complete), (3, 8, .complete), (4, 1, .pruned), (5, 3, .pruned)] {
            let trial = try store.insertTrial(study: study.id, number: number, state: .running, hyperparameters: ["x": .float(0.1 * Double(number))],
                                              worker: "w", hyperband: nil, oracleState: nil, now: 1_700_000_000 + Double(number))
            var value = 0.0
            for step in 0...lastStep {
                value = Double(number) + 1 / Double(step + 1)
                try store.recordMetrics(trial: trial.id, step: step, values: ["val_loss": value], now: 1_700_000_000 + Double(number * 10 + step))
            }
            try store.finishTrial(trial.id, worker: "w", state: state, score: state == .complete ? value : nil, values: nil, error: nil,
                                  oracleState: nil, now: 1_700_000_100 + Double(number))
        }
        let html = HTMLReport(try StudyReport.load(from: store, study: "asha")).render()
        // Rungs at steps 1, 3 (epochs 2, 4) within the 9 epochs drawn.
        #expect(html.contains(">rung 0</text>") && html.contains(">rung 1</text>") && !html.contains(">rung 2</text>"))
        #expect(html.contains("trial 4 pruned at epoch 2</title>"))
        #expect(html.contains("trial 5 pruned at epoch 4: 5.25</title>"))
        #expect(html.contains("pruned (×)") && html.contains("pruned (×, last value)"))
        #expect(svgElements(html).allSatisfy(isWellFormedXML))
    }

    @Test func bayesianStudyShowsTheSurrogate() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStudyStorage(path: directory.path("s.sqlite"))
        var maker = StudyMaker(store: store)
        try maker.bayesianStudy()
        let html = HTMLReport(try StudyReport.load(from: store, study: "bayesian-branin")).render()
        #expect(html.contains("<section id=\"surrogate\""))
        #expect(html.contains("GP mean ± 2σ"))
        #expect(html.contains("Matérn 5/2"))
        for svg in svgElements(html) { #expect(isWellFormedXML(svg)) }
    }
}
