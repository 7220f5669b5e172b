import Foundation
import HTTPTypes
import Hummingbird

/// The dashboard's token: when one is set (`--token`, required to listen beyond this machine), every
/// request must carry it — as the `tuner_dashboard_token` cookie, an `Authorization: Bearer` header, or
/// once in the address (`/?token=...`, the link `tuner dashboard` prints), which sets the cookie
/// (HttpOnly, SameSite=Strict) and redirects to the same page without it. Anything else gets a 401 page
/// that shows nothing of the studies. Tokens are compared in constant time.
struct TokenCheck<Context: RequestContext>: RouterMiddleware {
    /// The cookie holding the token.
    static var cookieName: String { "tuner_dashboard_token" }

    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let query = QueryString(request.uri.query)
        if let given = try? query.value("token") {
            guard Self.same(given, token) else { return Self.refused() }
            // Into the cookie, and out of the address (and the browser's history).
            var headers = HTTPFields()
            headers[.location] = Self.withoutToken(path: request.uri.path, query: request.uri.query)
            headers[.setCookie] = "\(Self.cookieName)=\(token); Path=/; HttpOnly; SameSite=Strict"
            headers[.cacheControl] = "no-store"
            return Response(status: .seeOther, headers: headers)
        }
        if let presented = Self.presented(request.headers), Self.same(presented, token) {
            return try await next(request, context)
        }
        return Self.refused()
    }

    /// The token a request carries in its cookie or `Authorization` header.
    static func presented(_ headers: HTTPFields) -> String? {
        if let authorization = headers[.authorization], authorization.hasPrefix("Bearer ") {
            return String(authorization.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
        }
        for cookies in headers[values: .cookie] {
            for pair in cookies.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == cookieName {
                    return String(parts[1]).trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }

    /// Whether two tokens are equal, in time that depends on their lengths only.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for index in 0..<max(x.count, y.count) {
            difference |= (index < x.count ? x[index] : 0) ^ (index < y.count ? y[index] : 0)
        }
        return difference == 0
    }

    /// A request's path and query without its `token` parameter, always a path on this server (a path
    /// starting `//` or `/\` would send a browser to another host).
    static func withoutToken(path: String, query: String?) -> String {
        let kept = (query ?? "").split(separator: "&").filter { !$0.hasPrefix("token=") && $0 != "token" }
        let local = "/" + path.drop { $0 == "/" || $0 == "\\" }
        return local + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
    }

    /// The 401 page.
    static func refused() -> Response {
        HTMLResponse.make(ErrorPage.html(DashboardProblem(
            status: .unauthorized, title: "Token needed",
            detail: "This dashboard asks for its token. Open the address `tuner dashboard` printed when it started "
                + "(it ends with ?token=...), or send the token as an Authorization: Bearer header.")), status: .unauthorized)
    }
}

/// Tokens: checked when given, made when needed.
public enum DashboardToken {
    /// Why `token` cannot be used, or nil when it can: 16 to 200 characters among ASCII letters, digits,
    /// `-`, `_`, `.` and `~` (it travels in a cookie and an address unchanged).
    public static func problem(with token: String) -> String? {
        guard (16...200).contains(token.count) else { return "it has \(token.count) characters; a token has 16 to 200" }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~")
        guard token.allSatisfy({ allowed.contains($0) }) else {
            return "it holds characters other than ASCII letters, digits, -, _, . and ~"
        }
        return nil
    }

    /// A new random token: 32 bytes from the system's generator, as 64 hexadecimal digits.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
