import Foundation
import StudyStore
import Testing
import TestSupport
import Tuning

/// The dashboard in a real browser: the built `tuner dashboard` on a free loopback port, a small
/// `tuner search` running beside it, and headless Chromium driven through Selenium
/// (`Browser/live_study_page.py`, Debian's `chromium`, `chromium-driver` and `python3-selenium`, which
/// `make test` installs). The page must show a new trial, a new epoch and a state change without a
/// reload, with no console error; then a trial asked for through the page's form must be run by the
/// search with exactly its value, once, and stopping it from its page must end it PRUNED. The screenshots
/// go to `DASHBOARD_SCREENSHOT_DIR` when set.
@Suite("In a browser", .timeLimit(.minutes(5)))
struct BrowserTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Browser/live_study_page.py").path

    /// The tools the test needs, checked so that a missing one fails the test with what to install
    /// (never a skip).
    static func requireTools() throws {
        for (path, package) in [("/usr/bin/chromium", "chromium"), ("/usr/bin/chromedriver", "chromium-driver"),
                                ("/usr/bin/python3", "python3")] {
            try #require(FileManager.default.isExecutableFile(atPath: path),
                         "\(path) is missing: `make test` installs it (apt-get install \(package))")
        }
        let check = try run("/usr/bin/python3", ["-c", "import selenium"])
        try #require(check.status == 0, "python3-selenium is missing: `make test` installs it (apt-get install python3-selenium)")
        try #require(FileManager.default.isExecutableFile(atPath: tunerPath), "no tuner binary at \(tunerPath): build it first (swift build)")
    }

    /// The built `tuner` beside the test bundle.
    static var tunerPath: String {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        var folder = URL(fileURLWithPath: executable).deletingLastPathComponent()
        if folder.lastPathComponent.hasSuffix(".xctest") { folder = folder.deletingLastPathComponent() }
        return folder.appendingPathComponent("tuner").path
    }

    @Test func aStudyPageShowsNewTrialsEpochsAndStatesWithoutReloading() async throws {
        try Self.requireTools()
        // The test waits on processes for seconds: on a thread of its own, not one of Swift's few
        // cooperative threads, which the other tests' servers need meanwhile. It reports back here, where
        // the expectations belong to the test.
        let outcome = try await onOwnThread { try Self.runBrowser() }
        #expect(outcome.browserStatus == 0, "\(outcome.browserOutput)")
        #expect(outcome.browserOutput.contains("READY") && outcome.browserOutput.contains("OK"), "\(outcome.browserOutput)")
        #expect(Array(outcome.screenshot.prefix(4)) == [0x89, 0x50, 0x4E, 0x47], "no PNG screenshot")
        // The requested trial: enqueued as the trial the page named, run once by the search's command with
        // exactly the value typed into the form, and PRUNED by the stop button.
        let number = outcome.browserOutput.components(separatedBy: "ENQUEUED ").dropFirst().first?
            .split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) }
        #expect(outcome.requests.map(\.status) == [.enqueued(trial: number ?? -1)], "\(outcome.requests)")
        let requested = outcome.trials.first { $0.number == number }
        #expect(requested?.hyperparameters == ["x": .float(Self.requestedX)])
        #expect(requested?.state == .pruned)
        #expect(outcome.commandRuns.filter { Double($0) == Self.requestedX }.count == 1, "the command ran with x = \(outcome.commandRuns)")
        #expect(outcome.note == "<b>x near 1</b> looks best\nask for 1.2345")
        // SIGTERM stops the dashboard at once, cleanly.
        #expect(outcome.dashboardStatus == 0, "the dashboard did not stop cleanly on SIGTERM: \(outcome.dashboardErrors)")
    }

    /// The value of x the browser asks for; the command runs it for long (40 steps), so there is time to stop it.
    static let requestedX = 1.2345

    /// What the browser run gave.
    struct Outcome: Sendable {
        var browserStatus: Int32
        var browserOutput: String
        var screenshot: Data
        /// The study's trial requests and trials after the run.
        var requests: [TrialRequest]
        var trials: [StoredTrial]
        /// The x of each run of the command, in order (it logs each to `runs.log`).
        var commandRuns: [String]
        /// The study's note after the run (the browser saved it).
        var note: String
        /// The dashboard's exit status after SIGTERM (nil when it did not stop within 10 s).
        var dashboardStatus: Int32?
        var dashboardErrors: String
    }

    struct HarnessFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// Starts the search, then the dashboard beside it, runs the Selenium script on the study's page,
    /// then stops the dashboard with SIGTERM.
    static func runBrowser() throws -> Outcome {
        let directory = try TemporaryDirectory("tuner-dashboard-browser")
        try directory.write("study.yaml", """
            name: live-browser
            objective: { metric: loss, direction: min }
            oracle: { type: random, max_trials: 12, seed: 7 }
            hyperparameters:
              x: { type: float, min: -5, max: 5 }
            command:
              run: python3 epochs.py --x {x}
            """)
        try directory.write("epochs.py", """
            import json, sys, time
            x = sys.argv[sys.argv.index("--x") + 1]
            with open("runs.log", "a") as log:
                log.write(x + "\\n")
            # The trial the browser asks for runs long enough to be stopped from its page.
            steps = 40 if float(x) == \(requestedX) else 4
            for step in range(steps):
                time.sleep(0.8)
                print(json.dumps({"step": step, "loss": 1.0 / (step + 1)}), flush=True)
            print(json.dumps({"loss": 0.25}))
            """)
        let storage = directory.path("studies.sqlite")
        let search = try Self.start(Self.tunerPath, ["search", "study.yaml", "--storage", storage], in: directory, log: "search")
        defer { Self.stop(search) }
        // The dashboard starts once the search has made its study.
        let deadline = Date().addingTimeInterval(60)
        while (try? openStudyStorage(storage).study(named: "live-browser")) == nil {
            guard Date() < deadline, search.isRunning else {
                throw HarnessFailure(description: "the search did not create its study: \(directory.read("search.err"))")
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        let dashboard = try Self.start(Self.tunerPath, ["dashboard", "--storage", storage, "--port", "0"], in: directory, log: "dashboard")
        defer { Self.stop(dashboard) }
        var url: String?
        while url == nil {
            guard Date() < deadline, dashboard.isRunning else {
                throw HarnessFailure(description: "the dashboard did not start: \(directory.read("dashboard.err"))")
            }
            url = directory.read("dashboard.out").components(separatedBy: " at ").dropFirst().first?
                .components(separatedBy: " ").first
            if url == nil { Thread.sleep(forTimeInterval: 0.1) }
        }
        let screenshot = try Self.screenshotPath(directory)
        let browser = try Self.run("/usr/bin/python3", [Self.script, (url ?? "") + "studies/live-browser", screenshot, String(requestedX)],
                                   in: directory.path)
        kill(dashboard.processIdentifier, SIGTERM)
        let stopBy = Date().addingTimeInterval(10)
        while dashboard.isRunning && Date() < stopBy { Thread.sleep(forTimeInterval: 0.05) }
        let store = try openStudyStorage(storage)
        let study = try store.requireStudy(named: "live-browser")
        return Outcome(browserStatus: browser.status, browserOutput: browser.output,
                       screenshot: (try? Data(contentsOf: URL(fileURLWithPath: screenshot))) ?? Data(),
                       requests: try store.trialRequests(study: study.id), trials: try store.trials(study: study.id),
                       commandRuns: directory.read("runs.log").split(separator: "\n").map(String.init),
                       note: study.note.text,
                       dashboardStatus: dashboard.isRunning ? nil : dashboard.terminationStatus,
                       dashboardErrors: directory.read("dashboard.err"))
    }

    /// Where the screenshot goes: `DASHBOARD_SCREENSHOT_DIR` when set (to keep it), else the test's folder.
    static func screenshotPath(_ directory: TemporaryDirectory) throws -> String {
        if let folder = ProcessInfo.processInfo.environment["DASHBOARD_SCREENSHOT_DIR"], !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            return folder + "/dashboard-study.png"
        }
        return directory.path("dashboard-study.png")
    }

    static func start(_ executable: String, _ arguments: [String], in directory: TemporaryDirectory, log: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory.url
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "TUNER_STORAGE")
        process.environment = environment
        for name in ["\(log).out", "\(log).err"] { _ = FileManager.default.createFile(atPath: directory.path(name), contents: nil) }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: directory.path("\(log).out")))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: directory.path("\(log).err")))
        try process.run()
        return process
    }

    /// Ends a process this test started (SIGTERM, then SIGKILL after 10 s).
    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    static func run(_ executable: String, _ arguments: [String], in directory: String? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}

extension TemporaryDirectory {
    /// The text of file `name` in the folder ("" when unreadable).
    func read(_ name: String) -> String { (try? String(contentsOfFile: path(name), encoding: .utf8)) ?? "" }
}
