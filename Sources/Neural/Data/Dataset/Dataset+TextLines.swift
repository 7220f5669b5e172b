/// tf.data's `TextLineDataset`.
extension Dataset where Element == String {
    /// The lines of the files at `paths`, one file after the other, without their line breaks
    /// (`\n` or `\r\n`); `skipHeader` drops the first line of each file. Gzip-compressed files are
    /// decompressed on the fly. Files are read in chunks as the iteration goes, and opened when it
    /// reaches them. To read several files at once, as the seed's CSV reader does, interleave datasets
    /// of one file each:
    ///
    /// ```swift
    /// let lines = Dataset(elements: paths).interleave(cycleLength: 5) { path in
    ///     Dataset.textLines(paths: [path], skipHeader: true)
    /// }
    /// ```
    ///
    /// A missing or unreadable file ends the iteration, when it reaches the file, with
    /// ``DatasetError/fileNotFound(path:)`` or ``DatasetError/unreadable(path:reason:)``.
    public static func textLines(paths: [String], skipHeader: Bool = false) -> Dataset<String> {
        Dataset(elements: paths).flatMap { path in
            Dataset(cardinality: .unknown) {
                var reader: GzipReader?
                var opened = false
                return DatasetCursor { () throws(DatasetError) -> String? in
                    if !opened {
                        opened = true
                        reader = try GzipReader(path: path)
                        if skipHeader { _ = try reader?.readLine() }
                    }
                    guard let bytes = try reader?.readLine() else {
                        reader = nil
                        return nil
                    }
                    return String(decoding: bytes, as: UTF8.self)
                }
            }
        }
    }

    /// The lines of one file; see ``textLines(paths:skipHeader:)``.
    public static func textLines(path: String, skipHeader: Bool = false) -> Dataset<String> {
        textLines(paths: [path], skipHeader: skipHeader)
    }
}
