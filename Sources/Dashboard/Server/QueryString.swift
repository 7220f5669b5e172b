/// A request's query string as the dashboard reads it: `name=value` pairs split on `&`, the first of a
/// name winning, values kept raw (still percent-encoded) until a parameter decodes them, so a list
/// parameter (`cols=a,b%2Cc`) can split on its raw `,` before decoding.
struct QueryString: Sendable {
    private var raw: [String: Substring] = [:]

    /// The pairs of `query` (without the `?`); nil for no query.
    init(_ query: String?) {
        guard let query else { return }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = parts.first.flatMap(PathSegment.decode), raw[key] == nil else { continue }
            raw[key] = parts.count > 1 ? parts[1] : ""
        }
    }

    /// The raw value of `name`.
    func rawValue(_ name: String) -> Substring? { raw[name] }

    /// The decoded value of `name`.
    ///
    /// - Throws: `DashboardProblem.badRequest` when it is not valid percent-encoded UTF-8.
    func value(_ name: String) throws(DashboardProblem) -> String? {
        guard let value = raw[name] else { return nil }
        guard let decoded = PathSegment.decode(value) else {
            throw .badRequest("The value of \(name) in the address is not valid percent-encoded UTF-8 text.")
        }
        return decoded
    }

    /// Every decoded value, by name (for `TrialsQuery`).
    ///
    /// - Throws: `DashboardProblem.badRequest` as `value(_:)`.
    func decoded() throws(DashboardProblem) -> [String: String] {
        var result: [String: String] = [:]
        for name in raw.keys { result[name] = try value(name) }
        return result
    }
}
