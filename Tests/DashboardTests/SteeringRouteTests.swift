@testable import Dashboard
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import StudyStore
import Testing
import Tuning

/// The steering routes in process: a study's note, a trial asked for, a running trial stopped — their
/// successes, validation errors, read-only and cross-site refusals, the token, and malformed bodies.
@Suite("Steering routes")
struct SteeringRouteTests {
    typealias Answer = (status: HTTPResponse.Status, body: String, headers: HTTPFields)

    /// Runs `body` against one running application (its form token lives as long as it does).
    static func session<T: Sendable>(_ configuration: DashboardConfiguration,
                                     _ body: @escaping @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        try await Dashboard.application(configuration).test(.router) { client in try await body(client) }
    }

    static func get(_ client: any TestClientProtocol, _ path: String, headers: HTTPFields = [:]) async throws -> Answer {
        try await client.execute(uri: path, method: .get, headers: headers) { ($0.status, String(buffer: $0.body), $0.headers) }
    }

    /// Posts `fields` as a browser's form does (same-origin), plus `headers`.
    static func post(_ client: any TestClientProtocol, _ path: String, _ fields: [(String, String)], headers: HTTPFields = [:],
                     contentType: String = "application/x-www-form-urlencoded", fetchSite: String? = "same-origin") async throws -> Answer {
        let body = fields.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
        return try await post(client, path, body: ByteBuffer(string: body), headers: headers, contentType: contentType, fetchSite: fetchSite)
    }

    static func post(_ client: any TestClientProtocol, _ path: String, body: ByteBuffer, headers: HTTPFields = [:],
                     contentType: String = "application/x-www-form-urlencoded", fetchSite: String? = "same-origin") async throws -> Answer {
        var all: HTTPFields = [.contentType: contentType]
        if let fetchSite { all[HTTPField.Name("Sec-Fetch-Site")!] = fetchSite }
        for field in headers { all[field.name] = field.value }
        return try await client.execute(uri: path, method: .post, headers: all, body: body) {
            ($0.status, String(buffer: $0.body), $0.headers)
        }
    }

