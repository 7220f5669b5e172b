@testable import Dashboard
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// With a token, every request must carry it; the printed link's `?token=` becomes a cookie.
@Suite("Token")
struct TokenTests {
    static let token = "s3cret-token-0123456789abcdef"

    static func get(_ path: String, _ configuration: DashboardConfiguration,
                    headers: HTTPFields = [:]) async throws -> (status: HTTPResponse.Status, body: String, headers: HTTPFields) {
        try await PageTests.get(path, configuration, headers: headers)
    }

    @Test func requestsWithoutTheTokenGetA401PageShowingNothing() async throws {
        let storage = try DashboardStorage()
        try makeStudy(try storage.open(), name: "private-study")
        var configuration = storage.configuration()
        configuration.token = Self.token
        for path in ["/", "/studies/private-study", "/studies/private-study/trials/0", "/studies/private-study/events?since=0",
                     "/assets/live.js", "/compare?study=a&study=b", "/no/such/page", "/?token=wrong-token-0123456789"] {
            let (status, body, headers) = try await Self.get(path, configuration)
            #expect(status == .unauthorized, "\(path)")
            #expect(body.contains("Token needed") && !body.contains("private-study"), "\(path)")
            #expect(headers[HTTPField.Name("Content-Security-Policy")!] != nil, "\(path)")
        }
        let wrong = try await Self.get("/", configuration, headers: [.cookie: "\(TokenCheck<BasicRequestContext>.cookieName)=nope"])
        #expect(wrong.status == .unauthorized)
    }

    @Test func theLinksTokenBecomesACookieAndEitherOpensEveryPage() async throws {
        let storage = try DashboardStorage()
        try makeStudy(try storage.open())
        var configuration = storage.configuration()
        configuration.token = Self.token
        let (status, _, headers) = try await Self.get("/studies/mnist?state=COMPLETE&token=\(Self.token)&page=1", configuration)
        #expect(status == .seeOther)
        #expect(headers[.location] == "/studies/mnist?state=COMPLETE&page=1")
        let cookie = try #require(headers[.setCookie])
        #expect(cookie == "tuner_dashboard_token=\(Self.token); Path=/; HttpOnly; SameSite=Strict")
        let withCookie = try await Self.get("/studies/mnist", configuration, headers: [.cookie: "theme=dark; tuner_dashboard_token=\(Self.token)"])
        #expect(withCookie.status == .ok && withCookie.body.contains("Study “mnist”"))
        let withBearer = try await Self.get("/", configuration, headers: [.authorization: "Bearer \(Self.token)"])
        #expect(withBearer.status == .ok)
    }

    @Test func tokensAreCheckedAndMadeWell() {
        #expect(DashboardToken.problem(with: Self.token) == nil)
        #expect(DashboardToken.problem(with: "short")?.contains("16 to 200") == true)
        #expect(DashboardToken.problem(with: "has spaces and ; semicolons")?.contains("ASCII letters") == true)
        let made = DashboardToken.generate()
        #expect(made.count == 64 && DashboardToken.problem(with: made) == nil && made != DashboardToken.generate())
        #expect(TokenCheck<BasicRequestContext>.same("abc", "abc") && !TokenCheck<BasicRequestContext>.same("abc", "abd"))
        // The redirect stays on this server.
        #expect(TokenCheck<BasicRequestContext>.withoutToken(path: "//evil.example/x", query: "token=t") == "/evil.example/x")
        #expect(TokenCheck<BasicRequestContext>.withoutToken(path: "/\\evil.example", query: nil) == "/evil.example")
        #expect(TokenCheck<BasicRequestContext>.withoutToken(path: "/studies/a", query: "token&b=1") == "/studies/a?b=1")
        #expect(!TokenCheck<BasicRequestContext>.same("abc", "abcd") && !TokenCheck<BasicRequestContext>.same("", "a"))
    }
}
