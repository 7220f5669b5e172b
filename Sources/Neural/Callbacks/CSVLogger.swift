import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Streams each epoch's logs to a CSV file (Keras 3's `CSVLogger`): a header `epoch,<names>` once,
/// then one row per epoch, written straight to the file at each epoch's end.
///
/// As in Keras, the columns are the first epoch's log names sorted; when none starts with `val_`,
/// `val_` columns are added for each (filled with `NA` until validation logs appear), and a later
/// missing value is written `NA`. The file is truncated at each training start, or with `append`
/// extended (the header is written only when the file is new or empty), and closed when training ends.
/// Values are written in their shortest `Float` form (`0.7237`; Keras writes the double of the same
/// float32, `0.7236999869346619`), fields holding the separator or quotes are quoted as Python's
/// `csv` module does, and lines end with `\n` (Python's `csv` writes `\r\n`).
public final class CSVLogger: Callback {
    /// The file written.
    public let filename: String
    /// The field separator.
    public let separator: Character
    /// Whether to add to an existing file rather than replace it.
    public let append: Bool

    private var handle: FileHandle?
    private var keys: [String]?
    private var headerPending = true

    /// Logs to `filename`, separating fields with `separator`.
    public init(filename: String, separator: Character = ",", append: Bool = false) {
        self.filename = filename
        self.separator = separator
        self.append = append
        super.init()
    }

    deinit { try? handle?.close() }

    /// Opens the file (creating it, truncating it unless `append`).
    /// - Throws: ``CallbackError/fileWriteFailed(path:reason:)`` when it cannot be opened.
    public override func onTrainBegin(logs: Logs) throws {
        try? handle?.close()
        handle = nil
        let flags = O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC)
        let descriptor = open(filename, flags, 0o644)
        guard descriptor >= 0 else {
            throw CallbackError.fileWriteFailed(path: filename, reason: String(cString: strerror(errno)))
        }
        // Keras writes the header unless it appends to a file that already has something in it.
        headerPending = !append || lseek(descriptor, 0, SEEK_END) == 0
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        keys = nil
    }

    /// Writes the epoch's row (and the header before the first one).
    /// - Throws: ``CallbackError/fileWriteFailed(path:reason:)`` when the write fails.
    public override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
        guard let handle else { return }
        let columns: [String]
        if let keys {
            columns = keys
        } else {
            var sorted = logs.names.sorted()
            if !sorted.isEmpty && !sorted.contains(where: { $0.hasPrefix("val_") }) {
                sorted += sorted.map { "val_" + $0 }
            }
            keys = sorted
            columns = sorted
        }
        var text = ""
        if headerPending {
            text += line(["epoch"] + columns)
            headerPending = false
        }
        text += line([String(epoch)] + columns.map { name in logs[name].map { String(describing: $0) } ?? "NA" })
        do {
            try handle.write(contentsOf: Data(text.utf8))
        } catch {
            throw CallbackError.fileWriteFailed(path: filename, reason: error.localizedDescription)
        }
    }

    /// Closes the file.
    public override func onTrainEnd(logs: Logs) throws {
        defer { handle = nil }
        do {
            try handle?.close()
        } catch {
            throw CallbackError.fileWriteFailed(path: filename, reason: error.localizedDescription)
        }
    }

    private func line(_ fields: [String]) -> String {
        fields.map(quoted).joined(separator: String(separator)) + "\n"
    }

    /// Quotes a field holding the separator, a quote or a line break, doubling its quotes.
    private func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == separator || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
