import Dashboard
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import StudyStore
import Testing
import TestSupport
import Tuning

/// Every route in process (HummingbirdTesting's router client): statuses, contents, escaping, and the
/// error pages of bad requests, missing studies and storages that cannot be read.
@Suite("Pages")
struct PageTests {
    /// GETs `path` from a dashboard on `storage` and returns the status, the body and the headers.
    static func get(_ path: String, _ configuration: DashboardConfiguration,
                    headers: HTTPFields = [:]) async throws -> (status: HTTPResponse.Status, body: String, headers: HTTPFields) {
        try await Dashboard.application(configuration).test(.router) { client in
            try await client.execute(uri: path, method: .get, headers: headers) { response in
                (response.status, String(buffer: response.body), response.headers)
            }
        }
    }

    @Test func theListOfStudiesCountsTrialsAndLinksEachStudyEscaped() async throws {
        let storage = try DashboardStorage()
        let store = try storage.open()
        try makeStudy(store)
        try makeStudy(store, name: Hostile.studyName, completed: 1)
        let (status, body, headers) = try await Self.get("/", storage.configuration())
        #expect(status == .ok)
        #expect(headers[.contentType] == "text/html; charset=utf-8")
        #expect(headers[HTTPField.Name("Content-Security-Policy")!]?.contains("script-src 'self'") == true)
        #expect(body.contains("2 studies"))
        #expect(body.contains("<a href=\"/studies/mnist\">mnist</a>"))
        #expect(body.contains("COMPLETE 3") && body.contains("FAILED 1") && body.contains("RUNNING 1") && body.contains("WAITING 1"))
        // The best of mnist: trial 2 with 0.72.
        #expect(body.contains("0.72 <a href=\"/studies/mnist/trials/2\">#2</a>"))
        // The hostile name: escaped as text, percent-encoded in its link, never raw.
        #expect(!body.contains("<script>alert"))
        #expect(body.contains("&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt; &amp; &#39;x&#39; /50%?é"))
        #expect(body.contains("/studies/%3Cscript%3Ealert%28%22name%22%29%3C%2Fscript%3E%20%26%20%27x%27%20%2F50%25%3F%C3%A9"))
    }

    @Test func anEmptyStorageSaysHowToStartAStudy() async throws {
        let storage = try DashboardStorage()
        _ = try storage.open()
        let (status, body, _) = try await Self.get("/", storage.configuration())
        #expect(status == .ok)
        #expect(body.contains("No study yet"))
    }

    @Test func aStudyPageHasTheChartsTheLiveStreamAndATrialsTable() async throws {
        let storage = try DashboardStorage()
        try makeStudy(try storage.open(), name: Hostile.studyName)
        let path = "/studies/" + percentEncoded(Hostile.studyName)
        let (status, body, _) = try await Self.get(path, storage.configuration())
        #expect(status == .ok)
        // Charts from Reports, inline.
        #expect(body.contains("<section id=\"history\">") && body.contains("<svg"))
        #expect(body.contains("Learning curves") && body.contains("Parallel coordinates"))
        // The live script and the stream's address, with the page's cursor and columns.
        #expect(body.contains("<script src=\"/assets/live.js\" defer></script>"))
        #expect(body.contains("data-events=\"\(path)/events?since="))
        #expect(body.contains("&amp;cols=lr,units,optimizer\""))
        // Newest first: the WAITING trial 5 leads, then 4 (RUNNING), 3 (FAILED) ...
        let rows = rowNumbers(body)
        #expect(rows == [5, 4, 3, 2, 1, 0])
        #expect(body.contains("data-insert=\"top\""))
        // Every user string escaped: name, choice value, error (in the cell and its title), metric name.
        #expect(!body.contains("<script>alert") && !body.contains("<b onmouseover") && !body.contains("<img src=x") && !body.contains("<i>val</i>"))
        #expect(body.contains("&lt;b onmouseover=&quot;alert(1)&quot;&gt;adam&lt;/b&gt;"))
        #expect(body.contains("title=\"&lt;img src=x onerror=alert(&#39;error&#39;)&gt; &amp; failed\""))
    }

