import Foundation
import Reports
import StudyStore
import Testing
import Tuning
import TestSupport

/// Parses RFC 4180 CSV (quoted fields with doubled quotes and line breaks, CRLF rows).
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var characters = Array(text.unicodeScalars)[...]
    while let c = characters.popFirst() {
        if quoted {
            if c == "\"" {
                if characters.first == "\"" { field.unicodeScalars.append("\""); characters.removeFirst() } else { quoted = false }
            } else {
                field.unicodeScalars.append(c)
            }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            row.append(field); field = ""
        } else if c == "\r" {
            continue
        } else if c == "\n" {
            row.append(field); field = ""
            rows.append(row); row = []
        } else {
            field.unicodeScalars.append(c)
        }
    }
    if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
    return rows
}

@Suite("Markdown and CSV reports")
struct MarkdownAndCSVTests {
    @Test func markdownWritesReportAndTheChartsItLinks() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStudyStorage(path: directory.path("s.sqlite"))
        var maker = StudyMaker(store: store)
        try maker.randomStudy()
        // REPORTS_SCREENSHOT_DIR keeps the files to look at (see ChromiumRenderTests).
        let keep = ProcessInfo.processInfo.environment["REPORTS_SCREENSHOT_DIR"].map { URL(fileURLWithPath: $0) }
        let output = (keep ?? directory.url).appendingPathComponent("md")
        let files = try MarkdownReport(try StudyReport.load(from: store, study: "random-mixed")).write(to: output)
        #expect(files.first?.lastPathComponent == "report.md")
        let markdown = try String(contentsOf: output.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.contains("## At a glance"))
        #expect(markdown.contains("## Best trials"))
        #expect(markdown.contains("## Trials"))
        // Every linked image exists and is well-formed SVG.
        var linked: [String] = []
        var rest = markdown[...]
        while let start = rest.range(of: "]("), let end = rest.range(of: ".svg)", range: start.upperBound..<rest.endIndex) {
            linked.append(String(rest[start.upperBound..<end.lowerBound]) + ".svg")
            rest = rest[end.upperBound...]
        }
        #expect(linked.contains("history.svg"))
        #expect(linked.contains("parallel-coordinates.svg"))
        #expect(linked.count == files.count - 1)
        for name in linked {
            let svg = try String(contentsOf: output.appendingPathComponent(name), encoding: .utf8)
            #expect(isWellFormedXML(svg), "\(name)")
        }
        // Table rows: header, separator, then 5 best + 24 trials, each with the same cell count.
        let tableLines = markdown.split(separator: "\n").filter { $0.hasPrefix("| ") && $0.contains(" | ") && !$0.hasPrefix("| ---") }
        #expect(tableLines.contains { $0.hasPrefix("| 4 | FAILED |") })
    }

    @Test func markdownEscapesPipesAndMarkup() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStudyStorage(path: directory.path("s.sqlite"))
        var maker = StudyMaker(store: store)
        let study = try maker.oddStudy()
        let (markdown, _) = MarkdownReport(try StudyReport.load(from: store, study: study.name)).render()
        #expect(markdown.contains("# Study “odd &lt;study&gt; &amp; \"co\" 'x' \\| y”"))
        #expect(markdown.contains("pipe\\|value"))
        #expect(markdown.contains("a,b\\|c"))
        #expect(!markdown.contains("<b>"))
        #expect(!markdown.contains("<i>"))
        // The error's newline does not break the table row.
        #expect(markdown.contains("epoch 3 &amp; 'more' second line, with comma \\| pipe |"))
        // Every trials-table row has as many unescaped cell separators as the header.
        let lines = markdown.components(separatedBy: "\n")
        let header = try #require(lines.first { $0.hasPrefix("| # | state |") })
        func cells(_ line: String) -> Int {
            var count = 0
            var previous: Character = " "
            for c in line { if c == "|" && previous != "\\" { count += 1 }; previous = c }
            return count
        }
        for line in lines where line.hasPrefix("| 1 |") || line.hasPrefix("| 2 |") || line.hasPrefix("| 3 |") {
            #expect(cells(line) == cells(header), "\(line)")
        }
    }

    @Test func trialsCSVHasOneRowPerTrialAndQuotesPerRFC4180() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStudyStorage(path: directory.path("s.sqlite"))
        var maker = StudyMaker(store: store)
        let study = try maker.oddStudy()
        let report = try StudyReport.load(from: store, study: study.name)
        let csv = CSVReport(report)
        let text = csv.trialsCSV()
        #expect(text.hasSuffix("\r\n"))
        let rows = parseCSV(text)
        #expect(rows.count == 4)
        #expect(rows[0] == ["number", "state", "<b>&\"'", "a,b|c", "score", "val,acc", "epochs", "duration_s",
                            "started_at", "ended_at", "error"])
        #expect(rows[0] == csv.trialColumns)
        #expect(rows.allSatisfy { $0.count == rows[0].count })
        #expect(rows[1] == ["1", "COMPLETE", "0.01", "x, \"quoted\"", "0.5", "0.5", "1", "2", "1700000000", "1700000002", ""])
        #expect(rows[2][1] == "FAILED")
        #expect(rows[2][10] == StudyMaker.oddError)
        #expect(rows[3][1] == "RUNNING")
        #expect(rows[3][4] == "")
        #expect(rows[3][9] == "")
    }

    @Test func metricsCSVIsLongForm() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStudyStorage(path: directory.path("s.sqlite"))
        var maker = StudyMaker(store: store)
        try maker.randomStudy(trials: 4)
        let report = try StudyReport.load(from: store, study: "random-mixed")
        let rows = parseCSV(CSVReport(report).metricsCSV())
        #expect(rows[0] == ["trial", "metric", "step", "value"])
        // 3 complete trials x 6 epochs + 1 failed x 2 epochs, 3 metrics each.
        #expect(rows.count == 1 + 3 * (3 * 6 + 2))
        let first = report.trials[0]
        let expected = try #require(first.metrics["accuracy"]?.first)
        #expect(rows[1] == ["1", "accuracy", "0", "\(expected.value)"])
    }

    @Test func pythonsCSVModuleReadsTheTrialsTable() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStudyStorage(path: directory.path("s.sqlite"))
        var maker = StudyMaker(store: store)
        let study = try maker.oddStudy()
        let csvPath = directory.path("trials.csv")
        try CSVReport(try StudyReport.load(from: store, study: study.name)).trialsCSV()
            .write(toFile: csvPath, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import csv, json, sys
            with open(sys.argv[1], newline='') as f:
                rows = list(csv.DictReader(f))
            print(json.dumps([[r['number'], r['a,b|c'], r['<b>&"\\''], r['error']] for r in rows]))
            """, csvPath]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let rows = try JSONDecoder().decode([[String]].self, from: output)
        #expect(rows.count == 3)
        #expect(rows[0] == ["1", "x, \"quoted\"", "0.01", ""])
        #expect(rows[1][3] == StudyMaker.oddError)
        #expect(rows[2][1] == "<i>")
    }

    @Test func emptyStudyInMarkdownAndCSV() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStudyStorage(path: directory.path("s.sqlite"))
        try store.createStudy(NewStudy(name: "empty", objective: .maximize("val_accuracy"), oracleKind: "random"))
        let report = try StudyReport.load(from: store, study: "empty")
        let files = try MarkdownReport(report).write(to: directory.url.appendingPathComponent("md"))
        #expect(files.map(\.lastPathComponent) == ["report.md"])
        let markdown = try String(contentsOf: files[0], encoding: .utf8)
        #expect(markdown.contains("This study has no trials yet."))
        #expect(markdown.contains("| Best score | no COMPLETE trial yet |"))
        #expect(CSVReport(report).trialsCSV() == "number,state,score,epochs,duration_s,started_at,ended_at,error\r\n")
        #expect(CSVReport(report).metricsCSV() == "trial,metric,step,value\r\n")
    }
}
