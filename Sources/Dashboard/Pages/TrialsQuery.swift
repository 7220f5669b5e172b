import Tuning

/// How a study page lists its trials: the sort key and direction, the state shown (or all), a
/// hyperparameter's range, and the page, read from the query string
/// (`?sort=score&order=desc&state=COMPLETE&hp=lr&min=0.001&max=0.01&page=2`) and written back into the
/// table's links.
struct TrialsQuery: Sendable, Equatable {
    /// What the trials are ordered by.
    enum SortKey: Sendable, Equatable {
        case number, state, score, epochs, duration
        /// A hyperparameter's value (numbers numerically, strings alphabetically; trials without it last).
        case parameter(String)

        /// The key as written in a query (`hp:NAME` for a hyperparameter).
        var queryValue: String {
            switch self {
            case .number: return "number"
            case .state: return "state"
            case .score: return "score"
            case .epochs: return "epochs"
            case .duration: return "duration"
            case .parameter(let name): return "hp:" + name
            }
        }
    }

    /// The sort key; by number unless asked.
    var sort: SortKey = .number
    /// Largest first; the default shows the newest trials first (where live rows appear).
    var descending = true
    /// Only trials in this state, or all.
    var state: TrialState?
    /// The page, from 1.
    var page = 1
    /// Only trials whose value of a numeric hyperparameter lies in a range (either end may be open).
    var range: ParameterRange?

    /// A numeric hyperparameter's range: trials without a value of it are left out.
    struct ParameterRange: Sendable, Equatable {
        var name: String
        var min: Double?
        var max: Double?

        /// Whether `value` lies in the range.
        func contains(_ value: HyperParameterValue?) -> Bool {
            guard let number = value?.doubleValue, number.isFinite else { return false }
            return (min.map { number >= $0 } ?? true) && (max.map { number <= $0 } ?? true)
        }
    }

    /// The default listing: newest first, every state, the first page.
    init() {}

    /// The listing a query string asks for (values already percent-decoded).
    ///
    /// - Throws: `DashboardProblem.badRequest` naming the parameter and the values it takes.
    init(query: [String: String]) throws(DashboardProblem) {
        if let sort = query["sort"] {
            switch sort {
            case "number": self.sort = .number
            case "state": self.sort = .state
            case "score": self.sort = .score
            case "epochs": self.sort = .epochs
            case "duration": self.sort = .duration
            default:
                guard sort.hasPrefix("hp:"), sort.count > 3 else {
                    throw .badRequest("sort=\(sort) is not a sort key; use number, state, score, epochs, duration or hp:NAME for a hyperparameter.")
                }
                self.sort = .parameter(String(sort.dropFirst(3)))
            }
        }
        if let order = query["order"] {
            switch order {
            case "asc": descending = false
            case "desc": descending = true
            default: throw .badRequest("order=\(order) is not an order; use asc or desc.")
            }
        }
        if let state = query["state"], !state.isEmpty {
            guard let parsed = TrialState(rawValue: state.uppercased()) else {
                throw .badRequest("state=\(state) is not a trial state; use one of \(TrialState.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            self.state = parsed
        }
        if let name = query["hp"], !name.isEmpty {
            func bound(_ key: String) throws(DashboardProblem) -> Double? {
                guard let text = query[key], !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
                guard let number = Double(text.trimmingCharacters(in: .whitespaces)), number.isFinite else {
                    throw .badRequest("\(key)=\(text) is not a number.")
                }
                return number
            }
            let range = ParameterRange(name: name, min: try bound("min"), max: try bound("max"))
            if let low = range.min, let high = range.max, low > high {
                throw .badRequest("min=\(query["min"] ?? "") is above max=\(query["max"] ?? ""); the range would hold nothing.")
            }
            self.range = range
        }
        if let page = query["page"] {
            guard let number = Int(page), number >= 1 else {
                throw .badRequest("page=\(page) is not a page number; pages count from 1.")
            }
            self.page = number
        }
    }

    /// Whether new trials belong at the top of this listing's first page (so live rows are inserted).
    var showsNewTrialsFirst: Bool { sort == .number && descending && page == 1 && range == nil }

    /// The query string of this listing (`?...`, only what differs from the default), for links.
    var queryString: String {
        var parts: [String] = []
        if sort != .number { parts.append("sort=" + PathSegment.encode(sort.queryValue)) }
        if !descending { parts.append("order=asc") }
        if let state { parts.append("state=" + state.rawValue) }
        if let range {
            parts.append("hp=" + PathSegment.encode(range.name))
            if let low = range.min { parts.append("min=" + PathSegment.encode(String(low))) }
            if let high = range.max { parts.append("max=" + PathSegment.encode(String(high))) }
        }
        if page != 1 { parts.append("page=\(page)") }
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }

    /// This listing with another page.
    func with(page: Int) -> TrialsQuery {
        var copy = self
        copy.page = page
        return copy
    }

    /// This listing with another state filter, from its first page.
    func with(state: TrialState?) -> TrialsQuery {
        var copy = self
        copy.state = state
        copy.page = 1
        return copy
    }

    /// This listing sorted by `key`, from its first page: the other direction when it is already sorted
    /// by `key`, else `descending` (the natural first direction of that key).
    func sorted(by key: SortKey, descendingFirst: Bool) -> TrialsQuery {
        var copy = self
        copy.descending = sort == key ? !descending : descendingFirst
        copy.sort = key
        copy.page = 1
        return copy
    }

    /// This listing with another range (or none), from its first page.
    func with(range: ParameterRange?) -> TrialsQuery {
        var copy = self
        copy.range = range
        copy.page = 1
        return copy
    }
}