    @Test func theTrialsTableSortsFiltersAndPages() async throws {
        let storage = try DashboardStorage()
        try makeStudy(try storage.open(), completed: 7)
        let configuration = storage.configuration(pageSize: 3)
        // Oldest first, 3 a page: page 2 holds 3, 4, 5.
        var body = try await Self.get("/studies/mnist?order=asc&page=2", configuration).body
        #expect(rowNumbers(body) == [3, 4, 5])
        #expect(body.contains("page 2 of 4 · trials: <span data-count=\"all\">10</span>"))
        #expect(body.contains("data-insert=\"none\""))
        // Only COMPLETE trials, best score first (maximize: descending).
        body = try await Self.get("/studies/mnist?state=COMPLETE&sort=score&order=desc", configuration).body
        #expect(rowNumbers(body) == [6, 5, 4])
        #expect(body.contains("data-state-filter=\"COMPLETE\""))
        // A hyperparameter: units ascending, trials without a value last.
        body = try await Self.get("/studies/mnist?sort=hp%3Aunits&order=asc&state=complete", configuration).body
        #expect(rowNumbers(body) == [0, 1, 2])
        // Past the last page: the last page.
        body = try await Self.get("/studies/mnist?page=99", configuration).body
        #expect(rowNumbers(body) == [0])
        // A hyperparameter's range (units 9 to 10): trials 1, 2 and the FAILED 7; no live inserts then.
        body = try await Self.get("/studies/mnist?hp=units&min=9&max=10", storage.configuration(pageSize: 3)).body
        #expect(rowNumbers(body) == [7, 2, 1])
        #expect(body.contains("data-insert=\"none\""))
        #expect(body.contains("<option value=\"units\" selected>units</option>"))
        #expect(body.contains("<input name=\"min\" size=\"9\" value=\"9.0\">"))
        // An open end, with the state filter: COMPLETE trials with lr up to 0.003.
        body = try await Self.get("/studies/mnist?state=COMPLETE&hp=lr&max=0.003&min=", configuration).body
        #expect(rowNumbers(body) == [2, 1, 0])
        // Sort links toggle the direction of the current key and keep the filter.
        body = try await Self.get("/studies/mnist?state=FAILED", configuration).body
        #expect(body.contains("href=\"/studies/mnist?order=asc&amp;state=FAILED#trials\" class=\"sorted\">#"))
    }

    @Test(arguments: [
        ("/studies/mnist?sort=colour", "sort=colour"), ("/studies/mnist?order=sideways", "order=sideways"),
        ("/studies/mnist?state=DONE", "state=DONE"), ("/studies/mnist?page=0", "page=0"), ("/studies/mnist?page=x", "page=x"),
        ("/studies/mnist?sort=hp%3Anope", "no hyperparameter “nope”"), ("/studies/%ZZ", "not valid percent-encoded"),
        ("/studies/%FF", "not valid percent-encoded"), ("/studies/mnist/trials/abc", "“abc” is not a trial number"),
        ("/studies/mnist/events", "needs ?since=CURSOR"), ("/studies/mnist/events?since=DROP%20TABLE", "needs ?since=CURSOR"),
        ("/studies/mnist?page=%ZZ", "not valid percent-encoded"),
        ("/studies/mnist/events?since=1&cols=" + Array(repeating: "a", count: 1001).joined(separator: ","), "at most 1000"),
        ("/studies/mnist?hp=optimizer&min=1", "no numeric hyperparameter “optimizer”"), ("/studies/mnist?hp=units&min=abc", "min=abc is not a number"),
        ("/studies/mnist?hp=units&min=5&max=1", "min=5 is above max=1"), ("/studies/mnist?hp=units&max=inf", "max=inf is not a number"),
        ("/compare?study=mnist", "at least two studies"), ("/compare?study=mnist&study=mnist", "at least two studies"),
        ("/compare?" + (1...9).map { "study=s\($0)" }.joined(separator: "&"), "compare at most 8"),
    ])
    func aMalformedRequestGetsA400PageSayingWhy(_ path: String, _ reason: String) async throws {
        let storage = try DashboardStorage()
        try makeStudy(try storage.open())
        let (status, body, headers) = try await Self.get(path, storage.configuration())
        #expect(status == .badRequest)
        #expect(headers[.contentType] == "text/html; charset=utf-8")
        #expect(body.contains("<section class=\"problem\" id=\"problem\"><h2>400 Bad Request</h2>"))
        #expect(body.contains(reason.replacingOccurrences(of: "\"", with: "&quot;")), "\(body)")
    }

