import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file `tuner export` writes, checked before anything is written and then written whole.
///
/// What is at the path decides:
/// - nothing: a new regular file is created (its folder must exist);
/// - a regular file: it is replaced, keeping its permissions;
/// - a symbolic link to a regular file: the file it points to is replaced and the link kept (a link
///   pointing nowhere, or to anything else, is refused);
/// - a folder, a FIFO, a device, a socket: refused, since writing there would block, fill a device or
///   replace something that is not a report;
/// - the study database itself or its `-wal` / `-shm` / `-journal` files (compared by device and inode, so another
///   spelling of the path or a link to it is caught too): refused.
///
/// The text goes to a temporary file in the same folder, which is then renamed over the destination,
/// so a reader never sees half a report and a failure leaves the old file as it was.
struct OutputFile {
    /// The path to write, with a symbolic link at the end resolved.
    let path: String
    /// The path as the user gave it, for messages.
    let givenPath: String

    /// Checks `path` as a destination for a report of the storage at `storagePath`.
    ///
    /// - Throws: `CommandFailure.usage` saying why the path cannot be written.
    init(checking path: String, storagePath: String) throws {
        givenPath = path
        var target = path
        var info = stat()
        if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
            guard let resolved = Self.resolvedPath(path), stat(resolved, &info) == 0 else {
                throw CommandFailure.usage("cannot write \(path): it is a symbolic link to nothing; remove it or choose another --output")
            }
            target = resolved
        }
        if stat(target, &info) == 0 {
            let type = info.st_mode & S_IFMT
            guard type == S_IFREG else {
                throw CommandFailure.usage("cannot write \(path): it is \(Self.describe(type)), not a regular file; "
                    + "export writes regular files only, so choose a file path for --output")
            }
            for databaseFile in [storagePath, storagePath + "-wal", storagePath + "-shm", storagePath + "-journal"] {
                var databaseInfo = stat()
                if stat(databaseFile, &databaseInfo) == 0, databaseInfo.st_dev == info.st_dev, databaseInfo.st_ino == info.st_ino {
                    throw CommandFailure.usage("cannot write \(path): it is the study database \(databaseFile); "
                        + "choose another --output so the studies are not overwritten")
                }
            }
        } else {
            let folder = (target as NSString).deletingLastPathComponent
            try Self.requireFolder(folder.isEmpty ? "." : folder, for: path)
        }
        self.path = target
    }

    /// Checks that `folder` exists and is a folder.
    ///
    /// - Throws: `CommandFailure.usage` naming the folder when it does not.
    static func requireFolder(_ folder: String, for path: String) throws {
        var info = stat()
        guard stat(folder, &info) == 0 else {
            throw CommandFailure.usage("cannot write \(path): the folder \(folder) does not exist; create it first or choose another --output")
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw CommandFailure.usage("cannot write \(path): \(folder) is not a folder; choose another --output")
        }
    }

    /// Writes `data` through a temporary file in the same folder, renamed over the destination.
    ///
    /// - Throws: `CommandFailure.failed` with the system's reason when the file cannot be written.
    func write(_ data: Data) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = (folder.isEmpty ? "" : folder + "/") + ".\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        var existing = stat()
        let mode: mode_t = stat(path, &existing) == 0 ? existing.st_mode & 0o7777 : 0o666
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw failure(errno) }
        // open() applies the umask; an existing file's own permissions are kept instead.
        if existing.st_mode != 0 { _ = fchmod(descriptor, mode) }
        var error: Int32 = 0
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count, error == 0 {
                let written = systemWrite(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written < 0 {
                    if errno != EINTR { error = errno }
                } else {
                    offset += written
                }
            }
        }
        if error == 0, fsync(descriptor) != 0 { error = errno }
        if close(descriptor) != 0, error == 0 { error = errno }
        if error == 0, rename(temporary, path) != 0 { error = errno }
        if error != 0 {
            unlink(temporary)
            throw failure(error)
        }
    }

    /// POSIX `write`, under another name because `write(_:)` above hides it.
    private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.write(descriptor, bytes, count)
        #else
        return Darwin.write(descriptor, bytes, count)
        #endif
    }

    private func failure(_ code: Int32) -> CommandFailure {
        CommandFailure.failed("could not write \(givenPath): \(String(cString: strerror(code)))")
    }

    private static func resolvedPath(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    private static func describe(_ type: mode_t) -> String {
        switch type {
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR, S_IFBLK: return "a device"
        case S_IFSOCK: return "a socket"
        default: return "a special file"
        }
    }
}
