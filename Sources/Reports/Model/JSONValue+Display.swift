import JSONValues

extension JSONValue {
    /// A short text for display: strings unquoted, numbers plainly, containers as compact JSON.
    public var displayText: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return String(value)
        case .int(let value): return String(value)
        case .uint(let value): return String(value)
        case .double(let value): return NumberFormat.plain(value)
        case .string(let value): return value
        case .array, .object: return jsonText
        }
    }
}
