import CZlib

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file in chunks through zlib, which gunzips gzip files and passes other files through
/// unchanged: the streaming reader under `textLines` and `records`.
final class GzipReader {
    let path: String
    private var file: gzFile?
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var start = 0
    private var end = 0
    private var atEnd = false
    /// Bytes handed out so far (the offset of the next byte in the uncompressed stream).
    private(set) var offset = 0

    /// Opens `path`.
    /// - Throws: ``DatasetError/fileNotFound(path:)`` or ``DatasetError/unreadable(path:reason:)``.
    init(path: String) throws(DatasetError) {
        self.path = path
        guard access(path, F_OK) == 0 else { throw .fileNotFound(path: path) }
        guard let file = gzopen(path, "rb") else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        self.file = file
    }

    deinit { if let file { gzclose(file) } }

    /// Refills the buffer; false at the end of the file.
    private func refill() throws(DatasetError) -> Bool {
        guard !atEnd, let file else { return false }
        let count = buffer.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
        if count < 0 {
            var code: Int32 = 0
            let message = gzerror(file, &code).map { String(cString: $0) } ?? "zlib error \(code)"
            throw .unreadable(path: path, reason: "corrupt or truncated gzip data at byte \(offset) (\(message))")
        }
        if count == 0 {
            atEnd = true
            return false
        }
        start = 0
        end = Int(count)
        return true
    }

    /// Up to `count` bytes; fewer only at the end of the file.
    func read(_ count: Int) throws(DatasetError) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(Swift.min(count, 1 << 24))
        while result.count < count {
            if start == end, try !refill() { break }
            let take = Swift.min(count - result.count, end - start)
            result.append(contentsOf: buffer[start..<(start + take)])
            start += take
            offset += take
        }
        return result
    }

    /// The next line without its `\n` (or `\r\n`); nil at the end. A last line without a line break counts.
    func readLine() throws(DatasetError) -> [UInt8]? {
        var line: [UInt8] = []
        var sawAny = false
        while true {
            if start == end, try !refill() { break }
            sawAny = true
            if let newline = buffer[start..<end].firstIndex(of: 0x0A) {
                line.append(contentsOf: buffer[start..<newline])
                offset += newline + 1 - start
                start = newline + 1
                if line.last == 0x0D { line.removeLast() }
                return line
            }
            line.append(contentsOf: buffer[start..<end])
            offset += end - start
            start = end
        }
        guard sawAny, !line.isEmpty else { return nil }
        if line.last == 0x0D { line.removeLast() }
        return line
    }
}
