/// A numeric table read from a CSV file with a header row: the form of the regression data sets
/// (California housing) that trials load.
///
/// The format is RFC 4180's: comma-separated fields, records ending in LF or CRLF, fields optionally
/// in double quotes (inside which commas, line breaks and doubled quotes `""` are data). The first
/// record names the columns. Every other record must have one field per column, and every field of a
/// column that is read must be a finite number (spaces around it are allowed); errors give the file,
/// the line and the column.
///
/// ```swift
/// let (x, y, names) = try CSVTable.load(path: "housing.csv", labelColumn: "median_house_value")
/// // x: [rows, features], y: [rows], names: the feature columns in file order
/// ```
public struct CSVTable: Sendable, Equatable {
    /// The file the table was read from.
    public let path: String
    /// The names of the columns, from the header.
    public let columnNames: [String]
    /// The values, row-major: `rowCount * columnNames.count` numbers.
    public let values: [Float]

    /// The number of data rows (the header excluded).
    public var rowCount: Int { columnNames.isEmpty ? 0 : values.count / columnNames.count }

    /// The values as a `[rowCount, columns]` tensor.
    public var tensor: Tensor { Tensor(shape: [rowCount, columnNames.count], scalars: values) }

    /// The values of one column.
    /// - Throws: ``CSVError/missingColumn(path:name:available:)`` when there is no such column.
    public func column(_ name: String) throws(CSVError) -> [Float] {
        guard let index = columnNames.firstIndex(of: name) else {
            throw .missingColumn(path: path, name: name, available: columnNames)
        }
        let width = columnNames.count
        return (0..<rowCount).map { values[$0 * width + index] }
    }

    /// Reads a CSV file whose columns are all numeric (except those in `ignoring`, which are skipped).
    /// An empty field is an error unless `missingValue` is given, which then takes its place.
    ///
    /// - Throws: ``CSVError`` naming the file (and the line and column for a bad field): missing or
    ///   unreadable file, no header, duplicate or unknown column names, ragged rows, unterminated
    ///   quotes, fields that are not finite numbers.
    public static func read(path: String, ignoring ignoredColumns: [String] = [], missingValue: Float? = nil) throws(CSVError) -> CSVTable {
        let bytes: [UInt8]
        do {
            bytes = try FileIO.readAll(path)
        } catch {
            if error.notFound { throw .fileNotFound(path: path) }
            throw .io(path: path, reason: error.reason)
        }
        return try parse(bytes, path: path, ignoring: ignoredColumns, missingValue: missingValue)
    }

    /// Loads features and labels from a numeric CSV file: `labelColumn` becomes the `[rows]` labels,
    /// every other column (except those in `ignoring`) a feature, in file order.
    ///
    /// - Throws: ``CSVError/missingColumn(path:name:available:)`` when `labelColumn` is not in the
    ///   header, ``CSVError/noRows(path:)`` for a file without data rows, and the errors of
    ///   ``read(path:ignoring:missingValue:)``.
    public static func load(
        path: String, labelColumn: String, ignoring ignoredColumns: [String] = [], missingValue: Float? = nil
    ) throws(CSVError) -> (features: Tensor, labels: Tensor, featureNames: [String]) {
        let table = try read(path: path, ignoring: ignoredColumns, missingValue: missingValue)
        guard let labelIndex = table.columnNames.firstIndex(of: labelColumn) else {
            throw .missingColumn(path: path, name: labelColumn, available: table.columnNames)
        }
        guard table.rowCount > 0 else { throw .noRows(path: path) }
        let width = table.columnNames.count
        let featureCount = width - 1
        var features: [Float] = []
        features.reserveCapacity(table.rowCount * featureCount)
        var labels: [Float] = []
        labels.reserveCapacity(table.rowCount)
        for row in 0..<table.rowCount {
            let base = row * width
            for column in 0..<width {
                if column == labelIndex { labels.append(table.values[base + column]) } else { features.append(table.values[base + column]) }
            }
        }
        var names = table.columnNames
        names.remove(at: labelIndex)
        return (Tensor(shape: [table.rowCount, featureCount], scalars: features), Tensor(labels), names)
    }

