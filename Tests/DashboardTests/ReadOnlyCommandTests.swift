import Foundation
import StudyStore
import Testing
import TestSupport

/// `tuner dashboard --read-only`, the built binary: its pages carry no form, and a change posted to it
/// (even one carrying a form token of another dashboard) is a 403 that changes nothing. Python's urllib
/// plays the client (python3 is needed by the browser test too).
@Suite("tuner dashboard --read-only", .timeLimit(.minutes(2)))
struct ReadOnlyCommandTests {
    @Test func theReadOnlyFlagTurnsTheFormsOffAndRefusesChanges() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: BrowserTests.tunerPath), "build tuner first (swift build)")
        let outcome = try await onOwnThread { try Self.run() }
        #expect(outcome.client.status == 0, "\(outcome.client.output)")
        #expect(outcome.client.output.contains("page 200 forms 0"), "\(outcome.client.output)")
        #expect(outcome.client.output.contains("note 403") && outcome.client.output.contains("read-only"), "\(outcome.client.output)")
        #expect(outcome.note.isEmpty)
    }

    static func run() throws -> (client: (status: Int32, output: String), note: String) {
        let directory = try TemporaryDirectory("tuner-dashboard-read-only")
        let storage = directory.path("studies.sqlite")
        try makeStudy(try openStudyStorage(storage))
        let dashboard = try BrowserTests.start(BrowserTests.tunerPath, ["dashboard", "--storage", storage, "--port", "0", "--read-only"],
                                               in: directory, log: "dashboard")
        defer { BrowserTests.stop(dashboard) }
        var url: String?
        let deadline = Date().addingTimeInterval(30)
        while url == nil, Date() < deadline, dashboard.isRunning {
            url = directory.read("dashboard.out").components(separatedBy: " at ").dropFirst().first?.components(separatedBy: " ").first
            if url == nil { Thread.sleep(forTimeInterval: 0.1) }
        }
        let base = try #require(url, "the dashboard did not start: \(directory.read("dashboard.err"))")
        let client = try BrowserTests.run("/usr/bin/python3", ["-c", """
            import sys, urllib.request, urllib.error
            base = sys.argv[1]
            page = urllib.request.urlopen(base + "studies/mnist").read().decode()
            print("page 200 forms", page.count("form_token"))
            request = urllib.request.Request(base + "studies/mnist/note", data=b"form_token=x&note=changed", method="POST",
                                             headers={"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin"})
            try:
                urllib.request.urlopen(request)
                print("note accepted")
            except urllib.error.HTTPError as error:
                print("note", error.code, "read-only" if "read-only" in error.read().decode() else "")
            """, base])
        return (client, try openStudyStorage(storage).requireStudy(named: "mnist").note.text)
    }
}
