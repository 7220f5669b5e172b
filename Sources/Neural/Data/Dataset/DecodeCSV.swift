/// Decodes one CSV record into numbers (tf.io's `decode_csv`): one value per entry of `defaults`, an
/// empty field taking its column's default, and a nil default marking a required column (tf.data's
/// `tf.constant([], dtype=tf.float32)`). Fields may be in double quotes (a doubled quote inside is a
/// quote); spaces around a number are ignored.
///
/// ```swift
/// // The seed's preprocess: eight features with default 0, then a required label.
/// let fields = try decodeCSV(line, defaults: Array(repeating: 0, count: 8) + [nil])
/// let x = Tensor(Array(fields.prefix(8))), y = Tensor(Array(fields.suffix(1)))
/// ```
///
/// - Throws: ``DatasetError/malformedCSV(record:field:reason:)`` naming the record and the field for
///   a wrong number of fields, a missing required field, or a field that is not a finite number.
public func decodeCSV(_ record: String, defaults: [Float?], delimiter: Character = ",") throws(DatasetError) -> [Float] {
    let fields = try splitCSVRecord(record, delimiter: delimiter)
    guard fields.count == defaults.count else {
        throw .malformedCSV(record: record, field: nil, reason: "\(fields.count) fields but \(defaults.count) defaults (one per column)")
    }
    var values: [Float] = []
    values.reserveCapacity(fields.count)
    for (index, field) in fields.enumerated() {
        let text = field.trimmingSpaces
        if text.isEmpty {
            guard let fallback = defaults[index] else {
                throw .malformedCSV(record: record, field: index, reason: "the field is empty and its column has no default")
            }
            values.append(fallback)
            continue
        }
        guard let value = Float(text), value.isFinite else {
            throw .malformedCSV(record: record, field: index, reason: "\"\(text)\" is not a finite number")
        }
        values.append(value)
    }
    return values
}

/// The fields of one CSV record, unquoted.
func splitCSVRecord(_ record: String, delimiter: Character) throws(DatasetError) -> [Substring] {
    guard record.contains("\"") else { return record.split(separator: delimiter, omittingEmptySubsequences: false) }
    var fields: [Substring] = []
    var current = ""
    var inQuotes = false
    var index = record.startIndex
    while index < record.endIndex {
        let character = record[index]
        let next = record.index(after: index)
        if inQuotes {
            if character == "\"" {
                if next < record.endIndex && record[next] == "\"" {
                    current.append("\"")
                    index = record.index(after: next)
                    continue
                }
                inQuotes = false
            } else {
                current.append(character)
            }
        } else if character == "\"" {
            inQuotes = true
        } else if character == delimiter {
            fields.append(Substring(current))
            current = ""
        } else {
            current.append(character)
        }
        index = next
    }
    guard !inQuotes else {
        throw .malformedCSV(record: record, field: fields.count, reason: "a quoted field is not closed")
    }
    fields.append(Substring(current))
    return fields
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        return result
    }
}
