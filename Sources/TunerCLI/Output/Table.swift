import Foundation
import JSONValues
import Reports

/// Rows with named columns, printed as an aligned table, RFC 4180 CSV or a JSON array of objects.
struct Table {
    /// A cell: text, a number or nothing.
    enum Cell {
        case text(String)
        case number(Double)
        case integer(Int)
        case empty

        var plain: String {
            switch self {
            case .text(let value): return value
            case .number(let value):
                // Whole numbers without ".0" (a count of weights prints 8755), others in the shortest
                // round-trip form, so a CSV cell parses back to the same Double.
                return NumberFormat.plain(value)
            case .integer(let value): return String(value)
            case .empty: return ""
            }
        }

        var json: JSONValue {
            switch self {
            case .text(let value): return .string(value)
            case .number(let value): return value.isFinite ? .double(value) : .null
            case .integer(let value): return .integer(value)
            case .empty: return .null
            }
        }
    }

    var columns: [String]
    var rows: [[Cell]]

    func render(_ format: OutputFormat) throws -> String {
        switch format {
        case .table: return aligned()
        case .csv: return csv()
        case .json: return try json()
        }
    }

    private func aligned() -> String {
        let texts = rows.map { $0.map { Self.short($0.plain) } }
        var widths = columns.map(\.count)
        for row in texts {
            for (index, text) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], text.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, text in
                index == cells.count - 1 ? text : text.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        var lines = [line(columns), line(widths.map { String(repeating: "-", count: $0) })]
        lines += texts.map(line)
        return lines.joined(separator: "\n")
    }

    private static func short(_ text: String) -> String {
        let single = text.replacingOccurrences(of: "\n", with: " ")
        return single.count > 60 ? String(single.prefix(57)) + "..." : single
    }

    private func csv() -> String {
        func quote(_ text: String) -> String {
            guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return ([columns.map(quote).joined(separator: ",")]
            + rows.map { $0.map { quote($0.plain) }.joined(separator: ",") }).joined(separator: "\n")
    }

    private func json() throws -> String {
        let objects = rows.map { row in
            JSONValue.object(Dictionary(zip(columns, row.map(\.json)), uniquingKeysWith: { first, _ in first }))
        }
        return JSONValue.array(objects).prettyText
    }
}