    @Test func aMissingStudyOrTrialOrPageIsA404Page() async throws {
        let storage = try DashboardStorage()
        try makeStudy(try storage.open())
        var (status, body, _) = try await Self.get("/studies/" + percentEncoded("<nope>"), storage.configuration())
        #expect(status == .notFound)
        #expect(body.contains("There is no study named “&lt;nope&gt;”"))
        (status, body, _) = try await Self.get("/studies/mnist/trials/99", storage.configuration())
        #expect(status == .notFound && body.contains("has no trial number 99"))
        (status, body, _) = try await Self.get("/studies/nope/trials/1", storage.configuration())
        #expect(status == .notFound && body.contains("There is no study named “nope”"))
        (status, body, _) = try await Self.get("/etc/passwd", storage.configuration())
        #expect(status == .notFound && body.contains("Page not found"))
        (status, body, _) = try await Self.get("/studies/mnist/../../etc/passwd", storage.configuration())
        #expect(status == .notFound && !body.contains("root:"))
        // A name with a NUL can name no study.
        (status, body, _) = try await Self.get("/studies/a%00b", storage.configuration())
        #expect(status == .notFound)
    }

    @Test func aTrialPageShowsItsFactsCurvesAndValuesEscaped() async throws {
        let storage = try DashboardStorage()
        try makeStudy(try storage.open(), name: Hostile.studyName)
        let base = "/studies/" + percentEncoded(Hostile.studyName)
        var (status, body, _) = try await Self.get(base + "/trials/3", storage.configuration())
        #expect(status == .ok)
        #expect(body.contains("id=\"trial-state\">FAILED<"))
        #expect(body.contains("<pre class=\"error\" id=\"trial-error\">&lt;img src=x onerror=alert(&#39;error&#39;)&gt; &amp; failed</pre>"))
        #expect(body.contains("&lt;b onmouseover=&quot;alert(1)&quot;&gt;adam&lt;/b&gt;"))
        #expect(body.contains("<th data-metric=\"&lt;i&gt;val&lt;/i&gt;\">&lt;i&gt;val&lt;/i&gt;</th>"))
        #expect(!body.contains("<img src=x") && !body.contains("<i>val</i>") && !body.contains("<script>alert"))
        #expect(body.contains("data-trial=\"3\""))
        (status, body, _) = try await Self.get(base + "/trials/0", storage.configuration())
        #expect(status == .ok)
        // One chart per metric, and every epoch's values.
        #expect(body.components(separatedBy: "<figure class=\"small\"><svg").count - 1 == 2)
        #expect(body.contains("<tr data-step=\"2\"><td class=\"num\">3</td>"))
        #expect(body.contains("data-events=\"\(base)/events?since="))
        #expect(body.contains("&amp;trial=0\""))
    }

    /// A study with several objectives: the status names every objective and the Pareto front, the table
    /// has a column per objective and whether each trial is feasible, and a trial's page gives its values
    /// and constraints.
    @Test func aStudyWithSeveralObjectivesShowsEachObjectiveAndItsFront() async throws {
        let storage = try DashboardStorage()
        let store = try storage.open()
        let study = try store.createStudy(NewStudy(name: "mo", objective: .maximize("accuracy"), additionalObjectives: [.minimize(Hostile.metric)],
                                                   oracleKind: "random", searchSpace: try SearchSpace([.float("x", min: 0, max: 1)])))
        let told: [(accuracy: Double, size: Double, constraint: Double)] = [(0.8, 100, -1), (0.9, 250, -1), (0.7, 300, -1), (0.95, 50, 0.5)]
        for (number, values) in told.enumerated() {
            let trial = try store.startTrial(study: study.id, number: number, worker: "w", hyperparameters: ["x": .float(Double(number) / 4)])
            try store.finishTrial(trial.id, worker: "w", state: .complete, score: values.accuracy,
                                  values: TrialValues(objectives: [values.accuracy, values.size], constraints: [values.constraint]))
        }
        let (status, body, _) = try await Self.get("/studies/mo", storage.configuration())
        #expect(status == .ok)
        #expect(body.contains("accuracy (maximize), &lt;i&gt;val&lt;/i&gt; (minimize) ·"), "\(body)")
        #expect(body.contains("Pareto front <strong>2 trials</strong>") && !body.contains("best accuracy"))
        #expect(body.contains("<th>&lt;i&gt;val&lt;/i&gt;</th><th>feasible</th>") && !body.contains("<i>val</i>"))
        // Trial 3 is the most accurate and smallest but infeasible: shown, never on the front.
        let row = body.components(separatedBy: "<tr id=\"trial-3\"").dropFirst().first?.components(separatedBy: "</tr>").first ?? ""
        #expect(row.contains("<td class=\"num\">50</td>") && row.contains("<span class=\"infeasible\">no</span>"), "\(row)")
        let list = try await Self.get("/", storage.configuration())
        #expect(list.body.contains("accuracy (max), &lt;i&gt;val&lt;/i&gt; (min)") && list.body.contains("front of 2"), "\(list.body)")
        let trialPage = try await Self.get("/studies/mo/trials/3", storage.configuration())
        #expect(trialPage.body.contains("&lt;i&gt;val&lt;/i&gt; (minimize)") && trialPage.body.contains("0.5 (infeasible)"), "\(trialPage.body)")
    }