    /// Writes a header and rows of numbers as CSV, atomically (names with commas, quotes or line
    /// breaks are quoted; numbers are written in their shortest form that reads back exactly).
    ///
    /// - Throws: ``CSVError/raggedRow(path:line:expected:found:)`` for a row of the wrong length and
    ///   ``CSVError/io(path:reason:)`` when the file cannot be written.
    public static func write(columnNames: [String], rows: [[Float]], to path: String) throws(CSVError) {
        var text = columnNames.map(quotedIfNeeded).joined(separator: ",") + "\n"
        for (index, row) in rows.enumerated() {
            guard row.count == columnNames.count else {
                throw .raggedRow(path: path, line: index + 2, expected: columnNames.count, found: row.count)
            }
            text += row.map { $0.description }.joined(separator: ",") + "\n"
        }
        do {
            try FileIO.writeAtomically(Array(text.utf8), to: path)
        } catch {
            throw .io(path: path, reason: error.reason)
        }
    }

    /// Writes features `[rows, features]` and labels `[rows]` (or `[rows, 1]`) as a CSV file whose last
    /// column is the label: what ``load(path:labelColumn:ignoring:missingValue:)`` reads back.
    ///
    /// - Throws: ``CSVError/invalidArgument(message:)`` when the shapes or name counts disagree, and
    ///   the errors of ``write(columnNames:rows:to:)``.
    public static func write(features: Tensor, labels: Tensor, featureNames: [String], labelName: String, to path: String) throws(CSVError) {
        guard features.rank == 2, features.shape[1] == featureNames.count,
              labels.scalarCount == features.shape[0], labels.rank >= 1, labels.shape[0] == features.shape[0] else {
            throw .invalidArgument(message: "CSVTable.write: features \(features.shape) with \(featureNames.count) names and labels \(labels.shape) do not fit together")
        }
        let featureValues = features.scalars, labelValues = labels.scalars
        let width = featureNames.count
        let rows = (0..<features.shape[0]).map { row in Array(featureValues[(row * width)..<((row + 1) * width)]) + [labelValues[row]] }
        try write(columnNames: featureNames + [labelName], rows: rows, to: path)
    }

    private static func quotedIfNeeded(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || field.hasPrefix(" ") || field.hasSuffix(" ") else {
            return field
        }
        return "\"" + field.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    /// Parses CSV bytes; `path` names the source in errors.
    /// - Throws: ``CSVError`` as ``read(path:ignoring:missingValue:)``.
    public static func parse(_ bytes: [UInt8], path: String, ignoring ignoredColumns: [String] = [], missingValue: Float? = nil) throws(CSVError) -> CSVTable {
        var reader = CSVRecordReader(bytes: bytes, path: path)
        guard let header = try reader.nextRecord() else { throw .noHeader(path: path) }
        let names = header.fields.map { String(decoding: $0, as: UTF8.self) }
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted {
            throw .duplicateColumn(path: path, name: name)
        }
        for name in ignoredColumns where !seen.contains(name) {
            throw .missingColumn(path: path, name: name, available: names)
        }
        let keep = names.map { !ignoredColumns.contains($0) }
        let keptNames = zip(names, keep).filter(\.1).map(\.0)
        var values: [Float] = []
        while let record = try reader.nextRecord() {
            // A blank line (one empty field) is skipped, as most readers do.
            if record.fields.count == 1 && record.fields[0].isEmpty && !record.quoted { continue }
            guard record.fields.count == names.count else {
                throw .raggedRow(path: path, line: record.line, expected: names.count, found: record.fields.count)
            }
            for (column, field) in record.fields.enumerated() where keep[column] {
                values.append(try number(field, path: path, line: record.line, column: column, name: names[column], missingValue: missingValue))
            }
        }
        return CSVTable(path: path, columnNames: keptNames, values: values)
    }

    private static func number(_ field: ArraySlice<UInt8>, path: String, line: Int, column: Int, name: String, missingValue: Float?) throws(CSVError) -> Float {
        var start = field.startIndex, end = field.endIndex
        while start < end && (field[start] == 0x20 || field[start] == 0x09) { start += 1 }
        while end > start && (field[end - 1] == 0x20 || field[end - 1] == 0x09) { end -= 1 }
        let text = String(decoding: field[start..<end], as: UTF8.self)
        if text.isEmpty {
            if let missingValue { return missingValue }
            throw .nonNumeric(path: path, line: line, column: column + 1, columnName: name, text: text)
        }
        // Only decimal forms: Float(String) would also take hexadecimal floats and "nan"/"inf".
        let decimal = text.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
        }
        guard decimal, let value = Float(text), value.isFinite else {
            throw .nonNumeric(path: path, line: line, column: column + 1, columnName: name, text: text)
        }
        return value
    }
}

