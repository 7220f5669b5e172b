/// Why a ``Dataset`` could not produce its next element: what is wrong and where (the operation, the
/// element's position in the stream, the file and byte offset), so that the data or the pipeline can
/// be fixed.
public enum DatasetError: Error, CustomStringConvertible {
    /// An argument of a transformation or source is out of range (a batch size of 0, a negative count).
    case invalidArgument(operation: String, message: String)
    /// Elements that must share a shape do not: `elementIndex` counts from 0 in the stream `operation`
    /// reads, `component` names the part of a structured element (`"0"`/`"1"` of a pair, a dictionary
    /// key) or is nil for a plain tensor.
    case shapeMismatch(operation: String, elementIndex: Int, component: String?, expected: [Int], found: [Int])
    /// A tensor that must have a first axis to slice along (``Dataset/fromTensorSlices(_:)-(Tensor)``,
    /// `unbatch()`) is a scalar, or the components of a structured element disagree on its length.
    case cannotSlice(operation: String, component: String?, shapes: [[Int]])
    /// Nothing exists at `path`.
    case fileNotFound(path: String)
    /// The file at `path` exists but could not be opened, read or written.
    case unreadable(path: String, reason: String)
    /// A record file is damaged at byte `offset` (counted in the uncompressed stream): a checksum does
    /// not match, or the file ends inside a record.
    case corruptRecord(path: String, offset: Int, reason: String)
    /// A CSV record could not be decoded: `field` (from 0) of `record` is missing, extra or not a number.
    case malformedCSV(record: String, field: Int?, reason: String)
    /// A closure given to a transformation (`map`, `filter`, `interleave`, `fromGenerator`) threw
    /// `underlying` on the element at `elementIndex` of the stream it reads.
    case transformFailed(operation: String, elementIndex: Int, underlying: any Error)

    /// What is wrong and where.
    public var description: String {
        switch self {
        case let .invalidArgument(operation, message):
            return "\(operation): \(message)"
        case let .shapeMismatch(operation, index, component, expected, found):
            let part = component.map { " (component \($0))" } ?? ""
            return "\(operation): element \(index)\(part) has shape \(found) but the elements before it have shape \(expected)"
        case let .cannotSlice(operation, component, shapes):
            let part = component.map { " (component \($0))" } ?? ""
            if shapes.count == 1 {
                return "\(operation): cannot slice a tensor of shape \(shapes[0])\(part) along its first axis; it needs rank 1 or more"
            }
            return "\(operation): the components\(part) have shapes \(shapes), which do not agree on the first axis"
        case let .fileNotFound(path):
            return "\(path): no such file"
        case let .unreadable(path, reason):
            return "\(path): cannot be read or written: \(reason)"
        case let .corruptRecord(path, offset, reason):
            return "\(path): corrupt record at byte \(offset): \(reason)"
        case let .malformedCSV(record, field, reason):
            let where_ = field.map { "field \($0) of " } ?? ""
            return "decodeCSV: \(where_)record \"\(record)\": \(reason)"
        case let .transformFailed(operation, index, underlying):
            return "\(operation): the closure threw on element \(index): \(underlying)"
        }
    }
}

/// How many elements a ``Dataset`` yields, when that is known without iterating it (tf.data's
/// `cardinality()`): `fit` uses it for its step count and to refuse endless data without `stepsPerEpoch`.
public enum DatasetCardinality: Sendable, Equatable, CustomStringConvertible {
    /// Exactly this many elements.
    case finite(Int)
    /// Never ends (`repeat()` with no count).
    case infinite
    /// Not known before iterating (files, generators, `filter`, `interleave`, `unbatch`).
    case unknown

    /// `"12"`, `"infinite"` or `"unknown"`.
    public var description: String {
        switch self {
        case .finite(let count): return "\(count)"
        case .infinite: return "infinite"
        case .unknown: return "unknown"
        }
    }
}