    @Test func studiesAreComparedOnOneHistoryChart() async throws {
        let storage = try DashboardStorage()
        let store = try storage.open()
        try makeStudy(store)
        try makeStudy(store, name: Hostile.studyName, completed: 2)
        try makeStudy(store, name: "a b", completed: 1)
        // The list of studies is a form: ticking studies and "Compare" opens /compare?study=A&study=B.
        var (status, body, _) = try await Self.get("/", storage.configuration())
        #expect(body.contains("<form method=\"get\" action=\"/compare\" id=\"compare-form\">"))
        #expect(body.contains("<input type=\"checkbox\" name=\"study\" value=\"&lt;script&gt;alert(&quot;name&quot;)"))
        // As a browser submits it: `+` for a space, the rest percent-encoded.
        let hostile = percentEncoded(Hostile.studyName).replacingOccurrences(of: "%20", with: "+")
        (status, body, _) = try await Self.get("/compare?study=mnist&study=\(hostile)&study=a+b", storage.configuration())
        #expect(status == .ok)
        #expect(body.contains("Optimization history of 3 studies"))
        #expect(body.contains("<a href=\"/studies/a%20b\">a b</a>"))
        #expect(body.contains("&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;") && !body.contains("<script>alert"))
        #expect(body.contains("0.72 <a href=\"/studies/mnist/trials/2\">#2</a>"))
        (status, body, _) = try await Self.get("/compare?study=mnist&study=nope", storage.configuration())
        #expect(status == .notFound && body.contains("There is no study named “nope”"))
    }

    @Test func theLiveScriptIsServedByTheDashboardItself() async throws {
        let storage = try DashboardStorage()
        let (status, body, headers) = try await Self.get("/assets/live.js", storage.configuration())
        #expect(status == .ok)
        #expect(headers[.contentType] == "text/javascript; charset=utf-8")
        #expect(body.contains("new EventSource(url)"))
        // Nothing fetched from elsewhere.
        #expect(!body.contains("http://") && !body.contains("https://"))
    }

