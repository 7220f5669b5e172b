import Foundation
import StudyStore

/// Where a checkpoint file may be served from: only the checkpoint folder beside an SQLite storage
/// (`tuner.sqlite.checkpoints/`, TunerKit's rule for where it writes them), never any other path a
/// stored row could name. No part of the request's address becomes a path: the path comes from the store,
/// and is checked here.
enum CheckpointFile {
    /// The checkpoint root of `storage`, or nil for a storage on a server (its checkpoints are stored in it).
    static func root(storage: String) -> String? {
        guard !PostgresLocation.isConnectionString(storage) else { return nil }
        return URL(fileURLWithPath: storage).standardizedFileURL.path + ".checkpoints"
    }

    /// `path` with every symbolic link resolved, when that is a regular file inside the checkpoint root of
    /// `storage` (resolved the same way); else nil.
    static func confined(_ path: String, storage: String) -> String? {
        guard let root = root(storage: storage), let resolvedRoot = resolved(root), let file = resolved(path),
              file.hasPrefix(resolvedRoot + "/") else { return nil }
        var info = stat()
        guard stat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return file
    }

    /// The real path of `path` (symbolic links, `.` and `..` resolved), or nil when it does not exist.
    private static func resolved(_ path: String) -> String? {
        guard let real = realpath(path, nil) else { return nil }
        defer { free(real) }
        return String(cString: real)
    }

    /// The download's file name: the study name reduced to ASCII letters, digits, `-`, `_` and `.`
    /// (other characters as `_`), the trial and the epoch.
    static func downloadName(study: String, trial: Int, epoch: Int) -> String {
        let safe = String(study.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-_.".unicodeScalars.contains(scalar))
                ? Character(scalar) : "_"
        }.prefix(80))
        return "\(safe)-trial-\(trial)-epoch-\(epoch).safetensors"
    }
}
