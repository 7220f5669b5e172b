import JSONValues
import Tuning

extension HyperParameterValue {
    /// The bare value for JSON output (`0.001`, not `{"float": 0.001}`).
    var plainJSON: JSONValue {
        switch self {
        case .int(let value): return .integer(value)
        case .float(let value): return .double(value)
        case .string(let value): return .string(value)
        case .bool(let value): return .bool(value)
        }
    }

    /// A table cell.
    var cell: Table.Cell {
        switch self {
        case .int(let value): return .integer(value)
        case .float(let value): return .number(value)
        case .string(let value): return .text(value)
        case .bool(let value): return .text(String(value))
        }
    }
}
