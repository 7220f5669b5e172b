import CSQLite
import Foundation

/// SQLite copies bound text and blobs right away with this destructor, so Swift buffers may go.
private let transientDestructor = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A prepared SQL statement of one `Database`. Like its connection it must stay on one thread.
public final class Statement {
    /// The SQL text, for error messages.
    public let sql: String
    private let handle: OpaquePointer
    private unowned let database: Database

    init(database: Database, sql: String) throws {
        self.database = database
        self.sql = sql
        var prepared: OpaquePointer?
        let code = sqlite3_prepare_v2(database.connection, sql, -1, &prepared, nil)
        guard code == SQLITE_OK, let prepared else {
            sqlite3_finalize(prepared)
            throw database.error(code, sql: sql)
        }
        handle = prepared
    }

    deinit { sqlite3_finalize(handle) }

    /// Binds a value to the 1-based parameter `index`. Throws `StoreError` if the index is out of range.
    public func bind(_ value: DatabaseValue, at index: Int) throws {
        let position = Int32(index)
        let code: Int32
        switch value {
        case .null: code = sqlite3_bind_null(handle, position)
        case .integer(let int): code = sqlite3_bind_int64(handle, position, int)
        case .real(let double): code = sqlite3_bind_double(handle, position, double)
        case .text(let string): code = sqlite3_bind_text(handle, position, string, -1, transientDestructor)
        case .blob(let data):
            code = data.withUnsafeBytes { bytes in
                // A zero-length blob must still be a blob, not NULL, so bind zeroblob for it.
                guard let base = bytes.baseAddress else { return sqlite3_bind_zeroblob(handle, position, 0) }
                return sqlite3_bind_blob(handle, position, base, Int32(bytes.count), transientDestructor)
            }
        }
        guard code == SQLITE_OK else { throw database.error(code, sql: sql) }
    }

    /// Binds a value to the parameter `:name` (the colon may be left out). Throws if there is no such parameter.
    public func bind(_ value: DatabaseValue, named name: String) throws {
        let key = name.first == ":" || name.first == "$" || name.first == "@" ? name : ":" + name
        let index = sqlite3_bind_parameter_index(handle, key)
        guard index > 0 else {
            throw StoreError.invalidArgument("The statement `\(sql)` has no parameter \(key).")
        }
        try bind(value, at: Int(index))
    }

    /// Clears earlier bindings and binds `arguments`. Throws when the count or names do not match the SQL.
    public func bind(_ arguments: StatementArguments) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        switch arguments {
        case .positional(let values):
            let expected = Int(sqlite3_bind_parameter_count(handle))
            guard values.count == expected else {
                throw StoreError.invalidArgument("The statement `\(sql)` takes \(expected) arguments, got \(values.count).")
            }
            for (offset, value) in values.enumerated() { try bind(value, at: offset + 1) }
        case .named(let values):
            for (name, value) in values { try bind(value, named: name) }
        }
    }

    /// Runs one step: true when a row is ready to read, false when the statement is done.
    /// Throws the mapped `StoreError` (locked, read-only, constraint, disk full, ...).
    public func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            // Reset so the connection's error is reported and the statement releases its locks.
            let error = database.error(code, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Rewinds the statement so it can run again with the same or new bindings.
    public func reset() { sqlite3_reset(handle) }

    /// The number of columns of the current row.
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// The name of column `index` (0-based).
    public func columnName(_ index: Int) -> String {
        sqlite3_column_name(handle, Int32(index)).map { String(cString: $0) } ?? "column\(index)"
    }

    /// The value of column `index` (0-based) of the current row.
    public func column(_ index: Int) -> DatabaseValue {
        let position = Int32(index)
        switch sqlite3_column_type(handle, position) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, position))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, position))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(handle, position) else { return .text("") }
            return .text(String(cString: text))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, position))
            guard let bytes = sqlite3_column_blob(handle, position), count > 0 else { return .blob(Data()) }
            return .blob(Data(bytes: bytes, count: count))
        default: return .null
        }
    }

    /// The current row, copied out.
    public func row() -> Row {
        let count = columnCount
        return Row(columns: (0..<count).map(columnName), values: (0..<count).map(column))
    }
}