    /// A form field as a browser encodes it.
    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_.*")
        return (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "").replacingOccurrences(of: "%20", with: "+")
    }

    /// The form token a page carries.
    static func formToken(_ html: String) throws -> String {
        let marker = "name=\"\(WriteGuard.fieldName)\" value=\""
        let start = try #require(html.range(of: marker)).upperBound
        return String(html[start...].prefix { $0 != "\"" })
    }

    /// Reads the study page and returns its form token.
    static func token(_ client: any TestClientProtocol, study: String = "mnist") async throws -> String {
        try formToken(try await get(client, DashboardPaths.study(study)).body)
    }

    @Test(arguments: Backend.allCases)
    func aNoteIsSavedShownEscapedAndBounded(_ backend: Backend) async throws {
        let storage = try DashboardStorage(backend)
        try makeStudy(try storage.open())
        let note = "<script>alert('note')</script> & lr > 0.01 diverges\r\nsecond line"
        try await Self.session(storage.configuration()) { client in
            let first = try await Self.get(client, "/studies/mnist")
            #expect(first.body.contains("No note.") && first.body.contains("action=\"/studies/mnist/note\""))
            let token = try Self.formToken(first.body)
            let saved = try await Self.post(client, "/studies/mnist/note", [(WriteGuard.fieldName, token), ("note", note)])
            #expect(saved.status == .seeOther)
            #expect(saved.headers[.location] == "/studies/mnist#note")
            let page = try await Self.get(client, "/studies/mnist")
            #expect(page.body.contains("&lt;script&gt;alert(&#39;note&#39;)&lt;/script&gt; &amp; lr &gt; 0.01 diverges\nsecond line")
                    || page.body.contains("&lt;script&gt;alert(&#x27;note&#x27;)&lt;/script&gt; &amp; lr &gt; 0.01 diverges\nsecond line"))
            #expect(!page.body.contains("<script>alert('note')"))
            let list = try await Self.get(client, "/")
            #expect(list.body.contains("lr &gt; 0.01 diverges") && !list.body.contains("second line"))
            let tooLong = try await Self.post(client, "/studies/mnist/note",
                                              [(WriteGuard.fieldName, token), ("note", String(repeating: "x", count: StudyNote.maximumLength + 1))])
            #expect(tooLong.status == .badRequest && tooLong.body.contains("at most 10000"))
            let missing = try await Self.post(client, "/studies/mnist/note", [(WriteGuard.fieldName, token)])
            #expect(missing.status == .badRequest)
            let unknown = try await Self.post(client, "/studies/nope/note", [(WriteGuard.fieldName, token), ("note", "x")])
            #expect(unknown.status == .notFound)
        }
        #expect(try storage.open().requireStudy(named: "mnist").note.text == note.replacingOccurrences(of: "\r\n", with: "\n"))
    }

    @Test(arguments: Backend.allCases)
    func aTrialIsRequestedWithValuesCheckedAgainstTheSpace(_ backend: Backend) async throws {
        let storage = try DashboardStorage(backend)
        let study = try makeStudy(try storage.open())
        let answers = try await Self.session(storage.configuration()) { client in
            let page = try await Self.get(client, "/studies/mnist")
            #expect(page.body.contains("name=\"hp.lr\"") && page.body.contains("name=\"hp.units\"") && page.body.contains("name=\"hp.optimizer\""))
            #expect(page.body.contains("No trial was requested."))
            let token = try Self.formToken(page.body)
            func ask(_ fields: [(String, String)]) async throws -> Answer {
                try await Self.post(client, "/studies/mnist/trials", [(WriteGuard.fieldName, token)] + fields)
            }
            let good = try await ask([("hp.lr", "0.005"), ("hp.units", "20"), ("hp.optimizer", Hostile.choice)])
            let outOfRange = try await ask([("hp.units", "100")])
            let notANumber = try await ask([("hp.units", "twenty")])
            let notAChoice = try await ask([("hp.optimizer", "adamw")])
            let nan = try await ask([("hp.lr", "nan")])
            let after = try await Self.get(client, "/studies/mnist")
            return (good, outOfRange, notANumber, notAChoice, nan, after.body)
        }
        #expect(answers.0.status == .seeOther && answers.0.headers[.location] == "/studies/mnist#requests")
        #expect(answers.1.status == .badRequest && answers.1.body.contains("units"))
        #expect(answers.2.status == .badRequest && answers.2.body.contains("Field “units”") && answers.2.body.contains("whole number"))
        #expect(answers.3.status == .badRequest && answers.3.body.contains("Field “optimizer”") && answers.3.body.contains("choices"))
        #expect(answers.4.status == .badRequest && answers.4.body.contains("Field “lr”"))
        #expect(answers.5.contains("waiting for a worker") && answers.5.contains("units=20"))
        let requests = try storage.open().trialRequests(study: study.id)
        #expect(requests.count == 1)
        #expect(requests.first?.status == .pending)
        #expect(requests.first?.hyperparameters == ["lr": .float(0.005), "units": .int(20), "optimizer": .string(Hostile.choice)])
    }

    @Test(arguments: Backend.allCases)
    func aRunningTrialIsAskedToStop(_ backend: Backend) async throws {
        let storage = try DashboardStorage(backend)
        let study = try makeStudy(try storage.open())
        // makeStudy's trials: 0-2 COMPLETE, 3 FAILED, 4 RUNNING, 5 WAITING.
        let answers = try await Self.session(storage.configuration()) { client in
            let page = try await Self.get(client, "/studies/mnist/trials/4")
            #expect(page.body.contains("action=\"/studies/mnist/trials/4/stop\""))
            let complete = try await Self.get(client, "/studies/mnist/trials/0")
            #expect(!complete.body.contains("/stop\""))
            let token = try Self.formToken(page.body)
            let stop = try await Self.post(client, "/studies/mnist/trials/4/stop", [(WriteGuard.fieldName, token)])
            let again = try await Self.get(client, "/studies/mnist/trials/4")
            let finished = try await Self.post(client, "/studies/mnist/trials/0/stop", [(WriteGuard.fieldName, token)])
            let unknown = try await Self.post(client, "/studies/mnist/trials/99/stop", [(WriteGuard.fieldName, token)])
            let malformed = try await Self.post(client, "/studies/mnist/trials/four/stop", [(WriteGuard.fieldName, token)])
            return (stop, again.body, finished, unknown, malformed)
        }
        #expect(answers.0.status == .seeOther && answers.0.headers[.location] == "/studies/mnist/trials/4")
        #expect(answers.1.contains("A stop was asked") && answers.1.contains("ends this trial as PRUNED") && !answers.1.contains("/stop\""))
        #expect(answers.2.status == .conflict && answers.2.body.contains("COMPLETE"))
        #expect(answers.3.status == .notFound)
        #expect(answers.4.status == .badRequest)
        let store = try storage.open()
        #expect(try store.trial(study: study.id, number: 4)?.stopRequestedAt != nil)
        #expect(try store.trial(study: study.id, number: 0)?.stopRequestedAt == nil)
    }

    @Test func aReadOnlyDashboardShowsNoFormsAndRefusesEveryChange() async throws {
        let storage = try DashboardStorage()
        let study = try makeStudy(try storage.open())
        try storage.open().updateStudyNote(study.id, try StudyNote("kept"))
        var configuration = storage.configuration()
        configuration.readOnly = true
        let answers = try await Self.session(configuration) { client in
            let page = try await Self.get(client, "/studies/mnist")
            let trial = try await Self.get(client, "/studies/mnist/trials/4")
            var refused: [Answer] = []
            for path in ["/studies/mnist/note", "/studies/mnist/trials", "/studies/mnist/trials/4/stop"] {
                refused.append(try await Self.post(client, path, [(WriteGuard.fieldName, "anything"), ("note", "x"), ("hp.units", "9")]))
            }
            return (page.body, trial.body, refused)
        }
        #expect(answers.0.contains("kept") && !answers.0.contains("<form class=\"steer\"") && !answers.0.contains(WriteGuard.fieldName))
        #expect(!answers.1.contains(WriteGuard.fieldName))
        for answer in answers.2 {
            #expect(answer.status == .forbidden && answer.body.contains("read-only"))
        }
        let store = try storage.open()
        #expect(try store.requireStudy(named: "mnist").note.text == "kept")
        #expect(try store.trialRequests(study: study.id).isEmpty)
        #expect(try store.trial(study: study.id, number: 4)?.stopRequestedAt == nil)
    }

    @Test func crossSiteOrTokenlessFormsAreRefused() async throws {
        let storage = try DashboardStorage()
        let study = try makeStudy(try storage.open())
        let answers = try await Self.session(storage.configuration()) { client in
            let token = try await Self.token(client)
            let fields = [(WriteGuard.fieldName, token), ("note", "forged")]
            return [
                try await Self.post(client, "/studies/mnist/note", [("note", "forged")]),
                // Another first character (a token that starts with "0" must not be forged into itself).
                try await Self.post(client, "/studies/mnist/note", [(WriteGuard.fieldName, (token.first == "0" ? "1" : "0") + token.dropFirst()),
                                                                  ("note", "forged")]),
                try await Self.post(client, "/studies/mnist/note", fields, headers: [.origin: "http://evil.example"]),
                // `null` without a browser saying it is same-origin.
                try await Self.post(client, "/studies/mnist/note", fields, headers: [.origin: "null"], fetchSite: nil),
                try await Self.post(client, "/studies/mnist/note", fields, headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"]),
                try await Self.post(client, "/studies/mnist/trials/4/stop", [(WriteGuard.fieldName, token)],
                                    headers: [HTTPField.Name("Sec-Fetch-Site")!: "same-site"]),
            ]
        }
        for (index, answer) in answers.enumerated() {
            #expect(answer.status == .forbidden, "case \(index)")
        }
        let store = try storage.open()
        #expect(try store.requireStudy(named: "mnist").note.isEmpty)
        // What Chromium sends with the dashboard's own form under its no-referrer policy is taken.
        let own = try await Self.session(storage.configuration()) { client in
            try await Self.post(client, "/studies/mnist/note", [(WriteGuard.fieldName, try await Self.token(client)), ("note", "own")],
                                headers: [.origin: "null"])
        }
        #expect(own.status == .seeOther)
        #expect(try store.requireStudy(named: "mnist").note.text == "own")
        #expect(try store.trial(study: study.id, number: 4)?.stopRequestedAt == nil)
        // An Origin naming the server itself is this server's page.
        #expect(WriteGuard.origin("http://127.0.0.1:8080", isHost: "127.0.0.1:8080"))
        #expect(WriteGuard.origin("https://Dash.Example:443", isHost: "dash.example:443"))
        #expect(!WriteGuard.origin("http://127.0.0.1:8081", isHost: "127.0.0.1:8080"))
        #expect(!WriteGuard.origin("http://127.0.0.1:8080.evil.example", isHost: "127.0.0.1:8080"))
        #expect(!WriteGuard.origin("null", isHost: "127.0.0.1:8080"))
    }

    @Test func withATokenAChangeNeedsItToo() async throws {
        let storage = try DashboardStorage()
        try makeStudy(try storage.open())
        var configuration = storage.configuration()
        configuration.token = TokenTests.token
        let cookie: HTTPFields = [.cookie: "\(TokenCheck<BasicRequestContext>.cookieName)=\(TokenTests.token)"]
        let answers = try await Self.session(configuration) { client in
            let page = try await Self.get(client, "/studies/mnist", headers: cookie)
            let token = try Self.formToken(page.body)
            let without = try await Self.post(client, "/studies/mnist/note", [(WriteGuard.fieldName, token), ("note", "a")])
            let with = try await Self.post(client, "/studies/mnist/note", [(WriteGuard.fieldName, token), ("note", "b")], headers: cookie)
            return (without.status, with.status)
        }
        #expect(answers.0 == .unauthorized)
        #expect(answers.1 == .seeOther)
        #expect(try storage.open().requireStudy(named: "mnist").note.text == "b")
    }

    /// A change meeting a worker's write lock held past the busy timeout is a 503 page saying nothing
    /// changed (the dashboard waits the storage's 5-second busy timeout, never longer, and never crashes).
    @Test func aChangeThatMeetsAHeldWriteLockIsA503AndChangesNothing() async throws {
        let storage = try DashboardStorage()
        try makeStudy(try storage.open())
        let queue = try DatabaseQueue(path: storage.location)
        let locked = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        Thread {
            try? queue.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    try db.execute(sql: "UPDATE trials SET worker = 'lock-holding-worker' WHERE number = 4")
                    locked.signal()
                    release.wait()
                    return .rollback
                }
            }
            done.signal()
        }.start()
        locked.wait()
        let answer: Answer
        do {
            defer {
                release.signal()
                done.wait()
            }
            answer = try await Self.session(storage.configuration()) { client in
                try await Self.post(client, "/studies/mnist/note", [(WriteGuard.fieldName, try await Self.token(client)), ("note", "blocked")])
            }
        }
        #expect(answer.status == .serviceUnavailable && answer.body.contains("Nothing was changed"))
        #expect(try storage.open().requireStudy(named: "mnist").note.isEmpty)
    }

    @Test func malformedFormsGet4xxPages() async throws {
        let storage = try DashboardStorage()
        let study = try makeStudy(try storage.open())
        let answers = try await Self.session(storage.configuration()) { client in
            let token = try await Self.token(client)
            let field = "\(WriteGuard.fieldName)=\(token)"
            return [
                try await Self.post(client, "/studies/mnist/note", [(WriteGuard.fieldName, token), ("note", "x")], contentType: "text/plain"),
                try await Self.post(client, "/studies/mnist/note", body: ByteBuffer(bytes: Array(field.utf8) + Array("&note=".utf8) + [0xFF, 0xFE])),
                try await Self.post(client, "/studies/mnist/note", body: ByteBuffer(string: field + "&note=%E2%28%A1")),
                try await Self.post(client, "/studies/mnist/note", body: ByteBuffer(string: field + "&note=%00")),
                try await Self.post(client, "/studies/mnist/trials", body: ByteBuffer(string: field + "&hp.units=%ZZ")),
                try await Self.post(client, "/studies/mnist/note",
                                    body: ByteBuffer(string: field + "&note=" + String(repeating: "a", count: FormFields.maximumBytes))),
                try await Self.post(client, "/studies/%FF/note", body: ByteBuffer(string: field + "&note=x")),
            ]
        }
        #expect(answers.map(\.status) == [.unsupportedMediaType, .badRequest, .badRequest, .badRequest, .badRequest, .contentTooLarge, .badRequest])
        for answer in answers { #expect(answer.headers[.contentType] == "text/html; charset=utf-8") }
        let store = try storage.open()
        #expect(try store.requireStudy(named: "mnist").note.isEmpty)
        #expect(try store.trialRequests(study: study.id).isEmpty)
    }
}
