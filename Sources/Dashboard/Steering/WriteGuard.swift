import HTTPTypes
import Hummingbird

/// Who may change the store through the dashboard (its POST routes: enqueue a trial, stop a trial, a
/// study's note). A write is refused with a 403 page when the dashboard is read-only (`--read-only`), and
/// when it does not come from the dashboard's own pages — cross-site request forgery: another site's page
/// posting a form to this address through the user's browser. Three checks, each enough alone against a
/// current browser: the browser's `Sec-Fetch-Site` must be `same-origin`; its `Origin` must name this
/// server (the request's `Host`), or be `null` — what Chromium sends under the pages' `no-referrer`
/// policy — with `Sec-Fetch-Site: same-origin`; and the form must carry this server's form token, a random value made
/// at start and written only into the dashboard's own pages (another site cannot read them: no CORS, and
/// the pages forbid framing). The dashboard's own token (`TokenCheck`) is checked before all this.
struct WriteGuard: Sendable {
    /// The name of the form field carrying the form token.
    static let fieldName = "form_token"

    /// The token the dashboard's forms carry; nil when the dashboard is read-only (no forms are shown).
    let formToken: String?

    /// A guard for a server that is read-only, or takes writes with a new random form token.
    init(readOnly: Bool) {
        formToken = readOnly ? nil : DashboardToken.generate()
    }

    /// Whether the dashboard takes writes (and shows its forms).
    var acceptsWrites: Bool { formToken != nil }

    /// Checks that a POST may change the store: the dashboard takes writes, the request comes from its
    /// own pages, and `form` carries the form token.
    ///
    /// - Throws: a 403 `DashboardProblem` saying which check failed.
    func check(_ request: Request, form: FormFields) throws(DashboardProblem) {
        guard let formToken else {
            throw Self.forbidden("This dashboard is read-only (started with --read-only): it shows studies but changes nothing.")
        }
        let site = HTTPField.Name("Sec-Fetch-Site").flatMap { request.headers[$0] }
        if let site, site != "same-origin" {
            throw Self.forbidden("The browser says this form was sent from another site (Sec-Fetch-Site: \(site)); "
                + "the dashboard takes changes only from its own pages.")
        }
        // The pages' `Referrer-Policy: no-referrer` makes Chromium send `Origin: null` with their own forms;
        // such a request is taken only from a browser that says it is same-origin (checked above).
        if let origin = request.headers[.origin], !(origin == "null" && site == "same-origin") {
            guard let host = request.head.authority, Self.origin(origin, isHost: host) else {
                throw Self.forbidden("The form was sent from another origin; the dashboard takes changes only from its own pages.")
            }
        }
        guard let given = try? form.value(Self.fieldName), TokenCheck<BasicRequestContext>.same(given, formToken) else {
            throw Self.forbidden("The form does not carry this dashboard's form token (a page from before the dashboard "
                + "restarted, or a form from elsewhere): reload the page and send it again.")
        }
    }

    /// Whether an `Origin` header (`scheme://host[:port]`) names the host a request was sent to.
    static func origin(_ origin: String, isHost host: String) -> Bool {
        for scheme in ["http://", "https://"] where origin.hasPrefix(scheme) {
            return origin.dropFirst(scheme.count).lowercased() == host.lowercased()
        }
        return false
    }

    /// A 403 page saying why.
    static func forbidden(_ detail: String) -> DashboardProblem {
        DashboardProblem(status: .forbidden, title: "Change refused", detail: detail)
    }
}