    @Test func aStorageThatIsMissingOrNotADatabaseGivesA503PageAndNoFile() async throws {
        let directory = try TemporaryDirectory()
        let missing = directory.path("nothing.sqlite")
        var (status, body, _) = try await Self.get("/", DashboardConfiguration(storage: missing, port: 0))
        #expect(status == .serviceUnavailable)
        #expect(body.contains("There is no study database at"))
        // Never created.
        #expect(!FileManager.default.fileExists(atPath: missing))
        let garbage = directory.path("garbage.sqlite")
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: garbage))
        (status, body, _) = try await Self.get("/studies/x", DashboardConfiguration(storage: garbage, port: 0))
        #expect(status == .serviceUnavailable)
        #expect(body.contains("is not a usable study database"))
        (status, body, _) = try await Self.get("/", DashboardConfiguration(storage: directory.path, port: 0))
        #expect(status == .serviceUnavailable && body.contains("is a folder"))
        // A PostgreSQL server that is not there: the message names it without the password.
        (status, body, _) = try await Self.get("/", DashboardConfiguration(storage: "postgresql://u:secret@127.0.0.1:1/db", port: 0))
        #expect(status == .serviceUnavailable)
        #expect(body.contains("postgresql://u@127.0.0.1:1/db") && !body.contains("secret"))
    }

    /// The dashboard only reads: while another connection holds SQLite's write lock (a worker in the
    /// middle of a write) for the whole test, every page is served. A page that needed the lock would wait
    /// the busy timeout and then fail with a 503 page ("locked"), since the lock is never released meanwhile.
    @Test func pagesAreServedWhileAWorkerHoldsTheWriteLock() async throws {
        let storage = try DashboardStorage()
        try makeStudy(try storage.open())
        let queue = try DatabaseQueue(path: storage.location)
        let locked = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        Thread {
            try? queue.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    // A name no page holds otherwise ("holder" alone is in the forms' placeholder attributes).
                    try db.execute(sql: "UPDATE trials SET worker = 'lock-holding-worker' WHERE number = 4")
                    locked.signal()
                    release.wait()
                    return .rollback
                }
            }
            done.signal()
        }.start()
        locked.wait()
        defer {
            release.signal()
            done.wait()
        }
        let app = Dashboard.application(storage.configuration())
        try await app.test(.router) { client in
            for path in ["/", "/studies/mnist", "/studies/mnist/trials/4"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok, "\(path)")
                    #expect(!String(buffer: response.body).contains("lock-holding-worker"))
                }
            }
        }
    }

    /// A PostgreSQL connection that breaks (the server ended it, the network cut) costs at most one 503
    /// page per reader connection — a storage error, or no answer within the read timeout (a call on a
    /// connection the server ended can wait forever) —; the next requests use new connections and are served.
    @Test func brokenPostgresConnectionsAreReplaced() async throws {
        let storage = try DashboardStorage(.postgres)
        try makeStudy(try storage.open())
        let configuration = storage.configuration(readTimeout: .seconds(3))
        let statuses = try await Dashboard.application(configuration).test(.router) { client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<2 {
                try await client.execute(uri: "/studies/mnist", method: .get) { #expect($0.status == .ok) }
            }
            #expect(try storage.cutPostgresConnections() >= 1)
            for _ in 0..<6 {
                let (status, body) = try await client.execute(uri: "/studies/mnist", method: .get) { response in
                    (response.status, String(buffer: response.body))
                }
                statuses.append(status)
                if status != .ok {
                    #expect(body.contains("The dashboard tries again on the next request") || body.contains("did not answer within 3 s"),
                            "\(body)")
                }
            }
            return statuses
        }
        #expect(statuses.filter { $0 != .ok }.allSatisfy { $0 == .serviceUnavailable })
        #expect(statuses.filter { $0 != .ok }.count <= 2, "\(statuses)")
        #expect(statuses.suffix(4).allSatisfy { $0 == .ok }, "\(statuses)")
    }

    @Test func aLargeStudyRendersOnePageOfItsTable() async throws {
        let storage = try DashboardStorage()
        let store = try storage.open()
        let space = try SearchSpace([.float("lr", min: 1e-4, max: 1e-1, sampling: .log), .int("units", min: 8, max: 512)])
        let study = try store.createStudy(NewStudy(name: "big", objective: .minimize("val_loss"), oracleKind: "random",
                                                   oracleConfiguration: .object([:]), searchSpace: space))
        try store.write { store in
            for number in 0..<2_000 {
                let trial = try store.insertImportedTrial(study: study.id, ImportedTrial(
                    number: number, state: .complete, hyperparameters: ["lr": .float(1e-4 * Double(number % 97 + 1)), "units": .int(8 + number % 500)],
                    score: 1 / Double(number + 1), worker: "w", createdAt: 1000, startedAt: 1000, endedAt: 1010))
                for step in 0..<5 { try store.recordMetrics(trial: trial.id, step: step, values: ["val_loss": 1 / Double(step + number + 1)]) }
            }
        }
        // How fast is make bench's (dashboard_study_page_10000_trials), not a bound here.
        let (status, body, _) = try await Self.get("/studies/big", storage.configuration())
        #expect(status == .ok)
        #expect(rowNumbers(body).count == 50)
    }
}

/// The trial numbers of a page's trials table, in order.
func rowNumbers(_ body: String) -> [Int] {
    body.components(separatedBy: "<tr id=\"trial-").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
}

/// A name as `PathSegment` writes it (kept independent of the code under test for the check).
func percentEncoded(_ name: String) -> String {
    let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
    return name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name
}
