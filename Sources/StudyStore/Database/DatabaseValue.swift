import Foundation

/// One SQLite value, as bound to a statement or read from a row.
public enum DatabaseValue: Equatable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)
}

/// A Swift value that can be bound to a statement parameter.
public protocol DatabaseValueConvertible: Sendable {
    /// The value as SQLite stores it.
    var databaseValue: DatabaseValue { get }
}

extension DatabaseValue: DatabaseValueConvertible {
    /// The value itself.
    public var databaseValue: DatabaseValue { self }
}
extension Int: DatabaseValueConvertible {
    /// An INTEGER.
    public var databaseValue: DatabaseValue { .integer(Int64(self)) }
}
extension Int64: DatabaseValueConvertible {
    /// An INTEGER.
    public var databaseValue: DatabaseValue { .integer(self) }
}
extension Bool: DatabaseValueConvertible {
    /// An INTEGER, 0 or 1.
    public var databaseValue: DatabaseValue { .integer(self ? 1 : 0) }
}
extension Double: DatabaseValueConvertible {
    /// A REAL (SQLite stores NaN as NULL; readers map NULL scores back to NaN where that matters).
    public var databaseValue: DatabaseValue { .real(self) }
}
extension String: DatabaseValueConvertible {
    /// A TEXT.
    public var databaseValue: DatabaseValue { .text(self) }
}
extension Data: DatabaseValueConvertible {
    /// A BLOB.
    public var databaseValue: DatabaseValue { .blob(self) }
}
extension Optional: DatabaseValueConvertible where Wrapped: DatabaseValueConvertible {
    /// NULL for nil, else the wrapped value.
    public var databaseValue: DatabaseValue {
        switch self {
        case .none: return .null
        case .some(let value): return value.databaseValue
        }
    }
}

/// The values bound to a statement: by position (`?`) or by name (`:name`).
public enum StatementArguments: Sendable, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    case positional([DatabaseValue])
    case named([String: DatabaseValue])

    /// Positional arguments, bound to `?1`, `?2`, ... in order.
    public init(arrayLiteral elements: (any DatabaseValueConvertible)...) {
        self = .positional(elements.map(\.databaseValue))
    }

    /// Named arguments; keys may be written with or without the leading `:`.
    public init(dictionaryLiteral elements: (String, any DatabaseValueConvertible)...) {
        var values: [String: DatabaseValue] = [:]
        for (key, value) in elements { values[key] = value.databaseValue }
        self = .named(values)
    }

    /// No arguments.
    public static let none = StatementArguments.positional([])
}

/// One result row: the column names and values of a step, copied out of SQLite.
public struct Row: Sendable, Equatable {
    /// Column names in select order.
    public let columns: [String]
    /// Values in the same order.
    public let values: [DatabaseValue]

    /// The value of a column, or nil when there is no such column.
    public subscript(_ column: String) -> DatabaseValue? {
        columns.firstIndex(of: column).map { values[$0] }
    }

    /// The column as an Int; nil when NULL or absent.
    public func int(_ column: String) -> Int? {
        switch self[column] {
        case .integer(let value): return Int(value)
        case .real(let value): return Int(exactly: value)
        default: return nil
        }
    }

    /// The column as an Int64; nil when NULL or absent.
    public func int64(_ column: String) -> Int64? { int(column).map(Int64.init) }

    /// The column as a Double; nil when NULL or absent.
    public func double(_ column: String) -> Double? {
        switch self[column] {
        case .integer(let value): return Double(value)
        case .real(let value): return value
        default: return nil
        }
    }

    /// The column as a String; nil when NULL or absent.
    public func string(_ column: String) -> String? {
        switch self[column] {
        case .text(let value): return value
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        default: return nil
        }
    }

    /// The column as Data; nil when NULL or absent.
    public func data(_ column: String) -> Data? {
        switch self[column] {
        case .blob(let value): return value
        case .text(let value): return Data(value.utf8)
        default: return nil
        }
    }
}
