import Foundation
import Reports
import StudyStore
import Testing
import Tuning
import TestSupport

/// Renders HTML in headless Chromium (Debian's `chromium`, which `make test` installs) to a PNG and
/// collects what Chromium logged about the page: console messages, script errors, failed resources.
struct ChromiumRenderer {
    static let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]

    let executable: String

    init() throws {
        guard let found = Self.candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw FixtureError.unexpected("No chromium found at \(Self.candidates); `make test` installs Debian's chromium package (apt-get install chromium).")
        }
        executable = found
    }

    struct Result {
        let png: Data
        /// Chromium's log lines about the page (console, JS errors, network failures).
        let pageProblems: [String]
        let status: Int32
    }

    func screenshot(html file: URL, to png: URL, profile: URL) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--disable-extensions", "--disable-dev-shm-usage", "--user-data-dir=\(profile.path)",
            "--enable-logging=stderr", "--v=0", "--virtual-time-budget=3000",
            "--screenshot=\(png.path)", "--window-size=1280,4000", file.absoluteString,
        ]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let markers = ["CONSOLE", "Uncaught", "net::ERR", "Failed to load resource", "SyntaxError", "Refused to"]
        let problems = log.split(separator: "\n").map(String.init).filter { line in markers.contains { line.contains($0) } }
        let data = (try? Data(contentsOf: png)) ?? Data()
        return Result(png: data, pageProblems: problems, status: process.terminationStatus)
    }
}

@Suite("HTML in headless Chromium")
struct ChromiumRenderTests {
    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Width and height from a PNG's IHDR chunk.
    static func pngSize(_ data: Data) -> (width: Int, height: Int)? {
        guard data.count > 24, Array(data.prefix(8)) == pngSignature else { return nil }
        let bytes = Array(data[16..<24])
        let width = bytes[0..<4].reduce(0) { $0 << 8 | Int($1) }
        let height = bytes[4..<8].reduce(0) { $0 << 8 | Int($1) }
        return (width, height)
    }

    /// Where screenshots go: `REPORTS_SCREENSHOT_DIR` when set (to look at them), else the test's temp dir.
    static func outputDirectory(_ directory: TemporaryDirectory) throws -> URL {
        if let path = ProcessInfo.processInfo.environment["REPORTS_SCREENSHOT_DIR"], !path.isEmpty {
            let url = URL(fileURLWithPath: path)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            return url
        }
        return directory.url
    }

    @Test func hyperbandAndBayesianReportsLoadWithoutErrors() throws {
        let chromium = try ChromiumRenderer()
        let directory = try TemporaryDirectory()
        let output = try Self.outputDirectory(directory)
        let store = try SQLiteStudyStorage(path: directory.path("s.sqlite"))
        var maker = StudyMaker(store: store)
        try maker.hyperbandStudy()
        try maker.bayesianStudy()
        try maker.oddStudy(name: "odd <b>&\"'")
        for (name, file) in [("hyperband-mixed", "hyperband"), ("bayesian-branin", "bayesian"), ("odd <b>&\"'", "odd")] {
            let html = HTMLReport(try StudyReport.load(from: store, study: name)).render()
            let page = output.appendingPathComponent("\(file).html")
            try html.write(to: page, atomically: true, encoding: .utf8)
            let png = output.appendingPathComponent("\(file).png")
            try? FileManager.default.removeItem(at: png)
            let result = try chromium.screenshot(html: page, to: png, profile: directory.url.appendingPathComponent("profile-\(file)"))
            #expect(result.status == 0, "chromium exited with \(result.status) for \(file)")
            #expect(result.pageProblems == [], "\(file): \(result.pageProblems)")
            let size = try #require(Self.pngSize(result.png), "\(file): no PNG written")
            #expect(size.width == 1280)
            #expect(size.height == 4000)
            // A blank page compresses to a few KiB; charts and tables make it far larger.
            #expect(result.png.count > 60_000, "\(file).png is only \(result.png.count) bytes")
        }
    }

    /// The check itself can fail: a page with a console error and a script error is caught. (Headless
    /// Chromium does not log a missing image or stylesheet without DevTools attached, so
    /// `HTMLReportTests` checks statically that a report references nothing outside itself.)
    @Test func aBrokenPageIsReported() throws {
        let chromium = try ChromiumRenderer()
        let directory = try TemporaryDirectory()
        let page = directory.url.appendingPathComponent("broken.html")
        try "<!DOCTYPE html><html><body><img src=\"missing.png\"><script>console.error('boom'); undefinedFunction();</script></body></html>"
            .write(to: page, atomically: true, encoding: .utf8)
        let result = try chromium.screenshot(html: page, to: directory.url.appendingPathComponent("broken.png"),
                                             profile: directory.url.appendingPathComponent("profile"))
        #expect(!result.pageProblems.isEmpty)
        #expect(result.pageProblems.contains { $0.contains("boom") || $0.contains("undefinedFunction") })
    }
}
