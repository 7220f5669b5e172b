import CZlib

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a record file is compressed.
public enum RecordCompression: Sendable, Equatable {
    /// Plain TFRecord framing.
    case none
    /// The whole file gzip-compressed (TFRecord's `compression_type="GZIP"`).
    case gzip
}

/// Writes a record file in TFRecord's format (tf.io's `TFRecordWriter`): for each record, its length
/// as a little-endian UInt64, the masked CRC-32C of those 8 bytes, the data, and the masked CRC-32C of
/// the data. TensorFlow reads these files with `tf.data.TFRecordDataset`, and ``Dataset/records(paths:)``
/// reads TensorFlow's.
///
/// ```swift
/// let writer = try RecordWriter(path: "my_data.tfrecord")
/// try writer.write("This is the first record")
/// try writer.write("And this is the second record")
/// try writer.close()
/// ```
///
/// The file is created (or truncated) when the writer is made; call ``close()`` to flush it and learn
/// of write errors (a writer that is released without `close()` closes the file but cannot report).
public final class RecordWriter {
    /// Where the records go.
    public let path: String
    private var file: gzFile?

    /// Creates (or truncates) the file at `path`.
    /// - Throws: ``DatasetError/unreadable(path:reason:)`` when the file cannot be created.
    public init(path: String, compression: RecordCompression = .none) throws(DatasetError) {
        self.path = path
        // "T" writes through zlib without compressing.
        guard let file = gzopen(path, compression == .gzip ? "wb6" : "wbT") else {
            throw .unreadable(path: path, reason: "cannot create the file: \(String(cString: strerror(errno)))")
        }
        self.file = file
    }

    deinit { if let file { gzclose(file) } }

    /// Appends one record.
    /// - Throws: ``DatasetError/unreadable(path:reason:)`` when writing fails or the writer is closed.
    public func write(_ record: [UInt8]) throws(DatasetError) {
        var header = [UInt8](repeating: 0, count: 12)
        let length = UInt64(record.count)
        for i in 0..<8 { header[i] = UInt8(truncatingIfNeeded: length >> (8 * UInt64(i))) }
        Self.putUInt32(CRC32C.masked(header[0..<8]), into: &header, at: 8)
        var footer = [UInt8](repeating: 0, count: 4)
        Self.putUInt32(CRC32C.masked(record), into: &footer, at: 0)
        try put(header)
        try put(record)
        try put(footer)
    }

    /// Appends one record holding the UTF-8 bytes of `text`.
    /// - Throws: as ``write(_:)-([UInt8])``.
    public func write(_ text: String) throws(DatasetError) { try write(Array(text.utf8)) }

    /// Hands every record written so far to the operating system (zlib's `Z_SYNC_FLUSH`), so that a reader
    /// of the growing file sees them; the writer stays open. A gzip file stays valid, at the cost of a few
    /// bytes per flush.
    /// - Throws: ``DatasetError/unreadable(path:reason:)`` when writing fails or the writer is closed.
    public func flush() throws(DatasetError) {
        guard let file else { throw .unreadable(path: path, reason: "the writer is closed") }
        let status = gzflush(file, Z_SYNC_FLUSH)
        guard status == Z_OK else {
            var code: Int32 = 0
            let message = gzerror(file, &code).map { String(cString: $0) } ?? "zlib status \(status)"
            throw .unreadable(path: path, reason: "flushing failed: \(message)")
        }
    }

    /// Flushes and closes the file; later writes throw.
    /// - Throws: ``DatasetError/unreadable(path:reason:)`` when the final flush fails.
    public func close() throws(DatasetError) {
        guard let file else { return }
        self.file = nil
        let status = gzclose(file)
        guard status == Z_OK else { throw .unreadable(path: path, reason: "closing the file failed (zlib status \(status))") }
    }

    private func put(_ bytes: [UInt8]) throws(DatasetError) {
        guard let file else { throw .unreadable(path: path, reason: "the writer is closed") }
        guard !bytes.isEmpty else { return }
        let written = bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
        guard written == Int32(bytes.count) else {
            var code: Int32 = 0
            let message = gzerror(file, &code).map { String(cString: $0) } ?? "zlib error \(code)"
            throw .unreadable(path: path, reason: "writing failed: \(message)")
        }
    }

    static func putUInt32(_ value: UInt32, into bytes: inout [UInt8], at offset: Int) {
        for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(i))) }
    }
}
