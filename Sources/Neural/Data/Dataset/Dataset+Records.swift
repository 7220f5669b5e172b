/// tf.data's `TFRecordDataset`.
extension Dataset where Element == [UInt8] {
    /// The records of the files at `paths`, one file after the other, each record's bytes as written
    /// by ``RecordWriter`` or TensorFlow's `TFRecordWriter` (gzip-compressed files are recognized and
    /// decompressed on the fly). Files are streamed, not loaded whole. Every record's length and data
    /// checksums are verified.
    ///
    /// A damaged file ends the iteration with ``DatasetError/corruptRecord(path:offset:reason:)`` naming
    /// the file and the byte offset of the bad record (in the uncompressed stream); a missing file
    /// with ``DatasetError/fileNotFound(path:)``.
    public static func records(paths: [String]) -> Dataset<[UInt8]> {
        Dataset<String>(elements: paths).flatMap { path in
            Dataset(cardinality: .unknown) {
                var reader: RecordReader?
                var opened = false
                return DatasetCursor { () throws(DatasetError) -> [UInt8]? in
                    if !opened {
                        opened = true
                        reader = RecordReader(stream: try GzipReader(path: path))
                    }
                    guard let record = try reader?.next() else {
                        reader = nil
                        return nil
                    }
                    return record
                }
            }
        }
    }
}

extension Dataset where Element == String {
    /// The records of the files at `paths` as UTF-8 text (invalid bytes replaced); see
    /// ``Dataset/records(paths:)``.
    public static func textRecords(paths: [String]) -> Dataset<String> {
        Dataset<[UInt8]>.records(paths: paths).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// Reads TFRecord framing from a stream, verifying the checksums.
struct RecordReader {
    let stream: GzipReader

    mutating func next() throws(DatasetError) -> [UInt8]? {
        let start = stream.offset
        let header = try stream.read(12)
        if header.isEmpty { return nil }
        guard header.count == 12 else {
            throw .corruptRecord(path: stream.path, offset: start, reason: "the file ends inside a record header (\(header.count) of 12 bytes)")
        }
        var length: UInt64 = 0
        for i in 0..<8 { length |= UInt64(header[i]) << (8 * UInt64(i)) }
        guard Self.uint32(header, at: 8) == CRC32C.masked(header[0..<8]) else {
            throw .corruptRecord(path: stream.path, offset: start, reason: "the length's checksum does not match (not a record file, or damaged)")
        }
        guard length <= UInt64(Int.max - 4) else {
            throw .corruptRecord(path: stream.path, offset: start, reason: "record length \(length) is impossible")
        }
        let data = try stream.read(Int(length))
        let footer = try stream.read(4)
        guard data.count == Int(length), footer.count == 4 else {
            throw .corruptRecord(path: stream.path, offset: start, reason: "the file ends inside a record of \(length) bytes")
        }
        guard Self.uint32(footer, at: 0) == CRC32C.masked(data) else {
            throw .corruptRecord(path: stream.path, offset: start, reason: "the data's checksum does not match")
        }
        return data
    }

    static func uint32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
    }
}
