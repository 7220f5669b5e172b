import HTTPTypes
import Hummingbird

/// The headers every response carries: a Content-Security-Policy that allows scripts only from the
/// dashboard itself (so even text that escaped escaping could not run) and nothing from elsewhere,
/// `nosniff`, no referrer, and no framing by other sites.
enum SecurityHeaders {
    /// The policy: own scripts and connections, inline styles (the charts and report use them), data:
    /// images (the empty favicon).
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    /// Adds the headers to `headers`.
    static func add(to headers: inout HTTPFields) {
        if let name = HTTPField.Name("Content-Security-Policy") { headers[name] = contentSecurityPolicy }
        if let name = HTTPField.Name("X-Content-Type-Options") { headers[name] = "nosniff" }
        if let name = HTTPField.Name("Referrer-Policy") { headers[name] = "no-referrer" }
        if let name = HTTPField.Name("X-Frame-Options") { headers[name] = "DENY" }
    }
}
