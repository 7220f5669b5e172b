#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file operation failed: the operating system's words, and whether the file was simply absent.
struct FileFailure: Error {
    let path: String
    let reason: String
    let notFound: Bool

    static func fromErrno(_ path: String, _ operation: String) -> FileFailure {
        let code = errno
        return FileFailure(path: path, reason: "\(operation): \(String(cString: strerror(code)))", notFound: code == ENOENT)
    }
}

/// Whole-file reads, crash-safe whole-file writes, and directory creation, on POSIX calls.
enum FileIO {
    /// Every byte of the file at `path`.
    static func readAll(_ path: String) throws(FileFailure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .fromErrno(path, "open") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .fromErrno(path, "stat") }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw FileFailure(path: path, reason: "not a regular file", notFound: false)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(status.st_size))
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, chunk) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .fromErrno(path, "read")
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return bytes
    }

    /// Whether something (a file or a directory) exists at `path`.
    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Writes `bytes` so that `path` holds either its old content or all of the new one, never a
    /// part: the bytes go to a temporary file in the same directory, are flushed to disk, and the
    /// temporary file is renamed over `path` (rename is atomic within a file system); the directory
    /// is then flushed so the rename itself survives a crash. The temporary file is removed on error.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(FileFailure) {
        let (directory, base) = split(path)
        guard !base.isEmpty else { throw FileFailure(path: path, reason: "the path names a directory, not a file", notFound: false) }
        var generator = SystemRandomNumberGenerator()
        let temporary = "\(directory)/.\(base).tmp-\(getpid())-\(String(generator.next() as UInt64, radix: 36))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .fromErrno(path, "create a temporary file in \(directory)") }
        let writeFailure: FileFailure? = bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return nil }
            var written = 0
            while written < raw.count {
                let count = write(descriptor, base + written, raw.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    return .fromErrno(path, "write")
                }
                written += count
            }
            return fsync(descriptor) == 0 ? nil : .fromErrno(path, "fsync")
        }
        if let writeFailure {
            close(descriptor)
            unlink(temporary)
            throw writeFailure
        }
        guard close(descriptor) == 0 else {
            let failure = FileFailure.fromErrno(path, "close")
            unlink(temporary)
            throw failure
        }
        guard rename(temporary, path) == 0 else {
            let failure = FileFailure.fromErrno(path, "rename into place")
            unlink(temporary)
            throw failure
        }
        syncDirectory(directory)
    }

    /// Removes the file at `path` if there is one.
    static func removeIfPresent(_ path: String) throws(FileFailure) {
        if unlink(path) != 0 && errno != ENOENT { throw .fromErrno(path, "remove") }
    }

    /// Creates `path` and its missing parents as directories (`mkdir -p`).
    static func makeDirectories(_ path: String) throws(FileFailure) {
        var status = stat()
        if stat(path, &status) == 0 {
            guard (status.st_mode & S_IFMT) == S_IFDIR else {
                throw FileFailure(path: path, reason: "exists and is not a directory", notFound: false)
            }
            return
        }
        let (parent, _) = split(path)
        if parent != path && parent != "." && parent != "/" { try makeDirectories(parent) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw .fromErrno(path, "create directory") }
    }

    /// The directory part and the last component of a path (`"."` when there is no directory part).
    static func split(_ path: String) -> (directory: String, base: String) {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return (".", String(trimmed)) }
        let directory = slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
        return (directory, String(trimmed[trimmed.index(after: slash)...]))
    }

    /// `directory/name`, without doubling a trailing slash.
    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// Flushes a directory's entries (best effort: some file systems refuse, which loses nothing
    /// but the guarantee that a rename survives a power cut).
    private static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}