/// Why a CSV file could not be read or written: the file, and for a bad field its line (1 is the
/// header) and column (1-based, with its name).
public enum CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing exists at the path.
    case fileNotFound(path: String)
    /// The operating system refused to read or write the file.
    case io(path: String, reason: String)
    /// The file is empty: there is no header row.
    case noHeader(path: String)
    /// The file has a header but no data rows.
    case noRows(path: String)
    /// Two columns have the same name.
    case duplicateColumn(path: String, name: String)
    /// A column asked for is not in the header.
    case missingColumn(path: String, name: String, available: [String])
    /// A row whose number of fields is not the header's.
    case raggedRow(path: String, line: Int, expected: Int, found: Int)
    /// A field that is not a finite decimal number.
    case nonNumeric(path: String, line: Int, column: Int, columnName: String, text: String)
    /// A quoted field that is never closed, or a quote inside an unquoted field.
    case badQuoting(path: String, line: Int, reason: String)
    /// Arguments that do not fit together (writing).
    case invalidArgument(message: String)

    /// What is wrong and where.
    public var description: String {
        switch self {
        case let .fileNotFound(path): return "\(path): no such file"
        case let .io(path, reason): return "\(path): \(reason)"
        case let .noHeader(path): return "\(path): empty file, expected a header row of column names"
        case let .noRows(path): return "\(path): no data rows after the header"
        case let .duplicateColumn(path, name): return "\(path): line 1: column '\(name)' appears twice in the header"
        case let .missingColumn(path, name, available):
            return "\(path): no column '\(name)' (columns: \(available.joined(separator: ", ")))"
        case let .raggedRow(path, line, expected, found):
            return "\(path): line \(line): \(found) field(s), but the header has \(expected) column(s)"
        case let .nonNumeric(path, line, column, columnName, text):
            return "\(path): line \(line), column \(column) ('\(columnName)'): \(text.isEmpty ? "empty field" : "'\(text)'") is not a number"
        case let .badQuoting(path, line, reason): return "\(path): line \(line): \(reason)"
        case let .invalidArgument(message): return message
        }
    }
}

/// Splits CSV bytes into records of raw fields, tracking line numbers.
struct CSVRecordReader {
    struct Record {
        var fields: [ArraySlice<UInt8>]
        /// The line the record starts on (1-based).
        var line: Int
        /// Whether any field was quoted (so a lone empty quoted field is not a blank line).
        var quoted: Bool
    }

    let bytes: [UInt8]
    let path: String
    var position = 0
    var line = 1

    init(bytes: [UInt8], path: String) {
        // A UTF-8 byte order mark is not part of the first column's name.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { self.bytes = Array(bytes.dropFirst(3)) } else { self.bytes = bytes }
        self.path = path
    }

    mutating func nextRecord() throws(CSVError) -> Record? {
        guard position < bytes.count else { return nil }
        var record = Record(fields: [], line: line, quoted: false)
        while true {
            // One field.
            if position < bytes.count && bytes[position] == UInt8(ascii: "\"") {
                record.quoted = true
                let startLine = line
                position += 1
                var content: [UInt8] = []
                while true {
                    guard position < bytes.count else {
                        throw .badQuoting(path: path, line: startLine, reason: "a quoted field is never closed")
                    }
                    let byte = bytes[position]
                    if byte == UInt8(ascii: "\"") {
                        if position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "\"") {
                            content.append(byte)
                            position += 2
                            continue
                        }
                        position += 1
                        break
                    }
                    if byte == 0x0A { line += 1 }
                    content.append(byte)
                    position += 1
                }
                record.fields.append(content[...])
                guard position >= bytes.count || bytes[position] == UInt8(ascii: ",") || bytes[position] == 0x0A || bytes[position] == 0x0D else {
                    throw .badQuoting(path: path, line: line, reason: "characters after the closing quote of a field")
                }
            } else {
                let start = position
                while position < bytes.count, bytes[position] != UInt8(ascii: ","), bytes[position] != 0x0A, bytes[position] != 0x0D {
                    if bytes[position] == UInt8(ascii: "\"") {
                        throw .badQuoting(path: path, line: line, reason: "a quote inside an unquoted field (quote the whole field and double the quote)")
                    }
                    position += 1
                }
                record.fields.append(bytes[start..<position])
            }
            // What ends the field.
            guard position < bytes.count else { return record }
            switch bytes[position] {
            case UInt8(ascii: ","):
                position += 1
            case 0x0D:
                position += 1
                if position < bytes.count && bytes[position] == 0x0A { position += 1 }
                line += 1
                return record
            default:
                position += 1
                line += 1
                return record
            }
        }
    }
}
