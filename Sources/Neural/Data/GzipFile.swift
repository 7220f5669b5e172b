import CZlib

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads whole files, gunzipping them through zlib when they are gzip-compressed (zlib reads plain
/// files through the same calls, so callers need not know which they have).
public enum GzipFile {
    /// The decompressed bytes of the file at `path`.
    ///
    /// - Throws: ``DataLoadingError/fileNotFound(path:hint:)`` or ``DataLoadingError/unreadable(path:reason:)``.
    public static func readAll(path: String, hint: String? = nil) throws(DataLoadingError) -> [UInt8] {
        guard access(path, F_OK) == 0 else { throw .fileNotFound(path: path, hint: hint) }
        guard let file = gzopen(path, "rb") else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { gzclose(file) }
        var bytes: [UInt8] = []
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let read = buffer.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32(chunk)) }
            if read < 0 {
                var code: Int32 = 0
                let message = gzerror(file, &code).map { String(cString: $0) } ?? "zlib error \(code)"
                throw .unreadable(path: path, reason: "corrupt or truncated gzip data (\(message))")
            }
            if read == 0 { break }
            bytes.append(contentsOf: buffer[0..<Int(read)])
        }
        return bytes
    }
}
