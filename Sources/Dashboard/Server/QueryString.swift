/// A request's query string as the dashboard reads it: `name=value` pairs split on `&`, values kept raw
/// (still percent-encoded) until a parameter decodes them, so a list parameter (`cols=a,b%2Cc`) can split
/// on its raw `,` before decoding. A `+` decodes to a space, as forms send it (the dashboard's own links
/// write `+` as `%2B`). A name given twice keeps every value (`?study=a&study=b`, from a form's check
/// boxes); `value(_:)` is the first.
struct QueryString: Sendable {
    private var raw: [String: [Substring]] = [:]

    /// The pairs of `query` (without the `?`); nil for no query.
    init(_ query: String?) {
        guard let query else { return }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = parts.first.flatMap(Self.decode) else { continue }
            raw[key, default: []].append(parts.count > 1 ? parts[1] : "")
        }
    }

    /// The raw value of `name` (its first).
    func rawValue(_ name: String) -> Substring? { raw[name]?.first }

    /// The decoded value of `name` (its first).
    ///
    /// - Throws: `DashboardProblem.badRequest` when it is not valid percent-encoded UTF-8.
    func value(_ name: String) throws(DashboardProblem) -> String? {
        try values(name).first
    }

    /// Every decoded value of `name`, in order.
    ///
    /// - Throws: `DashboardProblem.badRequest` when one is not valid percent-encoded UTF-8.
    func values(_ name: String) throws(DashboardProblem) -> [String] {
        var decoded: [String] = []
        for value in raw[name] ?? [] {
            guard let text = Self.decode(value) else {
                throw .badRequest("The value of \(name) in the address is not valid percent-encoded UTF-8 text.")
            }
            decoded.append(text)
        }
        return decoded
    }

    /// Every first value, decoded, by name (for `TrialsQuery`).
    ///
    /// - Throws: `DashboardProblem.badRequest` as `value(_:)`.
    func decoded() throws(DashboardProblem) -> [String: String] {
        var result: [String: String] = [:]
        for name in raw.keys { result[name] = try value(name) }
        return result
    }

    /// A query component: `+` as a space, then percent-decoded (nil when malformed).
    private static func decode(_ component: Substring) -> String? {
        PathSegment.decode(Substring(component.replacingOccurrences(of: "+", with: " ")))
    }
}
